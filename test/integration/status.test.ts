import { describe, expect, inject, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  CentralApiError,
  NotFoundError,
  RateLimitError,
  ServerError,
  createTroubleshootingClient,
} from '../../src/index.js';
import { type PrismFetchOptions, createPrismFetch } from '../helpers/prism-fetch.js';

const SERIAL_NUMBER = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const TOKEN = 'test-token';
const STATUS_PATH = `/network-troubleshooting/v1alpha1/aos-s/${SERIAL_NUMBER}/cableTest/async-operations/${TASK_ID}`;
const REF = { serialNumber: SERIAL_NUMBER, taskId: TASK_ID };

function createClient(fetchOptions: PrismFetchOptions = {}, clientOptions: { maxRetries?: number; maxRetryAfterMs?: number } = {}) {
  const baseUrl = inject('prismUrl');
  const prism = createPrismFetch(baseUrl, fetchOptions);
  const client = createTroubleshootingClient({
    baseUrl,
    token: TOKEN,
    fetch: prism.fetch,
    maxRetries: clientOptions.maxRetries ?? 0,
    maxRetryAfterMs: clientOptions.maxRetryAfterMs,
  });
  return { client, requests: prism.requests };
}

/** Awaits `promise` and returns its rejection reason. Throws when the promise resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to reject, but it resolved.');
}

describe('prism: status', () => {
  it('returns completed example by default', async () => {
    const { client, requests } = createClient();

    const state = await client.getCableTestStatus(REF);

    expect(state.serialNumber).toBe(SERIAL_NUMBER);
    expect(state.taskId).toBe(TASK_ID);
    expect(state.status).toBe('COMPLETED');
    expect(state.progressPercent).toBe(100);
    expect(state.startTime).toBe('2025-05-21T04:49:39.372776208Z');
    expect(state.endTime).toBe('2025-05-21T04:49:40.514983412Z');
    expect(state.failReason).toBeNull();
    expect(state.output?.ports).toEqual(['3', '6']);

    const results = state.output?.results ?? [];
    expect(results.map((result) => result.interfaceName)).toEqual(['3', '6']);
    for (const result of results) {
      expect(result.cablePairDiagnostics?.map((pair) => pair.pairName)).toEqual(['1-2', '3-6', '4-5', '7-8']);
      for (const pair of result.cablePairDiagnostics ?? []) {
        expect(pair.status).toBe('Open');
        expect(pair.length).toBe('0');
      }
    }

    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.url.pathname).toBe(STATUS_PATH);
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('returns running example', async () => {
    const { client } = createClient({ prefer: 'example=running' });

    const state = await client.getCableTestStatus(REF);

    expect(state.status).toBe('RUNNING');
    expect(state.progressPercent).toBe(40);
    expect(state.endTime).toBeNull();
    expect(state.output).toBeNull();
    expect(state.failReason).toBeNull();
  });

  it('returns failed example', async () => {
    const { client } = createClient({ prefer: 'example=failed' });

    const state = await client.getCableTestStatus(REF);

    expect(state.status).toBe('FAILED');
    expect(state.failReason).toBe('Cable diagnostics are not supported on port 49 (SFP+ transceiver).');
    expect(state.output).toBeNull();
  });

  const errorCases = [
    { prefer: 'code=400', errorClass: BadRequestError, status: 400, errorCode: 'HPE_GRAVITY_BAD_REQUEST', serverMessage: 'Validation errors - task-id is invalid' },
    { prefer: 'code=401', errorClass: AuthenticationError, status: 401, errorCode: 'HPE_GRAVITY_UNAUTHORIZED', serverMessage: 'Authentication required.' },
    { prefer: 'code=404', errorClass: NotFoundError, status: 404, errorCode: 'HPE_GRAVITY_TASK_NOT_FOUND', serverMessage: 'Async operation task not found: c7a3f2d1-e8a9-4b7c-8d1e-0f9a3b2c1d0e' },
    { prefer: 'code=429', errorClass: RateLimitError, status: 429, errorCode: 'HPE_GRAVITY_TOO_MANY_REQUESTS', serverMessage: 'Rate limit exceeded.' },
    { prefer: 'code=500', errorClass: ServerError, status: 500, errorCode: 'HPE_GRAVITY_INTERNAL_SERVER_ERROR', serverMessage: 'An unexpected error occurred.' },
  ];

  it.each(errorCases)('maps $prefer to $errorClass.name', async ({ prefer, errorClass, status, errorCode, serverMessage }) => {
    const { client, requests } = createClient({ prefer });

    const error = await rejectionOf(client.getCableTestStatus(REF));

    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).name).toBe(errorClass.name);
    const apiError = error as CentralApiError;
    expect(apiError.status).toBe(status);
    expect(apiError.errorCode).toBe(errorCode);
    expect(apiError.message).toContain(serverMessage);
    expect(apiError.serialNumber).toBe(SERIAL_NUMBER);
    expect(apiError.taskId).toBe(TASK_ID);
    expect(apiError.mayHaveStarted).toBe(false);
    expect(apiError.attempts).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('does not retry 404 task not found', async () => {
    // Only waitForCableTest treats a 404 as a task not registered yet (notFoundGraceMs).
    // A single status read fails on the first 404, even when retries are allowed.
    const { client, requests } = createClient({ prefer: 'code=404' }, { maxRetries: 3 });

    const error = await rejectionOf(client.getCableTestStatus(REF));

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorCode).toBe('HPE_GRAVITY_TASK_NOT_FOUND');
    expect(requests).toHaveLength(1);
  });

  it('retries 500 up to maxRetries', async () => {
    // A status read is idempotent, so it is retried. The first backoff delay is 250 to 500 ms.
    const { client, requests } = createClient({ prefer: 'code=500' }, { maxRetries: 1 });

    const error = await rejectionOf(client.getCableTestStatus(REF));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).attempts).toBe(2);
    expect(requests).toHaveLength(2);
  });

  it('retries 429 after capped Retry-After', async () => {
    // maxRetryAfterMs 0 caps the spec's Retry-After of 2 s, so the retry starts at once.
    const { client, requests } = createClient({ prefer: 'code=429' }, { maxRetries: 2, maxRetryAfterMs: 0 });

    const error = await rejectionOf(client.getCableTestStatus(REF));

    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).attempts).toBe(3);
    expect((error as RateLimitError).retryAfterMs).toBe(2_000);
    expect(requests).toHaveLength(3);
  });

  it('gets 401 from Prism without token', async () => {
    const { client, requests } = createClient({ stripAuthorization: true });

    const error = await rejectionOf(client.getCableTestStatus(REF));

    expect(error).toBeInstanceOf(AuthenticationError);
    const apiError = error as AuthenticationError;
    expect(apiError.status).toBe(401);
    expect(apiError.errorCode).toBe('HPE_GRAVITY_UNAUTHORIZED');
    expect(apiError.taskId).toBe(TASK_ID);
    expect(apiError.serialNumber).toBe(SERIAL_NUMBER);
    expect(apiError.headers.get('sl-violations')).toContain('Invalid security scheme');
    expect(requests[0]!.headers.has('authorization')).toBe(false);
  });
});

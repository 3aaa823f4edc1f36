import { describe, expect, inject, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  CentralApiError,
  ConflictError,
  DeviceOfflineError,
  InvalidArgumentError,
  NotFoundError,
  RateLimitError,
  ServerError,
  createTroubleshootingClient,
} from '../../src/index.js';
import { type PrismFetchOptions, createPrismFetch } from '../helpers/prism-fetch.js';

const SERIAL_NUMBER = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const TOKEN = 'test-token';
const START_PATH = `/network-troubleshooting/v1alpha1/aos-s/${SERIAL_NUMBER}/cableTest`;

function createClient(fetchOptions: PrismFetchOptions = {}, maxRetries = 0) {
  const baseUrl = inject('prismUrl');
  const prism = createPrismFetch(baseUrl, fetchOptions);
  const client = createTroubleshootingClient({ baseUrl, token: TOKEN, fetch: prism.fetch, maxRetries });
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

describe('prism: start', () => {
  it('returns task id from location', async () => {
    const { client } = createClient();

    const started = await client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3', '6'] });

    expect(started.taskId).toBe(TASK_ID);
    expect(started.serialNumber).toBe(SERIAL_NUMBER);
    expect(started.status).toBe('INITIATED');
    expect(started.location).toBe(`${START_PATH}/async-operations/${TASK_ID}`);
    expect(started.startTime).toBe('2025-05-21T04:49:39.372776208Z');
  });

  it('sends bearer token and port list', async () => {
    const { client, requests } = createClient();

    await client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3', '6'] });

    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe(START_PATH);
    expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(request.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(request.body ?? 'null')).toEqual({ ports: ['3', '6'] });
  });

  const errorCases = [
    { prefer: 'code=400', errorClass: BadRequestError, status: 400, errorCode: 'HPE_GRAVITY_BAD_REQUEST', serverMessage: 'Validation errors - ports must not be empty' },
    { prefer: 'code=401', errorClass: AuthenticationError, status: 401, errorCode: 'HPE_GRAVITY_UNAUTHORIZED', serverMessage: 'Authentication required.' },
    { prefer: 'code=404', errorClass: NotFoundError, status: 404, errorCode: 'HPE_GRAVITY_DEVICE_NOT_FOUND', serverMessage: `Device not found: ${SERIAL_NUMBER}` },
    { prefer: 'code=409', errorClass: DeviceOfflineError, status: 409, errorCode: 'HPE_GRAVITY_DEVICE_OFFLINE', serverMessage: `Device offline: ${SERIAL_NUMBER}` },
    { prefer: 'code=409, example=deviceNotReady', errorClass: ConflictError, status: 409, errorCode: 'HPE_GRAVITY_DEVICE_NOT_READY', serverMessage: `Device not ready: ${SERIAL_NUMBER}` },
    { prefer: 'code=429', errorClass: RateLimitError, status: 429, errorCode: 'HPE_GRAVITY_TOO_MANY_REQUESTS', serverMessage: 'Rate limit exceeded.' },
    { prefer: 'code=500', errorClass: ServerError, status: 500, errorCode: 'HPE_GRAVITY_INTERNAL_SERVER_ERROR', serverMessage: 'An unexpected error occurred.' },
  ];

  it.each(errorCases)('maps $prefer to $errorClass.name', async ({ prefer, errorClass, status, errorCode, serverMessage }) => {
    const { client, requests } = createClient({ prefer });

    const error = await rejectionOf(client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3'] }));

    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).name).toBe(errorClass.name);
    const apiError = error as CentralApiError;
    expect(apiError.status).toBe(status);
    expect(apiError.errorCode).toBe(errorCode);
    expect(apiError.message).toContain(serverMessage);
    expect(apiError.serialNumber).toBe(SERIAL_NUMBER);
    expect(apiError.taskId).toBeUndefined();
    expect(apiError.attempts).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('maps 409 not ready to ConflictError only', async () => {
    const { client } = createClient({ prefer: 'code=409, example=deviceNotReady' });

    const error = await rejectionOf(client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3'] }));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error).not.toBeInstanceOf(DeviceOfflineError);
    // Fields beyond errorCode and message stay in the parsed body.
    expect((error as ConflictError).body).toMatchObject({ errorType: 'CONFLICT' });
  });

  it('maps 429 with Retry-After to RateLimitError', async () => {
    const { client } = createClient({ prefer: 'code=429' });

    const error = await rejectionOf(client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3'] }));

    expect(error).toBeInstanceOf(RateLimitError);
    // The spec's Retry-After example is "2" (seconds).
    expect((error as RateLimitError).retryAfterMs).toBe(2_000);
    expect((error as RateLimitError).mayHaveStarted).toBe(false);
  });

  it('marks 500 as may have started', async () => {
    const { client } = createClient({ prefer: 'code=500' });

    const error = await rejectionOf(client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3'] }));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).mayHaveStarted).toBe(true);
    expect((error as ServerError).message).toContain('may have started');
  });

  it('never repeats start after 500', async () => {
    // With maxRetries 3, only the rule that a start which may have reached the server is never
    // repeated keeps this to one attempt.
    const { client, requests } = createClient({ prefer: 'code=500' }, 3);

    const error = await rejectionOf(client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3'] }));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).attempts).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('gets 401 from Prism without token', async () => {
    const { client, requests } = createClient({ stripAuthorization: true });

    const error = await rejectionOf(client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3'] }));

    expect(error).toBeInstanceOf(AuthenticationError);
    const apiError = error as AuthenticationError;
    expect(apiError.status).toBe(401);
    expect(apiError.errorCode).toBe('HPE_GRAVITY_UNAUTHORIZED');
    expect(apiError.message).toContain('Authentication required.');
    // Prism names the rule a rejected request broke in its sl-violations header.
    expect(apiError.headers.get('sl-violations')).toContain('Invalid security scheme');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.has('authorization')).toBe(false);
  });

  it('rejects empty port list before sending', async () => {
    const { client, requests } = createClient();

    const error = await rejectionOf(client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: [] }));

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('ports');
    expect(requests).toHaveLength(0);
  });

  it('rejects duplicate port before sending', async () => {
    // The spec declares the port list uniqueItems, so Prism would reject it too.
    const { client, requests } = createClient();

    const error = await rejectionOf(client.startCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3', '3'] }));

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('ports[1]');
    expect(requests).toHaveLength(0);
  });

  it('rejects overlong serial before sending', async () => {
    // The spec limits serial-number to 128 characters.
    const { client, requests } = createClient();

    const error = await rejectionOf(client.startCableTest({ serialNumber: 'S'.repeat(129), ports: ['3'] }));

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('serialNumber');
    expect(requests).toHaveLength(0);
  });
});

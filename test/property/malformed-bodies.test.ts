/**
 * Generated responses that break spec/openapi.yaml, through `getCableTestStatus` with a fake
 * fetch: only the documented error classes may come out, each with the request's context.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  AuthenticationError,
  BadRequestError,
  CentralApiError,
  ConflictError,
  DeviceOfflineError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  UnexpectedResponseError,
  createTroubleshootingClient,
} from '../../src/index.js';
import { brokenStatusBody, nonJsonText } from '../helpers/body-arbitraries.js';
import { createFakeFetch } from '../helpers/fake-fetch.js';

/** Number of generated responses per property. */
const RUNS = 2_000;
const REF = { serialNumber: 'SG30JY1234', taskId: 'task-1' };

/** Creates a client whose fake fetch replies to each status request with the current `reply`. */
function scriptedClient() {
  const reply = { status: 200, body: '' as string | null, contentType: 'application/json' };
  const fake = createFakeFetch().route(
    'GET',
    /\/async-operations\/task-1$/,
    () => new Response(reply.body, { status: reply.status, headers: { 'content-type': reply.contentType } }),
  );
  // No retries, so each generated response is seen by exactly one request.
  const central = createTroubleshootingClient({ baseUrl: 'http://127.0.0.1:9', token: 'property-token', fetch: fake.fetch, maxRetries: 0 });
  return { central, fake, reply };
}

async function rejectionReason(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection, but the promise fulfilled.');
}

/** Returns the class that `createApiError` documents for an HTTP error status and errorCode. */
function expectedErrorClass(status: number, errorCode: unknown): typeof CentralApiError {
  if (status === 400) return BadRequestError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 409) return errorCode === 'HPE_GRAVITY_DEVICE_OFFLINE' ? DeviceOfflineError : ConflictError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  return CentralApiError;
}

describe('property: malformed 200 bodies', () => {
  it('rejects a body broken in one place', async () => {
    const { central, fake, reply } = scriptedClient();

    await fc.assert(
      fc.asyncProperty(brokenStatusBody, async ({ text }) => {
        reply.status = 200;
        reply.body = text;
        const requestsBefore = fake.requests.length;

        const error = await rejectionReason(central.getCableTestStatus(REF));

        expect(error).toBeInstanceOf(UnexpectedResponseError);
        const unexpected = error as UnexpectedResponseError;
        expect(unexpected.status).toBe(200);
        expect(unexpected.message).toContain('does not match the API description');
        expect(unexpected.taskId).toBe(REF.taskId);
        expect(unexpected.serialNumber).toBe(REF.serialNumber);
        expect(unexpected.mayHaveStarted).toBe(false);
        expect(fake.requests.length - requestsBefore).toBe(1);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects a body that is not JSON', async () => {
    const { central, reply } = scriptedClient();

    await fc.assert(
      fc.asyncProperty(nonJsonText, fc.constantFrom('application/json', 'text/html', 'text/plain'), async (text, contentType) => {
        reply.status = 200;
        reply.body = text;
        reply.contentType = contentType;

        const error = await rejectionReason(central.getCableTestStatus(REF));

        expect(error).toBeInstanceOf(UnexpectedResponseError);
        expect((error as UnexpectedResponseError).taskId).toBe(REF.taskId);
        expect((error as UnexpectedResponseError).bodySnippet.length).toBeLessThanOrEqual(201);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: error statuses', () => {
  // A body of JSON null is left out here: it has its own failing test below.
  const errorBody = fc
    .oneof(
      fc
        .record({
          errorCode: fc.oneof(fc.constantFrom('HPE_GRAVITY_DEVICE_OFFLINE', 'HPE_GRAVITY_TASK_NOT_FOUND', 'HPE_GRAVITY_BAD_REQUEST', ''), fc.string({ maxLength: 12 })),
          message: fc.string({ maxLength: 40 }),
        })
        .map((body) => JSON.stringify(body)),
      fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 40 }),
      fc.constant(''),
    )
    .filter((body) => body.trim() !== 'null');
  // 304 cannot carry a body, and 1xx or 2xx are not errors.
  const errorStatus = fc.integer({ min: 300, max: 599 }).filter((status) => status !== 304);

  it('maps each status to its class', async () => {
    const { central, fake, reply } = scriptedClient();

    await fc.assert(
      fc.asyncProperty(errorStatus, errorBody, async (status, body) => {
        reply.status = status;
        reply.body = body;
        const requestsBefore = fake.requests.length;

        const error = await rejectionReason(central.getCableTestStatus(REF));

        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = body;
        }
        const errorCode = typeof parsed === 'object' && parsed !== null ? (parsed as { errorCode?: unknown }).errorCode : undefined;
        const ExpectedClass = expectedErrorClass(status, errorCode);
        expect(error).toBeInstanceOf(ExpectedClass);
        expect((error as Error).constructor).toBe(ExpectedClass);
        const apiError = error as CentralApiError;
        expect(apiError.status).toBe(status);
        const expectedCode = typeof errorCode === 'string' && errorCode !== '' ? errorCode : undefined;
        expect(apiError.errorCode).toBe(expectedCode);
        expect(apiError.body).toEqual(parsed);
        expect(apiError.attempts).toBe(1);
        expect(apiError.message).toContain(`HTTP ${status}`);
        expect(apiError.taskId).toBe(REF.taskId);
        expect(fake.requests.length - requestsBefore).toBe(1);
      }),
      { numRuns: RUNS },
    );
  });

  // transport.ts reads the body with `parseJson(text) ?? text`, so JSON null becomes the text "null".
  it('keeps a JSON null error body', async () => {
    const { central, reply } = scriptedClient();
    reply.status = 500;
    reply.body = 'null';

    const error = await rejectionReason(central.getCableTestStatus(REF));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).body).toBeNull();
  });
});

// The generated valibot schema checks `output` with v.object, which accepts an array where
// the spec requires an object, so these bodies resolve with an array as `output`. They stay
// failing until the client rejects them. (Arrays in other places fail on a required or
// typed field, such as `interfaceName` or a pair's `length`.)
describe('property: arrays in place of objects', () => {
  it.each([
    ['output is an empty array', { status: 'COMPLETED', output: [] }],
    ['output is an array of results', { status: 'COMPLETED', output: [{ interfaceName: '1' }] }],
  ])('rejects a body where %s', async (_case, body) => {
    const { central, reply } = scriptedClient();
    reply.body = JSON.stringify(body);

    const error = await rejectionReason(central.getCableTestStatus(REF));

    expect(error).toBeInstanceOf(UnexpectedResponseError);
  });
});

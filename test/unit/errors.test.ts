import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  AuthenticationError,
  BadRequestError,
  CableTestFailedError,
  CentralApiError,
  CentralError,
  ConflictError,
  ConnectionError,
  DeviceOfflineError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  UnexpectedResponseError,
  WaitTimeoutError,
  createTroubleshootingClient,
} from '../../src/index.js';
import {
  type FakeFetch,
  createFakeFetch,
  jsonReply,
  operationPath,
  rejectionOf,
  startPath,
  startedReply,
  statusReply,
  textReply,
} from '../helpers/fake-fetch.js';

const BASE_URL = 'https://central.test';
const SERIAL = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const TARGET = { serialNumber: SERIAL, ports: ['3', '6'] };
const REF = { serialNumber: SERIAL, taskId: TASK_ID };
const PATH = operationPath(SERIAL, TASK_ID);

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  `<hr><center>nginx</center>\r\n${'<!-- padding to exceed the snippet length -->\r\n'.repeat(10)}</body>\r\n</html>\r\n`;

function newClient(fake: FakeFetch, options: { maxRetries?: number } = {}) {
  return createTroubleshootingClient({ baseUrl: BASE_URL, token: 'test-token', fetch: fake.fetch, ...options });
}

/** Returns the rejection of one status request served by `reply`, with retries off. */
async function statusRejection(reply: ReturnType<typeof jsonReply>): Promise<unknown> {
  const fake = createFakeFetch().route('GET', PATH, reply);
  const failure = rejectionOf(newClient(fake, { maxRetries: 0 }).getCableTestStatus(REF));
  await vi.advanceTimersByTimeAsync(60_000);
  return failure;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('errors', () => {
  const statusClasses: [number, string, typeof CentralApiError, string][] = [
    [400, 'HPE_GRAVITY_BAD_REQUEST', BadRequestError, 'BadRequestError'],
    [401, 'HPE_GRAVITY_UNAUTHORIZED', AuthenticationError, 'AuthenticationError'],
    [403, 'HPE_GRAVITY_FORBIDDEN', PermissionDeniedError, 'PermissionDeniedError'],
    [404, 'HPE_GRAVITY_TASK_NOT_FOUND', NotFoundError, 'NotFoundError'],
    [409, 'HPE_GRAVITY_DEVICE_OFFLINE', DeviceOfflineError, 'DeviceOfflineError'],
    [409, 'HPE_GRAVITY_DEVICE_NOT_READY', ConflictError, 'ConflictError'],
    [418, 'HPE_GRAVITY_TEAPOT', CentralApiError, 'CentralApiError'],
    [429, 'HPE_GRAVITY_TOO_MANY_REQUESTS', RateLimitError, 'RateLimitError'],
    [500, 'HPE_GRAVITY_INTERNAL_SERVER_ERROR', ServerError, 'ServerError'],
    [502, 'HPE_GRAVITY_BAD_GATEWAY', ServerError, 'ServerError'],
    [503, 'HPE_GRAVITY_SERVICE_UNAVAILABLE', ServerError, 'ServerError'],
    [504, 'HPE_GRAVITY_GATEWAY_TIMEOUT', ServerError, 'ServerError'],
  ];

  it.each(statusClasses)('maps %i %s to its class', async (status, errorCode, errorClass, name) => {
    const body = {
      errorCode,
      message: `Server message for ${status}`,
      errorType: 'CONFLICT',
      code: 'DOWNSTREAM_SERVICE_ERROR',
      serviceName: 'gravity-troubleshooting',
      httpStatusCode: String(status),
    };

    const error = await statusRejection(jsonReply(status, body, { 'x-request-id': `req-${status}` }));

    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(CentralApiError);
    expect(error).toBeInstanceOf(CentralError);
    expect(error).toBeInstanceOf(Error);
    const apiError = error as CentralApiError;
    expect(apiError.constructor).toBe(errorClass);
    expect(apiError.name).toBe(name);
    expect(apiError.status).toBe(status);
    expect(apiError.errorCode).toBe(errorCode);
    expect(apiError.body).toEqual(body);
    expect(apiError.requestId).toBe(`req-${status}`);
    expect(apiError.attempts).toBe(1);
    expect(apiError.headers.get('x-request-id')).toBe(`req-${status}`);
    expect(apiError.message).toContain(`HTTP ${status}`);
    expect(apiError.message).toContain(errorCode);
    expect(apiError.message).toContain(`Server message for ${status}`);
  });

  it('makes DeviceOfflineError a ConflictError', async () => {
    const error = await statusRejection(jsonReply(409, { errorCode: 'HPE_GRAVITY_DEVICE_OFFLINE', message: `Device offline: ${SERIAL}` }));

    expect(error).toBeInstanceOf(DeviceOfflineError);
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('does not make other conflicts DeviceOfflineError', async () => {
    const error = await statusRejection(jsonReply(409, { errorCode: 'HPE_GRAVITY_DEVICE_NOT_READY', message: 'Device not ready' }));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error).not.toBeInstanceOf(DeviceOfflineError);
  });

  it('maps a 409 offline start to DeviceOfflineError', async () => {
    const fake = createFakeFetch().route(
      'POST',
      startPath(SERIAL),
      jsonReply(409, { errorCode: 'HPE_GRAVITY_DEVICE_OFFLINE', message: `Device offline: ${SERIAL}` }),
    );

    const failure = rejectionOf(newClient(fake).startCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(DeviceOfflineError);
    expect((error as DeviceOfflineError).serialNumber).toBe(SERIAL);
    expect((error as DeviceOfflineError).taskId).toBeUndefined();
    expect((error as DeviceOfflineError).mayHaveStarted).toBe(false);
  });

  it('gives RateLimitError the Retry-After in ms', async () => {
    const error = await statusRejection(
      jsonReply(429, { errorCode: 'HPE_GRAVITY_TOO_MANY_REQUESTS', message: 'Rate limit exceeded.' }, { 'retry-after': '7' }),
    );

    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7_000);
  });

  it('leaves retryAfterMs undefined without Retry-After', async () => {
    const error = await statusRejection(jsonReply(429, { errorCode: 'HPE_GRAVITY_TOO_MANY_REQUESTS', message: 'Rate limit exceeded.' }));

    expect((error as RateLimitError).retryAfterMs).toBeUndefined();
  });

  it('counts every attempt on the error', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('GET', PATH, jsonReply(500, { errorCode: 'E', message: 'failed' }));

    const failure = rejectionOf(newClient(fake, { maxRetries: 2 }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);

    expect(((await failure) as ServerError).attempts).toBe(3);
  });

  it('maps an HTML 502 page to ServerError', async () => {
    const error = await statusRejection(textReply(502, HTML_502, { 'content-type': 'text/html' }));

    expect(error).toBeInstanceOf(ServerError);
    const serverError = error as ServerError;
    expect(serverError.status).toBe(502);
    expect(serverError.errorCode).toBeUndefined();
    expect(serverError.body).toBe(HTML_502);
    expect(serverError.message).toContain('<head><title>502 Bad Gateway</title></head>');
    // The snippet is cut at 200 characters, so the end of the page is left out.
    expect(serverError.message).toContain('…');
    expect(serverError.message).not.toContain('</html>');
  });

  it('maps an empty 503 to ServerError', async () => {
    const error = await statusRejection(textReply(503, ''));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toContain('empty body');
    expect((error as ServerError).body).toBe('');
  });

  it('falls back to x-correlation-id for requestId', async () => {
    const error = await statusRejection(jsonReply(500, { errorCode: 'E', message: 'failed' }, { 'x-correlation-id': 'corr-1' }));

    expect((error as ServerError).requestId).toBe('corr-1');
  });

  it.each([
    ['a non-JSON body', '<html><body>Service maintenance</body></html>', 'not JSON'],
    ['an empty body', '', 'empty body'],
    ['a body without status', '{"progressPercent":40}', 'does not match'],
    ['an out-of-range progress', '{"status":"RUNNING","progressPercent":150}', 'does not match'],
    ['a JSON array', '[]', 'does not match'],
  ])('rejects a 200 with %s', async (_case, text, problem) => {
    const error = await statusRejection(textReply(200, text, { 'content-type': 'application/json' }));

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    const unexpected = error as UnexpectedResponseError;
    expect(unexpected.name).toBe('UnexpectedResponseError');
    expect(unexpected.status).toBe(200);
    expect(unexpected.bodySnippet).toBe(text);
    expect(unexpected.message).toContain(problem);
    expect(unexpected.taskId).toBe(TASK_ID);
    expect(unexpected.serialNumber).toBe(SERIAL);
  });

  // Servers send `content-length: 0` with an empty body. The status must still be checked,
  // or the state resolves with no status at all.
  it('rejects an empty 200 with content-length 0', async () => {
    const error = await statusRejection(textReply(200, '', { 'content-type': 'application/json', 'content-length': '0' }));

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).bodySnippet).toBe('');
  });

  it('cuts a long malformed body to a 200-character snippet', async () => {
    const text = `<html>${'x'.repeat(500)}</html>`;

    const error = await statusRejection(textReply(200, text));

    expect((error as UnexpectedResponseError).bodySnippet).toBe(`${text.slice(0, 200)}…`);
  });

  it('marks a non-JSON 202 start as possibly started', async () => {
    const fake = createFakeFetch().route('POST', startPath(SERIAL), textReply(202, 'Accepted'));

    const failure = rejectionOf(newClient(fake).startCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).mayHaveStarted).toBe(true);
    expect((error as UnexpectedResponseError).bodySnippet).toBe('Accepted');
    expect(fake.requests).toHaveLength(1);
  });

  it('gives every error class a fixed name', () => {
    const details = {
      status: 500,
      errorCode: undefined,
      message: 'message',
      body: undefined,
      headers: new Headers(),
      requestId: undefined,
      attempts: 1,
    };
    const errors: [Error, string][] = [
      [new CentralError('message'), 'CentralError'],
      [new InvalidArgumentError('ports', 'message'), 'InvalidArgumentError'],
      [new CentralApiError(details), 'CentralApiError'],
      [new BadRequestError(details), 'BadRequestError'],
      [new AuthenticationError(details), 'AuthenticationError'],
      [new PermissionDeniedError(details), 'PermissionDeniedError'],
      [new NotFoundError(details), 'NotFoundError'],
      [new ConflictError(details), 'ConflictError'],
      [new DeviceOfflineError(details), 'DeviceOfflineError'],
      [new RateLimitError({ ...details, retryAfterMs: undefined }), 'RateLimitError'],
      [new ServerError(details), 'ServerError'],
      [new ConnectionError('message'), 'ConnectionError'],
      [new RequestTimeoutError('message', 1_000), 'RequestTimeoutError'],
      [new UnexpectedResponseError('message', {}), 'UnexpectedResponseError'],
      [new CableTestFailedError('message', { failReason: null, body: null, serialNumber: 'S', taskId: 'T' }), 'CableTestFailedError'],
      [new WaitTimeoutError('message', { polls: 1, timeoutMs: 1_000, serialNumber: 'S', taskId: 'T' }), 'WaitTimeoutError'],
    ];

    for (const [error, name] of errors) {
      expect(error.name, name).toBe(name);
      expect(String(error), name).toBe(`${name}: message`);
      // The name is an own field, so it survives JSON serialization.
      expect((JSON.parse(JSON.stringify(error)) as { name?: string }).name, name).toBe(name);
    }
  });

  it('adds the task id to errors after the start', async () => {
    const fake = createFakeFetch()
      .enqueue(startedReply(SERIAL, TASK_ID))
      .route('GET', PATH, jsonReply(401, { errorCode: 'HPE_GRAVITY_UNAUTHORIZED', message: 'Authentication required.' }));

    const failure = rejectionOf(newClient(fake).runCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).taskId).toBe(TASK_ID);
    expect((error as AuthenticationError).serialNumber).toBe(SERIAL);
    expect((error as AuthenticationError).mayHaveStarted).toBe(false);
  });

  it('adds the last status to errors while polling', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch()
      .enqueue(startedReply(SERIAL, TASK_ID), statusReply('RUNNING', { progressPercent: 40 }))
      .route('GET', PATH, jsonReply(500, { errorCode: 'HPE_GRAVITY_INTERNAL_SERVER_ERROR', message: 'An unexpected error occurred.' }));

    const failure = rejectionOf(newClient(fake, { maxRetries: 1 }).runCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).taskId).toBe(TASK_ID);
    expect((error as ServerError).serialNumber).toBe(SERIAL);
    expect((error as ServerError).lastStatus).toBe('RUNNING');
    expect((error as ServerError).attempts).toBe(2);
  });
});

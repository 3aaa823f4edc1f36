import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  CentralApiError,
  CentralError,
  ConnectionError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  UnexpectedResponseError,
  createTroubleshootingClient,
} from '../../src/index.js';
import {
  type FakeFetch,
  type Reply,
  createFakeFetch,
  hangingReply,
  jsonReply,
  networkErrorReply,
  operationPath,
  rejectionOf,
  startPath,
  startedReply,
  startedReplyWithLocation,
  statusReply,
} from '../helpers/fake-fetch.js';

const BASE_URL = 'https://central.test';
const SERIAL = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const TARGET = { serialNumber: SERIAL, ports: ['3', '6'] };

function newClient(fake: FakeFetch, options: { maxRetries?: number; requestTimeoutMs?: number } = {}) {
  return createTroubleshootingClient({ baseUrl: BASE_URL, token: 'test-token', fetch: fake.fetch, ...options });
}

function errorReply(status: number, headers: Record<string, string> = {}) {
  return jsonReply(status, { errorCode: `TEST_${status}`, message: `HTTP ${status} from the fake` }, headers);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('start request', () => {
  it('posts the ports and returns the task id', async () => {
    const fake = createFakeFetch().enqueue(startedReply(SERIAL, TASK_ID));

    const started = newClient(fake).startCableTest(TARGET);
    await vi.advanceTimersByTimeAsync(0);

    await expect(started).resolves.toEqual({
      serialNumber: SERIAL,
      taskId: TASK_ID,
      location: operationPath(SERIAL, TASK_ID),
      status: 'INITIATED',
      startTime: '2025-05-21T04:49:39.372776208Z',
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.method).toBe('POST');
    expect(fake.requests[0]?.url).toBe(`${BASE_URL}${startPath(SERIAL)}`);
    expect(fake.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ ports: ['3', '6'] });
  });

  it('retries the start on 429', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(
      errorReply(429, { 'retry-after': '2' }),
      errorReply(429),
      startedReply(SERIAL, TASK_ID),
    );

    const started = newClient(fake).startCableTest(TARGET);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(started).resolves.toMatchObject({ taskId: TASK_ID });
    expect(fake.requests.map((request) => request.method)).toEqual(['POST', 'POST', 'POST']);
    // Retry-After first, then the backoff of the second retry (1000 ms with no jitter).
    expect(fake.gaps()).toEqual([2_000, 1_000]);
  });

  it('retries the start on a refused connection', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(
      networkErrorReply('ECONNREFUSED'),
      networkErrorReply('ECONNREFUSED'),
      startedReply(SERIAL, TASK_ID),
    );

    const started = newClient(fake).startCableTest(TARGET);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(started).resolves.toMatchObject({ taskId: TASK_ID });
    expect(fake.requests).toHaveLength(3);
    expect(fake.gaps()).toEqual([500, 1_000]);
  });

  it('reports a refused start as not started', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('POST', startPath(SERIAL), networkErrorReply('ECONNREFUSED'));

    const failure = rejectionOf(newClient(fake, { maxRetries: 2 }).startCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).mayHaveStarted).toBe(false);
    expect((error as ConnectionError).serialNumber).toBe(SERIAL);
    expect(fake.requests).toHaveLength(3);
  });

  it('reports an exhausted 429 start as not started', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('POST', startPath(SERIAL), errorReply(429));

    const failure = rejectionOf(newClient(fake, { maxRetries: 1 }).startCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).mayHaveStarted).toBe(false);
    expect((error as RateLimitError).attempts).toBe(2);
  });

  const sentOnce: [string, Reply, new (...args: never[]) => CentralError][] = [
    ['500', errorReply(500), ServerError],
    ['502', errorReply(502), ServerError],
    ['503 with Retry-After', errorReply(503, { 'retry-after': '1' }), ServerError],
    ['ECONNRESET', networkErrorReply('ECONNRESET'), ConnectionError],
    ['a request timeout', hangingReply(), RequestTimeoutError],
  ];

  it.each(sentOnce)('sends the start once on %s', async (_case, reply, errorClass) => {
    const fake = createFakeFetch().route('POST', startPath(SERIAL), reply);

    const failure = rejectionOf(newClient(fake, { requestTimeoutMs: 5_000 }).startCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(120_000);
    const error = await failure;

    expect(error).toBeInstanceOf(errorClass);
    expect((error as CentralError).mayHaveStarted).toBe(true);
    expect((error as CentralError).message).toContain('may have started');
    expect((error as CentralError).serialNumber).toBe(SERIAL);
    expect(fake.requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times the start out after requestTimeoutMs', async () => {
    const fake = createFakeFetch().route('POST', startPath(SERIAL), hangingReply());
    const sentAt = Date.now();
    let settledAt: number | undefined;

    const failure = rejectionOf(
      newClient(fake, { requestTimeoutMs: 5_000 })
        .startCableTest(TARGET)
        .finally(() => {
          settledAt = Date.now();
        }),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).timeoutMs).toBe(5_000);
    expect(settledAt).toBe(sentAt + 5_000);
  });

  it.each([
    [400, 'HPE_GRAVITY_BAD_REQUEST'],
    [401, 'HPE_GRAVITY_UNAUTHORIZED'],
    [403, 'HPE_GRAVITY_FORBIDDEN'],
    [404, 'HPE_GRAVITY_DEVICE_NOT_FOUND'],
    [409, 'HPE_GRAVITY_DEVICE_OFFLINE'],
    [409, 'HPE_GRAVITY_DEVICE_NOT_READY'],
  ])('reports a %i %s start as not started', async (status, errorCode) => {
    const fake = createFakeFetch().route('POST', startPath(SERIAL), jsonReply(status, { errorCode, message: 'rejected' }));

    const failure = rejectionOf(newClient(fake).startCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(CentralApiError);
    expect((error as CentralApiError).status).toBe(status);
    expect((error as CentralApiError).errorCode).toBe(errorCode);
    expect((error as CentralApiError).mayHaveStarted).toBe(false);
    expect((error as CentralApiError).message).not.toContain('may have started');
    expect(fake.requests).toHaveLength(1);
  });

  it('sends no status request after a failed start', async () => {
    const fake = createFakeFetch().route('POST', startPath(SERIAL), errorReply(500));

    const failure = rejectionOf(newClient(fake).runCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);

    expect(await failure).toBeInstanceOf(ServerError);
    expect(fake.requests.map((request) => request.method)).toEqual(['POST']);
  });
});

describe('task id', () => {
  it('takes the last segment after async-operations/', async () => {
    const fake = createFakeFetch().enqueue(
      startedReplyWithLocation(`/network-troubleshooting/v1alpha1/aos-s/${SERIAL}/cableTest/async-operations/${TASK_ID}/`),
    );

    const started = newClient(fake).startCableTest(TARGET);
    await vi.advanceTimersByTimeAsync(0);

    await expect(started).resolves.toMatchObject({ taskId: TASK_ID });
  });

  it('polls the base URL for a location on another host', async () => {
    const fake = createFakeFetch().enqueue(
      startedReplyWithLocation(
        'https://other.example/network-troubleshooting/v1alpha1/aos-s/OTHER123/cableTest/async-operations/task-9?view=full#top',
      ),
      statusReply('COMPLETED'),
    );

    const result = newClient(fake).runCableTest(TARGET);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(result).resolves.toMatchObject({ serialNumber: SERIAL, taskId: 'task-9' });
    expect(fake.requests.map((request) => request.url)).toEqual([
      `${BASE_URL}${startPath(SERIAL)}`,
      `${BASE_URL}${operationPath(SERIAL, 'task-9')}`,
    ]);
  });

  it('decodes the task id once and encodes it once', async () => {
    const fake = createFakeFetch().enqueue(
      startedReplyWithLocation(`/network-troubleshooting/v1alpha1/aos-s/${SERIAL}/cableTest/async-operations/task%40one`),
      statusReply('COMPLETED'),
    );

    const result = newClient(fake).runCableTest(TARGET);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(result).resolves.toMatchObject({ taskId: 'task@one' });
    expect(fake.requests[1]?.path).toBe(`${startPath(SERIAL)}/async-operations/task%40one`);
  });

  it.each([
    ['a missing location', { status: 'INITIATED' }],
    ['a non-string location', { location: 42, status: 'INITIATED' }],
    ['an empty location', { location: '', status: 'INITIATED' }],
    ['a template location', { location: `/network-troubleshooting/v1alpha1/aos-s/${SERIAL}/cableTest/async-operations/{task-id}`, status: 'INITIATED' }],
    ['a location without async-operations', { location: `/network-troubleshooting/v1alpha1/aos-s/${SERIAL}/cableTest/${TASK_ID}`, status: 'INITIATED' }],
    ['an empty task id segment', { location: `/network-troubleshooting/v1alpha1/aos-s/${SERIAL}/cableTest/async-operations/`, status: 'INITIATED' }],
    ['an encoded slash in the task id', { location: `/network-troubleshooting/v1alpha1/aos-s/${SERIAL}/cableTest/async-operations/a%2Fb`, status: 'INITIATED' }],
    ['a malformed escape in the task id', { location: `/network-troubleshooting/v1alpha1/aos-s/${SERIAL}/cableTest/async-operations/a%zz`, status: 'INITIATED' }],
  ])('rejects %s as possibly started', async (_case, body) => {
    const fake = createFakeFetch().enqueue(jsonReply(202, body)).route('GET', /async-operations/, statusReply('COMPLETED'));

    const failure = rejectionOf(newClient(fake).runCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    const unexpected = error as UnexpectedResponseError;
    expect(unexpected.mayHaveStarted).toBe(true);
    expect(unexpected.serialNumber).toBe(SERIAL);
    expect(unexpected.status).toBe(202);
    expect(fake.requests.map((request) => request.method)).toEqual(['POST']);
  });

  // Each of these task ids becomes a dot segment that URL parsing removes, so the status
  // request would go to another path than the operation's.
  it.each(['.', '..'])('rejects the dot-segment task id %s', async (taskId) => {
    const fake = createFakeFetch()
      .enqueue(startedReplyWithLocation(`/network-troubleshooting/v1alpha1/aos-s/${SERIAL}/cableTest/async-operations/${taskId}`))
      .route('GET', /.*/, statusReply('COMPLETED'));

    const failure = rejectionOf(newClient(fake).runCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).mayHaveStarted).toBe(true);
    expect(fake.requests.map((request) => request.method)).toEqual(['POST']);
  });
});

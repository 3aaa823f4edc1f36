import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  CentralApiError,
  ConnectionError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  UnexpectedResponseError,
  createTroubleshootingClient,
} from '../../src/index.js';
import { RETRY_BACKOFF } from '../../src/retry.js';
import {
  type FakeFetch,
  createFakeFetch,
  hangingReply,
  jsonReply,
  networkErrorReply,
  operationPath,
  rejectionOf,
  statusReply,
  textReply,
} from '../helpers/fake-fetch.js';

const BASE_URL = 'https://central.test';
const SERIAL = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const REF = { serialNumber: SERIAL, taskId: TASK_ID };
const PATH = operationPath(SERIAL, TASK_ID);

function newClient(
  fake: FakeFetch,
  options: { maxRetries?: number; requestTimeoutMs?: number; maxRetryAfterMs?: number } = {},
) {
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

describe('transport', () => {
  it('uses the documented retry backoff', () => {
    // The expected delays below are derived from this policy.
    expect(RETRY_BACKOFF).toEqual({ initialDelayMs: 500, maxDelayMs: 8_000, factor: 2, jitter: 0.5 });
  });

  it('retries GET on a reset connection', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(
      networkErrorReply('ECONNRESET'),
      networkErrorReply('ECONNRESET'),
      statusReply('RUNNING', { progressPercent: 40 }),
    );

    const state = newClient(fake).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING', progressPercent: 40 });
    expect(fake.requests).toHaveLength(3);
    expect(fake.gaps()).toEqual([500, 1_000]);
  });

  it.each([429, 500, 502, 503, 504])('retries GET on %i with backoff', async (status) => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(errorReply(status), errorReply(status), statusReply('RUNNING'));

    const state = newClient(fake).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(fake.requests.map((request) => request.path)).toEqual([PATH, PATH, PATH]);
    expect(fake.gaps()).toEqual([500, 1_000]);
  });

  it('doubles the retry delay up to 8 s', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('GET', PATH, errorReply(503));

    const failure = rejectionOf(newClient(fake, { maxRetries: 6 }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(120_000);
    const error = await failure;

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).attempts).toBe(7);
    expect(fake.gaps()).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('takes up to half of a retry delay at random', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const fake = createFakeFetch().route('GET', PATH, errorReply(500));

    const failure = rejectionOf(newClient(fake, { maxRetries: 3 }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    await failure;

    // A random value of 0.5 takes a quarter off: 0.75 * (500, 1000, 2000).
    expect(fake.gaps()).toEqual([375, 750, 1_500]);
  });

  it.each([0, 1, 3])('makes maxRetries %i + 1 attempts', async (maxRetries) => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('GET', PATH, errorReply(502));

    const failure = rejectionOf(newClient(fake, { maxRetries }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).attempts).toBe(maxRetries + 1);
    expect(fake.requests).toHaveLength(maxRetries + 1);
  });

  it('retries 3 times by default', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('GET', PATH, errorReply(500));

    const failure = rejectionOf(newClient(fake).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect((error as ServerError).attempts).toBe(4);
    expect(fake.requests).toHaveLength(4);
  });

  it('rejects ConnectionError when connection retries run out', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('GET', PATH, networkErrorReply('ECONNRESET'));

    const failure = rejectionOf(newClient(fake, { maxRetries: 2 }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain('ECONNRESET');
    expect((error as ConnectionError).message).toContain('attempt 3');
    expect((error as ConnectionError).cause).toBeInstanceOf(TypeError);
    expect((error as ConnectionError).taskId).toBe(TASK_ID);
    expect(fake.requests).toHaveLength(3);
  });

  it('retries GET after a request timeout', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(hangingReply(), statusReply('RUNNING'));

    const state = newClient(fake, { requestTimeoutMs: 5_000 }).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(fake.gaps()).toEqual([5_000 + 500]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects RequestTimeoutError when timeout retries run out', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('GET', PATH, hangingReply());

    const failure = rejectionOf(newClient(fake, { maxRetries: 1, requestTimeoutMs: 5_000 }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).timeoutMs).toBe(5_000);
    expect(fake.requests).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([
    [429, '2', 2_000],
    [503, '3', 3_000],
    [503, '1.5', 1_500],
    [429, '0', 0],
  ])('waits exactly the Retry-After of %i (%s s)', async (status, retryAfter, expectedMs) => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const fake = createFakeFetch().enqueue(errorReply(status, { 'retry-after': retryAfter }), statusReply('RUNNING'));

    const state = newClient(fake).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(fake.gaps()).toEqual([expectedMs]);
  });

  it('waits until a Retry-After HTTP date', async () => {
    vi.setSystemTime(new Date('2025-05-21T04:50:00.250Z'));
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const fake = createFakeFetch().enqueue(
      errorReply(429, { 'retry-after': 'Wed, 21 May 2025 04:50:07 GMT' }),
      statusReply('RUNNING'),
    );

    const state = newClient(fake).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(fake.gaps()).toEqual([6_750]);
    expect(fake.requests[1]?.receivedAt).toBe(Date.parse('2025-05-21T04:50:07Z'));
  });

  it('retries at once after a past Retry-After date', async () => {
    vi.setSystemTime(new Date('2025-05-21T04:50:00Z'));
    const fake = createFakeFetch().enqueue(
      errorReply(503, { 'retry-after': 'Wed, 21 May 2025 04:49:00 GMT' }),
      statusReply('RUNNING'),
    );

    const state = newClient(fake).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(fake.gaps()).toEqual([0]);
  });

  it.each([
    ['seconds', '3600'],
    ['an HTTP date', 'Wed, 21 May 2025 06:00:00 GMT'],
  ])('caps a Retry-After in %s by maxRetryAfterMs', async (_form, retryAfter) => {
    vi.setSystemTime(new Date('2025-05-21T04:50:00Z'));
    const fake = createFakeFetch().enqueue(errorReply(429, { 'retry-after': retryAfter }), statusReply('RUNNING'));

    const state = newClient(fake, { maxRetryAfterMs: 10_000 }).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    expect(fake.gaps()).toEqual([10_000]);
    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
  });

  it('falls back to backoff on an unreadable Retry-After', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(errorReply(429, { 'retry-after': 'soon' }), statusReply('RUNNING'));

    const state = newClient(fake).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(fake.gaps()).toEqual([500]);
  });

  it('keeps Retry-After on the final RateLimitError', async () => {
    const fake = createFakeFetch().route('GET', PATH, errorReply(429, { 'retry-after': '7' }));

    const failure = rejectionOf(newClient(fake, { maxRetries: 1 }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7_000);
    expect((error as RateLimitError).attempts).toBe(2);
    expect(fake.gaps()).toEqual([7_000]);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry GET on %i', async (status) => {
    const fake = createFakeFetch().route('GET', PATH, errorReply(status));

    const failure = rejectionOf(newClient(fake).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(CentralApiError);
    expect((error as CentralApiError).status).toBe(status);
    expect((error as CentralApiError).attempts).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a malformed status body', async () => {
    const fake = createFakeFetch().route('GET', PATH, textReply(200, 'not json'));

    const failure = rejectionOf(newClient(fake, { maxRetries: 2 }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(fake.requests).toHaveLength(3);
  });

  it('recovers after one malformed status body', async () => {
    const fake = createFakeFetch().enqueue(textReply(200, '<html>gateway</html>'), statusReply('RUNNING'));

    const state = newClient(fake).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    expect((await state).status).toBe('RUNNING');
    expect(fake.requests).toHaveLength(2);
  });

  it('sends the bearer token on every retry', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(errorReply(503), networkErrorReply('ECONNRESET'), statusReply('RUNNING'));

    const state = newClient(fake).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);
    await state;

    expect(fake.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer test-token',
      'Bearer test-token',
      'Bearer test-token',
    ]);
  });
});

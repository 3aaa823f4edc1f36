import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ServerError, createTroubleshootingClient } from '../../src/index.js';
import {
  createFakeFetch,
  hangingReply,
  jsonReply,
  operationPath,
  rejectionOf,
  statusReply,
} from '../helpers/fake-fetch.js';

const SERIAL = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const REF = { serialNumber: SERIAL, taskId: TASK_ID };
const PATH = operationPath(SERIAL, TASK_ID);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('createTroubleshootingClient', () => {
  it('keeps base URL, token and fetch per client', async () => {
    const fakeA = createFakeFetch().route('GET', PATH, statusReply('RUNNING'));
    const fakeB = createFakeFetch().route('GET', PATH, statusReply('COMPLETED'));
    const tokenB = vi.fn(() => 'token-b');
    const clientA = createTroubleshootingClient({ baseUrl: 'https://a.central.test', token: 'token-a', fetch: fakeA.fetch });
    const clientB = createTroubleshootingClient({ baseUrl: 'https://b.central.test/', token: tokenB, fetch: fakeB.fetch });

    const states = Promise.all([
      clientA.getCableTestStatus(REF),
      clientB.getCableTestStatus(REF),
      clientA.getCableTestStatus(REF),
    ]);
    await vi.advanceTimersByTimeAsync(0);

    await expect(states).resolves.toMatchObject([{ status: 'RUNNING' }, { status: 'COMPLETED' }, { status: 'RUNNING' }]);
    expect(fakeA.requests.map((request) => [request.url, request.headers.authorization])).toEqual([
      [`https://a.central.test${PATH}`, 'Bearer token-a'],
      [`https://a.central.test${PATH}`, 'Bearer token-a'],
    ]);
    expect(fakeB.requests.map((request) => [request.url, request.headers.authorization])).toEqual([
      [`https://b.central.test${PATH}`, 'Bearer token-b'],
    ]);
    expect(tokenB).toHaveBeenCalledTimes(1);
  });

  it('keeps maxRetries per client', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const failing = jsonReply(503, { errorCode: 'HPE_GRAVITY_SERVICE_UNAVAILABLE', message: 'Try again later.' });
    const fakeA = createFakeFetch().route('GET', PATH, failing);
    const fakeB = createFakeFetch().route('GET', PATH, failing);
    const clientA = createTroubleshootingClient({ baseUrl: 'https://a.central.test', token: 'token-a', fetch: fakeA.fetch, maxRetries: 0 });
    const clientB = createTroubleshootingClient({ baseUrl: 'https://b.central.test', token: 'token-b', fetch: fakeB.fetch, maxRetries: 2 });

    const failureA = rejectionOf(clientA.getCableTestStatus(REF));
    const failureB = rejectionOf(clientB.getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);

    expect(((await failureA) as ServerError).attempts).toBe(1);
    expect(((await failureB) as ServerError).attempts).toBe(3);
    expect(fakeA.requests).toHaveLength(1);
    expect(fakeB.requests).toHaveLength(3);
  });

  it('keeps requestTimeoutMs per client', async () => {
    const fakeA = createFakeFetch().route('GET', PATH, hangingReply());
    const fakeB = createFakeFetch().route('GET', PATH, hangingReply());
    const clientA = createTroubleshootingClient({ baseUrl: 'https://a.central.test', token: 'token-a', fetch: fakeA.fetch, maxRetries: 0, requestTimeoutMs: 1_000 });
    const clientB = createTroubleshootingClient({ baseUrl: 'https://b.central.test', token: 'token-b', fetch: fakeB.fetch, maxRetries: 0, requestTimeoutMs: 4_000 });
    const settledAt: Record<string, number> = {};

    const failureA = rejectionOf(clientA.getCableTestStatus(REF).finally(() => (settledAt.a = Date.now())));
    const failureB = rejectionOf(clientB.getCableTestStatus(REF).finally(() => (settledAt.b = Date.now())));
    const startedAt = Date.now();
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all([failureA, failureB]);

    expect(settledAt.a).toBe(startedAt + 1_000);
    expect(settledAt.b).toBe(startedAt + 4_000);
  });

  it('does not share a token function between clients', async () => {
    const fakeA = createFakeFetch().route('GET', PATH, statusReply('RUNNING'));
    const fakeB = createFakeFetch().route('GET', PATH, statusReply('RUNNING'));
    const tokenA = vi.fn(async () => 'token-a');
    const tokenB = vi.fn(async () => 'token-b');
    const clientA = createTroubleshootingClient({ baseUrl: 'https://central.test', token: tokenA, fetch: fakeA.fetch });
    const clientB = createTroubleshootingClient({ baseUrl: 'https://central.test', token: tokenB, fetch: fakeB.fetch });

    const states = Promise.all([clientA.getCableTestStatus(REF), clientA.getCableTestStatus(REF), clientB.getCableTestStatus(REF)]);
    await vi.advanceTimersByTimeAsync(0);
    await states;

    expect(tokenA).toHaveBeenCalledTimes(2);
    expect(tokenB).toHaveBeenCalledTimes(1);
    expect(fakeA.requests.map((request) => request.headers.authorization)).toEqual(['Bearer token-a', 'Bearer token-a']);
    expect(fakeB.requests.map((request) => request.headers.authorization)).toEqual(['Bearer token-b']);
  });
});

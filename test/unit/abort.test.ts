import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { type TroubleshootingClient, createTroubleshootingClient } from '../../src/index.js';
import {
  type FakeFetch,
  createFakeFetch,
  hangingReply,
  jsonReply,
  operationPath,
  rejectionOf,
  startPath,
  startedReply,
  statusReply,
} from '../helpers/fake-fetch.js';

const BASE_URL = 'https://central.test';
const SERIAL = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const TARGET = { serialNumber: SERIAL, ports: ['3', '6'] };
const REF = { serialNumber: SERIAL, taskId: TASK_ID };

function newClient(fake: FakeFetch) {
  return createTroubleshootingClient({ baseUrl: BASE_URL, token: 'test-token', fetch: fake.fetch });
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('abort', () => {
  const calls: [string, (client: TroubleshootingClient, signal: AbortSignal) => Promise<unknown>][] = [
    ['startCableTest', (client, signal) => client.startCableTest(TARGET, { signal })],
    ['getCableTestStatus', (client, signal) => client.getCableTestStatus(REF, { signal })],
    ['waitForCableTest', (client, signal) => client.waitForCableTest(REF, { signal })],
    ['runCableTest', (client, signal) => client.runCableTest(TARGET, { signal })],
  ];

  it.each(calls)('sends nothing from %s when already aborted', async (_method, call) => {
    const fake = createFakeFetch().route('POST', startPath(SERIAL), startedReply(SERIAL, TASK_ID));
    fake.route('GET', operationPath(SERIAL, TASK_ID), statusReply('COMPLETED'));
    const reason = new Error('cancelled by the test');

    const failure = rejectionOf(call(newClient(fake), AbortSignal.abort(reason)));
    await vi.advanceTimersByTimeAsync(60_000);

    expect(await failure).toBe(reason);
    expect(fake.requests).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the reason during a poll sleep', async () => {
    const fake = createFakeFetch().enqueue(startedReply(SERIAL, TASK_ID)).route('GET', operationPath(SERIAL, TASK_ID), statusReply('RUNNING'));
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');

    const failure = rejectionOf(newClient(fake).runCableTest(TARGET, { signal: controller.signal, pollIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(500);
    expect(fake.requests.map((request) => request.method)).toEqual(['POST', 'GET']);

    controller.abort(reason);
    expect(await failure).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.requests).toHaveLength(2);
  });

  it('rejects with the reason during a status request', async () => {
    const fake = createFakeFetch().route('GET', operationPath(SERIAL, TASK_ID), hangingReply());
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');

    const failure = rejectionOf(newClient(fake).waitForCableTest(REF, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.requests).toHaveLength(1);

    controller.abort(reason);
    expect(await failure).toBe(reason);
    // The per-request timeout timer is cleared too.
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects with the reason during the start request', async () => {
    const fake = createFakeFetch().route('POST', startPath(SERIAL), hangingReply());
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');

    const failure = rejectionOf(newClient(fake).runCableTest(TARGET, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);

    controller.abort(reason);
    expect(await failure).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.requests.map((request) => request.method)).toEqual(['POST']);
  });

  it('rejects with the reason during a retry delay', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route(
      'GET',
      operationPath(SERIAL, TASK_ID),
      jsonReply(503, { errorCode: 'HPE_GRAVITY_SERVICE_UNAVAILABLE', message: 'Try again later.' }),
    );
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');

    const failure = rejectionOf(newClient(fake).getCableTestStatus(REF, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(200);
    expect(fake.requests).toHaveLength(1);

    controller.abort(reason);
    expect(await failure).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects with the default AbortError reason', async () => {
    const fake = createFakeFetch().route('GET', operationPath(SERIAL, TASK_ID), hangingReply());
    const controller = new AbortController();

    const failure = rejectionOf(newClient(fake).getCableTestStatus(REF, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    const error = await failure;

    expect(error).toBe(controller.signal.reason);
    expect((error as DOMException).name).toBe('AbortError');
    expect(vi.getTimerCount()).toBe(0);
  });
});

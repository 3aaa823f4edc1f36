import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  CableTestFailedError,
  type CableTestProgress,
  NotFoundError,
  WaitTimeoutError,
  createTroubleshootingClient,
} from '../../src/index.js';
import {
  type FakeFetch,
  createFakeFetch,
  delayedReply,
  hangingReply,
  jsonReply,
  operationPath,
  rejectionOf,
  startedReply,
  statusReply,
} from '../helpers/fake-fetch.js';

const BASE_URL = 'https://central.test';
const SERIAL = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const REF = { serialNumber: SERIAL, taskId: TASK_ID };

const TASK_NOT_FOUND = jsonReply(404, {
  errorCode: 'HPE_GRAVITY_TASK_NOT_FOUND',
  message: `Async operation task not found: ${TASK_ID}`,
});

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

describe('polling', () => {
  it('grows the poll delay by 1.5 up to its cap', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(
      statusReply('RUNNING'),
      statusReply('RUNNING'),
      statusReply('RUNNING'),
      statusReply('RUNNING'),
      statusReply('RUNNING'),
      statusReply('COMPLETED', { progressPercent: 100 }),
    );

    const result = newClient(fake).waitForCableTest(REF, { pollIntervalMs: 1_000, maxPollIntervalMs: 3_000 });
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(result).resolves.toMatchObject({ status: 'COMPLETED', polls: 6 });
    // 1000 * 1.5^n: 1000, 1500, 2250, then the 3000 cap instead of 3375 and 5063.
    expect(fake.gaps()).toEqual([1_000, 1_500, 2_250, 3_000, 3_000]);
  });

  it('takes up to 20% off each poll delay at random', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const fake = createFakeFetch().enqueue(
      statusReply('RUNNING'),
      statusReply('RUNNING'),
      statusReply('RUNNING'),
      statusReply('RUNNING'),
      statusReply('RUNNING'),
      statusReply('COMPLETED'),
    );

    const result = newClient(fake).waitForCableTest(REF, { pollIntervalMs: 1_000, maxPollIntervalMs: 3_000 });
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(result).resolves.toMatchObject({ polls: 6 });
    // A random value of 0.5 takes 10% off: 0.9 * (1000, 1500, 2250, 3000, 3000).
    expect(fake.gaps()).toEqual([900, 1_350, 2_025, 2_700, 2_700]);
  });

  it('sends no poll before its delay has passed', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(statusReply('RUNNING'), statusReply('COMPLETED'));

    const result = newClient(fake).waitForCableTest(REF, { pollIntervalMs: 2_000 });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(fake.requests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1);
    expect(fake.requests).toHaveLength(2);
    await expect(result).resolves.toMatchObject({ polls: 2 });
  });

  it('resolves on COMPLETED with the poll count', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const output = {
      ports: ['3'],
      results: [{ interfaceName: '3', cablePairDiagnostics: [{ pairName: '1-2', status: 'Open', length: '0' }] }],
    };
    const fake = createFakeFetch().enqueue(
      statusReply('INITIATED', { progressPercent: 0 }),
      statusReply('RUNNING', { progressPercent: 50 }),
      statusReply('COMPLETED', { progressPercent: 100, endTime: '2025-05-21T04:49:40.514983412Z', output }),
    );

    const result = newClient(fake).waitForCableTest(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    const completed = await result;
    expect(completed.status).toBe('COMPLETED');
    expect(completed.polls).toBe(3);
    expect(completed.progressPercent).toBe(100);
    expect(completed.serialNumber).toBe(SERIAL);
    expect(completed.taskId).toBe(TASK_ID);
    expect(completed.endTime).toBe('2025-05-21T04:49:40.514983412Z');
    expect(completed.output).toEqual(output);
    expect(fake.requests).toHaveLength(3);
  });

  it('polls the operation path of the caller', async () => {
    const fake = createFakeFetch().enqueue(statusReply('COMPLETED'));

    const result = newClient(fake).waitForCableTest(REF);
    await vi.advanceTimersByTimeAsync(0);
    await result;

    expect(fake.requests[0]?.method).toBe('GET');
    expect(fake.requests[0]?.url).toBe(`${BASE_URL}${operationPath(SERIAL, TASK_ID)}`);
  });

  it('rejects FAILED with CableTestFailedError', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const failReason = 'Cable diagnostics are not supported on port 49 (SFP+ transceiver).';
    const fake = createFakeFetch().enqueue(
      statusReply('RUNNING', { progressPercent: 40 }),
      statusReply('FAILED', { progressPercent: 100, failReason, output: null }),
    );

    const failure = rejectionOf(newClient(fake).waitForCableTest(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(CableTestFailedError);
    const failed = error as CableTestFailedError;
    expect(failed.name).toBe('CableTestFailedError');
    expect(failed.failReason).toBe(failReason);
    expect(failed.body).toMatchObject({ status: 'FAILED', failReason, progressPercent: 100 });
    expect(failed.taskId).toBe(TASK_ID);
    expect(failed.serialNumber).toBe(SERIAL);
    expect(failed.lastStatus).toBe('FAILED');
    expect(failed.message).toContain(failReason);
    expect(fake.requests).toHaveLength(2);
  });

  it('rejects FAILED without a reason', async () => {
    const fake = createFakeFetch().enqueue(statusReply('FAILED', { failReason: null }));

    const failure = rejectionOf(newClient(fake).waitForCableTest(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.requests).toHaveLength(1);
    const error = await failure;

    expect(error).toBeInstanceOf(CableTestFailedError);
    expect((error as CableTestFailedError).failReason).toBeNull();
  });

  it('rejects with WaitTimeoutError at the deadline', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('GET', operationPath(SERIAL, TASK_ID), statusReply('RUNNING', { progressPercent: 40 }));
    const startedAt = Date.now();

    const failure = rejectionOf(newClient(fake).waitForCableTest(REF, { timeoutMs: 5_000, pollIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(WaitTimeoutError);
    const timeout = error as WaitTimeoutError;
    expect(timeout.name).toBe('WaitTimeoutError');
    expect(timeout.taskId).toBe(TASK_ID);
    expect(timeout.serialNumber).toBe(SERIAL);
    expect(timeout.lastStatus).toBe('RUNNING');
    expect(timeout.polls).toBe(5);
    expect(timeout.timeoutMs).toBe(5_000);
    expect(fake.requests).toHaveLength(5);
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.requests.at(-1)?.receivedAt).toBe(startedAt + 5_000);
  });

  it('shortens the last sleep to end on the deadline', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('GET', operationPath(SERIAL, TASK_ID), statusReply('RUNNING'));

    const failure = rejectionOf(newClient(fake).waitForCableTest(REF, { timeoutMs: 5_000, pollIntervalMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(60_000);
    await failure;

    // Polls go out at 0, 1000, 2500 and 4750 ms. The next delay (3375 ms) is cut to the 250 ms left.
    expect(fake.gaps()).toEqual([1_000, 1_500, 2_250, 250]);
  });

  // The final poll exists to see a test that completed during the last sleep, so the
  // deadline must leave its response time to arrive.
  it('lets the final poll at the deadline complete', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(
      delayedReply(50, statusReply('RUNNING')),
      delayedReply(50, statusReply('RUNNING')),
      delayedReply(50, statusReply('COMPLETED', { progressPercent: 100 })),
    );
    const startedAt = Date.now();

    const result = newClient(fake).waitForCableTest(REF, { timeoutMs: 2_000, pollIntervalMs: 1_000 });
    const outcome = result.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await vi.advanceTimersByTimeAsync(60_000);

    expect(fake.requests).toHaveLength(3);
    expect(fake.requests[2]?.receivedAt).toBeLessThanOrEqual(startedAt + 2_000);
    expect(await outcome).toMatchObject({ value: { status: 'COMPLETED', polls: 3 } });
  });

  it('does not resolve a test still RUNNING', async () => {
    const fake = createFakeFetch().route('GET', operationPath(SERIAL, TASK_ID), statusReply('RUNNING', { progressPercent: 99 }));
    let fulfilled = false;

    const result = newClient(fake).waitForCableTest(REF, { timeoutMs: 3_000 });
    const failure = rejectionOf(
      result.then((value) => {
        fulfilled = true;
        return value;
      }),
    );
    await vi.advanceTimersByTimeAsync(60_000);

    expect(await failure).toBeInstanceOf(WaitTimeoutError);
    expect(fulfilled).toBe(false);
  });

  it('keeps polling on an unknown status', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(
      statusReply('QUEUED', { progressPercent: 0 }),
      statusReply('QUEUED', { progressPercent: null }),
      statusReply('COMPLETED', { progressPercent: 100 }),
    );
    const reports: CableTestProgress[] = [];

    const result = newClient(fake).waitForCableTest(REF, { onProgress: (progress) => reports.push(progress) });
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(result).resolves.toMatchObject({ status: 'COMPLETED', polls: 3 });
    expect(reports.map((report) => report.status)).toEqual(['QUEUED', 'QUEUED', 'COMPLETED']);
  });

  it('reports progress after every poll', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(
      statusReply('INITIATED', { progressPercent: 0 }),
      statusReply('RUNNING', { progressPercent: 40 }),
      statusReply('RUNNING', { progressPercent: 80 }),
      statusReply('COMPLETED', { progressPercent: 100 }),
    );
    const reports: CableTestProgress[] = [];

    const result = newClient(fake).waitForCableTest(REF, { onProgress: (progress) => reports.push(progress) });
    await vi.advanceTimersByTimeAsync(60_000);
    await result;

    expect(reports).toEqual([
      { serialNumber: SERIAL, taskId: TASK_ID, status: 'INITIATED', progressPercent: 0, poll: 1, elapsedMs: 0 },
      { serialNumber: SERIAL, taskId: TASK_ID, status: 'RUNNING', progressPercent: 40, poll: 2, elapsedMs: 1_000 },
      { serialNumber: SERIAL, taskId: TASK_ID, status: 'RUNNING', progressPercent: 80, poll: 3, elapsedMs: 2_500 },
      { serialNumber: SERIAL, taskId: TASK_ID, status: 'COMPLETED', progressPercent: 100, poll: 4, elapsedMs: 4_750 },
    ]);
  });

  it('reports the start as poll 0 in runCableTest', async () => {
    const fake = createFakeFetch().enqueue(startedReply(SERIAL, TASK_ID), statusReply('COMPLETED', { progressPercent: 100 }));
    const reports: CableTestProgress[] = [];

    const result = newClient(fake).runCableTest(
      { serialNumber: SERIAL, ports: ['3', '6'] },
      { onProgress: (progress) => reports.push(progress) },
    );
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(result).resolves.toMatchObject({ taskId: TASK_ID, polls: 1 });
    expect(reports.map(({ poll, status, progressPercent }) => ({ poll, status, progressPercent }))).toEqual([
      { poll: 0, status: 'INITIATED', progressPercent: null },
      { poll: 1, status: 'COMPLETED', progressPercent: 100 },
    ]);
  });

  it('tolerates task-not-found during the grace period', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(
      TASK_NOT_FOUND,
      TASK_NOT_FOUND,
      statusReply('RUNNING'),
      statusReply('COMPLETED'),
    );
    const reports: CableTestProgress[] = [];

    const result = newClient(fake).waitForCableTest(REF, {
      notFoundGraceMs: 3_000,
      onProgress: (progress) => reports.push(progress),
    });
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(result).resolves.toMatchObject({ status: 'COMPLETED', polls: 4 });
    expect(fake.gaps()).toEqual([1_000, 1_500, 2_250]);
    // A poll that gets a 404 makes no progress report.
    expect(reports.map((report) => report.poll)).toEqual([3, 4]);
  });

  it('rejects task-not-found after the grace period', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().route('GET', operationPath(SERIAL, TASK_ID), TASK_NOT_FOUND);

    const failure = rejectionOf(newClient(fake).waitForCableTest(REF, { notFoundGraceMs: 3_000 }));
    await vi.advanceTimersByTimeAsync(60_000);

    // Polls at 0, 1000 and 2500 ms fall inside the grace period, but the one at 4750 ms does not.
    expect(fake.requests).toHaveLength(4);
    expect(fake.gaps()).toEqual([1_000, 1_500, 2_250]);
    const error = await failure;
    expect(error).toBeInstanceOf(NotFoundError);
    const notFound = error as NotFoundError;
    expect(notFound.errorCode).toBe('HPE_GRAVITY_TASK_NOT_FOUND');
    expect(notFound.taskId).toBe(TASK_ID);
    expect(notFound.serialNumber).toBe(SERIAL);
  });

  it('makes the first task-not-found final with zero grace', async () => {
    const fake = createFakeFetch().route('GET', operationPath(SERIAL, TASK_ID), TASK_NOT_FOUND);

    const failure = rejectionOf(newClient(fake).waitForCableTest(REF, { notFoundGraceMs: 0 }));
    await vi.advanceTimersByTimeAsync(60_000);

    expect(await failure).toBeInstanceOf(NotFoundError);
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects device-not-found at once', async () => {
    const fake = createFakeFetch().route(
      'GET',
      operationPath(SERIAL, TASK_ID),
      jsonReply(404, { errorCode: 'HPE_GRAVITY_DEVICE_NOT_FOUND', message: `Device not found: ${SERIAL}` }),
    );

    const failure = rejectionOf(newClient(fake).waitForCableTest(REF, { notFoundGraceMs: 10_000 }));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorCode).toBe('HPE_GRAVITY_DEVICE_NOT_FOUND');
    expect((error as NotFoundError).taskId).toBe(TASK_ID);
    expect(fake.requests).toHaveLength(1);
  });

  // The deadline covers the whole wait. A status request still in flight when it passes must
  // not hold the caller until the per-request timeout (30 s by default).
  it('ends a hanging poll at the deadline', async () => {
    const fake = createFakeFetch().route('GET', operationPath(SERIAL, TASK_ID), hangingReply());
    const startedAt = Date.now();
    let settledAt: number | undefined;

    const failure = rejectionOf(
      newClient(fake)
        .waitForCableTest(REF, { timeoutMs: 5_000 })
        .finally(() => {
          settledAt = Date.now();
        }),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(settledAt).toBeDefined();
    expect((settledAt ?? Infinity) - startedAt).toBeLessThanOrEqual(5_000);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });
});

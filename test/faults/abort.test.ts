import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, requestsOf, useFaultLab, waitUntil } from '../helpers/fault-lab.js';

const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 30 };
// Time after an abort in which no further request may reach the simulator.
const QUIET_AFTER_ABORT_MS = 300;

const lab = useFaultLab({
  durationMs: 60_000,
  scenarios: {
    'SLOW-START-AFTER': { faults: [{ kind: 'delay', requests: 'start', delayMs: 2_000, when: 'after' }] },
    'SLOW-STATUS-AFTER': { faults: [{ kind: 'delay', requests: 'status', delayMs: 2_000, when: 'after' }] },
    'STATUS-500-ALWAYS': { faults: [{ kind: 'json-error', requests: 'status', status: 500 }] },
  },
});

/** Resolves with the recorded request counts once no new request arrived for `QUIET_AFTER_ABORT_MS`. */
async function countsAfterQuiet(): Promise<Record<string, number>> {
  const before = lab.sim.requests.length;
  await delay(QUIET_AFTER_ABORT_MS);
  expect(lab.sim.requests.length, 'requests after the abort').toBe(before);
  return countRequests(lab.sim);
}

describe('fault: abort', () => {
  it('sends nothing when aborted before the start', async () => {
    const controller = new AbortController();
    const reason = new Error('operator cancelled');
    controller.abort(reason);

    const error = await rejectionOf(
      lab.client().runCableTest({ serialNumber: 'SIM-HEALTHY-01', ports: ['1'] }, { ...FAST_POLLING, signal: controller.signal }),
    );

    expect(error).toBe(reason);
    expect(await countsAfterQuiet()).toEqual({});
    expect(lab.sim.tasks).toHaveLength(0);
  });

  it('rejects at once during the start', async () => {
    const controller = new AbortController();
    const reason = new Error('operator cancelled');
    const running = rejectionOf(
      lab.client().runCableTest({ serialNumber: 'SLOW-START-AFTER', ports: ['1'] }, { ...FAST_POLLING, signal: controller.signal }),
    );
    // The simulator has started the test and holds back the 202 for 2 s.
    await waitUntil(() => lab.sim.tasks.length === 1, 'the start request reached the simulator');
    const abortedAt = Date.now();

    controller.abort(reason);
    const error = await running;

    expect(error).toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(500);
    // NOTE: the abort reason carries no mayHaveStarted flag, although the test did start here.
    expect(await countsAfterQuiet()).toEqual({ 'start no response': 1 });
    expect(lab.sim.tasks).toHaveLength(1);
  });

  it('rejects at once during a poll sleep', async () => {
    const controller = new AbortController();
    const reason = new Error('operator cancelled');
    let abortedAt = 0;
    // The first poll is followed by a 10 s sleep, and the abort comes 50 ms into it.
    const onProgress = (progress: { poll: number }) => {
      if (progress.poll !== 1) return;
      setTimeout(() => {
        abortedAt = Date.now();
        controller.abort(reason);
      }, 50);
    };

    const error = await rejectionOf(
      lab
        .client()
        .runCableTest(
          { serialNumber: 'SIM-HEALTHY-01', ports: ['1'] },
          { pollIntervalMs: 10_000, maxPollIntervalMs: 10_000, signal: controller.signal, onProgress },
        ),
    );

    expect(error).toBe(reason);
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(500);
    expect(await countsAfterQuiet()).toEqual({ 'start 202': 1, 'status 200': 1 });
  });

  it('rejects at once during a poll request', async () => {
    const controller = new AbortController();
    const running = rejectionOf(
      lab.client().runCableTest({ serialNumber: 'SLOW-STATUS-AFTER', ports: ['1'] }, { ...FAST_POLLING, signal: controller.signal }),
    );
    await waitUntil(() => requestsOf(lab.sim, 'status').length === 1, 'the first status request reached the simulator');
    const abortedAt = Date.now();

    controller.abort();
    const error = await running;

    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(Date.now() - abortedAt).toBeLessThan(500);
    expect(await countsAfterQuiet()).toEqual({ 'start 202': 1, 'status no response': 1 });
  });

  it('rejects at once during a retry backoff', async () => {
    const controller = new AbortController();
    const reason = new Error('operator cancelled');
    const running = rejectionOf(
      lab.client().runCableTest({ serialNumber: 'STATUS-500-ALWAYS', ports: ['1'] }, { ...FAST_POLLING, signal: controller.signal }),
    );
    await waitUntil(() => requestsOf(lab.sim, 'status')[0]?.status === 500, 'the first status request got its 500');
    const abortedAt = Date.now();

    controller.abort(reason);
    const error = await running;

    expect(error).toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(200);
    expect(await countsAfterQuiet()).toEqual({ 'start 202': 1, 'status 500': 1 });
  });
});

import { describe, expect, it } from 'vitest';

import { WaitTimeoutError } from '../../src/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, requestsOf, useFaultLab } from '../helpers/fault-lab.js';

const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 30 };
// Minimum time a status request in flight at the deadline gets (MIN_ATTEMPT_MS in src/transport.ts).
const MIN_ATTEMPT_MS = 2_000;
// Time a request takes on 127.0.0.1, with margin for a loaded machine.
const LOCAL_REQUEST_MS = 150;

const lab = useFaultLab({
  durationMs: 60_000,
  scenarios: {
    'QUICK-600': { durationMs: 600 },
    'SLOW-STATUS-3S': { faults: [{ kind: 'delay', requests: 'status', delayMs: 3_000, when: 'after' }] },
    'SLOW-START-400': { faults: [{ kind: 'delay', requests: 'start', delayMs: 400, when: 'after' }] },
  },
});

describe('fault: deadline passed', () => {
  it('rejects with WaitTimeoutError', async () => {
    const startedAt = Date.now();

    const error = await rejectionOf(
      lab.client().runCableTest({ serialNumber: 'SIM-HEALTHY-01', ports: ['1'] }, { ...FAST_POLLING, timeoutMs: 300 }),
    );

    expect(error).toBeInstanceOf(WaitTimeoutError);
    const timeout = error as WaitTimeoutError;
    expect(timeout.timeoutMs).toBe(300);
    expect(timeout.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(timeout.serialNumber).toBe('SIM-HEALTHY-01');
    // A 60 s test reports INITIATED for its first 6 s.
    expect(timeout.lastStatus).toBe('INITIATED');
    expect(timeout.message).toContain('resume with waitForCableTest');
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': timeout.polls });
    // The last poll is made at the deadline, not after it.
    const lastPoll = requestsOf(lab.sim, 'status').at(-1)!;
    expect(lastPoll.time - startedAt).toBeGreaterThanOrEqual(300 - 5);
    expect(lastPoll.time - startedAt).toBeLessThan(300 + LOCAL_REQUEST_MS);
  });

  it('resumes after WaitTimeoutError', async () => {
    const central = lab.client();
    const error = await rejectionOf(
      central.runCableTest({ serialNumber: 'QUICK-600', ports: ['1'] }, { ...FAST_POLLING, timeoutMs: 150 }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const taskId = (error as WaitTimeoutError).taskId!;

    const result = await central.waitForCableTest({ serialNumber: 'QUICK-600', taskId }, { ...FAST_POLLING, timeoutMs: 5_000 });

    expect(result.status).toBe('COMPLETED');
    expect(result.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(countRequests(lab.sim)['start 202']).toBe(1);
  });

  it('cuts a slow poll after MIN_ATTEMPT_MS', async () => {
    const startedAt = Date.now();

    const error = await rejectionOf(
      lab.client().runCableTest({ serialNumber: 'SLOW-STATUS-3S', ports: ['1'] }, { ...FAST_POLLING, timeoutMs: 300 }),
    );

    // The poll in flight at the deadline gets 2 s, then the wait ends as a timeout.
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).polls).toBe(1);
    expect((error as WaitTimeoutError).taskId).toBe(lab.sim.tasks[0]?.taskId);
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(MIN_ATTEMPT_MS);
    expect(elapsed).toBeLessThan(MIN_ATTEMPT_MS + 500);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status no response': 1 });
  });

  it('polls once after a start past the deadline', async () => {
    const error = await rejectionOf(
      lab.client().runCableTest({ serialNumber: 'SLOW-START-400', ports: ['1'] }, { ...FAST_POLLING, timeoutMs: 300 }),
    );

    // The deadline does not cut the start, and the wait then makes one final poll.
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).polls).toBe(1);
    expect((error as WaitTimeoutError).taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': 1 });
  });
});

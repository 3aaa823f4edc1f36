import { describe, expect, it } from 'vitest';

import { RateLimitError } from '../../src/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, requestsOf, useFaultLab } from '../helpers/fault-lab.js';

// Date.now() and the timer clock can differ by about a millisecond, so measured gaps get a small tolerance.
const CLOCK_TOLERANCE_MS = 5;
const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 30 };

const lab = useFaultLab({
  durationMs: 150,
  scenarios: {
    'RL-STATUS-ALWAYS': { faults: [{ kind: 'rate-limited', requests: 'status', retryAfterSeconds: 0 }] },
    'RL-START-ALWAYS': { faults: [{ kind: 'rate-limited', requests: 'start', retryAfterSeconds: 0 }] },
    'RL-STATUS-30S': { faults: [{ kind: 'rate-limited', requests: 'status', count: 1, retryAfterSeconds: 30 }] },
  },
});

describe('fault: 429 rate limits', () => {
  it('retries a start after Retry-After seconds', async () => {
    const result = await lab.client().runCableTest({ serialNumber: 'SIM-429-SECONDS-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(result.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(lab.sim.tasks).toHaveLength(1);
    const counts = countRequests(lab.sim);
    expect(counts['start 429']).toBe(1);
    expect(counts['start 202']).toBe(1);
    expect(counts['status 200']).toBe(result.polls);
    const [limited, accepted] = requestsOf(lab.sim, 'start');
    expect(accepted!.time - limited!.time).toBeGreaterThanOrEqual(1_000 - CLOCK_TOLERANCE_MS);
  });

  it('retries a start after a Retry-After date', async () => {
    const result = await lab.client().runCableTest({ serialNumber: 'SIM-429-DATE-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(lab.sim.tasks).toHaveLength(1);
    const counts = countRequests(lab.sim);
    expect(counts['start 429']).toBe(1);
    expect(counts['start 202']).toBe(1);
    // The simulator dates Retry-After at least 1 s ahead, rounded up to a whole second.
    const [limited, accepted] = requestsOf(lab.sim, 'start');
    const earliestRetry = Math.ceil((limited!.time + 1_000) / 1_000) * 1_000;
    expect(accepted!.time).toBeGreaterThanOrEqual(earliestRetry - CLOCK_TOLERANCE_MS);
  });

  it('keeps to a per-second limit', async () => {
    const result = await lab.client().runCableTest({ serialNumber: 'SIM-RATE-LIMIT-01', ports: ['1', '2'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(lab.sim.tasks).toHaveLength(1);
    const counts = countRequests(lab.sim);
    expect(counts['start 202']).toBe(1);
    expect(counts['status 429']).toBeGreaterThanOrEqual(1);

    // After each 429 (Retry-After: 1), the next request waits for the next clock second.
    const requests = lab.sim.requests;
    requests.forEach((request, index) => {
      const next = requests[index + 1];
      if (request.status !== 429 || next === undefined) return;
      expect(next.time - request.time).toBeGreaterThanOrEqual(1_000 - CLOCK_TOLERANCE_MS);
    });
  });

  it('gives up on status after maxRetries', async () => {
    const central = lab.client({ maxRetries: 2 });
    const started = await central.startCableTest({ serialNumber: 'RL-STATUS-ALWAYS', ports: ['1'] });

    const error = await rejectionOf(central.getCableTestStatus(started));

    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.attempts).toBe(3);
    expect(rateLimit.retryAfterMs).toBe(0);
    expect(rateLimit.errorCode).toBe('HPE_GRAVITY_TOO_MANY_REQUESTS');
    expect(rateLimit.taskId).toBe(started.taskId);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 429': 3 });
  });

  it('gives up on a start after maxRetries', async () => {
    const error = await rejectionOf(lab.client({ maxRetries: 2 }).startCableTest({ serialNumber: 'RL-START-ALWAYS', ports: ['1'] }));

    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.attempts).toBe(3);
    expect(rateLimit.mayHaveStarted).toBe(false);
    expect(rateLimit.serialNumber).toBe('RL-START-ALWAYS');
    expect(rateLimit.taskId).toBeUndefined();
    // A 429 means the start was not processed, so repeating it started no test.
    expect(lab.sim.tasks).toHaveLength(0);
    expect(countRequests(lab.sim)).toEqual({ 'start 429': 3 });
  });

  it('caps Retry-After at maxRetryAfterMs', async () => {
    const central = lab.client({ maxRetryAfterMs: 200 });
    const started = await central.startCableTest({ serialNumber: 'RL-STATUS-30S', ports: ['1'] });

    const state = await central.getCableTestStatus(started);

    expect(state.taskId).toBe(started.taskId);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 429': 1, 'status 200': 1 });
    const [limited, retried] = requestsOf(lab.sim, 'status');
    const gap = retried!.time - limited!.time;
    expect(gap).toBeGreaterThanOrEqual(200 - CLOCK_TOLERANCE_MS);
    expect(gap).toBeLessThan(2_000);
  });

  it('stops when Retry-After passes the deadline', async () => {
    const startedAt = Date.now();

    const error = await rejectionOf(
      lab.client().runCableTest({ serialNumber: 'RL-STATUS-30S', ports: ['1'] }, { ...FAST_POLLING, timeoutMs: 500 }),
    );

    // Waiting 30 s would overrun the 500 ms deadline, so the 429 is final at once.
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.retryAfterMs).toBe(30_000);
    expect(rateLimit.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 429': 1 });
  });
});

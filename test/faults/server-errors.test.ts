import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ServerError } from '../../src/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, requestsOf, useFaultLab } from '../helpers/fault-lab.js';

// The retry backoff draws each delay from [base / 2, base], with base 500 ms, 1 s, 2 s, …
// Math.random is pinned to 1 below, so every delay is base / 2 and the file runs faster.
const MIN_BACKOFF_MS = [250, 500, 1_000];
const CLOCK_TOLERANCE_MS = 5;
// Upper slack of a measured gap: the timer, the request and the simulator's handling.
const GAP_SLACK_MS = 150;
const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 30 };

const lab = useFaultLab({
  durationMs: 100,
  scenarios: {
    'STATUS-502-ALWAYS': { faults: [{ kind: 'html-error', requests: 'status', status: 502 }] },
    'STATUS-503-RETRY-1S': { faults: [{ kind: 'empty-error', requests: 'status', count: 1, retryAfterSeconds: 1 }] },
    'START-502-HTML': { faults: [{ kind: 'html-error', requests: 'start', count: 1, status: 502 }] },
    'START-503-RETRY-0': { faults: [{ kind: 'empty-error', requests: 'start', count: 1, retryAfterSeconds: 0 }] },
  },
});

beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(1);
});

afterEach(() => {
  vi.mocked(Math.random).mockRestore();
});

/** Milliseconds between consecutive status requests. */
function statusGaps(): number[] {
  const polls = requestsOf(lab.sim, 'status');
  return polls.slice(1).map((request, index) => request.time - polls[index]!.time);
}

describe('fault: server errors on status requests', () => {
  it.each([
    ['SIM-500-01', 500, 'proxied'],
    // Direct: the spec declares no 502 (and no HTML body), so Prism would report a violation.
    ['SIM-502-HTML-01', 502, 'direct'],
    // Direct: the spec declares no 503 (and no empty body), so Prism would report a violation.
    ['SIM-503-EMPTY-01', 503, 'direct'],
  ] as const)('retries two %s responses', async (serialNumber, status, route) => {
    const central = route === 'direct' ? lab.directClient() : lab.client();

    const result = await central.runCableTest({ serialNumber, ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(lab.sim.tasks).toHaveLength(1);
    const counts = countRequests(lab.sim);
    expect(counts['start 202']).toBe(1);
    expect(counts[`status ${status}`]).toBe(2);
    expect(counts['status 200']).toBe(result.polls);
    const [firstGap, secondGap] = statusGaps();
    expect(firstGap).toBeGreaterThanOrEqual(MIN_BACKOFF_MS[0]! - CLOCK_TOLERANCE_MS);
    expect(firstGap).toBeLessThan(MIN_BACKOFF_MS[0]! + GAP_SLACK_MS);
    expect(secondGap).toBeGreaterThanOrEqual(MIN_BACKOFF_MS[1]! - CLOCK_TOLERANCE_MS);
    expect(secondGap).toBeLessThan(MIN_BACKOFF_MS[1]! + GAP_SLACK_MS);
  });

  it('retries a 500, 502, 503 burst', async () => {
    // Direct: the spec declares neither the 502 page nor the empty 503, so Prism would report violations.
    const result = await lab.directClient().runCableTest({ serialNumber: 'SIM-5XX-BURST-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    const statuses = requestsOf(lab.sim, 'status').map((request) => request.status);
    expect(statuses.slice(0, 3)).toEqual([500, 502, 503]);
    expect(statuses.slice(3).every((status) => status === 200)).toBe(true);
    expect(countRequests(lab.sim)['start 202']).toBe(1);
    const gaps = statusGaps();
    MIN_BACKOFF_MS.forEach((minimum, index) => {
      expect(gaps[index]).toBeGreaterThanOrEqual(minimum - CLOCK_TOLERANCE_MS);
      expect(gaps[index]).toBeLessThan(minimum + GAP_SLACK_MS);
    });
  });

  it('waits Retry-After on a 503', async () => {
    // Direct: the spec declares no 503 (and no empty body), so Prism would report a violation.
    const result = await lab.directClient().runCableTest({ serialNumber: 'STATUS-503-RETRY-1S', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(lab.sim)['status 503']).toBe(1);
    expect(statusGaps()[0]).toBeGreaterThanOrEqual(1_000 - CLOCK_TOLERANCE_MS);
  });

  it('reports a 502 page after maxRetries', async () => {
    // Direct: the spec declares no 502 (and no HTML body), so Prism would report a violation.
    const central = lab.directClient({ maxRetries: 1 });
    const started = await central.startCableTest({ serialNumber: 'STATUS-502-ALWAYS', ports: ['1'] });

    const error = await rejectionOf(central.getCableTestStatus(started));

    expect(error).toBeInstanceOf(ServerError);
    const serverError = error as ServerError;
    expect(serverError.status).toBe(502);
    expect(serverError.attempts).toBe(2);
    expect(serverError.taskId).toBe(started.taskId);
    expect(serverError.errorCode).toBeUndefined();
    expect(serverError.message).toContain('non-JSON body');
    expect(String(serverError.body)).toContain('<h1>502 Error</h1>');
    expect(serverError.mayHaveStarted).toBe(false);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 502': 2 });
  });
});

describe('fault: server errors on the start', () => {
  it('sends a start that got 500 once', async () => {
    const error = await rejectionOf(lab.client().runCableTest({ serialNumber: 'SIM-START-500-01', ports: ['1'] }, FAST_POLLING));

    expect(error).toBeInstanceOf(ServerError);
    const serverError = error as ServerError;
    expect(serverError.status).toBe(500);
    expect(serverError.errorCode).toBe('HPE_GRAVITY_INTERNAL_SERVER_ERROR');
    expect(serverError.mayHaveStarted).toBe(true);
    expect(serverError.message).toContain('may have started');
    expect(serverError.taskId).toBeUndefined();
    expect(countRequests(lab.sim)).toEqual({ 'start 500': 1 });
  });

  it('sends a start that got a 502 page once', async () => {
    // Direct: the spec declares no 502 (and no HTML body), so Prism would report a violation.
    const error = await rejectionOf(lab.directClient().startCableTest({ serialNumber: 'START-502-HTML', ports: ['1'] }));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(502);
    expect((error as ServerError).mayHaveStarted).toBe(true);
    expect(countRequests(lab.sim)).toEqual({ 'start 502': 1 });
  });

  it('ignores Retry-After of a start 503', async () => {
    // Direct: the spec declares no 503 (and no empty body), so Prism would report a violation.
    const error = await rejectionOf(lab.directClient().startCableTest({ serialNumber: 'START-503-RETRY-0', ports: ['1'] }));

    // A 503 may come from a gateway after the switch got the request, so the start is not repeated.
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(503);
    expect((error as ServerError).mayHaveStarted).toBe(true);
    expect((error as ServerError).message).toContain('empty body');
    expect(countRequests(lab.sim)).toEqual({ 'start 503': 1 });
  });
});

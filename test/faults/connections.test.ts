import { describe, expect, it } from 'vitest';

import { ConnectionError, RequestTimeoutError, createTroubleshootingClient } from '../../src/index.js';
import { start } from '../../src/simulator/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, requestsOf, useFaultLab } from '../helpers/fault-lab.js';

const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 30 };

const lab = useFaultLab({
  durationMs: 100,
  scenarios: {
    'SLOW-300': { faults: [{ kind: 'delay', delayMs: 300, when: 'after' }] },
    'SLOW-STATUS-ONCE': { faults: [{ kind: 'delay', requests: 'status', count: 1, delayMs: 1_000, when: 'after' }] },
    'RESET-STATUS-ALWAYS': { faults: [{ kind: 'connection-reset', requests: 'status' }] },
    'RESET-START-BEFORE': { faults: [{ kind: 'connection-reset', requests: 'start', count: 1 }] },
  },
});

describe('fault: slow answers', () => {
  it('waits for answers within requestTimeoutMs', async () => {
    const startedAt = Date.now();

    const result = await lab.client({ requestTimeoutMs: 2_000 }).runCableTest({ serialNumber: 'SLOW-300', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': result.polls });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(600);
  });

  it('times out a slow start once', async () => {
    const timersBefore = lab.sim.openHandles.timers;

    const error = await rejectionOf(lab.client({ requestTimeoutMs: 300 }).startCableTest({ serialNumber: 'SIM-SLOW-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(RequestTimeoutError);
    const timeout = error as RequestTimeoutError;
    expect(timeout.timeoutMs).toBe(300);
    expect(timeout.mayHaveStarted).toBe(true);
    expect(timeout.message).toContain('may have started');
    expect(timeout.serialNumber).toBe('SIM-SLOW-01');
    // The simulator started the test and has not sent the delayed response yet.
    expect(lab.sim.tasks).toHaveLength(1);
    expect(lab.sim.openHandles.timers).toBe(timersBefore + 1);
    expect(countRequests(lab.sim)).toEqual({ 'start no response': 1 });
  });

  it('retries a status request that timed out', async () => {
    const result = await lab
      .client({ requestTimeoutMs: 250 })
      .runCableTest({ serialNumber: 'SLOW-STATUS-ONCE', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(result.taskId).toBe(lab.sim.tasks[0]?.taskId);
    const counts = countRequests(lab.sim);
    expect(counts['start 202']).toBe(1);
    expect(counts['status no response']).toBe(1);
    expect(counts['status 200']).toBe(result.polls);
  });
});

describe('fault: dropped connections', () => {
  it('retries two reset status requests', async () => {
    // Direct: Prism would return its own 500 responses in place of the resets.
    const result = await lab.directClient().runCableTest({ serialNumber: 'SIM-RESET-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    const counts = countRequests(lab.sim);
    expect(counts['start 202']).toBe(1);
    expect(counts['status no response']).toBe(2);
    expect(counts['status 200']).toBe(result.polls);
    const faults = requestsOf(lab.sim, 'status').map((request) => request.fault);
    expect(faults.slice(0, 2)).toEqual(['connection-reset', 'connection-reset']);
  });

  it('reports resets after maxRetries', async () => {
    // Direct: Prism would return its own 500 responses in place of the resets.
    const central = lab.directClient({ maxRetries: 1 });
    const started = await central.startCableTest({ serialNumber: 'RESET-STATUS-ALWAYS', ports: ['1'] });

    const error = await rejectionOf(central.getCableTestStatus(started));

    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).taskId).toBe(started.taskId);
    expect((error as ConnectionError).mayHaveStarted).toBe(false);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status no response': 2 });
  });

  it('sends a lost start exactly once', async () => {
    // Direct: Prism would return its own 500 response in place of the reset.
    const error = await rejectionOf(lab.directClient().runCableTest({ serialNumber: 'SIM-START-LOST-01', ports: ['1'] }, FAST_POLLING));

    expect(error).toBeInstanceOf(ConnectionError);
    const connection = error as ConnectionError;
    expect(connection.mayHaveStarted).toBe(true);
    expect(connection.message).toContain('may have started');
    expect(connection.serialNumber).toBe('SIM-START-LOST-01');
    expect(connection.taskId).toBeUndefined();
    // The test did start, but the client never learned its id, so it polls nothing.
    expect(lab.sim.tasks).toHaveLength(1);
    expect(countRequests(lab.sim)).toEqual({ 'start no response': 1 });
  });

  it('sends a start reset on arrival once', async () => {
    // Direct: Prism would return its own 500 response in place of the reset.
    const error = await rejectionOf(lab.directClient().startCableTest({ serialNumber: 'RESET-START-BEFORE', ports: ['1'] }));

    // The client cannot tell a reset before handling from one after it, so it assumes the worst.
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).mayHaveStarted).toBe(true);
    expect(lab.sim.tasks).toHaveLength(0);
    expect(countRequests(lab.sim)).toEqual({ 'start no response': 1 });
  });

  it('retries a start on a refused connection', async () => {
    // Direct: Prism would return its own 500 response in place of the refused connection.
    // A simulator that is closed again at once leaves a port on which connections are refused.
    const closed = await start();
    await closed.close();
    const central = createTroubleshootingClient({ baseUrl: closed.url, token: 'refused-token', maxRetries: 1 });

    const error = await rejectionOf(central.startCableTest({ serialNumber: 'SIM-HEALTHY-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(ConnectionError);
    const connection = error as ConnectionError;
    expect(connection.message).toContain('could not connect');
    expect(connection.message).toContain('ECONNREFUSED');
    expect(connection.mayHaveStarted).toBe(false);
    // The connection was refused, so nothing reached a server and a second attempt was safe.
    expect(lab.fetchedUrls().filter((url) => url.startsWith(closed.url))).toHaveLength(2);
  });
});

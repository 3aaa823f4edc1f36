import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  type CableTestProgress,
  CableTestFailedError,
  ConnectionError,
  DeviceOfflineError,
  ServerError,
  UnexpectedResponseError,
  createTroubleshootingClient,
  summarizeCableTest,
} from '../../src/index.js';
import { type Simulator, type SimulatorOptions, start } from '../../src/simulator/index.js';

const T0 = Date.parse('2025-05-21T06:00:00.000Z');
const DURATION_MS = 3_000;
// Real delays between polls stay short; the simulated time moves only when a test sets it.
const FAST_POLLING = { pollIntervalMs: 5, maxPollIntervalMs: 5 };

let sim: Simulator;

beforeAll(async () => {
  sim = await start({
    durationMs: DURATION_MS,
    scenarios: {
      'SG-QUICK-503': {
        durationMs: 0,
        faults: [{ kind: 'empty-error', requests: 'status', count: 2, status: 503, retryAfterSeconds: 0 }],
      },
    },
  });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  sim.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

function newClient(options: { maxRetries?: number; maxRetryAfterMs?: number } = {}) {
  return createTroubleshootingClient({ baseUrl: sim.url, token: 'client-test-token', ...options });
}

/** Moves the simulated clock past the end of every test, so the next poll completes it. */
const finishOnFirstPoll = (progress: CableTestProgress) => {
  if (progress.poll === 0) vi.setSystemTime(T0 + DURATION_MS);
};

function countRequests(target: Simulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of target.requests) {
    const key = `${request.kind} ${request.status ?? 'reset'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to reject, but it resolved.');
}

describe('simulator: with the client', () => {
  it('progresses to COMPLETED', async () => {
    const seen: string[] = [];
    // Every status request after the first moves the simulated clock by a third of the test.
    const onProgress = (progress: CableTestProgress) => {
      seen.push(`${progress.poll} ${progress.status} ${progress.progressPercent ?? '-'}`);
      if (progress.poll >= 1) vi.setSystemTime(T0 + progress.poll * 1_000);
    };

    const result = await newClient().runCableTest({ serialNumber: 'SIM-CUT-01', ports: ['1', '2'] }, { ...FAST_POLLING, onProgress });

    expect(seen).toEqual(['0 INITIATED -', '1 INITIATED 0', '2 RUNNING 33', '3 RUNNING 66', '4 COMPLETED 100']);
    expect(result.status).toBe('COMPLETED');
    expect(result.polls).toBe(4);
    expect(result.taskId).toBe(sim.tasks[0]?.taskId);
    const summary = summarizeCableTest(result);
    expect(summary.ports.map((port) => [port.port, port.verdict])).toEqual([
      ['1', 'open'],
      ['2', 'open'],
    ]);
    expect(countRequests(sim)).toEqual({ 'start 202': 1, 'status 200': 4 });
  });

  it('reports faults and a missing port', async () => {
    const result = await newClient().runCableTest(
      { serialNumber: 'SIM-MISSING-PORT-01', ports: ['A1', 'A2'] },
      { ...FAST_POLLING, onProgress: finishOnFirstPoll },
    );

    const summary = summarizeCableTest(result);
    expect(summary.ports.map((port) => [port.port, port.verdict, port.missing])).toEqual([
      ['A1', 'good', false],
      ['A2', 'unknown', true],
    ]);
  });

  it('waits for an unregistered task', async () => {
    const result = await newClient().runCableTest(
      { serialNumber: 'SIM-UNREGISTERED-01', ports: ['1'] },
      { ...FAST_POLLING, onProgress: finishOnFirstPoll },
    );

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(sim)).toEqual({ 'start 202': 1, 'status 404': 2, 'status 200': 1 });
  });

  it('retries 503 with Retry-After 0', async () => {
    const result = await newClient({ maxRetries: 2 }).runCableTest({ serialNumber: 'SG-QUICK-503', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(sim)).toEqual({ 'start 202': 1, 'status 503': 2, 'status 200': 1 });
  });

  it('retries a start after 429', async () => {
    const started = await newClient({ maxRetryAfterMs: 10 }).startCableTest({ serialNumber: 'SIM-429-SECONDS-01', ports: ['1'] });

    expect(started.taskId).toBe(sim.tasks[0]?.taskId);
    expect(sim.tasks).toHaveLength(1);
    expect(countRequests(sim)).toEqual({ 'start 429': 1, 'start 202': 1 });
  });

  it('ignores the host of location', async () => {
    const result = await newClient().runCableTest(
      { serialNumber: 'SIM-OTHER-HOST-01', ports: ['1'] },
      { ...FAST_POLLING, onProgress: finishOnFirstPoll },
    );

    expect(result.taskId).toBe(sim.tasks[0]?.taskId);
    expect(sim.requests.every((request) => request.path.startsWith('/network-troubleshooting/'))).toBe(true);
  });

  it('sends a failed start once', async () => {
    const error = await rejectionOf(newClient().startCableTest({ serialNumber: 'SIM-START-500-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).mayHaveStarted).toBe(true);
    expect(countRequests(sim)).toEqual({ 'start 500': 1 });
  });

  it('does not repeat a lost start', async () => {
    const error = await rejectionOf(newClient().startCableTest({ serialNumber: 'SIM-START-LOST-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).mayHaveStarted).toBe(true);
    expect(sim.tasks).toHaveLength(1);
    expect(countRequests(sim)).toEqual({ 'start reset': 1 });
  });

  it('rejects an empty start response', async () => {
    const error = await rejectionOf(newClient().startCableTest({ serialNumber: 'SIM-EMPTY-202-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).mayHaveStarted).toBe(true);
  });

  it('rejects an offline device', async () => {
    const error = await rejectionOf(newClient().startCableTest({ serialNumber: 'SIM-OFFLINE-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(DeviceOfflineError);
  });

  it('rejects a failed test', async () => {
    const error = await rejectionOf(
      newClient().runCableTest({ serialNumber: 'SIM-FAILED-01', ports: ['49'] }, { ...FAST_POLLING, onProgress: finishOnFirstPoll }),
    );

    expect(error).toBeInstanceOf(CableTestFailedError);
    expect((error as CableTestFailedError).failReason).toBe('Cable diagnostics are not supported on port 49 (SFP+ transceiver).');
  });
});

describe('simulator: with client credentials', () => {
  let secured: Simulator;
  const client = { clientId: 'lab-client', clientSecret: 'lab-secret' };
  const options: SimulatorOptions = { durationMs: 0, clients: [client], scenarios: { 'SG-SHORT-TOKEN': { tokenLifetimeMs: 1_000 } } };

  beforeAll(async () => {
    secured = await start(options);
  });

  afterAll(async () => {
    await secured.close();
  });

  beforeEach(() => {
    secured.reset();
  });

  function credentialsClient() {
    return createTroubleshootingClient({ baseUrl: secured.url, credentials: { ...client, tokenUrl: secured.tokenUrl } });
  }

  it('fetches a token and runs a test', async () => {
    const result = await credentialsClient().runCableTest({ serialNumber: 'SIM-HEALTHY-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(secured)).toEqual({ 'token 200': 1, 'start 202': 1, 'status 200': 1 });
  });

  it('renews a token after 401', async () => {
    const central = credentialsClient();
    const started = await central.startCableTest({ serialNumber: 'SG-SHORT-TOKEN', ports: ['1'] });

    vi.setSystemTime(T0 + 1_001);
    const state = await central.getCableTestStatus(started);

    expect(state.status).toBe('COMPLETED');
    expect(countRequests(secured)).toEqual({ 'token 200': 2, 'start 202': 1, 'status 401': 1, 'status 200': 1 });
  });
});

/**
 * Runs the documented error responses of the simulator through `prism proxy --errors`, so
 * each one is checked against spec/openapi.yaml on its way to the client.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  AuthenticationError,
  ConflictError,
  DeviceOfflineError,
  NotFoundError,
  RateLimitError,
  ServerError,
  type TroubleshootingClientOptions,
  createTroubleshootingClient,
} from '../../src/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, requestsOf } from '../helpers/fault-lab.js';
import { type ContractLab, startContractLab } from '../helpers/prism-guard.js';

const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 40 };
const CLOCK_TOLERANCE_MS = 5;

let lab: ContractLab;

beforeAll(async () => {
  lab = await startContractLab({
    durationMs: 100,
    scenarios: {
      'RL-STATUS-ALWAYS': { faults: [{ kind: 'rate-limited', requests: 'status', retryAfterSeconds: 0 }] },
      'STATUS-500-ALWAYS': { faults: [{ kind: 'json-error', requests: 'status', status: 500 }] },
      'STATUS-401-ALWAYS': { faults: [{ kind: 'json-error', requests: 'status', status: 401 }] },
    },
  });
});

afterAll(async () => {
  await lab?.close();
  expect(lab?.sim.openHandles).toEqual({ listening: false, sockets: 0, timers: 0 });
});

beforeEach(() => {
  lab.sim.reset();
});

afterEach(() => {
  lab.guard.assertNoViolations();
});

function proxiedClient(options: Omit<TroubleshootingClientOptions, 'baseUrl' | 'fetch' | 'token'> = {}) {
  return createTroubleshootingClient({ baseUrl: lab.proxy.url, fetch: lab.guard.fetch, token: 'contract-token', ...options });
}

describe('contract: 404 and 409 through Prism', () => {
  it('rejects a start on an unknown device', async () => {
    const error = await rejectionOf(proxiedClient().startCableTest({ serialNumber: 'SIM-NOT-FOUND-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorCode).toBe('HPE_GRAVITY_DEVICE_NOT_FOUND');
    expect((error as NotFoundError).mayHaveStarted).toBe(false);
    expect(countRequests(lab.sim)).toEqual({ 'start 404': 1 });
  });

  it('rejects a status of an unknown device', async () => {
    const error = await rejectionOf(
      proxiedClient().waitForCableTest({ serialNumber: 'SIM-NOT-FOUND-01', taskId: 'task-1' }, { ...FAST_POLLING, notFoundGraceMs: 5_000 }),
    );

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorCode).toBe('HPE_GRAVITY_DEVICE_NOT_FOUND');
    expect((error as NotFoundError).taskId).toBe('task-1');
    expect(countRequests(lab.sim)).toEqual({ 'status 404': 1 });
  });

  it('rejects an unknown task id', async () => {
    const error = await rejectionOf(
      proxiedClient().waitForCableTest({ serialNumber: 'SIM-HEALTHY-01', taskId: 'no-such-task' }, { ...FAST_POLLING, notFoundGraceMs: 0 }),
    );

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorCode).toBe('HPE_GRAVITY_TASK_NOT_FOUND');
    expect((error as NotFoundError).taskId).toBe('no-such-task');
    expect(countRequests(lab.sim)).toEqual({ 'status 404': 1 });
  });

  it('polls through unregistered 404s', async () => {
    const result = await proxiedClient().runCableTest({ serialNumber: 'SIM-UNREGISTERED-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(lab.sim)['status 404']).toBe(2);
    expect(countRequests(lab.sim)['start 202']).toBe(1);
  });

  it('rejects an offline device', async () => {
    const error = await rejectionOf(proxiedClient().startCableTest({ serialNumber: 'SIM-OFFLINE-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(DeviceOfflineError);
    expect((error as DeviceOfflineError).status).toBe(409);
    expect((error as DeviceOfflineError).mayHaveStarted).toBe(false);
    expect(countRequests(lab.sim)).toEqual({ 'start 409': 1 });
  });

  it('rejects a device that is not ready', async () => {
    const error = await rejectionOf(proxiedClient().startCableTest({ serialNumber: 'SIM-NOT-READY-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error).not.toBeInstanceOf(DeviceOfflineError);
    expect((error as ConflictError).errorCode).toBe('HPE_GRAVITY_DEVICE_NOT_READY');
    expect((error as ConflictError).body).toMatchObject({ errorType: 'CONFLICT' });
    expect(countRequests(lab.sim)).toEqual({ 'start 409': 1 });
  });
});

describe('contract: 429 and 500 through Prism', () => {
  it('retries a start after Retry-After seconds', async () => {
    const result = await proxiedClient().runCableTest({ serialNumber: 'SIM-429-SECONDS-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(lab.sim.tasks).toHaveLength(1);
    const [limited, accepted] = requestsOf(lab.sim, 'start');
    expect(limited?.status).toBe(429);
    expect(accepted?.status).toBe(202);
    expect(accepted!.time - limited!.time).toBeGreaterThanOrEqual(1_000 - CLOCK_TOLERANCE_MS);
  });

  it('retries a start after a Retry-After date', async () => {
    const result = await proxiedClient().runCableTest({ serialNumber: 'SIM-429-DATE-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(lab.sim)['start 429']).toBe(1);
    expect(countRequests(lab.sim)['start 202']).toBe(1);
  });

  it('keeps to a per-second limit', async () => {
    const result = await proxiedClient().runCableTest({ serialNumber: 'SIM-RATE-LIMIT-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(lab.sim)['status 429']).toBeGreaterThanOrEqual(1);
    expect(countRequests(lab.sim)['start 202']).toBe(1);
  });

  it('reports 429 after maxRetries', async () => {
    const central = proxiedClient({ maxRetries: 1 });
    const started = await central.startCableTest({ serialNumber: 'RL-STATUS-ALWAYS', ports: ['1'] });

    const error = await rejectionOf(central.getCableTestStatus(started));

    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(0);
    expect((error as RateLimitError).taskId).toBe(started.taskId);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 429': 2 });
  });

  it('retries two 500 responses', async () => {
    const result = await proxiedClient().runCableTest({ serialNumber: 'SIM-500-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(lab.sim)['status 500']).toBe(2);
    expect(countRequests(lab.sim)['start 202']).toBe(1);
  });

  it('reports 500 after maxRetries', async () => {
    const central = proxiedClient({ maxRetries: 0 });
    const started = await central.startCableTest({ serialNumber: 'STATUS-500-ALWAYS', ports: ['1'] });

    const error = await rejectionOf(central.getCableTestStatus(started));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).errorCode).toBe('HPE_GRAVITY_INTERNAL_SERVER_ERROR');
    expect((error as ServerError).taskId).toBe(started.taskId);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 500': 1 });
  });

  it('sends a start that got 500 once', async () => {
    const error = await rejectionOf(proxiedClient().startCableTest({ serialNumber: 'SIM-START-500-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).mayHaveStarted).toBe(true);
    expect(countRequests(lab.sim)).toEqual({ 'start 500': 1 });
  });

  it('rejects a 401 with a static token', async () => {
    const central = proxiedClient();
    const started = await central.startCableTest({ serialNumber: 'STATUS-401-ALWAYS', ports: ['1'] });

    const error = await rejectionOf(central.getCableTestStatus(started));

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).taskId).toBe(started.taskId);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 401': 1 });
  });
});

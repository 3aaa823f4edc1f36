import { describe, expect, it } from 'vitest';

import { NotFoundError } from '../../src/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, requestsOf, useFaultLab } from '../helpers/fault-lab.js';

const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 30 };
const TASK_NOT_FOUND = 'HPE_GRAVITY_TASK_NOT_FOUND';

const lab = useFaultLab({
  durationMs: 100,
  scenarios: { 'NEVER-REGISTERED': { unregisteredPolls: 1_000 } },
});

describe('fault: task not registered yet', () => {
  it('polls through two 404s', async () => {
    const result = await lab.client().runCableTest({ serialNumber: 'SIM-UNREGISTERED-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(result.taskId).toBe(lab.sim.tasks[0]?.taskId);
    // The two unregistered polls count as polls of the wait.
    expect(result.polls).toBe(requestsOf(lab.sim, 'status').length);
    const counts = countRequests(lab.sim);
    expect(counts['start 202']).toBe(1);
    expect(counts['status 404']).toBe(2);
    expect(requestsOf(lab.sim, 'status').slice(0, 2).map((request) => request.fault)).toEqual(['unregistered', 'unregistered']);
  });

  it('takes the first 404 as final without grace', async () => {
    const error = await rejectionOf(
      lab.client().runCableTest({ serialNumber: 'SIM-UNREGISTERED-01', ports: ['1'] }, { ...FAST_POLLING, notFoundGraceMs: 0 }),
    );

    expect(error).toBeInstanceOf(NotFoundError);
    const notFound = error as NotFoundError;
    expect(notFound.errorCode).toBe(TASK_NOT_FOUND);
    expect(notFound.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(notFound.lastStatus).toBeUndefined();
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 404': 1 });
  });

  it('gives up when the grace ends', async () => {
    const startedAt = Date.now();

    const error = await rejectionOf(
      lab.client().runCableTest({ serialNumber: 'NEVER-REGISTERED', ports: ['1'] }, { ...FAST_POLLING, notFoundGraceMs: 200 }),
    );

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorCode).toBe(TASK_NOT_FOUND);
    expect((error as NotFoundError).taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200);
    const counts = countRequests(lab.sim);
    expect(counts['start 202']).toBe(1);
    expect(counts['status 404']).toBeGreaterThanOrEqual(2);
  });

  it('fails at once on an unknown device', async () => {
    const error = await rejectionOf(
      lab.client().waitForCableTest({ serialNumber: 'SIM-NOT-FOUND-01', taskId: 'task-1' }, { ...FAST_POLLING, notFoundGraceMs: 5_000 }),
    );

    // Only "task not found" is taken as "not registered yet".
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorCode).toBe('HPE_GRAVITY_DEVICE_NOT_FOUND');
    expect((error as NotFoundError).taskId).toBe('task-1');
    expect(countRequests(lab.sim)).toEqual({ 'status 404': 1 });
  });

  it('gives up on an unknown task id', async () => {
    const error = await rejectionOf(
      lab.client().waitForCableTest({ serialNumber: 'SIM-HEALTHY-01', taskId: 'no-such-task' }, { ...FAST_POLLING, notFoundGraceMs: 100 }),
    );

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorCode).toBe(TASK_NOT_FOUND);
    expect((error as NotFoundError).taskId).toBe('no-such-task');
    expect(countRequests(lab.sim)['status 404']).toBeGreaterThanOrEqual(2);
    expect(lab.sim.tasks).toHaveLength(0);
  });
});

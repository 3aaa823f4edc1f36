import { describe, expect, it } from 'vitest';

import { type CableTestProgress, CableTestFailedError } from '../../src/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, useFaultLab } from '../helpers/fault-lab.js';

const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 30 };
const FAIL_REASON_49 = 'Cable diagnostics are not supported on port 49 (SFP+ transceiver).';

const lab = useFaultLab({
  durationMs: 100,
  scenarios: { 'FAILED-CUSTOM': { outcome: 'failed', failReason: 'Port {port} is administratively down...' } },
});

describe('fault: FAILED operation', () => {
  it('rejects with the failReason', async () => {
    const progress: CableTestProgress[] = [];

    const error = await rejectionOf(
      lab.client().runCableTest(
        { serialNumber: 'SIM-FAILED-01', ports: ['49', '50'] },
        { ...FAST_POLLING, onProgress: (report) => progress.push(report) },
      ),
    );

    expect(error).toBeInstanceOf(CableTestFailedError);
    const failed = error as CableTestFailedError;
    expect(failed.failReason).toBe(FAIL_REASON_49);
    expect(failed.message).toContain(FAIL_REASON_49.replace(/\.$/, ''));
    expect(failed.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(failed.serialNumber).toBe('SIM-FAILED-01');
    expect(failed.lastStatus).toBe('FAILED');
    expect(failed.body).toMatchObject({ status: 'FAILED', progressPercent: 100, output: null });
    // The FAILED response ends the wait, so no poll follows it.
    const polls = progress.filter((report) => report.poll > 0);
    expect(polls.at(-1)?.status).toBe('FAILED');
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': polls.length });
  });

  it('rejects again on resume', async () => {
    const central = lab.client();
    const started = await central.startCableTest({ serialNumber: 'SIM-FAILED-01', ports: ['49'] });
    await rejectionOf(central.waitForCableTest(started, FAST_POLLING));
    const pollsBefore = countRequests(lab.sim)['status 200'] ?? 0;

    const error = await rejectionOf(central.waitForCableTest(started, FAST_POLLING));

    expect(error).toBeInstanceOf(CableTestFailedError);
    expect((error as CableTestFailedError).taskId).toBe(started.taskId);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': pollsBefore + 1 });
  });

  it('reads FAILED without throwing', async () => {
    const central = lab.client();
    const started = await central.startCableTest({ serialNumber: 'SIM-FAILED-01', ports: ['49'] });
    await rejectionOf(central.waitForCableTest(started, FAST_POLLING));

    const state = await central.getCableTestStatus(started);

    expect(state.status).toBe('FAILED');
    expect(state.failReason).toBe(FAIL_REASON_49);
    expect(state.output).toBeNull();
  });

  it('trims trailing dots of failReason', async () => {
    const error = await rejectionOf(lab.client().runCableTest({ serialNumber: 'FAILED-CUSTOM', ports: ['7'] }, FAST_POLLING));

    expect(error).toBeInstanceOf(CableTestFailedError);
    expect((error as CableTestFailedError).failReason).toBe('Port 7 is administratively down...');
    expect((error as CableTestFailedError).message).toMatch(/failed: Port 7 is administratively down\.$/);
  });
});

import { describe, expect, inject, it } from 'vitest';
import {
  type CableTestProgress,
  CableTestFailedError,
  NotFoundError,
  WaitTimeoutError,
  createTroubleshootingClient,
  summarizeCableTest,
} from '../../src/index.js';
import { type PrismFetchOptions, createPrismFetch } from '../helpers/prism-fetch.js';

const SERIAL_NUMBER = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const TOKEN = 'test-token';
const START_PATH = `/network-troubleshooting/v1alpha1/aos-s/${SERIAL_NUMBER}/cableTest`;
const STATUS_PATH = `${START_PATH}/async-operations/${TASK_ID}`;
const REF = { serialNumber: SERIAL_NUMBER, taskId: TASK_ID };

// Short poll delays keep the waits below a second.
const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 20 };

function createClient(fetchOptions: PrismFetchOptions = {}) {
  const baseUrl = inject('prismUrl');
  const prism = createPrismFetch(baseUrl, fetchOptions);
  const client = createTroubleshootingClient({ baseUrl, token: TOKEN, fetch: prism.fetch, maxRetries: 0 });
  return { client, requests: prism.requests };
}

/** Awaits `promise` and returns its rejection reason. Throws when the promise resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to reject, but it resolved.');
}

describe('prism: wait', () => {
  it('resolves on completed test', async () => {
    const { client, requests } = createClient();

    const result = await client.waitForCableTest(REF, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(result.polls).toBe(1);
    expect(result.taskId).toBe(TASK_ID);
    expect(result.output?.ports).toEqual(['3', '6']);
    expect(requests).toHaveLength(1);
  });

  it('throws CableTestFailedError on FAILED', async () => {
    const { client } = createClient({ prefer: 'example=failed' });
    const failReason = 'Cable diagnostics are not supported on port 49 (SFP+ transceiver).';

    const error = await rejectionOf(client.waitForCableTest(REF, FAST_POLLING));

    expect(error).toBeInstanceOf(CableTestFailedError);
    const failed = error as CableTestFailedError;
    expect(failed.failReason).toBe(failReason);
    expect(failed.message).toContain(failReason);
    expect(failed.taskId).toBe(TASK_ID);
    expect(failed.serialNumber).toBe(SERIAL_NUMBER);
    expect(failed.lastStatus).toBe('FAILED');
    expect(failed.body).toMatchObject({ status: 'FAILED', failReason });
  });

  it('times out while running', async () => {
    const { client, requests } = createClient({ prefer: 'example=running' });

    const error = await rejectionOf(client.waitForCableTest(REF, { ...FAST_POLLING, timeoutMs: 200 }));

    expect(error).toBeInstanceOf(WaitTimeoutError);
    const timeout = error as WaitTimeoutError;
    expect(timeout.timeoutMs).toBe(200);
    expect(timeout.lastStatus).toBe('RUNNING');
    expect(timeout.taskId).toBe(TASK_ID);
    expect(timeout.polls).toBeGreaterThan(1);
    expect(requests).toHaveLength(timeout.polls);
  });

  it('keeps polling on 404 during default grace', async () => {
    // The default notFoundGraceMs (10 s) outlasts this wait, so every 404 counts as a task
    // not registered yet and the wait ends on its deadline instead.
    const { client, requests } = createClient({ prefer: 'code=404' });

    const error = await rejectionOf(client.waitForCableTest(REF, { ...FAST_POLLING, timeoutMs: 200 }));

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(requests.length).toBeGreaterThan(1);
  });

  it('throws NotFoundError after grace ends', async () => {
    const { client, requests } = createClient({ prefer: 'code=404' });

    const error = await rejectionOf(client.waitForCableTest(REF, { ...FAST_POLLING, notFoundGraceMs: 100 }));

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorCode).toBe('HPE_GRAVITY_TASK_NOT_FOUND');
    expect((error as NotFoundError).taskId).toBe(TASK_ID);
    expect(requests.length).toBeGreaterThan(1);
  });

  it('throws first 404 with zero grace', async () => {
    const { client, requests } = createClient({ prefer: 'code=404' });

    const error = await rejectionOf(client.waitForCableTest(REF, { ...FAST_POLLING, notFoundGraceMs: 0 }));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(requests).toHaveLength(1);
  });
});

describe('prism: run', () => {
  it('starts and completes test', async () => {
    const { client, requests } = createClient();
    const progress: CableTestProgress[] = [];

    const result = await client.runCableTest(
      { serialNumber: SERIAL_NUMBER, ports: ['3', '6'] },
      { ...FAST_POLLING, onProgress: (report) => progress.push(report) },
    );

    expect(result.status).toBe('COMPLETED');
    expect(result.serialNumber).toBe(SERIAL_NUMBER);
    expect(result.taskId).toBe(TASK_ID);
    expect(result.polls).toBe(1);

    expect(requests.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
      `POST ${START_PATH}`,
      `GET ${STATUS_PATH}`,
    ]);
    expect(progress.map((report) => [report.poll, report.status])).toEqual([
      [0, 'INITIATED'],
      [1, 'COMPLETED'],
    ]);
  });

  it('summarizes both ports as open', async () => {
    const { client } = createClient();

    const result = await client.runCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3', '6'] }, FAST_POLLING);
    const summary = summarizeCableTest(result);

    expect(summary.ports.map((port) => port.port)).toEqual(['3', '6']);
    for (const port of summary.ports) {
      expect(port.verdict).toBe('open');
      expect(port.missing).toBe(false);
      expect(port.pairs).toHaveLength(4);
      for (const pair of port.pairs) {
        expect(pair.status).toBe('Open');
        expect(pair.verdict).toBe('open');
        expect(pair.lengthMetres).toBe(0);
      }
    }
    expect(summary.counts).toEqual({ good: 0, fault: 0, open: 2, unknown: 0, missing: 0 });
  });

  it('sends nothing for invalid wait option', async () => {
    // runCableTest checks its wait options before it sends the start request.
    const { client, requests } = createClient();

    const error = await rejectionOf(
      client.runCableTest({ serialNumber: SERIAL_NUMBER, ports: ['3'] }, { timeoutMs: -1 }),
    );

    expect(error).toMatchObject({ name: 'InvalidArgumentError', argument: 'timeoutMs' });
    expect(requests).toHaveLength(0);
  });
});

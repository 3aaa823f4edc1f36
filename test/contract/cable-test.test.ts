/**
 * Runs the client against the simulator through `prism proxy --errors`, so every request the
 * client sends and every response the simulator returns is checked against spec/openapi.yaml.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  type CableTestProgress,
  CableTestFailedError,
  type TroubleshootingClientOptions,
  createTroubleshootingClient,
  summarizeCableTest,
} from '../../src/index.js';
import { DEMO_CLIENT, OTHER_HOST_ORIGIN } from '../../src/simulator/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, requestsOf } from '../helpers/fault-lab.js';
import { type ContractLab, startContractLab } from '../helpers/prism-guard.js';

const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 40 };
const TOKEN_LIFETIME_MS = 150;

let lab: ContractLab;

beforeAll(async () => {
  lab = await startContractLab({
    durationMs: 200,
    scenarios: {
      'SLOW-300': { faults: [{ kind: 'delay', delayMs: 300, when: 'after' }] },
      'SLOW-STATUS-ONCE': { faults: [{ kind: 'delay', requests: 'status', count: 1, delayMs: 1_000, when: 'after' }] },
      'TOKEN-SHORT': { tokenLifetimeMs: TOKEN_LIFETIME_MS },
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
  expect(lab.guard.urls.filter((url) => url.startsWith(OTHER_HOST_ORIGIN))).toEqual([]);
});

/** Client that talks to the proxy, with a static token unless credentials are given. */
function proxiedClient(options: Omit<TroubleshootingClientOptions, 'baseUrl' | 'fetch'> = {}) {
  const auth = options.credentials === undefined ? { token: 'contract-token' } : {};
  return createTroubleshootingClient({ baseUrl: lab.proxy.url, fetch: lab.guard.fetch, ...auth, ...options });
}

describe('contract: cable test through Prism', () => {
  it('follows a healthy test to COMPLETED', async () => {
    const progress: CableTestProgress[] = [];

    const result = await proxiedClient().runCableTest(
      { serialNumber: 'SIM-HEALTHY-01', ports: ['1', '1/5', 'A2'] },
      { ...FAST_POLLING, onProgress: (report) => progress.push(report) },
    );

    expect(result.status).toBe('COMPLETED');
    expect(result.progressPercent).toBe(100);
    const polled = progress.filter((report) => report.poll > 0);
    expect(polled.some((report) => report.status === 'RUNNING')).toBe(true);
    const percents = polled.map((report) => report.progressPercent ?? 0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const summary = summarizeCableTest(result);
    expect(summary.ports.map((port) => [port.port, port.verdict])).toEqual([
      ['1', 'good'],
      ['1/5', 'good'],
      ['A2', 'good'],
    ]);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': result.polls });
  });

  it.each([
    ['SIM-UNPLUGGED-01', 'open', 0],
    ['SIM-CUT-01', 'open', 23],
    ['SIM-FAULTS-01', 'fault', 12],
  ])('reads %s as %s', async (serialNumber, verdict, firstLength) => {
    const result = await proxiedClient().runCableTest({ serialNumber, ports: ['3', '6'] }, FAST_POLLING);

    const summary = summarizeCableTest(result);
    expect(summary.ports.map((port) => port.verdict)).toEqual([verdict, verdict]);
    expect(summary.ports[0]?.pairs[0]?.lengthMetres).toBe(firstLength);
    expect(countRequests(lab.sim)['start 202']).toBe(1);
  });

  it('keeps unknown pair statuses', async () => {
    const result = await proxiedClient().runCableTest({ serialNumber: 'SIM-FAULTS-01', ports: ['3'] }, FAST_POLLING);

    const pairs = summarizeCableTest(result).ports[0]?.pairs ?? [];
    expect(pairs.map((pair) => [pair.status, pair.verdict])).toEqual([
      ['Short', 'fault'],
      ['Impedance Mismatch', 'fault'],
      ['Crosstalk', 'fault'],
      ['Unknown Fault', 'unknown'],
    ]);
  });

  it('reports a missing port as unknown', async () => {
    const result = await proxiedClient().runCableTest({ serialNumber: 'SIM-MISSING-PORT-01', ports: ['A1', 'A2'] }, FAST_POLLING);

    const summary = summarizeCableTest(result);
    expect(summary.ports.map((port) => [port.port, port.verdict, port.missing])).toEqual([
      ['A1', 'good', false],
      ['A2', 'unknown', true],
    ]);
    expect(summary.counts.missing).toBe(1);
  });

  it('waits through an unlisted status', async () => {
    const seen = new Set<string>();

    const result = await proxiedClient().runCableTest(
      { serialNumber: 'SIM-QUEUED-01', ports: ['1'] },
      { ...FAST_POLLING, onProgress: (report) => seen.add(report.status) },
    );

    expect(result.status).toBe('COMPLETED');
    expect(seen.has('QUEUED')).toBe(true);
  });

  it('rejects a FAILED test', async () => {
    const error = await rejectionOf(proxiedClient().runCableTest({ serialNumber: 'SIM-FAILED-01', ports: ['49'] }, FAST_POLLING));

    expect(error).toBeInstanceOf(CableTestFailedError);
    expect((error as CableTestFailedError).failReason).toBe('Cable diagnostics are not supported on port 49 (SFP+ transceiver).');
    expect((error as CableTestFailedError).taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(countRequests(lab.sim)['start 202']).toBe(1);
  });

  it('polls the proxy, not location', async () => {
    const result = await proxiedClient().runCableTest({ serialNumber: 'SIM-OTHER-HOST-01', ports: ['1'] }, FAST_POLLING);

    expect(result.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(lab.guard.urls.every((url) => url.startsWith(`${lab.proxy.url}/network-troubleshooting/`))).toBe(true);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': result.polls });
  });

  it('waits for slow responses', async () => {
    const result = await proxiedClient({ requestTimeoutMs: 2_000 }).runCableTest({ serialNumber: 'SLOW-300', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': result.polls });
  });

  it('retries a poll that timed out', async () => {
    const result = await proxiedClient({ requestTimeoutMs: 300 }).runCableTest(
      { serialNumber: 'SLOW-STATUS-ONCE', ports: ['1'] },
      FAST_POLLING,
    );

    // Prism keeps waiting for the delayed response after the client gave up, so its status is not checked.
    expect(result.status).toBe('COMPLETED');
    expect(countRequests(lab.sim)['start 202']).toBe(1);
    expect(requestsOf(lab.sim, 'status')).toHaveLength(result.polls + 1);
  });

  it('renews an expired token', async () => {
    const central = proxiedClient({ credentials: { ...DEMO_CLIENT, tokenUrl: lab.sim.tokenUrl } });
    const started = await central.startCableTest({ serialNumber: 'TOKEN-SHORT', ports: ['1'] });
    await delay(TOKEN_LIFETIME_MS + 50);

    const state = await central.getCableTestStatus(started);

    expect(state.taskId).toBe(started.taskId);
    expect(lab.sim.requests.map((request) => `${request.kind} ${request.status}`)).toEqual([
      'token 200',
      'start 202',
      'status 401',
      'token 200',
      'status 200',
    ]);
  });
});

/**
 * Shared set-up of the fault-injection suite: one simulator per test file with
 * `prism proxy --errors` in front of it (see prism-guard.ts), and clients of that proxy.
 * Faults that are outside the spec by design go straight to the simulator instead. Checks
 * after each test and each file find anything left open and any request that left 127.0.0.1.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type MockInstance, afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';

import {
  type TroubleshootingClient,
  type TroubleshootingClientOptions,
  createTroubleshootingClient,
} from '../../src/index.js';
import { OTHER_HOST_ORIGIN, type RequestKind, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { type ContractLab, startContractLab } from './prism-guard.js';

/** Access token of clients created without credentials. The simulator accepts any bearer token. */
export const FAULT_TOKEN = 'fault-suite-token';

/** `openHandles` of a closed simulator. */
export const CLOSED_HANDLES = { listening: false, sockets: 0, timers: 0 } as const;

/** Maximum wait for the client's sockets to close after the proxy and the simulator closed their side. */
const SOCKET_SETTLE_MS = 1_000;

/** Path prefix of the two cable test operations. */
const API_PREFIX = '/network-troubleshooting/v1alpha1/aos-s';

/** Serial number of the warm-up requests. It is in no scenario table, so it gets the healthy `*` scenario. */
const WARM_UP_SERIAL = 'FAULT-LAB-WARM-UP';

/** Number of pending referenced timers of this process (`Timeout` in `getActiveResourcesInfo`). */
export function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

/** Number of open TCP sockets and servers of this process. */
export function activeTcpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP')).length;
}

/**
 * Counts the simulator's recorded requests by kind and response status, such as
 * `{ 'start 202': 1, 'status 200': 3 }`. A request without a response (reset, timed out or
 * still pending) counts as `no response`.
 */
export function countRequests(sim: Simulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of sim.requests) {
    const key = `${request.kind} ${request.status ?? 'no response'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Returns the recorded requests of one kind, in order of arrival. */
export function requestsOf(sim: Simulator, kind: RequestKind) {
  return sim.requests.filter((request) => request.kind === kind);
}

/** Resolves once `condition` is true, checking every 5 ms, and rejects after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, description: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}.`);
    await delay(5);
  }
}

/** Options of `lab.client()` and `lab.directClient()`. `token` defaults to `FAULT_TOKEN` unless credentials are set. */
export type LabClientOptions = Omit<TroubleshootingClientOptions, 'baseUrl' | 'cluster' | 'fetch'>;

/** Handle of the simulator and the Prism proxy that `useFaultLab` shares between the tests of a file. */
export interface FaultLab {
  /** The file's simulator. Each test starts with its records, tests, tokens, fault counts and rate-limit windows cleared. */
  readonly sim: Simulator;
  /** Base URL of the Prism proxy in front of the simulator. */
  readonly proxyUrl: string;
  /**
   * Creates a client whose API requests go through the Prism proxy, so any spec violation
   * fails the test. Token requests go straight to `sim.tokenUrl`, because the spec does not
   * describe the token endpoint.
   */
  client(options?: LabClientOptions): TroubleshootingClient;
  /**
   * Creates a client that calls the simulator directly with the real global fetch. Only for
   * faults that break the spec by design, which Prism would replace with its own response.
   */
  directClient(options?: LabClientOptions): TroubleshootingClient;
  /** URLs that the clients of the current test fetched, through the proxy or directly. */
  fetchedUrls(): string[];
}

/**
 * Registers hooks that start one simulator with `options` and one `prism proxy --errors` in
 * front of it for the whole file, and check that:
 * - after each test, Prism reported no spec violation, and the process has no more pending
 *   timers than before the test, apart from the simulator's own delay timers. Every fetched
 *   URL is on 127.0.0.1, and none is on the other host of `SIM-OTHER-HOST-01`.
 * - after the file, the closed simulator has no socket, timer or listener left open, and the
 *   process has no more TCP handles than before the file. TCP handles are not checked after
 *   each test, because keep-alive connections to the shared proxy stay open between tests.
 *
 * Each test starts with `sim.reset()`. A response that a `when: 'after'` delay holds back can
 * still be pending from an earlier test, but the reset has already dropped its record and task.
 * A request delayed by a `when: 'before'` rule across a reset is dropped (its connection is
 * reset), so it cannot add a test to the next test's `sim.tasks`.
 */
export function useFaultLab(options: SimulatorOptions): FaultLab {
  let lab: ContractLab | undefined;
  let tcpBeforeFile = 0;
  let fetchSpy: MockInstance<typeof fetch> | undefined;
  let proxiedUrlsBefore = 0;
  let clientTimeoutsBefore = 0;

  const current = (): ContractLab => {
    if (lab === undefined) throw new Error('The fault lab exists only inside the tests of a file that calls useFaultLab.');
    return lab;
  };
  // The simulator's pending delay timers belong to it, not to the client, and it clears them on close.
  const clientTimeouts = () => activeTimeouts() - current().sim.openHandles.timers;

  beforeAll(async () => {
    tcpBeforeFile = activeTcpHandles();
    lab = await startContractLab(options);
    await warmUp(lab);
  });

  afterAll(async () => {
    if (lab === undefined) return;
    await lab.close();

    expect(lab.sim.openHandles, 'simulator handles after close').toEqual(CLOSED_HANDLES);
    await waitUntil(() => activeTcpHandles() <= tcpBeforeFile, 'the client sockets are closed', SOCKET_SETTLE_MS).catch(() => {});
    expect(activeTcpHandles(), 'open TCP handles after the file').toBeLessThanOrEqual(tcpBeforeFile);
  });

  beforeEach(() => {
    const { sim, guard } = current();
    sim.reset();
    proxiedUrlsBefore = guard.urls.length;
    clientTimeoutsBefore = clientTimeouts();
    // The spy calls the real fetch. It is installed before any direct client reads globalThis.fetch,
    // and the guard kept the unspied fetch, so the spy records only direct requests.
    fetchSpy = vi.spyOn(globalThis, 'fetch');
  });

  afterEach(() => {
    const urls = fetchedUrls();
    fetchSpy?.mockRestore();
    fetchSpy = undefined;

    current().guard.assertNoViolations();
    expect(clientTimeouts(), 'pending timers after the test').toBeLessThanOrEqual(clientTimeoutsBefore);
    expect(urls.filter((url) => new URL(url).hostname !== '127.0.0.1'), 'URLs outside 127.0.0.1').toEqual([]);
    expect(urls.filter((url) => url.startsWith(OTHER_HOST_ORIGIN)), 'URLs on the other host').toEqual([]);
  });

  const fetchedUrls = () => [
    ...current().guard.urls.slice(proxiedUrlsBefore),
    ...(fetchSpy?.mock.calls ?? []).map(([input]) => urlOf(input)),
  ];

  return {
    get sim() {
      return current().sim;
    },
    get proxyUrl() {
      return current().proxy.url;
    },
    client(clientOptions: LabClientOptions = {}) {
      const { proxy, guard } = current();
      return createTroubleshootingClient({ baseUrl: proxy.url, fetch: guard.fetch, ...tokenUnlessCredentials(clientOptions), ...clientOptions });
    },
    directClient(clientOptions: LabClientOptions = {}) {
      return createTroubleshootingClient({ baseUrl: current().sim.url, ...tokenUnlessCredentials(clientOptions), ...clientOptions });
    },
    fetchedUrls,
  };
}

function tokenUnlessCredentials(options: LabClientOptions): { token?: string } {
  return options.credentials === undefined ? { token: FAULT_TOKEN } : {};
}

/**
 * Sends a start, its status request and a status request for an unknown task through the
 * proxy, so the timing checks of the tests do not measure Prism's slow first requests. In one
 * trial on a 2-core machine, the first request through a new proxy took 126 ms and later
 * ones 10 to 40 ms.
 */
async function warmUp({ proxy, guard, sim }: ContractLab): Promise<void> {
  const headers = { authorization: `Bearer ${FAULT_TOKEN}`, 'content-type': 'application/json' };
  const startUrl = `${proxy.url}${API_PREFIX}/${WARM_UP_SERIAL}/cableTest`;

  const started = await guard.fetch(startUrl, { method: 'POST', headers, body: JSON.stringify({ ports: ['1'] }) });
  const taskId = sim.tasks[0]?.taskId ?? 'warm-up-task';
  await started.text();
  for (const task of [taskId, 'no-such-task']) {
    const status = await guard.fetch(`${startUrl}/async-operations/${task}`, { headers });
    await status.text();
  }

  guard.assertNoViolations();
  sim.reset();
}

function urlOf(input: RequestInfo | URL): string {
  if (input instanceof Request) return input.url;
  return String(input);
}

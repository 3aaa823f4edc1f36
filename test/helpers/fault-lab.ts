/**
 * Shared set-up of the fault-injection suite: a fresh simulator per test, a client that uses
 * the real `fetch` against it, and checks after each test that nothing was left open and
 * that no request left 127.0.0.1.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type MockInstance, afterEach, beforeEach, expect, vi } from 'vitest';

import {
  type TroubleshootingClient,
  type TroubleshootingClientOptions,
  createTroubleshootingClient,
} from '../../src/index.js';
import { OTHER_HOST_ORIGIN, type RequestKind, type Simulator, type SimulatorOptions, start } from '../../src/simulator/index.js';

/** Access token of clients created without credentials. The simulator accepts any bearer token. */
export const FAULT_TOKEN = 'fault-suite-token';

/** `openHandles` of a closed simulator. */
export const CLOSED_HANDLES = { listening: false, sockets: 0, timers: 0 } as const;

/** Maximum wait for the client's sockets to close after the simulator closed its side. */
const SOCKET_SETTLE_MS = 1_000;

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

/** Options of `lab.client()`. `token` defaults to `FAULT_TOKEN` unless credentials are set. */
export type LabClientOptions = Omit<TroubleshootingClientOptions, 'baseUrl' | 'cluster' | 'fetch'>;

/** Handle of the per-test simulator that `useFaultLab` manages. */
export interface FaultLab {
  /** Simulator of the current test. */
  readonly sim: Simulator;
  /** Creates a client of the current simulator that uses the real global fetch. */
  client(options?: LabClientOptions): TroubleshootingClient;
  /** URLs passed to the global fetch during the current test. */
  fetchedUrls(): string[];
}

/**
 * Registers hooks that start a simulator with `options` before each test and, after it,
 * close it and check that:
 * - the simulator has no socket, timer or listener left open,
 * - the process has no more pending timers than before the test, and its TCP sockets close,
 * - every fetched URL is on 127.0.0.1, and none is on the other host of `SIM-OTHER-HOST-01`.
 */
export function useFaultLab(options: SimulatorOptions): FaultLab {
  let sim: Simulator | undefined;
  let fetchSpy: MockInstance<typeof fetch> | undefined;
  let timeoutsBefore = 0;
  let tcpBefore = 0;

  beforeEach(async () => {
    timeoutsBefore = activeTimeouts();
    tcpBefore = activeTcpHandles();
    // The spy calls the real fetch. It is installed before any client reads globalThis.fetch.
    fetchSpy = vi.spyOn(globalThis, 'fetch');
    sim = await start(options);
  });

  afterEach(async () => {
    const urls = fetchedUrls();
    fetchSpy?.mockRestore();
    await sim?.close();

    expect(sim?.openHandles, 'simulator handles after close').toEqual(CLOSED_HANDLES);
    expect(activeTimeouts(), 'pending timers after the test').toBeLessThanOrEqual(timeoutsBefore);
    await waitUntil(() => activeTcpHandles() <= tcpBefore, 'the client sockets are closed', SOCKET_SETTLE_MS).catch(() => {});
    expect(activeTcpHandles(), 'open TCP handles after the test').toBeLessThanOrEqual(tcpBefore);
    expect(urls.filter((url) => new URL(url).hostname !== '127.0.0.1'), 'URLs outside 127.0.0.1').toEqual([]);
    expect(urls.filter((url) => url.startsWith(OTHER_HOST_ORIGIN)), 'URLs on the other host').toEqual([]);
  });

  const fetchedUrls = () => (fetchSpy?.mock.calls ?? []).map(([input]) => urlOf(input));

  return {
    get sim() {
      if (sim === undefined) throw new Error('The simulator exists only inside a test.');
      return sim;
    },
    client(clientOptions: LabClientOptions = {}) {
      const auth = clientOptions.credentials === undefined ? { token: FAULT_TOKEN } : {};
      return createTroubleshootingClient({ baseUrl: this.sim.url, ...auth, ...clientOptions });
    },
    fetchedUrls,
  };
}

function urlOf(input: RequestInfo | URL): string {
  if (input instanceof Request) return input.url;
  return String(input);
}

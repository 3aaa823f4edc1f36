/**
 * Contract checks through a Prism proxy started with `--errors`: a simulator, the proxy in
 * front of it, and a fetch function that records every response in which Prism reports a
 * spec violation. Prism reports a violation in one of two ways:
 *
 * - an `sl-violations` header, on a response it lets through (such as an undeclared status),
 * - an `application/problem+json` body it generated itself: 422 for an invalid request,
 *   401 for a failed security check, 500 for an invalid response or an upstream failure.
 *
 * The simulator never sends `application/problem+json`, so such a body always comes from Prism.
 */
import { type Simulator, type SimulatorOptions, start } from '../../src/simulator/index.js';
import { type PrismProxy, startPrismProxy } from '../setup/prism-proxy.js';

/** One response in which Prism reported a spec violation. */
export interface SpecViolation {
  method: string;
  /** Path and query of the request, percent-encoding kept. */
  path: string;
  /** Status the proxy returned. */
  status: number;
  /** The `sl-violations` header, or the problem+json body Prism generated. */
  detail: string;
}

/** A fetch function for the client, and what it saw. */
export interface ViolationGuard {
  fetch: typeof fetch;
  /** Full URL of every request the client made, in order, blocked ones included. */
  readonly urls: readonly string[];
  /** Returns the violations recorded since the last call, and clears the record. */
  takeViolations(): SpecViolation[];
  /** Throws an error listing every violation recorded since the last call, and clears the record. */
  assertNoViolations(): void;
}

/**
 * Creates a fetch function that sends requests only to `proxyUrl` and to the exact URLs in
 * `directUrls` (such as the simulator's token endpoint, which the spec does not describe).
 * Any other request is recorded in `urls` and rejected without leaving the process.
 */
export function createViolationGuard(proxyUrl: string, directUrls: readonly string[] = []): ViolationGuard {
  const proxyOrigin = new URL(proxyUrl).origin;
  const urls: string[] = [];
  let violations: SpecViolation[] = [];
  const realFetch = globalThis.fetch;

  const guardedFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    urls.push(request.url);

    if (url.origin !== proxyOrigin && !directUrls.includes(url.href)) {
      throw new Error(`Test fetch blocked a request to ${url.href}: only the Prism proxy at ${proxyOrigin} may be called.`);
    }

    const response = await realFetch(request);
    if (url.origin !== proxyOrigin) return response;

    const header = response.headers.get('sl-violations');
    const generated = (response.headers.get('content-type') ?? '').startsWith('application/problem+json');
    if (header !== null || generated) {
      const detail = header ?? (await response.clone().text().catch((error: unknown) => `(body unreadable: ${String(error)})`));
      violations.push({ method: request.method, path: url.pathname + url.search, status: response.status, detail });
    }
    return response;
  };

  return {
    fetch: guardedFetch,
    urls,
    takeViolations() {
      const collected = violations;
      violations = [];
      return collected;
    },
    assertNoViolations() {
      const collected = this.takeViolations();
      if (collected.length === 0) return;
      const lines = collected.map((violation) => `${violation.method} ${violation.path} -> ${violation.status}: ${violation.detail}`);
      throw new Error(`Prism reported ${collected.length} spec violation(s):\n${lines.join('\n')}`);
    },
  };
}

/** A simulator, a Prism proxy in front of it, and a guard for the client's fetch. */
export interface ContractLab {
  sim: Simulator;
  proxy: PrismProxy;
  guard: ViolationGuard;
  /** Stops the proxy (by its process id) and closes the simulator. */
  close(): Promise<void>;
}

/** Starts a simulator with `options` and a Prism proxy in front of it. */
export async function startContractLab(options: SimulatorOptions): Promise<ContractLab> {
  const sim = await start(options);
  let proxy: PrismProxy;
  try {
    proxy = await startPrismProxy(sim.url);
  } catch (error) {
    await sim.close();
    throw error;
  }

  const guard = createViolationGuard(proxy.url, [sim.tokenUrl]);
  return {
    sim,
    proxy,
    guard,
    async close() {
      await proxy.stop();
      await sim.close();
    },
  };
}

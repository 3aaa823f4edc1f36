import { createClient } from '../generated/client/index.js';
import {
  type CableTestRef,
  type CableTestResult,
  type CableTestState,
  type CableTestTarget,
  type RequestOptions,
  type StartedCableTest,
  type WaitOptions,
  getCableTestStatus,
  runCableTest,
  startCableTest,
  waitForCableTest,
} from './cable-test.js';
import {
  type ClientCredentials,
  type TokenProvider,
  type TokenSource,
  createCredentialsTokenProvider,
  createStaticTokenProvider,
  isLoopbackHost,
} from './auth.js';
import { type CentralCluster, clusterBaseUrl } from './clusters.js';
import { InvalidArgumentError } from './errors.js';
import type { Logger } from './logger.js';
import type { TransportConfig } from './transport.js';

export type { TokenSource } from './auth.js';
import { describeValue, validateCount, validateDuration } from './validate.js';

/** Options of `createTroubleshootingClient`. */
export interface TroubleshootingClientOptions {
  /**
   * Central cluster, such as `us-west-4`; it sets the base URL. Pass `cluster` or
   * `baseUrl`, not both.
   */
  cluster?: CentralCluster | undefined;
  /**
   * Base URL of the API gateway, such as `https://us4.api.central.arubanetworks.com`. It must
   * use https, except on a loopback address (a local simulator or mock).
   */
  baseUrl?: string | undefined;
  /**
   * Bearer access token, or a function returning one (called before every request). Pass
   * `token` or `credentials`, not both.
   */
  token?: TokenSource | undefined;
  /**
   * OAuth2 client credentials of a GreenLake API client. The client fetches, caches and
   * renews tokens itself, and renews once more after a 401.
   */
  credentials?: ClientCredentials | undefined;
  /** Fetch implementation to use instead of `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /**
   * Retries of one request after the first attempt. Status requests are retried on
   * connection errors, timeouts, 429, 5xx and malformed success bodies. The start request
   * is retried only on 429 and refused connections.
   * @default 3
   */
  maxRetries?: number | undefined;
  /**
   * Timeout of each HTTP attempt, body included, in milliseconds.
   * @default 30000
   */
  requestTimeoutMs?: number | undefined;
  /**
   * Cap of the wait a `Retry-After` header can ask for, in milliseconds.
   * @default 60000
   */
  maxRetryAfterMs?: number | undefined;
  /** Receives debug lines about retries; silent when unset. */
  logger?: Logger | undefined;
}

/** Client for the cable test operations of one Central account. */
export interface TroubleshootingClient {
  /**
   * Starts a cable test and returns its task id without waiting. The request is never
   * repeated once it may have reached the server, because each test interrupts the links.
   *
   * @example
   * const started = await central.startCableTest({ serialNumber: 'SG30JY1234', ports: ['1/5', '1/6'] });
   * console.log(started.taskId); // keep it: waitForCableTest resumes with it
   */
  startCableTest(target: CableTestTarget, options?: RequestOptions): Promise<StartedCableTest>;
  /**
   * Reads the state of a started test once.
   *
   * @example
   * const state = await central.getCableTestStatus({ serialNumber: 'SG30JY1234', taskId });
   * console.log(state.status, state.progressPercent);
   */
  getCableTestStatus(ref: CableTestRef, options?: RequestOptions): Promise<CableTestState>;
  /**
   * Follows a started test (or resumes following it) until it completes. Rejects with
   * `CableTestFailedError` when the switch reports `FAILED`, and with `WaitTimeoutError`
   * when `timeoutMs` passes first.
   *
   * @example
   * const result = await central.waitForCableTest(
   *   { serialNumber: 'SG30JY1234', taskId },
   *   { timeoutMs: 10 * 60_000, onProgress: (progress) => console.error(progress.status, progress.progressPercent) },
   * );
   * console.log(summarizeCableTest(result).counts);
   */
  waitForCableTest(ref: CableTestRef, options?: WaitOptions): Promise<CableTestResult>;
  /**
   * Starts a test and follows it until it completes. Errors raised after the start carry
   * the `taskId`, so the wait can be resumed with `waitForCableTest`.
   *
   * @example
   * const result = await central.runCableTest({ serialNumber: 'SG30JY1234', ports: ['3', '6'] });
   * for (const port of summarizeCableTest(result).ports) console.log(port.port, port.verdict);
   */
  runCableTest(target: CableTestTarget, options?: WaitOptions): Promise<CableTestResult>;
}

/**
 * Creates a client. Each client has its own configuration, token and timers.
 *
 * @example
 * const central = createTroubleshootingClient({
 *   baseUrl: 'https://us4.api.central.arubanetworks.com',
 *   token: process.env.CENTRAL_TOKEN ?? '',
 * });
 * const result = await central.runCableTest({ serialNumber: 'SG30JY1234', ports: ['3', '6'] });
 * console.log(summarizeCableTest(result).ports);
 */
export function createTroubleshootingClient(options: TroubleshootingClientOptions): TroubleshootingClient {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      `Invalid options ${describeValue(options)}: expected an object with cluster or baseUrl, and token or credentials.`,
    );
  }
  const baseUrl = resolveBaseUrl(options);
  const userFetch = options.fetch ?? globalThis.fetch;
  if (typeof userFetch !== 'function') {
    throw new InvalidArgumentError(
      'fetch',
      `Invalid fetch ${describeValue(options.fetch)}: expected a fetch function (no global fetch is available here).`,
    );
  }

  const settings = {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => userFetch(input, init),
    maxRetries: validateCount(options.maxRetries, 'maxRetries', 3, 0, 20),
    requestTimeoutMs: validateDuration(options.requestTimeoutMs, 'requestTimeoutMs', 30_000, 1),
    maxRetryAfterMs: validateDuration(options.maxRetryAfterMs, 'maxRetryAfterMs', 60_000),
    logger: options.logger,
  };
  const transport: TransportConfig = {
    ...settings,
    client: createClient({ baseUrl }),
    tokens: createTokenProvider(options, settings),
  };

  return {
    startCableTest: (target, callOptions) => startCableTest(transport, target, callOptions),
    getCableTestStatus: (ref, callOptions) => getCableTestStatus(transport, ref, callOptions),
    waitForCableTest: (ref, callOptions) => waitForCableTest(transport, ref, callOptions),
    runCableTest: (target, callOptions) => runCableTest(transport, target, callOptions),
  };
}

function resolveBaseUrl(options: TroubleshootingClientOptions): string {
  const hasCluster = options.cluster !== undefined;
  const hasBaseUrl = options.baseUrl !== undefined;
  if (hasCluster && hasBaseUrl) {
    throw new InvalidArgumentError(
      'cluster',
      `Invalid options: both cluster ${describeValue(options.cluster)} and baseUrl ${describeValue(options.baseUrl)} are set. Pass only one of them.`,
    );
  }
  if (!hasCluster && !hasBaseUrl) {
    throw new InvalidArgumentError(
      'baseUrl',
      'Missing cluster or baseUrl: pass a cluster name such as "us-west-4", or the base URL of the API gateway.',
    );
  }
  return hasCluster ? clusterBaseUrl(options.cluster) : validateBaseUrl(options.baseUrl);
}

function createTokenProvider(
  options: TroubleshootingClientOptions,
  settings: Parameters<typeof createCredentialsTokenProvider>[1],
): TokenProvider {
  const hasToken = options.token !== undefined;
  const hasCredentials = options.credentials !== undefined;
  if (hasToken && hasCredentials) {
    throw new InvalidArgumentError('token', 'Invalid options: both token and credentials are set. Pass only one of them.');
  }
  if (hasCredentials) return createCredentialsTokenProvider(options.credentials as ClientCredentials, settings);
  if (typeof options.token !== 'string' && typeof options.token !== 'function') {
    throw new InvalidArgumentError(
      'token',
      `Invalid token (${options.token === undefined ? 'missing' : `a value of type ${typeof options.token}`}): ` +
        'pass an access token, a function returning one, or credentials { clientId, clientSecret }.',
    );
  }
  return createStaticTokenProvider(options.token);
}

function validateBaseUrl(value: unknown): string {
  const fix = 'Pass the API gateway of your cluster, such as "https://us4.api.central.arubanetworks.com".';
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError('baseUrl', `Invalid baseUrl ${describeValue(value)}: it is missing. ${fix}`);
  }

  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('baseUrl', `Invalid baseUrl ${describeValue(value)}: not an absolute URL. ${fix}`);
  }
  // Checked first, and the URL is not shown, because a password or a query may be secret.
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidArgumentError(
      'baseUrl',
      `Invalid baseUrl for host ${url.host}: it must not contain credentials, a query or a fragment. ${fix}`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new InvalidArgumentError(
      'baseUrl',
      `Invalid baseUrl ${describeValue(value)}: it must use https (plain http is accepted only on a loopback address). ${fix}`,
    );
  }
  if (url.pathname.includes('/network-troubleshooting')) {
    throw new InvalidArgumentError(
      'baseUrl',
      `Invalid baseUrl ${describeValue(value)}: it contains the API path, which the client adds itself. Pass only the scheme and host. ${fix}`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

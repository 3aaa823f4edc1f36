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
import { InvalidArgumentError } from './errors.js';
import type { Logger } from './logger.js';
import type { TransportConfig } from './transport.js';
import { describeValue, validateCount, validateDuration } from './validate.js';

/** Access token, or a function that returns one (called before every request). */
export type TokenSource = string | (() => string | Promise<string>);

/** Options of `createTroubleshootingClient`. */
export interface TroubleshootingClientOptions {
  /** Base URL of the Central API gateway, such as `https://us4.api.central.arubanetworks.com`. */
  baseUrl: string;
  /** Bearer access token, or a function returning one, so tokens can be renewed. */
  token: TokenSource;
  /** Fetch implementation to use instead of `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /**
   * Retries of one request after the first attempt. Status requests are retried on
   * connection errors, timeouts, 429 and 5xx; the start request only on 429 and refused
   * connections.
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
   */
  startCableTest(target: CableTestTarget, options?: RequestOptions): Promise<StartedCableTest>;
  /** Reads the state of a started test once. */
  getCableTestStatus(ref: CableTestRef, options?: RequestOptions): Promise<CableTestState>;
  /** Follows a started test (or resumes following it) until it completes. */
  waitForCableTest(ref: CableTestRef, options?: WaitOptions): Promise<CableTestResult>;
  /** Starts a test and follows it until it completes. */
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
    throw new InvalidArgumentError('options', `Invalid options ${describeValue(options)}: expected an object with baseUrl and token.`);
  }
  const baseUrl = validateBaseUrl(options.baseUrl);
  const token = validateTokenSource(options.token);
  const userFetch = options.fetch ?? globalThis.fetch;
  if (typeof userFetch !== 'function') {
    throw new InvalidArgumentError('fetch', `Invalid fetch ${describeValue(options.fetch)}: expected a fetch function (no global fetch is available here).`);
  }

  const transport: TransportConfig = {
    client: createClient({
      baseUrl,
      auth: () => resolveToken(token),
    }),
    fetch: (input, init) => userFetch(input, init),
    maxRetries: validateCount(options.maxRetries, 'maxRetries', 3, 0, 20),
    requestTimeoutMs: validateDuration(options.requestTimeoutMs, 'requestTimeoutMs', 30_000, 1),
    maxRetryAfterMs: validateDuration(options.maxRetryAfterMs, 'maxRetryAfterMs', 60_000),
    logger: options.logger,
  };

  return {
    startCableTest: (target, callOptions) => startCableTest(transport, target, callOptions),
    getCableTestStatus: (ref, callOptions) => getCableTestStatus(transport, ref, callOptions),
    waitForCableTest: (ref, callOptions) => waitForCableTest(transport, ref, callOptions),
    runCableTest: (target, callOptions) => runCableTest(transport, target, callOptions),
  };
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
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError('baseUrl', `Invalid baseUrl ${describeValue(value)}: only http and https are supported. ${fix}`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidArgumentError('baseUrl', `Invalid baseUrl ${describeValue(value)}: it must not contain a query, a fragment or credentials. ${fix}`);
  }
  return url.href.replace(/\/+$/, '');
}

function validateTokenSource(value: unknown): TokenSource {
  if (typeof value === 'function') return value as TokenSource;
  if (typeof value === 'string') {
    checkToken(value);
    return value;
  }
  throw new InvalidArgumentError(
    'token',
    `Invalid token (${value === undefined ? 'missing' : `a value of type ${typeof value}`}): expected an access token string or a function returning one.`,
  );
}

async function resolveToken(source: TokenSource): Promise<string> {
  const token = typeof source === 'function' ? await source() : source;
  checkToken(token);
  return token;
}

// The token itself never goes into a message: only what is wrong with it.
function checkToken(token: unknown): asserts token is string {
  if (typeof token !== 'string') {
    throw new InvalidArgumentError('token', `Invalid token: the token function returned a value of type ${typeof token}, expected a string.`);
  }
  if (token.trim() === '') {
    throw new InvalidArgumentError('token', 'Invalid token: it is empty. Set an access token, for example from the CENTRAL_TOKEN environment variable.');
  }
  if (/[\s\u0000-\u001f\u007f]/.test(token)) {
    throw new InvalidArgumentError('token', 'Invalid token: it contains whitespace or control characters. Pass the bare access token, without "Bearer ".');
  }
}

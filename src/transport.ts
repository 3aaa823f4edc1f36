import type { Client } from '../generated/client/index.js';
import {
  AuthenticationError,
  CentralError,
  ConnectionError,
  InvalidArgumentError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  UnexpectedResponseError,
  createApiError,
} from './errors.js';
import type { TokenProvider } from './auth.js';
import type { Logger } from './logger.js';
import { RETRY_BACKOFF, backoffDelay, parseRetryAfter } from './retry.js';
import { MAX_TIMER_MS, sleep } from './sleep.js';

/** Settings shared by every request of one client. */
export interface TransportConfig {
  client: Client;
  fetch: typeof fetch;
  tokens: TokenProvider;
  maxRetries: number;
  requestTimeoutMs: number;
  maxRetryAfterMs: number;
  logger: Logger | undefined;
}

/** Options of one logical request (all its attempts). */
export interface SendOptions {
  /** Words for logs and messages, such as "GET cable test status of SG30JY1234". */
  description: string;
  /**
   * False for a request with side effects (the start of a test). It is then retried only
   * when the server cannot have received it: on 429, or when the connection was refused.
   */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  /** Epoch milliseconds after which no retry may start. */
  deadlineAt?: number | undefined;
}

/** Options the transport adds to a generated SDK call. */
export interface AttemptOptions {
  client: Client;
  fetch: typeof fetch;
  signal: AbortSignal;
  parseAs: 'json';
  redirect: 'manual';
  /** Bearer token of this attempt. */
  auth: string;
}

/** Result of a generated SDK function when `throwOnError` is false. */
interface SdkResult {
  data?: unknown;
  error?: unknown;
  response?: Response;
}

/** Facts one attempt records while the SDK runs it. */
interface AttemptRecord {
  status?: number;
  headers?: Headers;
  text?: string;
  networkError?: unknown;
}

// Header names under which gateways return a request id, checked in this order.
const REQUEST_ID_HEADERS = ['x-request-id', 'x-correlation-id', 'x-amzn-requestid', 'request-id'];

// Error codes that mean no byte of the request reached the server.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const SNIPPET_LENGTH = 200;

/** Shortest time an attempt gets when it starts at or near the deadline of its wait. */
export const MIN_ATTEMPT_MS = 2_000;

/**
 * Runs one SDK call with a per-attempt timeout, retries and error mapping, and returns the
 * validated response body. Every failure becomes a `CentralError`, except an abort, which
 * rejects with the signal's reason.
 */
export async function send(
  config: TransportConfig,
  call: (options: AttemptOptions) => Promise<SdkResult>,
  options: SendOptions,
): Promise<unknown> {
  const { signal } = options;
  let renewedToken = false;

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();

    const token = await config.tokens.getToken(signal);
    const outcome = await runAttempt(config, call, options, attempt, token);
    if (outcome.ok) return outcome.data;

    const { error, retryable, retryAfterMs } = outcome;

    // A 401 means the request was not processed, so repeating it once with a new token is
    // safe, the start request included.
    if (error instanceof AuthenticationError && !renewedToken && config.tokens.invalidate(token)) {
      renewedToken = true;
      config.logger?.debug?.(`Renewing the access token after a 401: ${options.description}`, {
        attempt: attempt + 1,
        requestId: error.requestId,
      });
      continue;
    }

    if (!retryable || attempt > config.maxRetries) throw error;

    const delayMs = retryAfterMs ?? backoffDelay(attempt, RETRY_BACKOFF);
    if (options.deadlineAt !== undefined && Date.now() + delayMs > options.deadlineAt) throw error;

    config.logger?.debug?.(`Retrying in ${delayMs} ms: ${options.description}`, {
      attempt: attempt + 1,
      maxAttempts: config.maxRetries + 1,
      reason: error.message,
      requestId: error instanceof ServerError || error instanceof RateLimitError ? error.requestId : undefined,
    });
    await sleep(delayMs, signal);
  }
}

type AttemptOutcome =
  | { ok: true; data: unknown }
  | { ok: false; error: CentralError; retryable: boolean; retryAfterMs: number | undefined };

async function runAttempt(
  config: TransportConfig,
  call: (options: AttemptOptions) => Promise<SdkResult>,
  options: SendOptions,
  attempt: number,
  token: string,
): Promise<AttemptOutcome> {
  const record: AttemptRecord = {};
  const controller = new AbortController();
  const callerSignal = options.signal;
  let timedOut = false;

  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  // An attempt ends at the deadline of the wait it belongs to, even before requestTimeoutMs,
  // but gets at least MIN_ATTEMPT_MS so the final poll made on the deadline can get a response.
  const untilDeadlineMs =
    options.deadlineAt === undefined ? Infinity : Math.max(MIN_ATTEMPT_MS, options.deadlineAt - Date.now());
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('Request timed out', 'TimeoutError'));
  }, Math.min(config.requestTimeoutMs, untilDeadlineMs, MAX_TIMER_MS));

  try {
    let result: SdkResult | undefined;
    let thrown: unknown;
    try {
      result = await call({
        client: config.client,
        fetch: recordingFetch(config.fetch, record),
        signal: controller.signal,
        parseAs: 'json',
        // A redirect is reported as an error, never followed: following it could send the
        // token to another host or repeat the start request.
        redirect: 'manual',
        auth: token,
      });
    } catch (error) {
      thrown = error;
    }

    // An abort by the caller wins over every other outcome.
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (thrown instanceof InvalidArgumentError) throw thrown;

    if (timedOut) {
      const error = new RequestTimeoutError(
        `${options.description} timed out after ${config.requestTimeoutMs} ms (attempt ${attempt}).`,
        config.requestTimeoutMs,
      );
      if (options.deadlineAt !== undefined && Date.now() >= options.deadlineAt) {
        error.message = `${options.description} was cut off at the deadline of the wait (attempt ${attempt}).`;
      }
      return failure(error, options.idempotent, undefined, options);
    }

    if (record.networkError !== undefined) {
      return connectionFailure(record.networkError, options, attempt);
    }

    if (record.status === undefined) {
      // The SDK failed before calling fetch, for example on a header value fetch rejects.
      // Only the error's name is shown: a header error's message can quote the header value.
      const failure = thrown ?? result?.error;
      const kind = failure instanceof Error ? failure.name : typeof failure;
      throw new CentralError(`${options.description} could not be sent: the request could not be built (${kind}).`, {
        cause: failure,
      });
    }

    if (record.status >= 200 && record.status < 300) {
      // The SDK turns an empty body into {} without validating it, so it is caught here.
      const empty = (record.text ?? '').trim() === '';
      if (thrown !== undefined || empty) return { ok: false, ...malformedSuccess(record, thrown, options) };
      return { ok: true, data: result?.data };
    }

    return apiFailure(record, options, attempt, config.maxRetryAfterMs);
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * Wraps fetch to record the raw status, headers and body text of the attempt. The body is
 * read here, inside the attempt's timeout, and handed on as a fresh Response.
 */
function recordingFetch(baseFetch: typeof fetch, record: AttemptRecord): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await baseFetch(input, init);
      record.text = await response.text();
    } catch (error) {
      record.networkError = error;
      throw error;
    }

    record.status = response.status;
    record.headers = response.headers;
    const nullBody = [101, 204, 205, 304].includes(response.status);
    return new Response(nullBody ? null : record.text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function failure(
  error: CentralError,
  retryable: boolean,
  retryAfterMs: number | undefined,
  options: SendOptions,
): AttemptOutcome {
  if (!options.idempotent && !retryable) markMayHaveStarted(error);
  return { ok: false, error, retryable, retryAfterMs };
}

function connectionFailure(cause: unknown, options: SendOptions, attempt: number): AttemptOutcome {
  const notSent = errorCodes(cause).some((code) => NOT_SENT_CODES.has(code));
  const detail = [messageOf(cause), ...errorCodes(cause)].join(' ');
  const error = new ConnectionError(
    `${options.description} failed: ${notSent ? 'could not connect' : 'the connection failed'} (${detail}, attempt ${attempt}).`,
    { cause },
  );
  return failure(error, options.idempotent || notSent, undefined, options);
}

function apiFailure(
  record: AttemptRecord,
  options: SendOptions,
  attempt: number,
  maxRetryAfterMs: number,
): AttemptOutcome {
  const status = record.status ?? 0;
  const headers = record.headers ?? new Headers();
  const text = record.text ?? '';
  const parsed = parseJson(text);
  const body = parsed === undefined ? text : parsed;
  const errorCode = stringField(body, 'errorCode');
  const serverMessage = stringField(body, 'message');
  const retryAfterHeader = parseRetryAfter(headers.get('retry-after'), Date.now());

  let detail = serverMessage ?? `body ${snippet(text)}`;
  if (serverMessage === undefined && text.trim() === '') detail = 'empty body';
  else if (serverMessage === undefined && typeof body === 'string') detail = `non-JSON body: ${snippet(text)}`;
  const error = createApiError({
    status,
    errorCode,
    message: `${options.description} failed with HTTP ${status}${errorCode ? ` ${errorCode}` : ''}: ${detail}`,
    body,
    headers,
    requestId: REQUEST_ID_HEADERS.map((name) => headers.get(name)).find((value) => value) ?? undefined,
    attempts: attempt,
    retryAfterMs: retryAfterHeader,
  });

  const retryable = status === 429 || (options.idempotent && (status >= 500 || status === 408));
  // Only 429 and 503 use Retry-After to say when to come back; it is capped by the client.
  const retryAfterMs =
    retryAfterHeader !== undefined && (status === 429 || status === 503)
      ? Math.min(retryAfterHeader, maxRetryAfterMs)
      : undefined;
  return failure(error, retryable, retryAfterMs, options);
}

function malformedSuccess(
  record: AttemptRecord,
  cause: unknown,
  options: SendOptions,
): { error: CentralError; retryable: boolean; retryAfterMs: undefined } {
  const text = record.text ?? '';
  const problem =
    text.trim() === ''
      ? 'an empty body'
      : cause instanceof SyntaxError
        ? 'a body that is not JSON'
        : `a body that does not match the API description (${messageOf(cause)})`;
  const error = new UnexpectedResponseError(
    `${options.description} returned HTTP ${record.status} with ${problem}.`,
    { status: record.status, bodySnippet: snippet(text), cause },
  );
  if (!options.idempotent) markMayHaveStarted(error);
  // A status request is safe to repeat, and a gateway can garble one response, so it is retried.
  return { error, retryable: options.idempotent, retryAfterMs: undefined };
}

function markMayHaveStarted(error: CentralError): void {
  if (error instanceof ServerError || error instanceof ConnectionError || error instanceof RequestTimeoutError || error instanceof UnexpectedResponseError) {
    error.mayHaveStarted = true;
    error.message +=
      ' The cable test may have started: check the switch or wait a few minutes before starting it again.';
  }
}

/** Parses JSON text; returns undefined only when it is not JSON (a JSON `null` stays null). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function stringField(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Collects `code` from an error and its causes (undici nests them, AggregateError lists them). */
function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 4) return [];
  const codes: string[] = [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') codes.push(code);
  codes.push(...errorCodes(cause, depth + 1));
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...errorCodes(inner, depth + 1));
  return [...new Set(codes)];
}

import {
  AuthenticationError,
  CentralError,
  ConnectionError,
  InvalidArgumentError,
  RequestTimeoutError,
  UnexpectedResponseError,
  createApiError,
} from './errors.js';
import type { Logger } from './logger.js';
import { RETRY_BACKOFF, backoffDelay, parseRetryAfter } from './retry.js';
import { MAX_TIMER_MS, sleep } from './sleep.js';
import { describeValue } from './validate.js';

/** HPE GreenLake SSO endpoint that issues Central access tokens. */
export const DEFAULT_TOKEN_URL = 'https://sso.common.cloud.hpe.com/as/token.oauth2';

/** OAuth2 client credentials of an API client created in HPE GreenLake. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /**
   * Token endpoint, for tests and other deployments.
   * @default 'https://sso.common.cloud.hpe.com/as/token.oauth2'
   */
  tokenUrl?: string | undefined;
}

/** Access token, or a function that returns one (called before every request). */
export type TokenSource = string | (() => string | Promise<string>);

/** Source of the bearer token of one client. */
export interface TokenProvider {
  /** Returns a token to send now. */
  getToken(signal: AbortSignal | undefined): Promise<string>;
  /**
   * Drops `token` after the API rejected it with 401. Returns true when a new token can be
   * fetched, so the rejected request may be sent once more.
   */
  invalidate(token: string): boolean;
}

/** Settings the credentials provider shares with the API requests. */
export interface TokenRequestSettings {
  fetch: typeof fetch;
  maxRetries: number;
  requestTimeoutMs: number;
  maxRetryAfterMs: number;
  logger: Logger | undefined;
}

// OAuth2 error codes (RFC 6749, section 5.2) that mean the credentials themselves are wrong.
const CREDENTIAL_ERRORS = new Set(['invalid_client', 'invalid_grant', 'unauthorized_client', 'access_denied']);

// A token is renewed when this share of its lifetime is left, but at most 5 minutes early.
const RENEW_SHARE = 0.1;
const MAX_RENEW_MARGIN_MS = 5 * 60_000;

/** Creates the provider for a fixed token or a token function. */
export function createStaticTokenProvider(source: TokenSource): TokenProvider {
  if (typeof source === 'string') checkToken(source, 'token');
  return {
    async getToken() {
      let token: unknown = source;
      if (typeof source === 'function') {
        try {
          token = await source();
        } catch (cause) {
          if (cause instanceof CentralError) throw cause;
          const reason = cause instanceof Error ? cause.message : String(cause);
          throw new CentralError(`The token function failed: ${reason}. No request was sent.`, { cause });
        }
      }
      checkToken(token, 'token');
      return token;
    },
    // The package cannot make a fixed token or the caller's function return a new one.
    invalidate: () => false,
  };
}

/**
 * Creates a provider that fetches tokens with the OAuth2 client-credentials grant, caches
 * them and renews them shortly before `expires_in` runs out. Concurrent callers share one
 * token request.
 */
export function createCredentialsTokenProvider(
  credentials: ClientCredentials,
  settings: TokenRequestSettings,
): TokenProvider {
  const { clientId, clientSecret } = validateCredentials(credentials);
  const tokenUrl = validateTokenUrl(credentials.tokenUrl ?? DEFAULT_TOKEN_URL);

  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const issued = await requestToken(tokenUrl, clientId, clientSecret, settings);
    const lifetimeMs = issued.expiresInSeconds * 1000;
    const marginMs = Math.min(MAX_RENEW_MARGIN_MS, lifetimeMs * RENEW_SHARE);
    cached = { token: issued.accessToken, renewAt: Date.now() + lifetimeMs - marginMs };
    settings.logger?.debug?.('Fetched a new access token', { expiresInSeconds: issued.expiresInSeconds });
    return issued.accessToken;
  };

  return {
    getToken(signal) {
      signal?.throwIfAborted();
      if (cached !== undefined && Date.now() < cached.renewAt) return Promise.resolve(cached.token);

      // The shared request runs without any one caller's signal, so one abort cannot fail the others.
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return raceAbort(pending, signal);
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
      return true;
    },
  };
}

/** Checks a token value without ever putting it into the message. */
export function checkToken(token: unknown, argument: string): asserts token is string {
  if (typeof token !== 'string') {
    throw new InvalidArgumentError(
      argument,
      `Invalid ${argument}: expected a string, got a value of type ${typeof token}.`,
    );
  }
  if (token.trim() === '') {
    throw new InvalidArgumentError(
      argument,
      `Invalid ${argument}: it is empty. Set an access token, for example from the CENTRAL_TOKEN environment variable.`,
    );
  }
  if (/[\s\u0000-\u001f\u007f]/.test(token)) {
    throw new InvalidArgumentError(
      argument,
      `Invalid ${argument}: it contains whitespace or control characters. Pass the bare access token, without "Bearer ".`,
    );
  }
  // Bearer tokens are visible ASCII (RFC 6750); other characters cannot go into a header.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new InvalidArgumentError(
      argument,
      `Invalid ${argument}: it contains characters outside visible ASCII, which an HTTP header cannot carry. Check that the whole token was copied.`,
    );
  }
}

function validateCredentials(credentials: unknown): { clientId: string; clientSecret: string } {
  // Only the type is shown: a string passed here by mistake is likely the secret itself.
  if (typeof credentials !== 'object' || credentials === null) {
    throw new InvalidArgumentError(
      'credentials',
      `Invalid credentials (${credentials === null ? 'null' : `a value of type ${typeof credentials}`}): expected { clientId, clientSecret }.`,
    );
  }
  const { clientId, clientSecret } = credentials as Record<string, unknown>;
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw new InvalidArgumentError(
      'credentials.clientId',
      `Invalid credentials.clientId ${describeValue(clientId)}: expected the non-empty client id of a GreenLake API client.`,
    );
  }
  // The secret is never shown, not even in part.
  if (typeof clientSecret !== 'string' || clientSecret.trim() === '') {
    throw new InvalidArgumentError(
      'credentials.clientSecret',
      'Invalid credentials.clientSecret: it is missing or empty. Pass the secret of the GreenLake API client.',
    );
  }
  return { clientId, clientSecret };
}

function validateTokenUrl(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  // Checked first, and the URL is not shown, because user info or a query may be secret.
  if (url !== undefined && (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')) {
    throw new InvalidArgumentError(
      'credentials.tokenUrl',
      `Invalid credentials.tokenUrl for host ${url.host}: it must not contain credentials, a query or a fragment.`,
    );
  }
  if (url === undefined || (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
    throw new InvalidArgumentError(
      'credentials.tokenUrl',
      `Invalid credentials.tokenUrl ${describeValue(value)}: expected an https URL (http only on a loopback address).`,
    );
  }
  return url.href;
}

/** True for `localhost`, 127.0.0.0/8 and `::1`, the hosts allowed over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

async function requestToken(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  settings: TokenRequestSettings,
): Promise<{ accessToken: string; expiresInSeconds: number }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });

  for (let attempt = 1; ; attempt++) {
    let error: CentralError;
    let retryAfterMs: number | undefined;
    try {
      return await requestTokenOnce(tokenUrl, body, settings, attempt);
    } catch (caught) {
      if (!(caught instanceof CentralError) || !isRetryableTokenError(caught)) throw caught;
      error = caught;
      retryAfterMs = 'retryAfterMs' in caught ? (caught.retryAfterMs as number | undefined) : undefined;
    }
    if (attempt > settings.maxRetries) throw error;

    const delayMs = retryAfterMs !== undefined ? Math.min(retryAfterMs, settings.maxRetryAfterMs) : backoffDelay(attempt, RETRY_BACKOFF);
    settings.logger?.debug?.(`Retrying the token request in ${delayMs} ms`, { attempt: attempt + 1, reason: error.message });
    await sleep(delayMs);
  }
}

function isRetryableTokenError(error: CentralError): boolean {
  if (error instanceof ConnectionError || error instanceof RequestTimeoutError) return true;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && (status === 429 || status >= 500);
}

async function requestTokenOnce(
  tokenUrl: string,
  body: URLSearchParams,
  settings: TokenRequestSettings,
  attempt: number,
): Promise<{ accessToken: string; expiresInSeconds: number }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.min(settings.requestTimeoutMs, MAX_TIMER_MS));

  let response: Response;
  let text: string;
  try {
    response = await settings.fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
      signal: controller.signal,
      redirect: 'error',
    });
    text = await response.text();
  } catch (cause) {
    if (controller.signal.aborted) {
      throw new RequestTimeoutError(
        `The token request timed out after ${settings.requestTimeoutMs} ms (attempt ${attempt}).`,
        settings.requestTimeoutMs,
      );
    }
    throw new ConnectionError(
      `The token request to ${new URL(tokenUrl).origin} failed: ${cause instanceof Error ? cause.message : String(cause)} (attempt ${attempt}).`,
      { cause },
    );
  } finally {
    clearTimeout(timer);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }

  if (!response.ok) throw tokenEndpointError(tokenUrl, response, parsed, text, attempt);

  const fields = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const accessToken = fields['access_token'];
  const expiresIn = Number(fields['expires_in']);
  // Same rule as checkToken: visible ASCII only, so the token can go into a header as is.
  if (typeof accessToken !== 'string' || !/^[\x21-\x7e]+$/.test(accessToken)) {
    // No snippet: a malformed success body may still contain a token.
    throw new UnexpectedResponseError(
      `The token endpoint returned HTTP ${response.status} without a usable access_token${parsed === undefined ? ' (the body is not JSON)' : ''}.`,
      { status: response.status },
    );
  }
  // Without a usable expires_in, assume 1 hour; a 401 still renews an expired token at once.
  const expiresInSeconds = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600;
  return { accessToken, expiresInSeconds };
}

function tokenEndpointError(
  tokenUrl: string,
  response: Response,
  parsed: unknown,
  text: string,
  attempt: number,
): CentralError {
  const fields = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const oauthError = typeof fields['error'] === 'string' ? fields['error'] : undefined;
  const description = typeof fields['error_description'] === 'string' ? fields['error_description'] : undefined;
  const details = {
    status: response.status,
    errorCode: oauthError,
    body: parsed ?? text.slice(0, 200),
    headers: response.headers,
    requestId: undefined,
    attempts: attempt,
  };

  if (oauthError !== undefined && CREDENTIAL_ERRORS.has(oauthError)) {
    return new AuthenticationError({
      ...details,
      message: `The token endpoint rejected the client credentials (${oauthError}${description ? `: ${description}` : ''}). Check the client id and secret.`,
    });
  }
  const detail = description ?? oauthError ?? (parsed === undefined ? `non-JSON body: ${text.replace(/\s+/g, ' ').slice(0, 200)}` : 'no description');
  return createApiError({
    ...details,
    message: `The token request to ${tokenUrl} failed with HTTP ${response.status}: ${detail}.${response.status === 404 || response.status === 405 ? ' Check the token URL.' : ''}`,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
  });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

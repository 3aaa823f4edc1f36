import { inspect } from 'node:util';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  AuthenticationError,
  CentralError,
  DEFAULT_TOKEN_URL,
  InvalidArgumentError,
  type Logger,
  RequestTimeoutError,
  ServerError,
  type TroubleshootingClientOptions,
  UnexpectedResponseError,
  createTroubleshootingClient,
} from '../../src/index.js';
import {
  type FakeFetch,
  type RecordedRequest,
  type Reply,
  createFakeFetch,
  delayedReply,
  hangingReply,
  jsonReply,
  networkErrorReply,
  operationPath,
  rejectionOf,
  routeByOrigin,
  startPath,
  startedReply,
  startedReplyWithLocation,
  statusReply,
  textReply,
  tokenReply,
} from '../helpers/fake-fetch.js';

const API_ORIGIN = 'https://central.test';
const TOKEN_ORIGIN = 'https://sso.test';
const TOKEN_PATH = '/as/token.oauth2';
const TOKEN_URL = `${TOKEN_ORIGIN}${TOKEN_PATH}`;
const CLIENT_ID = 'cable-test-client';
// The characters after the marker need percent-encoding in a form body.
const CLIENT_SECRET_MARKER = 'cs-Wt4Rb8Pn3Hs6Qz';
const CLIENT_SECRET = `${CLIENT_SECRET_MARKER}+/=&%`;
// Every token in these tests starts with this marker, so one check covers all of them.
const TOKEN_MARKER = 'at-Vq7Kx2Lm9Jd';
const SECRET_MARKERS = [CLIENT_SECRET_MARKER, TOKEN_MARKER];

const SERIAL = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const REF = { serialNumber: SERIAL, taskId: TASK_ID };
const TARGET = { serialNumber: SERIAL, ports: ['3', '6'] };
const STATUS_PATH = operationPath(SERIAL, TASK_ID);
const START_PATH = startPath(SERIAL);

const UNAUTHORIZED = jsonReply(401, { errorCode: 'HPE_GRAVITY_UNAUTHORIZED', message: 'Authentication required.' });

/** Every call the client made to the test logger, as [level, ...arguments]. */
let logCalls: unknown[][] = [];

const logger: Logger = {
  debug: (...args) => void logCalls.push(['debug', ...args]),
  info: (...args) => void logCalls.push(['info', ...args]),
  warn: (...args) => void logCalls.push(['warn', ...args]),
  error: (...args) => void logCalls.push(['error', ...args]),
};

/** A token the fake token endpoint issued, with the fake clock time of its issue. */
interface IssuedToken {
  token: string;
  issuedAt: number;
}

/** Fake token endpoint and API, reached through one fetch that routes by origin. */
interface Setup {
  tokenFake: FakeFetch;
  apiFake: FakeFetch;
  fetch: typeof fetch;
  /** URLs of all requests, in order, to any origin. */
  urls: string[];
  issued: IssuedToken[];
}

/**
 * Creates the fakes. Once its queue is empty, the token endpoint issues `<TOKEN_MARKER>-1`,
 * `-2`, … with `expires_in` set to `expiresInSeconds` (left out when undefined).
 */
function createSetup(options: { expiresInSeconds?: number | undefined; tokenLatencyMs?: number } = {}): Setup {
  const expiresInSeconds = 'expiresInSeconds' in options ? options.expiresInSeconds : 7200;
  const issued: IssuedToken[] = [];
  const issueToken: Reply = (request, recorded) => {
    const token = `${TOKEN_MARKER}-${issued.length + 1}`;
    issued.push({ token, issuedAt: Date.now() });
    const body: Record<string, unknown> = { access_token: token, token_type: 'Bearer' };
    if (expiresInSeconds !== undefined) body['expires_in'] = expiresInSeconds;
    return jsonReply(200, body)(request, recorded);
  };

  const tokenFake = createFakeFetch().route(
    'POST',
    TOKEN_PATH,
    options.tokenLatencyMs === undefined ? issueToken : delayedReply(options.tokenLatencyMs, issueToken),
  );
  const apiFake = createFakeFetch();
  const router = routeByOrigin({ [TOKEN_ORIGIN]: tokenFake, [API_ORIGIN]: apiFake });
  return { tokenFake, apiFake, fetch: router.fetch, urls: router.urls, issued };
}

function newClient(setup: Setup, options: Partial<TroubleshootingClientOptions> = {}) {
  return createTroubleshootingClient({
    baseUrl: API_ORIGIN,
    credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: TOKEN_URL },
    fetch: setup.fetch,
    logger,
    ...options,
  });
}

function bearerOf(request: RecordedRequest | undefined): string | undefined {
  return request?.headers.authorization;
}

/** Checks every place a caller could print an error for the client secret and the tokens. */
function expectNoSecrets(error: unknown): void {
  const printed: Record<string, string> = {
    'error.message': (error as Error).message,
    'String(error)': String(error),
    'JSON.stringify(error)': JSON.stringify(error),
    'error.stack': String((error as Error).stack),
    'inspect(error)': inspect(error, { depth: 6 }),
  };
  for (const marker of SECRET_MARKERS) {
    for (const [where, text] of Object.entries(printed)) {
      expect(text, `${where} contains ${marker}`).not.toContain(marker);
    }
  }
}

/** Returns what `create` throws, or fails the test when it throws nothing. */
function errorOf(create: () => unknown): unknown {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(CentralError);
    return error;
  }
  throw new Error('Expected an error, but none was thrown.');
}

beforeEach(() => {
  vi.useFakeTimers();
  logCalls = [];
});

afterEach(() => {
  // No test may log a secret, whatever it checks otherwise.
  const logged = inspect(logCalls, { depth: 8 });
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const marker of SECRET_MARKERS) {
    expect(logged, `a log line contains ${marker}`).not.toContain(marker);
  }
});

describe('client credentials', () => {
  it('token request: posts form-encoded client credentials', async () => {
    const setup = createSetup();
    setup.apiFake.route('GET', STATUS_PATH, statusReply('RUNNING'));

    const state = newClient(setup).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await state;

    const tokenRequest = setup.tokenFake.requests[0];
    expect(setup.tokenFake.requests).toHaveLength(1);
    expect(tokenRequest?.method).toBe('POST');
    expect(tokenRequest?.url).toBe(TOKEN_URL);
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequest?.body ?? ''))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('token request: API request carries the issued token', async () => {
    const setup = createSetup();
    setup.apiFake.route('GET', STATUS_PATH, statusReply('RUNNING'));

    const state = newClient(setup).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(setup.urls).toEqual([TOKEN_URL, `${API_ORIGIN}${STATUS_PATH}`]);
    expect(bearerOf(setup.apiFake.requests[0])).toBe(`Bearer ${TOKEN_MARKER}-1`);
    // The logger received lines, so the secret check after each test has something to read.
    expect(logCalls.map((call) => call[1])).toContain('Fetched a new access token');
  });

  it('token cache: one token request for sequential calls', async () => {
    const setup = createSetup();
    setup.apiFake.route('GET', STATUS_PATH, statusReply('RUNNING'));
    const client = newClient(setup);

    const first = client.getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await first;
    await vi.advanceTimersByTimeAsync(60_000);
    const second = client.getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await second;

    expect(setup.tokenFake.requests).toHaveLength(1);
    expect(setup.apiFake.requests.map(bearerOf)).toEqual([`Bearer ${TOKEN_MARKER}-1`, `Bearer ${TOKEN_MARKER}-1`]);
  });

  it('token cache: not shared between clients', async () => {
    const setup = createSetup();
    setup.apiFake.route('GET', STATUS_PATH, statusReply('RUNNING'));
    const clientA = newClient(setup);
    const clientB = newClient(setup);

    const first = clientA.getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await first;
    const second = clientB.getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await second;

    expect(setup.tokenFake.requests).toHaveLength(2);
    expect(setup.apiFake.requests.map(bearerOf)).toEqual([`Bearer ${TOKEN_MARKER}-1`, `Bearer ${TOKEN_MARKER}-2`]);
  });

  // Renewal starts when 10% of the lifetime is left, but never more than 5 minutes early.
  it.each([
    ['120 s', 120, 108_000],
    ['3600 s (5-minute cap)', 3600, 3_300_000],
    ['a missing expires_in (1 hour)', undefined, 3_300_000],
  ])('token renewal: lifetime of %s', async (_case, expiresInSeconds, renewAfterMs) => {
    const setup = createSetup({ expiresInSeconds });
    setup.apiFake.route('GET', STATUS_PATH, statusReply('RUNNING'));
    const client = newClient(setup);
    const readStatus = async () => {
      const state = client.getCableTestStatus(REF);
      await vi.advanceTimersByTimeAsync(0);
      await state;
    };

    await readStatus();
    vi.advanceTimersByTime(renewAfterMs - 1);
    await readStatus();
    expect(setup.tokenFake.requests).toHaveLength(1);

    vi.advanceTimersByTime(1);
    await readStatus();
    expect(setup.tokenFake.requests).toHaveLength(2);
    expect(setup.apiFake.requests.map(bearerOf)).toEqual([
      `Bearer ${TOKEN_MARKER}-1`,
      `Bearer ${TOKEN_MARKER}-1`,
      `Bearer ${TOKEN_MARKER}-2`,
    ]);
  });

  it('token renewal: renews before expiry during a long wait', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const lifetimeMs = 120_000;
    const setup = createSetup({ expiresInSeconds: lifetimeMs / 1000 });
    const waitStartedAt = Date.now();
    // Like the real gateway, the fake API rejects an expired token with 401.
    setup.apiFake.route('GET', STATUS_PATH, (request, recorded) => {
      const token = bearerOf(recorded)?.replace(/^Bearer /, '');
      const issue = setup.issued.find((candidate) => candidate.token === token);
      if (issue === undefined || Date.now() >= issue.issuedAt + lifetimeMs) return UNAUTHORIZED(request, recorded);
      const status = Date.now() - waitStartedAt >= 5 * 60_000 ? 'COMPLETED' : 'RUNNING';
      return statusReply(status)(request, recorded);
    });

    const result = newClient(setup).waitForCableTest(REF, { timeoutMs: 20 * 60_000 });
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    await expect(result).resolves.toMatchObject({ status: 'COMPLETED' });
    expect(setup.issued.length).toBeGreaterThanOrEqual(3);
    // Each new token was fetched after 90% of the lifetime of the previous one, and before it expired.
    for (const [index, issue] of setup.issued.entries()) {
      const previous = setup.issued[index - 1];
      if (previous === undefined) continue;
      expect(issue.issuedAt - previous.issuedAt).toBeGreaterThanOrEqual(0.9 * lifetimeMs);
      expect(issue.issuedAt - previous.issuedAt).toBeLessThan(lifetimeMs);
    }
    // Every status request carried the newest token, so none was rejected.
    for (const request of setup.apiFake.requests) {
      const newest = setup.issued.filter((issue) => issue.issuedAt <= request.receivedAt).at(-1);
      expect(bearerOf(request)).toBe(`Bearer ${newest?.token}`);
    }
    expect(setup.tokenFake.requests).toHaveLength(setup.issued.length);
  });
});

describe('single flight', () => {
  it('single flight: concurrent calls share one token request', async () => {
    const setup = createSetup({ tokenLatencyMs: 500 });
    setup.apiFake.route('GET', STATUS_PATH, statusReply('COMPLETED'));
    const client = newClient(setup);

    const results = Promise.all([
      client.getCableTestStatus(REF),
      client.waitForCableTest(REF),
      client.getCableTestStatus(REF),
      client.waitForCableTest(REF),
    ]);
    await vi.advanceTimersByTimeAsync(1_000);

    await expect(results).resolves.toHaveLength(4);
    expect(setup.tokenFake.requests).toHaveLength(1);
    expect(setup.apiFake.requests.map(bearerOf)).toEqual(Array(4).fill(`Bearer ${TOKEN_MARKER}-1`));
  });

  it('single flight: abort rejects only its own caller', async () => {
    const setup = createSetup({ tokenLatencyMs: 1_000 });
    setup.apiFake.route('GET', STATUS_PATH, statusReply('COMPLETED'));
    const client = newClient(setup);
    const controller = new AbortController();
    const reason = new Error('the first caller gave up');
    const startedAt = Date.now();
    let abortedAt: number | undefined;

    // The aborted caller is the one whose call started the shared token request.
    const aborted = rejectionOf(
      client.getCableTestStatus(REF, { signal: controller.signal }).finally(() => (abortedAt = Date.now())),
    );
    const others = Promise.all([client.getCableTestStatus(REF), client.waitForCableTest(REF)]);
    await vi.advanceTimersByTimeAsync(400);
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);

    expect(await aborted).toBe(reason);
    expect(abortedAt! - startedAt).toBe(400);
    expect(setup.apiFake.requests).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(1_000);
    await expect(others).resolves.toMatchObject([{ status: 'COMPLETED' }, { status: 'COMPLETED' }]);
    expect(setup.tokenFake.requests).toHaveLength(1);
    expect(setup.apiFake.requests.map(bearerOf)).toEqual([`Bearer ${TOKEN_MARKER}-1`, `Bearer ${TOKEN_MARKER}-1`]);
  });

  it('single flight: a failed token request fails all and is not cached', async () => {
    const setup = createSetup({ tokenLatencyMs: 100 });
    setup.tokenFake.enqueue(
      delayedReply(100, jsonReply(401, { error: 'invalid_client', error_description: 'Client authentication failed.' })),
    );
    setup.apiFake.route('GET', STATUS_PATH, statusReply('RUNNING'));
    const client = newClient(setup);

    const failures = [rejectionOf(client.getCableTestStatus(REF)), rejectionOf(client.getCableTestStatus(REF))];
    await vi.advanceTimersByTimeAsync(1_000);
    const errors = await Promise.all(failures);

    expect(errors[0]).toBeInstanceOf(AuthenticationError);
    expect(errors[1]).toBe(errors[0]);
    expect(setup.tokenFake.requests).toHaveLength(1);
    expectNoSecrets(errors[0]);

    const state = client.getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(setup.tokenFake.requests).toHaveLength(2);
    expect(bearerOf(setup.apiFake.requests[0])).toBe(`Bearer ${TOKEN_MARKER}-1`);
  });
});

describe('401 renewal', () => {
  it('401 renewal: repeats a GET once with a new token', async () => {
    const setup = createSetup();
    setup.apiFake.enqueue(UNAUTHORIZED, statusReply('RUNNING'));

    const state = newClient(setup).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(setup.tokenFake.requests).toHaveLength(2);
    expect(setup.apiFake.requests.map((request) => [request.method, request.path, bearerOf(request)])).toEqual([
      ['GET', STATUS_PATH, `Bearer ${TOKEN_MARKER}-1`],
      ['GET', STATUS_PATH, `Bearer ${TOKEN_MARKER}-2`],
    ]);
  });

  it('401 renewal: repeats the start once with a new token', async () => {
    const setup = createSetup();
    setup.apiFake.enqueue(UNAUTHORIZED, startedReply(SERIAL, TASK_ID));

    const started = newClient(setup).startCableTest(TARGET);
    await vi.advanceTimersByTimeAsync(0);

    await expect(started).resolves.toMatchObject({ serialNumber: SERIAL, taskId: TASK_ID });
    expect(setup.tokenFake.requests).toHaveLength(2);
    expect(setup.apiFake.requests.map((request) => [request.method, request.path, bearerOf(request)])).toEqual([
      ['POST', START_PATH, `Bearer ${TOKEN_MARKER}-1`],
      ['POST', START_PATH, `Bearer ${TOKEN_MARKER}-2`],
    ]);
    expect(setup.apiFake.requests[1]?.body).toBe(setup.apiFake.requests[0]?.body);
  });

  it('401 renewal: renews even with maxRetries 0', async () => {
    const setup = createSetup();
    setup.apiFake.enqueue(UNAUTHORIZED, statusReply('RUNNING'));

    const state = newClient(setup, { maxRetries: 0 }).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(setup.apiFake.requests).toHaveLength(2);
  });

  it('401 renewal: second 401 on a GET is final', async () => {
    const setup = createSetup();
    setup.apiFake.route('GET', STATUS_PATH, UNAUTHORIZED);

    const failure = rejectionOf(newClient(setup).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect(setup.tokenFake.requests).toHaveLength(2);
    expect(setup.apiFake.requests.map(bearerOf)).toEqual([`Bearer ${TOKEN_MARKER}-1`, `Bearer ${TOKEN_MARKER}-2`]);
    expectNoSecrets(error);
  });

  it('401 renewal: second 401 on the start is final', async () => {
    const setup = createSetup();
    setup.apiFake.route('POST', START_PATH, UNAUTHORIZED);

    const failure = rejectionOf(newClient(setup).startCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(AuthenticationError);
    // A 401 means the gateway did not pass the start on, so no test can be running.
    expect((error as AuthenticationError).mayHaveStarted).toBe(false);
    expect((error as AuthenticationError).message).not.toMatch(/may have started/);
    expect(setup.tokenFake.requests).toHaveLength(2);
    expect(setup.apiFake.requests.map((request) => [request.method, bearerOf(request)])).toEqual([
      ['POST', `Bearer ${TOKEN_MARKER}-1`],
      ['POST', `Bearer ${TOKEN_MARKER}-2`],
    ]);
    expectNoSecrets(error);
  });

  it('401 renewal: concurrent 401s share one renewal', async () => {
    const setup = createSetup();
    setup.apiFake.enqueue(UNAUTHORIZED, UNAUTHORIZED).route('GET', STATUS_PATH, statusReply('RUNNING'));
    const client = newClient(setup);

    const states = Promise.all([client.getCableTestStatus(REF), client.getCableTestStatus(REF)]);
    await vi.advanceTimersByTimeAsync(0);

    await expect(states).resolves.toHaveLength(2);
    expect(setup.tokenFake.requests).toHaveLength(2);
    expect(setup.apiFake.requests.map(bearerOf)).toEqual([
      `Bearer ${TOKEN_MARKER}-1`,
      `Bearer ${TOKEN_MARKER}-1`,
      `Bearer ${TOKEN_MARKER}-2`,
      `Bearer ${TOKEN_MARKER}-2`,
    ]);
  });

  it.each([
    ['string', `${TOKEN_MARKER}-static`],
    ['function', () => `${TOKEN_MARKER}-static`],
  ])('401 renewal: not for a %s token', async (_case, token) => {
    const setup = createSetup();
    setup.apiFake.route('GET', STATUS_PATH, UNAUTHORIZED);

    const failure = rejectionOf(newClient(setup, { credentials: undefined, token }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(setup.apiFake.requests.map(bearerOf)).toEqual([`Bearer ${TOKEN_MARKER}-static`]);
    expect(setup.tokenFake.requests).toHaveLength(0);
    expectNoSecrets(error);
  });
});

describe('token endpoint errors', () => {
  it.each([
    ['invalid_client', 401],
    ['invalid_grant', 400],
    ['unauthorized_client', 400],
    ['access_denied', 403],
  ])('token endpoint: %s is an AuthenticationError', async (code, status) => {
    const description = `The client ${CLIENT_ID} may not use this grant (${code}).`;
    const setup = createSetup();
    setup.tokenFake.enqueue(jsonReply(status, { error: code, error_description: description }));

    const failure = rejectionOf(newClient(setup).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toContain(description);
    expect((error as AuthenticationError).errorCode).toBe(code);
    // Wrong credentials stay wrong, so the token request is not repeated.
    expect(setup.tokenFake.requests).toHaveLength(1);
    expect(setup.apiFake.requests).toHaveLength(0);
    expectNoSecrets(error);
  });

  // Each case: the first reply, and the time until the second token request. The backoff
  // without jitter is 500 ms, and the timeout case first waits for requestTimeoutMs (1 s).
  it.each([
    ['503', jsonReply(503, { error: 'temporarily_unavailable' }), 500],
    ['500 HTML page', textReply(500, '<html><body>Internal Server Error</body></html>'), 500],
    ['429 with Retry-After', jsonReply(429, { error: 'slow_down' }, { 'retry-after': '2' }), 2_000],
    ['ECONNRESET', networkErrorReply('ECONNRESET'), 500],
    ['a timeout', hangingReply(), 1_000 + 500],
  ])('token endpoint: retries after %s', async (_case, failingReply, gapMs) => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const setup = createSetup();
    setup.tokenFake.enqueue(failingReply);
    setup.apiFake.route('GET', STATUS_PATH, statusReply('RUNNING'));

    const state = newClient(setup, { requestTimeoutMs: 1_000 }).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    expect(setup.tokenFake.requests).toHaveLength(2);
    expect(setup.tokenFake.gaps()).toEqual([gapMs]);
    expect(bearerOf(setup.apiFake.requests[0])).toBe(`Bearer ${TOKEN_MARKER}-1`);
  });

  it('token endpoint: gives up after maxRetries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const setup = createSetup();
    setup.tokenFake.enqueue(...Array(3).fill(jsonReply(503, { error: 'temporarily_unavailable' })));

    const failure = rejectionOf(newClient(setup, { maxRetries: 2 }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(ServerError);
    expect(setup.tokenFake.requests).toHaveLength(3);
    expect(setup.apiFake.requests).toHaveLength(0);
    expectNoSecrets(error);
  });

  it('token endpoint: reports a timeout after maxRetries', async () => {
    const setup = createSetup();
    setup.tokenFake.enqueue(hangingReply());

    const failure = rejectionOf(newClient(setup, { maxRetries: 0, requestTimeoutMs: 1_000 }).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(setup.apiFake.requests).toHaveLength(0);
    expectNoSecrets(error);
  });

  it('token endpoint: non-JSON 200 is an UnexpectedResponseError', async () => {
    const setup = createSetup();
    // Some OAuth servers return the token form-encoded, so the body contains the token.
    setup.tokenFake.enqueue(
      textReply(200, `access_token=${TOKEN_MARKER}-form&token_type=bearer&expires_in=7200`, {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    );

    const failure = rejectionOf(newClient(setup).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).message).toMatch(/not JSON/);
    expect(setup.tokenFake.requests).toHaveLength(1);
    expect(setup.apiFake.requests).toHaveLength(0);
    expectNoSecrets(error);
  });

  it.each([
    ['no access_token', { token: `${TOKEN_MARKER}-misnamed`, expires_in: 7200 }],
    ['an empty access_token', { access_token: '', expires_in: 7200 }],
    ['a numeric access_token', { access_token: 12345, expires_in: 7200 }],
    ['a JSON null body', null],
  ])('token endpoint: 200 with %s is an UnexpectedResponseError', async (_case, body) => {
    const setup = createSetup();
    setup.tokenFake.enqueue(jsonReply(200, body));

    const failure = rejectionOf(newClient(setup).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(setup.tokenFake.requests).toHaveLength(1);
    expect(setup.apiFake.requests).toHaveLength(0);
    expectNoSecrets(error);
  });

  // A token goes into the Authorization header, which carries only visible ASCII (RFC 6750).
  it.each([
    ['a NUL', `${TOKEN_MARKER}-\u0000x`],
    ['a control character', `${TOKEN_MARKER}-\u0001x`],
    ['a non-Latin-1 character', `${TOKEN_MARKER}-\u20acx`],
  ])('token endpoint: token with %s is an UnexpectedResponseError', async (_case, token) => {
    const setup = createSetup();
    setup.tokenFake.enqueue(tokenReply(token));

    const failure = rejectionOf(newClient(setup).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expectNoSecrets(error);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(setup.apiFake.requests).toHaveLength(0);
  });
});

describe('redaction', () => {
  it('redaction: no secret in the logs of retries and renewals', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const setup = createSetup();
    setup.tokenFake.enqueue(jsonReply(503, { error: 'temporarily_unavailable' }));
    setup.apiFake.enqueue(UNAUTHORIZED, jsonReply(503, { message: 'Try again later.' }), statusReply('RUNNING'));

    const state = newClient(setup).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
    const messages = logCalls.map((call) => String(call[1]));
    expect(messages.some((message) => message.startsWith('Retrying the token request'))).toBe(true);
    expect(messages.some((message) => message.startsWith('Renewing the access token'))).toBe(true);
    expect(messages.some((message) => message.startsWith('Retrying in ') && message.includes(': Reading cable test'))).toBe(true);
    // The check itself runs after each test, on every logger call.
  });
});

describe('token destination', () => {
  it('token destination: token endpoint gets no Authorization', async () => {
    const setup = createSetup();
    const redirectModes: Record<string, RequestRedirect> = {};
    const recordRedirect = (reply: Reply): Reply => (request, recorded) => {
      redirectModes[recorded.path] = request.redirect;
      return reply(request, recorded);
    };
    setup.tokenFake.enqueue(recordRedirect(tokenReply(`${TOKEN_MARKER}-1`)));
    setup.apiFake.route('GET', STATUS_PATH, recordRedirect(statusReply('RUNNING')));

    const state = newClient(setup).getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await state;

    const [tokenRequest] = setup.tokenFake.requests;
    const [apiRequest] = setup.apiFake.requests;
    expect(tokenRequest?.headers.authorization).toBeUndefined();
    expect(tokenRequest?.url).toBe(TOKEN_URL);
    expect(apiRequest?.url).not.toContain(CLIENT_SECRET_MARKER);
    expect(JSON.stringify(apiRequest?.headers)).not.toContain(CLIENT_SECRET_MARKER);
    // Following a redirect could carry the credentials or the token to another host.
    expect(redirectModes).toEqual({ [TOKEN_PATH]: 'error', [STATUS_PATH]: 'manual' });
  });

  it('token destination: location on another host is not requested', async () => {
    const setup = createSetup();
    setup.apiFake
      .enqueue(startedReplyWithLocation(`https://elsewhere.test${STATUS_PATH}`))
      .route('GET', STATUS_PATH, statusReply('COMPLETED'));

    const result = newClient(setup).runCableTest(TARGET);
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(result).resolves.toMatchObject({ taskId: TASK_ID });
    expect(setup.urls).toEqual([TOKEN_URL, `${API_ORIGIN}${START_PATH}`, `${API_ORIGIN}${STATUS_PATH}`]);
    expect(setup.apiFake.requests.map(bearerOf)).toEqual([`Bearer ${TOKEN_MARKER}-1`, `Bearer ${TOKEN_MARKER}-1`]);
  });
});

describe('client options', () => {
  it('options: both token and credentials rejected', () => {
    const setup = createSetup();

    const create = () => newClient(setup, { token: `${TOKEN_MARKER}-static` });

    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(/both token and credentials/);
    expectNoSecrets(errorOf(create));
  });

  it('options: neither token nor credentials rejected', () => {
    const setup = createSetup();

    const error = errorOf(() => newClient(setup, { credentials: undefined }));

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('token');
    expect((error as InvalidArgumentError).message).toMatch(/credentials \{ clientId, clientSecret \}/);
  });

  it.each([
    ['a missing clientId', { clientSecret: CLIENT_SECRET }, 'credentials.clientId'],
    ['an empty clientId', { clientId: ' ', clientSecret: CLIENT_SECRET }, 'credentials.clientId'],
    ['a missing clientSecret', { clientId: CLIENT_ID }, 'credentials.clientSecret'],
    ['an empty clientSecret', { clientId: CLIENT_ID, clientSecret: '' }, 'credentials.clientSecret'],
    ['a non-string clientSecret', { clientId: CLIENT_ID, clientSecret: 42 }, 'credentials.clientSecret'],
    ['a string', CLIENT_SECRET, 'credentials'],
    ['null', null, 'credentials'],
  ])('options: credentials with %s rejected', (_case, credentials, argument) => {
    const setup = createSetup();

    const error = errorOf(() => newClient(setup, { credentials: credentials as TroubleshootingClientOptions['credentials'] }));

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expectNoSecrets(error);
    expect(setup.urls).toEqual([]);
  });

  it('options: default token URL is GreenLake SSO', async () => {
    const tokenFake = createFakeFetch().route('POST', TOKEN_PATH, tokenReply(`${TOKEN_MARKER}-1`));
    const apiFake = createFakeFetch().route('GET', STATUS_PATH, statusReply('RUNNING'));
    const router = routeByOrigin({ [new URL(DEFAULT_TOKEN_URL).origin]: tokenFake, [API_ORIGIN]: apiFake });
    const client = createTroubleshootingClient({
      baseUrl: API_ORIGIN,
      credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      fetch: router.fetch,
    });

    const state = client.getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await state;

    expect(DEFAULT_TOKEN_URL).toBe('https://sso.common.cloud.hpe.com/as/token.oauth2');
    expect(router.urls).toEqual([DEFAULT_TOKEN_URL, `${API_ORIGIN}${STATUS_PATH}`]);
  });
});

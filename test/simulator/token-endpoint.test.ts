import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { DEMO_CLIENT, type Simulator, type SimulatorOptions, start } from '../../src/simulator/index.js';

const START_PATH = '/network-troubleshooting/v1alpha1/aos-s/SIM-HEALTHY-01/cableTest';
const CLIENT = { clientId: 'lab-client', clientSecret: 'lab-secret' };
const T0 = Date.parse('2025-05-21T05:00:00.000Z');

let sim: Simulator | undefined;

async function startWith(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await start(options);
  return sim;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});

afterEach(async () => {
  vi.useRealTimers();
  await sim?.close();
  sim = undefined;
});

function requestToken(
  target: Simulator,
  form: Record<string, string>,
  headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' },
): Promise<Response> {
  return fetch(target.tokenUrl, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
}

function clientForm(client: { clientId: string; clientSecret: string }): Record<string, string> {
  return { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret };
}

async function issuedToken(target: Simulator, client = CLIENT): Promise<string> {
  const response = await requestToken(target, clientForm(client));
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function postStart(target: Simulator, token: string): Promise<Response> {
  return fetch(`${target.url}${START_PATH}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"ports":["1"]}',
  });
}

describe('simulator: token endpoint', () => {
  it('issues a token to the demo client', async () => {
    const target = await startWith();

    const response = await requestToken(target, clientForm(DEMO_CLIENT));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3600);
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('issues a fresh token each time', async () => {
    const target = await startWith({ clients: [CLIENT] });

    const first = await issuedToken(target);
    const second = await issuedToken(target);

    expect(first).not.toBe(second);
  });

  it('sets expires_in', async () => {
    const target = await startWith({ clients: [CLIENT], tokenExpiresInSeconds: 60 });

    const response = await requestToken(target, clientForm(CLIENT));

    expect(await response.json()).toMatchObject({ expires_in: 60 });
  });

  it('accepts HTTP Basic client authentication', async () => {
    const target = await startWith({ clients: [CLIENT] });
    const basic = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64');

    const response = await requestToken(
      target,
      { grant_type: 'client_credentials' },
      { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    );

    expect(response.status).toBe(200);
    expect(target.requests[0]?.headers.authorization).toBe('Basic <redacted>');
  });

  it('never records the client secret', async () => {
    const target = await startWith({ clients: [CLIENT] });

    await issuedToken(target);

    expect(target.requests[0]?.kind).toBe('token');
    expect(target.requests[0]?.body).toBe('grant_type=client_credentials&client_id=lab-client&client_secret=<redacted>');
    expect(JSON.stringify(target.requests)).not.toContain(CLIENT.clientSecret);
  });

  const rejected: [string, Record<string, string>, number, string][] = [
    ['wrong secret', clientForm({ ...CLIENT, clientSecret: 'guess' }), 401, 'invalid_client'],
    ['unknown client', clientForm({ clientId: 'nobody', clientSecret: 'lab-secret' }), 401, 'invalid_client'],
    ['missing secret', { grant_type: 'client_credentials', client_id: 'lab-client' }, 401, 'invalid_client'],
    ['missing grant type', { client_id: 'lab-client', client_secret: 'lab-secret' }, 400, 'invalid_request'],
    ['password grant', { ...clientForm(CLIENT), grant_type: 'password' }, 400, 'unsupported_grant_type'],
  ];

  it.each(rejected)('rejects %s', async (_case, form, status, error) => {
    const target = await startWith({ clients: [CLIENT] });

    const response = await requestToken(target, form);

    expect(response.status).toBe(status);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe(error);
    expect(body.error_description).toEqual(expect.any(String));
  });

  it('rejects a JSON token request', async () => {
    const target = await startWith();

    const response = await fetch(target.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(clientForm(DEMO_CLIENT)),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('rejects GET with 405', async () => {
    const target = await startWith();

    const response = await fetch(target.tokenUrl);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('simulator: token checks', () => {
  it('accepts an issued token', async () => {
    const target = await startWith({ clients: [CLIENT] });
    const token = await issuedToken(target);

    const response = await postStart(target, token);

    expect(response.status).toBe(202);
  });

  it('rejects a token it did not issue', async () => {
    const target = await startWith({ clients: [CLIENT] });

    const response = await postStart(target, 'made-up-token');

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_UNAUTHORIZED' });
    expect(target.tasks).toHaveLength(0);
  });

  it('rejects an expired token', async () => {
    const target = await startWith({ clients: [CLIENT], tokenExpiresInSeconds: 60 });
    const token = await issuedToken(target);

    vi.setSystemTime(T0 + 59_999);
    const beforeExpiry = await postStart(target, token);
    vi.setSystemTime(T0 + 60_000);
    const atExpiry = await postStart(target, token);

    expect(beforeExpiry.status).toBe(202);
    expect(atExpiry.status).toBe(401);
    expect(((await atExpiry.json()) as { message: string }).message).toContain('expired at 2025-05-21T05:01:00.000Z');
    expect(target.requests.at(-1)?.fault).toBe('token-expired');
  });

  it('forgets issued tokens on reset', async () => {
    const target = await startWith({ clients: [CLIENT] });
    const token = await issuedToken(target);

    target.reset();

    expect((await postStart(target, token)).status).toBe(401);
  });
});

describe('simulator: token faults', () => {
  it('fails the first 2 token requests with 503', async () => {
    const target = await startWith({ tokenFaults: [{ kind: 'json-error', status: 503, count: 2 }] });

    const first = await requestToken(target, clientForm(DEMO_CLIENT));
    const second = await requestToken(target, clientForm(DEMO_CLIENT));
    const third = await requestToken(target, clientForm(DEMO_CLIENT));

    expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
    expect(await first.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'HTTP 503 (simulated fault).' });
  });

  it('returns HTML for a token request', async () => {
    const target = await startWith({ tokenFaults: [{ kind: 'not-json', count: 1 }] });

    const response = await requestToken(target, clientForm(DEMO_CLIENT));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<html>');
    expect(target.requests[0]?.fault).toBe('not-json');
  });
});

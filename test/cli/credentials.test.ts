import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_API_ERROR, EXIT_SUCCESS, EXIT_USAGE_ERROR } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/program.js';

// Secrets no output could contain by chance: every run checks that none is printed.
const CLIENT_SECRET = 'sec-91b2-CLIENT-SECRET-do-not-print';
const ISSUED_TOKEN = 'tok-55e0-ISSUED-TOKEN-do-not-print';
const STATIC_TOKEN = 'tok-7c41-STATIC-TOKEN-do-not-print';
const SECRETS = [CLIENT_SECRET, ISSUED_TOKEN, STATIC_TOKEN];

const LOCAL_URL = 'http://127.0.0.1:9';
const TOKEN_URL = `${LOCAL_URL}/as/token.oauth2`;
const SERIAL_NUMBER = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const START_PATH = `/network-troubleshooting/v1alpha1/aos-s/${SERIAL_NUMBER}/cableTest`;
const STATUS_PATH = `${START_PATH}/async-operations/${TASK_ID}`;
const ARGS = ['cable-test', SERIAL_NUMBER, '3'];

const PAIRS = ['1-2', '3-6', '4-5', '7-8'].map((pairName) => ({ length: '12', status: 'Good', pairName }));
const COMPLETED = {
  status: 'COMPLETED',
  progressPercent: 100,
  output: { ports: ['3'], results: [{ interfaceName: '3', cablePairDiagnostics: PAIRS }] },
  failReason: null,
};

interface SentRequest {
  method: string;
  url: string;
  authorization: string | null;
  body: string;
}

/**
 * Fake Central and token endpoint behind one fetch function: nothing leaves the process.
 * `tokenReply` replaces the token endpoint's response.
 */
function fakeCentral(tokenReply?: { status: number; body: unknown }) {
  const requests: SentRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    requests.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get('authorization'),
      body: await request.text(),
    });

    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

    if (request.url === TOKEN_URL) {
      return tokenReply === undefined
        ? json(200, { access_token: ISSUED_TOKEN, token_type: 'Bearer', expires_in: 7200 })
        : json(tokenReply.status, tokenReply.body);
    }
    if (request.method === 'POST' && url.pathname === START_PATH) {
      return json(202, { location: STATUS_PATH, status: 'INITIATED' });
    }
    if (request.method === 'GET' && url.pathname === STATUS_PATH) return json(200, COMPLETED);
    throw new Error(`The fake Central has no reply for ${request.method} ${request.url}.`);
  };
  return { fetch, requests };
}

async function runCli(argv: string[], env: Record<string, string>, fetch: typeof globalThis.fetch) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(argv, {
    env,
    fetch,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });

  for (const secret of SECRETS) {
    expect(stdout).not.toContain(secret);
    expect(stderr).not.toContain(secret);
  }
  return { exitCode, stdout, stderr };
}

const CREDENTIALS_ENV = {
  CENTRAL_BASE_URL: LOCAL_URL,
  CENTRAL_CLIENT_ID: 'sim-client',
  CENTRAL_CLIENT_SECRET: CLIENT_SECRET,
  CENTRAL_TOKEN_URL: TOKEN_URL,
};

describe('cli: credentials', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'cli-credentials-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('cli: client credentials from the environment', async () => {
    const central = fakeCentral();

    const { exitCode, stdout } = await runCli(ARGS, CREDENTIALS_ENV, central.fetch);

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stdout).toContain('1 port tested: 1 good');
    const [tokenRequest, ...apiRequests] = central.requests;
    expect(tokenRequest?.url).toBe(TOKEN_URL);
    expect(tokenRequest?.authorization).toBeNull();
    expect(Object.fromEntries(new URLSearchParams(tokenRequest?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'sim-client',
      client_secret: CLIENT_SECRET,
    });
    expect(apiRequests.map((request) => request.authorization)).toEqual([
      `Bearer ${ISSUED_TOKEN}`,
      `Bearer ${ISSUED_TOKEN}`,
    ]);
  });

  it('cli: debug output hides the secrets', async () => {
    const central = fakeCentral();

    const { exitCode, stderr } = await runCli(ARGS, { ...CREDENTIALS_ENV, CENTRAL_DEBUG: '1' }, central.fetch);

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stderr).toContain('debug: Fetched a new access token');
  });

  it('cli: client secret read from a file', async () => {
    const central = fakeCentral();
    const secretFile = join(folder, 'secret');
    writeFileSync(secretFile, `${CLIENT_SECRET}\n`);
    const { CENTRAL_CLIENT_SECRET: _unused, ...env } = CREDENTIALS_ENV;

    const { exitCode } = await runCli(ARGS, { ...env, CENTRAL_CLIENT_SECRET_FILE: secretFile }, central.fetch);

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(central.requests[0]?.body).toContain(`client_secret=${CLIENT_SECRET}`);
  });

  it('cli: unreadable secret file is a usage error', async () => {
    const central = fakeCentral();
    const { CENTRAL_CLIENT_SECRET: _unused, ...env } = CREDENTIALS_ENV;

    const { exitCode, stderr } = await runCli(
      ARGS,
      { ...env, CENTRAL_CLIENT_SECRET_FILE: join(folder, 'missing') },
      central.fetch,
    );

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toMatch(/cannot read CENTRAL_CLIENT_SECRET_FILE .*missing.* \(ENOENT\)/);
    expect(central.requests).toHaveLength(0);
  });

  it('cli: client id without secret', async () => {
    const central = fakeCentral();
    const { CENTRAL_CLIENT_SECRET: _unused, ...env } = CREDENTIALS_ENV;

    const { exitCode, stderr } = await runCli(ARGS, env, central.fetch);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('CENTRAL_CLIENT_SECRET is not');
    expect(central.requests).toHaveLength(0);
  });

  it('cli: token and client credentials conflict', async () => {
    const central = fakeCentral();

    const { exitCode, stderr } = await runCli(ARGS, { ...CREDENTIALS_ENV, CENTRAL_TOKEN: STATIC_TOKEN }, central.fetch);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('both CENTRAL_TOKEN and client credentials');
    expect(central.requests).toHaveLength(0);
  });

  it('cli: rejected credentials exit 3', async () => {
    const central = fakeCentral({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    });

    const { exitCode, stderr } = await runCli(ARGS, CREDENTIALS_ENV, central.fetch);

    expect(exitCode).toBe(EXIT_API_ERROR);
    expect(stderr).toContain('invalid_client: Client authentication failed');
    expect(central.requests.map((request) => request.url)).toEqual([TOKEN_URL]);
  });

  it('cli: secret flag is refused', async () => {
    const central = fakeCentral();

    const { exitCode, stderr } = await runCli([...ARGS, `--client-secret=${CLIENT_SECRET}`], CREDENTIALS_ENV, central.fetch);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('CENTRAL_CLIENT_SECRET_FILE');
    expect(central.requests).toHaveLength(0);
  });
});

describe('cli: cluster', () => {
  it('cli: cluster from the environment', async () => {
    const requested: string[] = [];
    // Responds as Central would, but only records the URL: nothing is sent to the cluster.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      requested.push(request.url);
      const body = request.method === 'POST' ? { location: STATUS_PATH, status: 'INITIATED' } : COMPLETED;
      return new Response(JSON.stringify(body), {
        status: request.method === 'POST' ? 202 : 200,
        headers: { 'content-type': 'application/json' },
      });
    };

    const { exitCode } = await runCli(ARGS, { CENTRAL_CLUSTER: 'us-west-4', CENTRAL_TOKEN: STATIC_TOKEN }, fetch);

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(requested).toEqual([
      `https://us4.api.central.arubanetworks.com${START_PATH}`,
      `https://us4.api.central.arubanetworks.com${STATUS_PATH}`,
    ]);
  });

  it('cli: unknown cluster lists the names', async () => {
    const central = fakeCentral();

    const { exitCode, stderr } = await runCli([...ARGS, '--cluster', 'us-west-9'], { CENTRAL_TOKEN: STATIC_TOKEN }, central.fetch);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('unknown cluster "us-west-9" in --cluster');
    expect(stderr).toContain('us-west-4');
    expect(central.requests).toHaveLength(0);
  });

  it('cli: cluster and base URL conflict', async () => {
    const central = fakeCentral();

    const { exitCode, stderr } = await runCli(
      [...ARGS, '--cluster', 'us-west-4', '--base-url', LOCAL_URL],
      { CENTRAL_TOKEN: STATIC_TOKEN },
      central.fetch,
    );

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('both --base-url and --cluster are set');
    expect(central.requests).toHaveLength(0);
  });

  it('cli: missing gateway names the settings', async () => {
    const central = fakeCentral();

    const { exitCode, stderr } = await runCli(ARGS, { CENTRAL_TOKEN: STATIC_TOKEN }, central.fetch);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('CENTRAL_CLUSTER or CENTRAL_BASE_URL');
    expect(central.requests).toHaveLength(0);
  });
});

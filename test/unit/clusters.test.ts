import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  CLUSTERS,
  InvalidArgumentError,
  type TroubleshootingClientOptions,
  clusterBaseUrl,
  createTroubleshootingClient,
} from '../../src/index.js';
import {
  createFakeFetch,
  operationPath,
  routeByOrigin,
  statusReply,
  tokenReply,
} from '../helpers/fake-fetch.js';

const SERIAL = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const REF = { serialNumber: SERIAL, taskId: TASK_ID };
const STATUS_PATH = operationPath(SERIAL, TASK_ID);
const TOKEN_PATH = '/as/token.oauth2';
const TOKEN = 'cluster-test-token';
const CLIENT_SECRET = 'cs-Hm5Tq9Wz2Rk7';

// API gateway hosts of the clusters, written out here so a changed host fails this test.
const EXPECTED_HOSTS: [string, string][] = [
  ['eu-1', 'de1.api.central.arubanetworks.com'],
  ['eu-central-2', 'de2.api.central.arubanetworks.com'],
  ['eu-central-3', 'de3.api.central.arubanetworks.com'],
  ['us-1', 'us1.api.central.arubanetworks.com'],
  ['us-2', 'us2.api.central.arubanetworks.com'],
  ['us-west-4', 'us4.api.central.arubanetworks.com'],
  ['us-west-5', 'us5.api.central.arubanetworks.com'],
  ['us-east-1', 'us6.api.central.arubanetworks.com'],
  ['canada-1', 'ca1.api.central.arubanetworks.com'],
  ['apac-1', 'in.api.central.arubanetworks.com'],
  ['apac-east-1', 'jp1.api.central.arubanetworks.com'],
  ['apac-south-1', 'au1.api.central.arubanetworks.com'],
  ['internal', 'internal.api.central.arubanetworks.com'],
];

/**
 * Creates a client whose requests reach only a fake fetch for `apiOrigin` (and `tokenOrigin`,
 * when given). Reads one status and returns the URLs of all requests.
 */
async function readStatusThrough(
  apiOrigin: string,
  options: Partial<TroubleshootingClientOptions>,
  tokenOrigin?: string,
): Promise<string[]> {
  const apiFake = createFakeFetch().route('GET', STATUS_PATH, statusReply('RUNNING'));
  const fakes = { [apiOrigin]: apiFake };
  if (tokenOrigin !== undefined) fakes[tokenOrigin] = createFakeFetch().route('POST', TOKEN_PATH, tokenReply(TOKEN));
  const router = routeByOrigin(fakes);
  const client = createTroubleshootingClient({ token: TOKEN, fetch: router.fetch, ...options });

  const state = client.getCableTestStatus(REF);
  await vi.advanceTimersByTimeAsync(0);
  await expect(state).resolves.toMatchObject({ status: 'RUNNING' });
  expect(apiFake.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
  return router.urls;
}

/** Returns the error `create` throws, or fails the test when it throws nothing. */
function errorOf(create: () => unknown): InvalidArgumentError {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('Expected an InvalidArgumentError, but nothing was thrown.');
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('clusters', () => {
  it('clusters: lists the 13 known names', () => {
    expect([...CLUSTERS].sort()).toEqual(EXPECTED_HOSTS.map(([name]) => name).sort());
  });

  it.each(EXPECTED_HOSTS)('clusterBaseUrl: %s maps to %s', (name, host) => {
    expect(clusterBaseUrl(name)).toBe(`https://${host}`);
  });

  it.each(EXPECTED_HOSTS)('cluster option: %s sends requests to %s', async (name, host) => {
    const urls = await readStatusThrough(`https://${host}`, { cluster: name as TroubleshootingClientOptions['cluster'] });

    expect(urls).toEqual([`https://${host}${STATUS_PATH}`]);
  });

  it('cluster option: us-west-4 with credentials', async () => {
    const urls = await readStatusThrough(
      'https://us4.api.central.arubanetworks.com',
      {
        token: undefined,
        cluster: 'us-west-4',
        credentials: { clientId: 'cable-test-client', clientSecret: CLIENT_SECRET, tokenUrl: 'https://sso.test/as/token.oauth2' },
      },
      'https://sso.test',
    );

    expect(urls).toEqual(['https://sso.test/as/token.oauth2', `https://us4.api.central.arubanetworks.com${STATUS_PATH}`]);
  });

  it.each([
    ['an unknown name', 'us-west-9'],
    ['an upper-case name', 'US-WEST-4'],
    ['a host name', 'us4.api.central.arubanetworks.com'],
    ['an empty string', ''],
    ['an inherited property', 'toString'],
    ['__proto__', '__proto__'],
    ['a number', 4],
    ['null', null],
  ])('cluster option: %s rejected with the valid names', (_case, cluster) => {
    const fake = createFakeFetch();

    const error = errorOf(() =>
      createTroubleshootingClient({ cluster: cluster as TroubleshootingClientOptions['cluster'], token: TOKEN, fetch: fake.fetch }),
    );

    expect(error.argument).toBe('cluster');
    for (const [name] of EXPECTED_HOSTS) expect(error.message).toContain(name);
    expect(fake.requests).toHaveLength(0);
  });

  it('clusterBaseUrl: unknown name rejected', () => {
    const error = errorOf(() => clusterBaseUrl('mars-1'));

    expect(error.argument).toBe('cluster');
    expect(error.message).toContain('"mars-1"');
    expect(error.message).toContain('us-west-4');
  });

  it('cluster option: both cluster and baseUrl rejected', () => {
    const error = errorOf(() =>
      createTroubleshootingClient({ cluster: 'us-west-4', baseUrl: 'https://central.test', token: TOKEN }),
    );

    expect(error.message).toMatch(/both cluster .* and baseUrl .* are set/);
  });

  it('cluster option: neither cluster nor baseUrl rejected', () => {
    const error = errorOf(() => createTroubleshootingClient({ token: TOKEN }));

    expect(error.argument).toBe('baseUrl');
    expect(error.message).toMatch(/Missing cluster or baseUrl/);
  });
});

describe('loopback rule', () => {
  it.each([
    'http://central.test',
    'http://10.0.0.5:4010',
    'http://0.0.0.0:4010',
    'http://128.0.0.1:4010',
    'http://localhost.central.test:4010',
    'http://127.0.0.1.central.test:4010',
    'http://[::2]:4010',
    'http://[::ffff:10.0.0.5]:4010',
    'ftp://127.0.0.1:4010',
    'ws://127.0.0.1:4010',
  ])('baseUrl: %s rejected', (baseUrl) => {
    const fake = createFakeFetch();

    const error = errorOf(() => createTroubleshootingClient({ baseUrl, token: TOKEN, fetch: fake.fetch }));

    expect(error.argument).toBe('baseUrl');
    expect(error.message).toMatch(/must use https/);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://[::1]:4010', 'http://[::1]:4010'],
    ['http://localhost:4010', 'http://localhost:4010'],
    ['http://127.45.6.7:4010', 'http://127.45.6.7:4010'],
    ['HTTP://LOCALHOST:4010/', 'http://localhost:4010'],
  ])('baseUrl: loopback %s accepted', async (baseUrl, origin) => {
    const urls = await readStatusThrough(origin, { baseUrl });

    expect(urls).toEqual([`${origin}${STATUS_PATH}`]);
  });

  it('baseUrl: https on any host accepted', async () => {
    const urls = await readStatusThrough('https://central.test:8443', { baseUrl: 'https://central.test:8443' });

    expect(urls).toEqual([`https://central.test:8443${STATUS_PATH}`]);
  });

  it.each([
    ['user info', `https://admin:${CLIENT_SECRET}@central.test`],
    ['a query', `https://central.test/?access_token=${CLIENT_SECRET}`],
    ['user info over http', `http://admin:${CLIENT_SECRET}@central.test`],
  ])('baseUrl: %s rejected without showing it', (_case, baseUrl) => {
    const error = errorOf(() => createTroubleshootingClient({ baseUrl, token: TOKEN }));

    expect(error.argument).toBe('baseUrl');
    expect(error.message).not.toContain(CLIENT_SECRET);
    expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
    expect(String(error.stack)).not.toContain(CLIENT_SECRET);
  });

  it.each([
    'http://sso.test/as/token.oauth2',
    'http://10.0.0.5:4011/as/token.oauth2',
    'http://localhost.sso.test/as/token.oauth2',
    'ftp://127.0.0.1/as/token.oauth2',
    'sso.test/as/token.oauth2',
    '',
  ])('tokenUrl: %s rejected', (tokenUrl) => {
    const fake = createFakeFetch();

    const error = errorOf(() =>
      createTroubleshootingClient({
        baseUrl: 'https://central.test',
        credentials: { clientId: 'cable-test-client', clientSecret: CLIENT_SECRET, tokenUrl },
        fetch: fake.fetch,
      }),
    );

    expect(error.argument).toBe('credentials.tokenUrl');
    expect(error.message).not.toContain(CLIENT_SECRET);
    expect(fake.requests).toHaveLength(0);
  });

  // Fetch cannot send a URL with user info, and the URL would show the password in errors.
  it('tokenUrl: user info rejected', () => {
    const fake = createFakeFetch();

    const error = errorOf(() =>
      createTroubleshootingClient({
        baseUrl: 'https://central.test',
        credentials: {
          clientId: 'cable-test-client',
          clientSecret: CLIENT_SECRET,
          tokenUrl: `https://cable-test-client:${CLIENT_SECRET}@sso.test/as/token.oauth2`,
        },
        fetch: fake.fetch,
      }),
    );

    expect(error.argument).toBe('credentials.tokenUrl');
    expect(error.message).not.toContain(CLIENT_SECRET);
  });

  it.each(['http://127.0.0.1:4011', 'http://[::1]:4011', 'http://localhost:4011'])('tokenUrl: loopback %s accepted', async (tokenOrigin) => {
    const urls = await readStatusThrough(
      'https://central.test',
      {
        token: undefined,
        baseUrl: 'https://central.test',
        credentials: { clientId: 'cable-test-client', clientSecret: CLIENT_SECRET, tokenUrl: `${tokenOrigin}${TOKEN_PATH}` },
      },
      tokenOrigin,
    );

    expect(urls).toEqual([`${tokenOrigin}${TOKEN_PATH}`, `https://central.test${STATUS_PATH}`]);
  });
});

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { type FaultRule, type Simulator, start } from '../../src/simulator/index.js';

const PREFIX = '/network-troubleshooting/v1alpha1/aos-s';
const TOKEN = 'faults-token';
const T0 = Date.parse('2025-05-21T05:00:00.000Z');

const CUSTOM_SCENARIOS = {
  'SEQ-01': {
    faults: [
      { kind: 'empty-error', requests: 'status', count: 2, retryAfterSeconds: 3 },
      { kind: 'connection-reset', requests: 'status', count: 1 },
    ],
  },
  'AFTER-01': { faults: [{ kind: 'json-error', requests: 'start', count: 1, when: 'after', status: 504 }] },
  'ALWAYS-01': { faults: [{ kind: 'json-error', requests: 'status', status: 500 }] },
  'SLOW-BEFORE-01': { faults: [{ kind: 'delay', requests: 'status', delayMs: 150 }] },
  'SLOW-AFTER-01': { faults: [{ kind: 'delay', requests: 'start', delayMs: 150, when: 'after' }] },
  'SLOW-503-01': { faults: [{ kind: 'delay', delayMs: 100, count: 1 }, { kind: 'empty-error', count: 1 }] },
  '*': { faults: [{ kind: 'html-error', requests: 'start', count: 1, status: 503 }] },
} satisfies Record<string, { faults: FaultRule[] }>;

let sim: Simulator;

beforeAll(async () => {
  sim = await start({ durationMs: 1_000, scenarios: CUSTOM_SCENARIOS });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  sim.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

function headers(token = TOKEN): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

function postStart(serialNumber: string, token = TOKEN): Promise<Response> {
  return fetch(`${sim.url}${PREFIX}/${serialNumber}/cableTest`, {
    method: 'POST',
    headers: headers(token),
    body: JSON.stringify({ ports: ['1'] }),
  });
}

/** Starts a test, skipping any fault of the start request, and returns the status path. */
async function statusPathOf(serialNumber: string): Promise<string> {
  await (await postStart(serialNumber)).text();
  const task = sim.tasks.find((candidate) => candidate.serialNumber === serialNumber);
  if (task === undefined) throw new Error(`No test was started on ${serialNumber}.`);
  return `${PREFIX}/${serialNumber}/cableTest/async-operations/${task.taskId}`;
}

/** Sends a status request and returns its status, or `reset` when the connection dropped. */
async function poll(path: string, token = TOKEN): Promise<number | 'reset'> {
  try {
    const response = await fetch(`${sim.url}${path}`, { headers: headers(token) });
    await response.text();
    return response.status;
  } catch {
    return 'reset';
  }
}

async function pollTimes(path: string, times: number): Promise<(number | 'reset')[]> {
  const statuses: (number | 'reset')[] = [];
  for (let index = 0; index < times; index++) statuses.push(await poll(path));
  return statuses;
}

function statusRequests() {
  return sim.requests.filter((request) => request.kind === 'status');
}

describe('simulator: server errors', () => {
  it('gives the first 2 GETs a JSON 500', async () => {
    const path = await statusPathOf('SIM-500-01');

    const first = await fetch(`${sim.url}${path}`, { headers: headers() });
    const statuses = [first.status, ...(await pollTimes(path, 2))];

    expect(first.headers.get('content-type')).toBe('application/json');
    expect(await first.json()).toEqual({ errorCode: 'HPE_GRAVITY_INTERNAL_SERVER_ERROR', message: 'HTTP 500 (simulated fault).' });
    expect(statuses).toEqual([500, 500, 200]);
    expect(statusRequests().map((request) => request.fault)).toEqual(['json-error', 'json-error', null]);
  });

  it('gives the first 2 GETs a 502 page', async () => {
    const path = await statusPathOf('SIM-502-HTML-01');

    const first = await fetch(`${sim.url}${path}`, { headers: headers() });
    const statuses = [first.status, ...(await pollTimes(path, 2))];

    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await first.text()).toContain('<h1>502 Error</h1>');
    expect(statuses).toEqual([502, 502, 200]);
  });

  it('gives the first 2 GETs an empty 503', async () => {
    const path = await statusPathOf('SIM-503-EMPTY-01');

    const first = await fetch(`${sim.url}${path}`, { headers: headers() });
    const statuses = [first.status, ...(await pollTimes(path, 2))];

    expect(first.headers.get('content-length')).toBe('0');
    expect(first.headers.get('content-type')).toBeNull();
    expect(await first.text()).toBe('');
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('sends a 5xx burst in order', async () => {
    const path = await statusPathOf('SIM-5XX-BURST-01');

    const statuses = await pollTimes(path, 4);

    expect(statuses).toEqual([500, 502, 503, 200]);
    expect(statusRequests().map((request) => request.fault)).toEqual(['json-error', 'html-error', 'empty-error', null]);
  });

  it('fails the first start with 500', async () => {
    const first = await postStart('SIM-START-500-01');
    const second = await postStart('SIM-START-500-01');

    expect(first.status).toBe(500);
    expect(second.status).toBe(202);
    expect(sim.tasks).toHaveLength(1);
    expect(sim.tasks[0]?.taskId).toBe(sim.requests[1]?.taskId);
  });

  it('returns HTML with 200 once', async () => {
    const path = await statusPathOf('SIM-NOT-JSON-01');

    const first = await fetch(`${sim.url}${path}`, { headers: headers() });
    const second = await fetch(`${sim.url}${path}`, { headers: headers() });

    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await first.text()).toMatch(/^<!DOCTYPE html>/);
    expect(second.headers.get('content-type')).toBe('application/json');
  });

  it('applies rules in order', async () => {
    const path = await statusPathOf('SEQ-01');

    const first = await fetch(`${sim.url}${path}`, { headers: headers() });
    await first.text();
    const statuses = [first.status, ...(await pollTimes(path, 3))];

    expect(first.headers.get('retry-after')).toBe('3');
    expect(statuses).toEqual([503, 503, 'reset', 200]);
  });

  it('counts faults per device', async () => {
    const first = await postStart('SG-A');
    const second = await postStart('SG-B');
    const third = await postStart('SG-A');

    expect([first.status, second.status, third.status]).toEqual([503, 503, 202]);
  });

  it('applies uncounted rules to every request', async () => {
    const path = await statusPathOf('ALWAYS-01');

    expect(await pollTimes(path, 5)).toEqual([500, 500, 500, 500, 500]);
  });

  it('starts the test before an after fault', async () => {
    const response = await postStart('AFTER-01');

    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_GATEWAY_TIMEOUT' });
    expect(sim.tasks).toHaveLength(1);
    expect(sim.requests[0]?.taskId).toBe(sim.tasks[0]?.taskId);
  });
});

describe('simulator: connection resets', () => {
  it('resets the first 2 GETs', async () => {
    const path = await statusPathOf('SIM-RESET-01');

    const statuses = await pollTimes(path, 3);

    expect(statuses).toEqual(['reset', 'reset', 200]);
    expect(statusRequests().map((request) => [request.status, request.fault])).toEqual([
      [null, 'connection-reset'],
      [null, 'connection-reset'],
      [200, null],
    ]);
  });

  it('loses the response of a started test', async () => {
    const lost = await postStart('SIM-START-LOST-01').then(
      () => 'responded',
      () => 'reset',
    );
    const second = await postStart('SIM-START-LOST-01');

    expect(lost).toBe('reset');
    expect(second.status).toBe(202);
    expect(sim.tasks).toHaveLength(2);
    expect(sim.requests[0]?.taskId).toBe(sim.tasks[0]?.taskId);
  });
});

describe('simulator: rate limits', () => {
  it('returns 429 with Retry-After seconds', async () => {
    const first = await postStart('SIM-429-SECONDS-01');
    const second = await postStart('SIM-429-SECONDS-01');

    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(await first.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_TOO_MANY_REQUESTS' });
    expect(second.status).toBe(202);
    expect(sim.tasks).toHaveLength(1);
  });

  it('returns 429 with Retry-After date', async () => {
    vi.setSystemTime(T0 + 250);

    const first = await postStart('SIM-429-DATE-01');

    expect(first.status).toBe(429);
    // 1 s after 05:00:00.250, rounded up to the next whole second.
    expect(first.headers.get('retry-after')).toBe('Wed, 21 May 2025 05:00:02 GMT');
  });

  it('limits requests per second per token', async () => {
    vi.setSystemTime(T0 + 400);
    const path = await statusPathOf('SIM-RATE-LIMIT-01');

    const sameSecond = await pollTimes(path, 2);
    const otherToken = await poll(path, 'other-token');
    const limited = await fetch(`${sim.url}${path}`, { headers: headers() });
    vi.setSystemTime(T0 + 1_000);
    const nextSecond = await poll(path);

    expect(sameSecond).toEqual([200, 429]);
    expect(otherToken).toBe(200);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_TOO_MANY_REQUESTS' });
    expect(nextSecond).toBe(200);
    expect(sim.requests.filter((request) => request.fault === 'rate-limit')).toHaveLength(2);
  });

  it('does not limit other devices', async () => {
    await (await postStart('SIM-RATE-LIMIT-01')).text();
    await (await postStart('SIM-RATE-LIMIT-01')).text();

    const limited = await postStart('SIM-RATE-LIMIT-01');
    const elsewhere = await postStart('SIM-HEALTHY-01');

    expect(limited.status).toBe(429);
    expect(elsewhere.status).toBe(202);
  });

  it('applies the global limit to every device', async () => {
    const limited = await start({ rateLimit: { requestsPerSecond: 1, retryAfterFormat: 'http-date' } });
    try {
      const send = (serialNumber: string) =>
        fetch(`${limited.url}${PREFIX}/${serialNumber}/cableTest`, {
          method: 'POST',
          headers: headers(),
          body: '{"ports":["1"]}',
        });

      const first = await send('SG-1');
      const second = await send('SG-2');

      expect(first.status).toBe(202);
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('Wed, 21 May 2025 05:00:01 GMT');
    } finally {
      await limited.close();
    }
  });
});

describe('simulator: slow responses', () => {
  it('delays a status response', async () => {
    const path = await statusPathOf('SLOW-BEFORE-01');
    const before = performance.now();

    const status = await poll(path);

    expect(status).toBe(200);
    expect(performance.now() - before).toBeGreaterThanOrEqual(140);
    expect(statusRequests()[0]?.fault).toBe('delay');
  });

  it('starts the test before a late response', async () => {
    const pending = postStart('SLOW-AFTER-01');
    while (sim.tasks.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    expect(sim.requests[0]?.status).toBeNull();
    expect((await pending).status).toBe(202);
    expect(sim.requests[0]?.status).toBe(202);
  });

  it('combines a delay with a fault', async () => {
    const before = performance.now();

    const response = await postStart('SLOW-503-01');

    expect(response.status).toBe(503);
    expect(performance.now() - before).toBeGreaterThanOrEqual(90);
    expect(sim.requests[0]?.fault).toBe('empty-error');
  });
});

describe('simulator: token lifetime', () => {
  it('rejects a token 5 s after first use', async () => {
    const path = await statusPathOf('SIM-TOKEN-EXPIRES-01');

    vi.setSystemTime(T0 + 5_000);
    const atLimit = await poll(path);
    vi.setSystemTime(T0 + 5_001);
    const expired = await fetch(`${sim.url}${path}`, { headers: headers() });
    const freshToken = await poll(path, 'new-token');

    expect(atLimit).toBe(200);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await expired.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_UNAUTHORIZED' });
    expect(freshToken).toBe(200);
    expect(sim.requests.filter((request) => request.fault === 'token-expired')).toHaveLength(1);
  });

  it('keeps tokens valid on other devices', async () => {
    await (await postStart('SIM-TOKEN-EXPIRES-01')).text();

    vi.setSystemTime(T0 + 60_000);
    const elsewhere = await postStart('SIM-HEALTHY-01');

    expect(elsewhere.status).toBe(202);
  });

  it('applies the global lifetime to every device', async () => {
    const short = await start({ tokenLifetimeMs: 1_000 });
    try {
      const send = () =>
        fetch(`${short.url}${PREFIX}/SG-1/cableTest`, { method: 'POST', headers: headers(), body: '{"ports":["1"]}' });

      const first = await send();
      vi.setSystemTime(T0 + 1_001);
      const second = await send();

      expect(first.status).toBe(202);
      expect(second.status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

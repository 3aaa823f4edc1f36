import { afterEach, describe, expect, it } from 'vitest';

import { type Simulator, SimulatorConfigError, start, startSimulator } from '../../src/simulator/index.js';

const AUTH = { authorization: 'Bearer lifecycle-token' };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };

let sim: Simulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function startUrl(simulator: Simulator, serialNumber: string): string {
  return `${simulator.url}/network-troubleshooting/v1alpha1/aos-s/${serialNumber}/cableTest`;
}

/** Counts the server and socket handles of this process. */
function networkHandles(): { servers: number; sockets: number } {
  const kinds = process.getActiveResourcesInfo();
  return {
    servers: kinds.filter((kind) => kind === 'TCPServerWrap').length,
    sockets: kinds.filter((kind) => kind === 'TCPSocketWrap').length,
  };
}

/**
 * Returns the handle counts once three readings 10 ms apart agree (at most after 500 ms).
 * Closed handles leave the list one event loop turn after their close callback, so the
 * handles of the previous test may still be listed at first.
 */
async function settledNetworkHandles(): Promise<{ servers: number; sockets: number }> {
  const readings = [JSON.stringify(networkHandles())];
  for (let turn = 0; turn < 50; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    readings.push(JSON.stringify(networkHandles()));
    if (readings.length >= 3 && new Set(readings.slice(-3)).size === 1) break;
  }
  return JSON.parse(readings.at(-1) ?? '{}') as { servers: number; sockets: number };
}

describe('simulator: lifecycle', () => {
  it('listens on 127.0.0.1 with a free port', async () => {
    sim = await start();

    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.port).toBeGreaterThan(0);
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.tokenUrl).toBe(`${sim.url}/as/token.oauth2`);
  });

  it('exports start as startSimulator', () => {
    expect(startSimulator).toBe(start);
  });

  it('rejects a port that is taken', async () => {
    sim = await start();

    const second = start({ port: sim.port });

    await expect(second).rejects.toThrow(`could not listen on 127.0.0.1:${sim.port}`);
  });

  it('close leaves no server, socket or timer', async () => {
    const baseline = await settledNetworkHandles();
    const simulator = await start({ scenarios: { 'SIM-HANGS': { faults: [{ kind: 'delay', delayMs: 60_000 }] } } });

    // One keep-alive connection that stays idle, and one request held by a 60 s delay.
    const idle = await fetch(startUrl(simulator, 'SIM-HEALTHY-01'), {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify({ ports: ['1'] }),
    });
    await idle.text();
    const pendingRequest = fetch(startUrl(simulator, 'SIM-HANGS'), {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify({ ports: ['1'] }),
    }).catch((error: unknown) => error);
    // The delay starts once the body has been read, a little after the request is recorded.
    for (let turn = 0; turn < 100 && simulator.openHandles.timers === 0; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(simulator.openHandles).toEqual({ listening: true, sockets: 2, timers: 1 });
    expect(networkHandles().servers).toBe(baseline.servers + 1);

    await simulator.close();

    expect(await pendingRequest).toBeInstanceOf(TypeError);
    expect(simulator.openHandles).toEqual({ listening: false, sockets: 0, timers: 0 });
    expect(await settledNetworkHandles()).toEqual(baseline);
    expect(simulator.requests[1]?.status).toBeNull();
  });

  it('close can be called twice', async () => {
    sim = await start();

    await sim.close();

    await expect(sim.close()).resolves.toBeUndefined();
  });

  it('refuses connections after close', async () => {
    const simulator = await start();
    await simulator.close();

    const attempt = fetch(startUrl(simulator, 'SIM-HEALTHY-01'), { method: 'POST', headers: JSON_AUTH, body: '{"ports":["1"]}' });

    await expect(attempt).rejects.toThrow(TypeError);
  });

  it('records requests with redacted authorization', async () => {
    sim = await start();
    const before = Date.now();

    const response = await fetch(startUrl(sim, 'SIM-HEALTHY-01'), {
      method: 'POST',
      headers: { ...JSON_AUTH, 'x-trace': 'abc' },
      body: JSON.stringify({ ports: ['1', '2'] }),
    });
    await response.text();

    expect(sim.requests).toHaveLength(1);
    const [recorded] = sim.requests;
    expect(recorded?.id).toBe(1);
    expect(recorded?.kind).toBe('start');
    expect(recorded?.method).toBe('POST');
    expect(recorded?.path).toBe('/network-troubleshooting/v1alpha1/aos-s/SIM-HEALTHY-01/cableTest');
    expect(recorded?.headers.authorization).toBe('Bearer <redacted>');
    expect(recorded?.headers['x-trace']).toBe('abc');
    expect(recorded?.body).toBe('{"ports":["1","2"]}');
    expect(recorded?.time).toBeGreaterThanOrEqual(before);
    expect(recorded?.status).toBe(202);
    expect(recorded?.fault).toBeNull();
    expect(recorded?.serialNumber).toBe('SIM-HEALTHY-01');
    expect(recorded?.taskId).toBe(sim.tasks[0]?.taskId);
    expect(response.headers.get('x-request-id')).toBe(recorded?.requestId);
    expect(JSON.stringify(sim.requests)).not.toContain('lifecycle-token');
  });

  it('reset forgets requests and tests', async () => {
    sim = await start();
    const requests = sim.requests;
    await (await fetch(startUrl(sim, 'SIM-HEALTHY-01'), { method: 'POST', headers: JSON_AUTH, body: '{"ports":["1"]}' })).text();
    const location = `/network-troubleshooting/v1alpha1/aos-s/SIM-HEALTHY-01/cableTest/async-operations/${sim.tasks[0]?.taskId}`;

    sim.reset();
    const afterReset = await fetch(`${sim.url}${location}`, { headers: AUTH });

    expect(afterReset.status).toBe(404);
    expect(sim.tasks).toHaveLength(0);
    expect(sim.requests).toHaveLength(1);
    expect(requests).toBe(sim.requests);
  });

  it('reset drops a start held by a delay', async () => {
    sim = await start({
      scenarios: { 'SIM-HELD-01': { faults: [{ kind: 'delay', requests: 'start', delayMs: 200 }] } },
    });
    const pendingRequest = fetch(startUrl(sim, 'SIM-HELD-01'), { method: 'POST', headers: JSON_AUTH, body: '{"ports":["1"]}' });
    await new Promise((resolve) => setTimeout(resolve, 50));

    sim.reset();

    await expect(pendingRequest).rejects.toThrow();
    expect(sim.tasks).toHaveLength(0);
  });

  it('logs starts, stops and requests', async () => {
    const lines: [string, string, Record<string, unknown> | undefined][] = [];
    const logger = {
      debug: (message: string, fields?: Record<string, unknown>) => lines.push(['debug', message, fields]),
      info: (message: string, fields?: Record<string, unknown>) => lines.push(['info', message, fields]),
    };
    const simulator = await start({ logger });

    await (await fetch(startUrl(simulator, 'SIM-HEALTHY-01'), { method: 'POST', headers: JSON_AUTH, body: '{"ports":["1"]}' })).text();
    await simulator.close();

    expect(lines.map(([level, message]) => `${level} ${message}`)).toEqual([
      `info Central simulator listening on ${simulator.url}`,
      'debug POST /network-troubleshooting/v1alpha1/aos-s/SIM-HEALTHY-01/cableTest 202',
      `info Central simulator on ${simulator.url} closed`,
    ]);
    expect(lines[1]?.[2]).toMatchObject({ id: 1, kind: 'start', fault: null });
    expect(JSON.stringify(lines)).not.toContain('lifecycle-token');
  });

  it('returns 404 for unknown paths', async () => {
    sim = await start();

    const response = await fetch(`${sim.url}/network-troubleshooting/v1alpha1/cx/X/cableTest`, { headers: AUTH });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_NOT_FOUND' });
    expect(sim.requests[0]?.kind).toBe('other');
  });

  it('returns 405 for a wrong method', async () => {
    sim = await start();

    const response = await fetch(startUrl(sim, 'SIM-HEALTHY-01'), { headers: AUTH });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_METHOD_NOT_ALLOWED' });
  });
});

describe('simulator: options', () => {
  const invalidOptions: [string, unknown, string][] = [
    ['port out of range', { port: 70_000 }, 'options.port'],
    ['negative duration', { durationMs: -1 }, 'options.durationMs'],
    ['unknown option', { duration: 5 }, 'options.duration'],
    ['empty client list', { clients: [] }, 'options.clients'],
    ['client without secret', { clients: [{ clientId: 'a' }] }, 'options.clients[0].clientSecret'],
    ['repeated client id', { clients: [{ clientId: 'a', clientSecret: 'x' }, { clientId: 'a', clientSecret: 'y' }] }, 'options.clients[1].clientId'],
    ['token fault aimed at starts', { tokenFaults: [{ kind: 'empty-error', requests: 'start' }] }, 'options.tokenFaults[0].requests'],
    ['rate limit of zero', { rateLimit: { requestsPerSecond: 0 } }, 'options.rateLimit.requestsPerSecond'],
  ];

  it.each(invalidOptions)('rejects %s', async (_case, options, key) => {
    const error = await start(options as never).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SimulatorConfigError);
    expect((error as SimulatorConfigError).key).toBe(key);
    expect((error as Error).message).toContain(key);
  });

  it('hides client secrets in messages', async () => {
    const error = await start({ clients: [{ clientId: 'a', clientSecret: 'do-not-show' }, { clientId: 'a', clientSecret: 'do-not-show' }] }).catch(
      (caught: unknown) => caught,
    );

    expect((error as Error).message).not.toContain('do-not-show');
  });
});

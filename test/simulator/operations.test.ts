import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { type Simulator, start } from '../../src/simulator/index.js';

const PREFIX = '/network-troubleshooting/v1alpha1/aos-s';
const TOKEN = 'operations-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T0 = Date.parse('2025-05-21T04:49:39.000Z');
const DURATION_MS = 10_000;

let sim: Simulator;

beforeAll(async () => {
  sim = await start({ durationMs: DURATION_MS });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  // Only Date is faked: the state of a test is computed from Date.now(), and sockets keep real timers.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  sim.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

function postStart(serialNumber: string, body: unknown, headers: Record<string, string> = JSON_AUTH): Promise<Response> {
  return fetch(`${sim.url}${PREFIX}/${serialNumber}/cableTest`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function startTest(serialNumber: string, ports: string[] = ['1', '2']): Promise<{ location: string; taskId: string }> {
  const response = await postStart(serialNumber, { ports });
  expect(response.status).toBe(202);
  const body = (await response.json()) as { location: string };
  return { location: body.location, taskId: body.location.split('/').pop() ?? '' };
}

function getPath(path: string, headers: Record<string, string> = AUTH): Promise<Response> {
  return fetch(`${sim.url}${path}`, { headers });
}

async function statusAt(location: string, elapsedMs: number): Promise<Record<string, unknown>> {
  vi.setSystemTime(T0 + elapsedMs);
  const response = await getPath(location);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('simulator: start', () => {
  it('returns 202 with the location', async () => {
    const response = await postStart('SIM-HEALTHY-01', { ports: ['3', '6'] });

    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as Record<string, string>;
    expect(body.status).toBe('INITIATED');
    expect(body.startTime).toBe('2025-05-21T04:49:39.000Z');
    const taskId = body.location?.split('/').pop() ?? '';
    expect(taskId).toMatch(UUID);
    expect(body.location).toBe(`${PREFIX}/SIM-HEALTHY-01/cableTest/async-operations/${taskId}`);
    expect(sim.tasks).toEqual([
      { taskId, serialNumber: 'SIM-HEALTHY-01', ports: ['3', '6'], startedAt: T0, durationMs: DURATION_MS, polls: 0 },
    ]);
  });

  it('gives every test a new task id', async () => {
    const first = await startTest('SIM-HEALTHY-01');
    const second = await startTest('SIM-HEALTHY-01');

    expect(first.taskId).not.toBe(second.taskId);
  });

  const invalidBodies: [string, string, string][] = [
    ['missing ports', '{}', 'ports is required'],
    ['empty ports', '{"ports":[]}', 'ports must not be empty'],
    ['ports not a list', '{"ports":"1"}', 'ports must be an array of strings'],
    ['non-string port', '{"ports":["1",2]}', 'ports[1] must be a string'],
    ['empty port name', '{"ports":[""]}', 'ports[0] must have 1 to 64 characters'],
    ['port name too long', JSON.stringify({ ports: ['x'.repeat(65)] }), 'ports[0] must have 1 to 64 characters'],
    ['repeated port', '{"ports":["1","1"]}', 'ports[1] repeats the port "1"'],
    ['unknown property', '{"ports":["1"],"force":true}', 'force is not a known property'],
    ['body not JSON', '{ports:', 'the request body is not valid JSON'],
    ['body an array', '["1"]', 'the request body must be an object with ports'],
    ['body null', 'null', 'the request body must be an object with ports'],
  ];

  it.each(invalidBodies)('rejects %s with 400', async (_case, body, problem) => {
    const response = await postStart('SIM-HEALTHY-01', body);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ errorCode: 'HPE_GRAVITY_BAD_REQUEST', message: `Validation errors - ${problem}` });
    expect(sim.tasks).toHaveLength(0);
  });

  it('rejects a non-JSON content type', async () => {
    const response = await postStart('SIM-HEALTHY-01', '{"ports":["1"]}', { ...AUTH, 'content-type': 'text/plain' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_BAD_REQUEST' });
  });

  it('accepts a JSON content type with a charset', async () => {
    const response = await postStart('SIM-HEALTHY-01', '{"ports":["1"]}', { ...AUTH, 'content-type': 'application/json; charset=utf-8' });

    expect(response.status).toBe(202);
  });

  it('decodes the serial number once', async () => {
    const response = await postStart('1%2F5%2541', { ports: ['1'] });
    const body = (await response.json()) as { location: string };

    expect(response.status).toBe(202);
    expect(sim.tasks[0]?.serialNumber).toBe('1/5%41');
    expect(sim.requests[0]?.serialNumber).toBe('1/5%41');
    expect(body.location.startsWith(`${PREFIX}/1%2F5%2541/cableTest/async-operations/`)).toBe(true);
  });

  it('rejects malformed percent-encoding with 400', async () => {
    const response = await postStart('SG%ZZ', { ports: ['1'] });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errorCode: 'HPE_GRAVITY_BAD_REQUEST',
      message: 'Validation errors - serial-number is not valid percent-encoding',
    });
  });

  it('rejects a 129-character serial number', async () => {
    const response = await postStart('S'.repeat(129), { ports: ['1'] });

    expect(response.status).toBe(400);
  });
});

describe('simulator: authorization', () => {
  const rejected: [string, Record<string, string>][] = [
    ['no header', { 'content-type': 'application/json' }],
    ['empty bearer token', { authorization: 'Bearer ', 'content-type': 'application/json' }],
    ['basic scheme', { authorization: 'Basic YTpi', 'content-type': 'application/json' }],
    ['bare token', { authorization: TOKEN, 'content-type': 'application/json' }],
  ];

  it.each(rejected)('rejects %s with 401', async (_case, headers) => {
    const response = await postStart('SIM-HEALTHY-01', { ports: ['1'] }, headers);

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await response.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_UNAUTHORIZED' });
    expect(sim.tasks).toHaveLength(0);
  });

  it('rejects a status request without token', async () => {
    const { location } = await startTest('SIM-HEALTHY-01');

    const response = await getPath(location, {});

    expect(response.status).toBe(401);
    expect(sim.tasks[0]?.polls).toBe(0);
  });

  it('accepts any bearer token without clients', async () => {
    const response = await postStart('SIM-HEALTHY-01', { ports: ['1'] }, { authorization: 'bearer x.y-z', 'content-type': 'application/json' });

    expect(response.status).toBe(202);
  });
});

describe('simulator: status', () => {
  it('progresses to COMPLETED', async () => {
    const { location } = await startTest('SIM-HEALTHY-01', ['1', 'A2']);

    const initiated = await statusAt(location, 0);
    const early = await statusAt(location, 2_500);
    const late = await statusAt(location, 9_999);
    const completed = await statusAt(location, 10_000);

    expect(initiated).toEqual({
      status: 'INITIATED',
      progressPercent: 0,
      startTime: '2025-05-21T04:49:39.000Z',
      endTime: null,
      failReason: null,
      output: null,
    });
    expect(early).toMatchObject({ status: 'RUNNING', progressPercent: 25, endTime: null, output: null });
    expect(late).toMatchObject({ status: 'RUNNING', progressPercent: 99 });
    expect(completed).toMatchObject({
      status: 'COMPLETED',
      progressPercent: 100,
      startTime: '2025-05-21T04:49:39.000Z',
      endTime: '2025-05-21T04:49:49.000Z',
      failReason: null,
    });
    expect(sim.tasks[0]?.polls).toBe(4);
  });

  it('returns four pairs per tested port', async () => {
    const { location } = await startTest('SIM-HEALTHY-01', ['1', 'A2', '1/5']);

    const completed = await statusAt(location, DURATION_MS);
    const output = completed.output as { ports: string[]; results: { interfaceName: string; cablePairDiagnostics: Record<string, unknown>[] }[] };

    expect(output.ports).toEqual(['1', 'A2', '1/5']);
    expect(output.results.map((result) => result.interfaceName)).toEqual(['1', 'A2', '1/5']);
    for (const result of output.results) {
      expect(result.cablePairDiagnostics.map((pair) => pair.pairName)).toEqual(['1-2', '3-6', '4-5', '7-8']);
      for (const pair of result.cablePairDiagnostics) {
        expect(pair.status).toBe('Good');
        expect(pair.length).toMatch(/^\d+$/);
      }
    }
  });

  it('keeps the results after completion', async () => {
    const { location } = await startTest('SIM-HEALTHY-01');

    const first = await statusAt(location, DURATION_MS);
    const later = await statusAt(location, DURATION_MS * 5);

    expect(later).toEqual(first);
  });

  it('returns 404 for an unknown task', async () => {
    const taskId = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';

    const response = await getPath(`${PREFIX}/SIM-HEALTHY-01/cableTest/async-operations/${taskId}`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      errorCode: 'HPE_GRAVITY_TASK_NOT_FOUND',
      message: `Async operation task not found: ${taskId}`,
    });
  });

  it('returns 404 for another device\'s task', async () => {
    const { taskId } = await startTest('SIM-HEALTHY-01');

    const response = await getPath(`${PREFIX}/SIM-CUT-01/cableTest/async-operations/${taskId}`);

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_TASK_NOT_FOUND' });
  });

  it('decodes the task id once', async () => {
    const { taskId } = await startTest('SIM-HEALTHY-01');
    const encoded = taskId.replace(/-/g, '%2D');

    const response = await getPath(`${PREFIX}/SIM-HEALTHY-01/cableTest/async-operations/${encoded}`);

    expect(response.status).toBe(200);
    expect(sim.requests.at(-1)?.taskId).toBe(taskId);
  });

  it('rejects a 129-character task id', async () => {
    const response = await getPath(`${PREFIX}/SIM-HEALTHY-01/cableTest/async-operations/${'a'.repeat(129)}`);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errorCode: 'HPE_GRAVITY_BAD_REQUEST',
      message: 'Validation errors - task-id is invalid (1 to 128 characters)',
    });
  });

  it('ignores the query string', async () => {
    const { location } = await startTest('SIM-HEALTHY-01');

    const response = await getPath(`${location}?verbose=1`);

    expect(response.status).toBe(200);
    expect(sim.requests.at(-1)?.path).toBe(`${location}?verbose=1`);
  });

  it('records the kind of each request', async () => {
    const { location } = await startTest('SIM-HEALTHY-01');
    await (await getPath(location)).text();
    await (await getPath(location)).text();

    const kinds = sim.requests.map((request) => `${request.kind} ${request.status}`);

    expect(kinds).toEqual(['start 202', 'status 200', 'status 200']);
  });
});

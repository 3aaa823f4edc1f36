import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  BUILT_IN_SCENARIOS,
  OTHER_HOST_ORIGIN,
  type Simulator,
  SimulatorConfigError,
  start,
} from '../../src/simulator/index.js';

const PREFIX = '/network-troubleshooting/v1alpha1/aos-s';
const AUTH = { authorization: 'Bearer scenario-token' };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };
const T0 = Date.parse('2025-05-21T05:00:00.000Z');
const DURATION_MS = 1_000;
const EXAMPLES = fileURLToPath(new URL('../../examples/scenarios/', import.meta.url));

type PortResult = { interfaceName: string; cablePairDiagnostics: { pairName: string; status: string | null; length: string | null }[] };

let sim: Simulator;

beforeAll(async () => {
  sim = await start({ durationMs: DURATION_MS });
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

function postStart(target: Simulator, serialNumber: string, ports: string[]): Promise<Response> {
  return fetch(`${target.url}${PREFIX}/${serialNumber}/cableTest`, {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify({ ports }),
  });
}

/** Starts a test, moves the clock past its end, and returns the body of the status response. */
async function finishedTest(serialNumber: string, ports: string[], target = sim): Promise<Record<string, unknown>> {
  const startedAt = Date.now();
  const started = await postStart(target, serialNumber, ports);
  expect(started.status).toBe(202);
  const { location } = (await started.json()) as { location: string };

  vi.setSystemTime(startedAt + 60_000);
  const status = await fetch(`${target.url}${location}`, { headers: AUTH });
  expect(status.status).toBe(200);
  return (await status.json()) as Record<string, unknown>;
}

function resultsOf(body: Record<string, unknown>): PortResult[] {
  return (body.output as { results: PortResult[] }).results;
}

function pairsOf(result: PortResult | undefined): [string | null, string | null][] {
  return (result?.cablePairDiagnostics ?? []).map((pair) => [pair.status, pair.length]);
}

describe('simulator: built-in scenarios', () => {
  it('describes every scenario', () => {
    for (const [serialNumber, settings] of Object.entries(BUILT_IN_SCENARIOS)) {
      expect(settings.description, serialNumber).toMatch(/\.$/);
      expect(sim.scenarioFor(serialNumber).description).toBe(settings.description);
    }
  });

  it('uses the default scenario for unlisted serials', async () => {
    const body = await finishedTest('SG30JY1234', ['1']);

    expect(sim.scenarioFor('SG30JY1234').serialNumber).toBe('*');
    expect(pairsOf(resultsOf(body)[0]).map(([status]) => status)).toEqual(['Good', 'Good', 'Good', 'Good']);
  });

  it('gives stable healthy lengths', async () => {
    const first = await finishedTest('SIM-HEALTHY-01', ['1', '2']);
    const second = await finishedTest('SIM-HEALTHY-01', ['1', '2']);

    expect(resultsOf(first)).toEqual(resultsOf(second));
    for (const [, length] of pairsOf(resultsOf(first)[0])) {
      expect(Number(length)).toBeGreaterThanOrEqual(3);
      expect(Number(length)).toBeLessThanOrEqual(98);
    }
  });

  it('reports unplugged ports as Open at 0', async () => {
    const body = await finishedTest('SIM-UNPLUGGED-01', ['3', '6']);

    for (const result of resultsOf(body)) {
      expect(pairsOf(result)).toEqual([['Open', '0'], ['Open', '0'], ['Open', '0'], ['Open', '0']]);
    }
  });

  it('reports a cut cable as Open at 23', async () => {
    const body = await finishedTest('SIM-CUT-01', ['3']);

    expect(pairsOf(resultsOf(body)[0])).toEqual([['Open', '23'], ['Open', '23'], ['Open', '23'], ['Open', '23']]);
  });

  it('reports shorts and unknown statuses', async () => {
    const body = await finishedTest('SIM-FAULTS-01', ['A1']);

    expect(resultsOf(body)[0]).toEqual({
      interfaceName: 'A1',
      cablePairDiagnostics: [
        { pairName: '1-2', status: 'Short', length: '12' },
        { pairName: '3-6', status: 'Impedance Mismatch', length: '' },
        { pairName: '4-5', status: 'Crosstalk', length: '7' },
        { pairName: '7-8', status: 'Unknown Fault', length: '' },
      ],
    });
  });

  it('omits the last port', async () => {
    const body = await finishedTest('SIM-MISSING-PORT-01', ['1', '2', '3']);

    expect((body.output as { ports: string[] }).ports).toEqual(['1', '2', '3']);
    expect(resultsOf(body).map((result) => result.interfaceName)).toEqual(['1', '2']);
  });

  it('ends FAILED with a reason', async () => {
    const body = await finishedTest('SIM-FAILED-01', ['49', '50']);

    expect(body).toEqual({
      status: 'FAILED',
      progressPercent: 100,
      startTime: '2025-05-21T05:00:00.000Z',
      endTime: '2025-05-21T05:00:01.000Z',
      failReason: 'Cable diagnostics are not supported on port 49 (SFP+ transceiver).',
      output: null,
    });
  });

  it('returns 404 for an unknown device', async () => {
    const started = await postStart(sim, 'SIM-NOT-FOUND-01', ['1']);
    const status = await fetch(`${sim.url}${PREFIX}/SIM-NOT-FOUND-01/cableTest/async-operations/x`, { headers: AUTH });

    expect(started.status).toBe(404);
    expect(await started.json()).toEqual({ errorCode: 'HPE_GRAVITY_DEVICE_NOT_FOUND', message: 'Device not found: SIM-NOT-FOUND-01' });
    expect(status.status).toBe(404);
    expect(await status.json()).toMatchObject({ errorCode: 'HPE_GRAVITY_DEVICE_NOT_FOUND' });
  });

  it('returns 409 for an offline device', async () => {
    const response = await postStart(sim, 'SIM-OFFLINE-01', ['1']);

    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ errorCode: 'HPE_GRAVITY_DEVICE_OFFLINE', message: 'Device offline: SIM-OFFLINE-01' });
    expect(sim.tasks).toHaveLength(0);
  });

  it('returns 409 for a device not ready', async () => {
    const response = await postStart(sim, 'SIM-NOT-READY-01', ['1']);

    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      errorCode: 'HPE_GRAVITY_DEVICE_NOT_READY',
      message: 'Device not ready: SIM-NOT-READY-01',
      errorType: 'CONFLICT',
    });
  });

  it('registers the task after 2 polls', async () => {
    const started = await postStart(sim, 'SIM-UNREGISTERED-01', ['1']);
    const { location } = (await started.json()) as { location: string };

    const statuses: number[] = [];
    for (let poll = 0; poll < 3; poll++) statuses.push((await fetch(`${sim.url}${location}`, { headers: AUTH })).status);

    expect(statuses).toEqual([404, 404, 200]);
    expect(sim.requests.filter((request) => request.fault === 'unregistered')).toHaveLength(2);
  });

  it('reports an unlisted initial status', async () => {
    const started = await postStart(sim, 'SIM-QUEUED-01', ['1']);
    const { location } = (await started.json()) as { location: string };

    const status = await fetch(`${sim.url}${location}`, { headers: AUTH });

    expect(await status.json()).toMatchObject({ status: 'QUEUED', progressPercent: 0 });
  });

  it('returns an empty start body', async () => {
    const response = await postStart(sim, 'SIM-EMPTY-202-01', ['1']);

    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('');
    expect(sim.tasks).toHaveLength(1);
  });

  it('gives a location on another host', async () => {
    const response = await postStart(sim, 'SIM-OTHER-HOST-01', ['1']);
    const { location } = (await response.json()) as { location: string };

    expect(location).toBe(
      `${OTHER_HOST_ORIGIN}${PREFIX}/SIM-OTHER-HOST-01/cableTest/async-operations/${sim.tasks[0]?.taskId}`,
    );
  });
});

describe('simulator: scenario settings', () => {
  let directory: string;
  let custom: Simulator | undefined;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'central-simulator-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  afterEach(async () => {
    await custom?.close();
    custom = undefined;
  });

  async function scenarioFile(name: string, content: string): Promise<string> {
    const path = join(directory, name);
    await writeFile(path, content);
    return path;
  }

  it('reads scenarios from a file', async () => {
    const path = await scenarioFile('file.json', JSON.stringify({ SG30JY1234: { cabling: 'cut', durationMs: 5 } }));
    custom = await start({ scenarioFile: path });

    const body = await finishedTest('SG30JY1234', ['1'], custom);

    expect(pairsOf(resultsOf(body)[0])[0]).toEqual(['Open', '23']);
    expect(custom.tasks[0]?.durationMs).toBe(5);
  });

  it('overrides the file with scenarios', async () => {
    const path = await scenarioFile('override.json', JSON.stringify({ SG30JY1234: { cabling: 'cut' } }));
    custom = await start({ scenarioFile: path, scenarios: { SG30JY1234: { cabling: 'unplugged' } } });

    expect(custom.scenarioFor('SG30JY1234').cabling).toBe('unplugged');
  });

  it('replaces a built-in scenario', async () => {
    custom = await start({ scenarios: { 'SIM-OFFLINE-01': { description: 'Back online.' } } });

    const response = await postStart(custom, 'SIM-OFFLINE-01', ['1']);

    expect(response.status).toBe(202);
  });

  it('extends a built-in scenario', async () => {
    custom = await start({ scenarios: { SG30JY1234: { extends: 'SIM-FAULTS-01', ports: { '2': 'healthy' } } } });

    const body = await finishedTest('SG30JY1234', ['1', '2'], custom);

    expect(custom.scenarioFor('SG30JY1234').description).toBe(BUILT_IN_SCENARIOS['SIM-FAULTS-01']?.description);
    expect(pairsOf(resultsOf(body)[0])[0]).toEqual(['Short', '12']);
    expect(pairsOf(resultsOf(body)[1])[0]?.[0]).toBe('Good');
  });

  it('sets the pairs of a port', async () => {
    const pairs = [
      { status: 'Good', length: '5' },
      { status: null, length: null },
      { status: 'Open', length: '' },
      { status: 'Weird', length: '1.5' },
    ];
    custom = await start({ scenarios: { '*': { ports: { A1: pairs, A2: 'missing' } } } });

    const body = await finishedTest('ANY-SERIAL', ['A1', 'A2', 'A3'], custom);

    expect(resultsOf(body).map((result) => result.interfaceName)).toEqual(['A1', 'A3']);
    expect(pairsOf(resultsOf(body)[0])).toEqual([['Good', '5'], [null, null], ['Open', ''], ['Weird', '1.5']]);
  });

  it('treats prototype names as port names', async () => {
    const ports = JSON.parse('{"__proto__": "cut"}') as Record<string, 'cut'>;
    custom = await start({ scenarios: { X: { cabling: 'unplugged', ports } } });

    const body = await finishedTest('X', ['__proto__', 'toString'], custom);

    expect(pairsOf(resultsOf(body)[0])[0]).toEqual(['Open', '23']);
    expect(pairsOf(resultsOf(body)[1])[0]).toEqual(['Open', '0']);
  });

  it('replaces {port} in the fail reason', async () => {
    custom = await start({ scenarios: { X: { outcome: 'failed', failReason: 'Port {port} is a trunk.', durationMs: 0 } } });

    const body = await finishedTest('X', ['7'], custom);

    expect(body.failReason).toBe('Port 7 is a trunk.');
  });

  const invalidTables: [string, unknown, string, string][] = [
    ['unknown setting', { SG1: { cabeling: 'cut' } }, 'SG1.cabeling', 'is not a known setting'],
    ['unknown profile', { SG1: { cabling: 'frayed' } }, 'SG1.cabling', 'expected one of "healthy"'],
    ['serial with a space', { 'SG 1': {} }, '"SG 1"', 'is not a valid serial number'],
    ['entry not an object', { SG1: 'cut' }, 'SG1', 'is "cut", expected an object'],
    ['negative count', { SG1: { faults: [{ kind: 'empty-error', count: -1 }] } }, 'SG1.faults[0].count', 'expected an integer of at least 0'],
    ['unknown fault kind', { SG1: { faults: [{ kind: 'explode' }] } }, 'SG1.faults[0].kind', 'expected one of'],
    ['delay without delayMs', { SG1: { faults: [{ kind: 'delay' }] } }, 'SG1.faults[0].delayMs', 'expected a finite number of milliseconds'],
    ['success status on an error', { SG1: { faults: [{ kind: 'json-error', status: 200 }] } }, 'SG1.faults[0].status', 'expected an integer from 400 to 599'],
    ['status on a reset', { SG1: { faults: [{ kind: 'connection-reset', status: 500 }] } }, 'SG1.faults[0].status', 'has no settable status'],
    ['three pairs', { SG1: { ports: { '1': [{ status: 'Good', length: '1' }] } } }, 'SG1.ports["1"]', 'lists 1 pair,'],
    ['numeric length', { SG1: { ports: { '1': [{ status: 'Good', length: 1 }, {}, {}, {}] } } }, 'SG1.ports["1"][0].length', 'expected a string or null'],
    ['unknown base', { SG1: { extends: 'SIM-NOPE' } }, 'SG1.extends', 'expected one of'],
    ['table not an object', ['SG1'], 'the top level', 'expected an object'],
  ];

  it.each(invalidTables)('rejects %s', async (_case, table, key, problem) => {
    const error = await start({ scenarios: table as never }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SimulatorConfigError);
    expect((error as SimulatorConfigError).key).toBe(key);
    expect((error as Error).message).toContain(`Invalid options.scenarios: ${key} `);
    expect((error as Error).message).toContain(problem);
  });

  it('names the file in its errors', async () => {
    const path = await scenarioFile('bad.json', JSON.stringify({ SG1: { device: 'asleep' } }));

    const error = await start({ scenarioFile: path }).catch((caught: unknown) => caught);

    expect((error as Error).message).toBe(
      `Invalid scenario file ${JSON.stringify(path)}: SG1.device is "asleep", expected one of "online", "not-found", "offline", "not-ready".`,
    );
  });

  it('rejects a file that is not JSON', async () => {
    const path = await scenarioFile('broken.json', '{ "SG1": ');

    const error = await start({ scenarioFile: path }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SimulatorConfigError);
    expect((error as Error).message).toContain(`Invalid scenario file ${JSON.stringify(path)}: it is not valid JSON`);
  });

  it('rejects a missing file', async () => {
    const path = join(directory, 'absent.json');

    const error = await start({ scenarioFile: path }).catch((caught: unknown) => caught);

    expect((error as SimulatorConfigError).key).toBe('scenarioFile');
    expect((error as Error).message).toContain(`Could not read the scenario file ${JSON.stringify(path)}`);
  });

  it('runs the flaky gateway example', async () => {
    custom = await start({ durationMs: 0, scenarioFile: join(EXAMPLES, 'flaky-gateway.json') });
    // Requests 300 ms apart stay below the example's limit of 5 requests per second.
    const send = (path: string, init: RequestInit = {}) => {
      vi.setSystemTime(Date.now() + 300);
      return fetch(`${custom?.url}${path}`, { ...init, headers: JSON_AUTH }).then(
        async (response) => `${response.status} ${response.headers.get('retry-after') ?? '-'} ${(await response.text()).length > 0}`,
        () => 'reset',
      );
    };
    const startPath = `${PREFIX}/SG30JY1234/cableTest`;

    const starts = [await send(startPath, { method: 'POST', body: '{"ports":["1"]}' })];
    starts.push(await send(startPath, { method: 'POST', body: '{"ports":["1"]}' }));
    const statusPath = `${startPath}/async-operations/${custom.tasks[0]?.taskId}`;
    const statuses: string[] = [];
    for (let poll = 0; poll < 6; poll++) statuses.push(await send(statusPath));

    expect(starts).toEqual(['429 Wed, 21 May 2025 05:00:03 GMT true', '202 - true']);
    expect(statuses).toEqual(['503 1 false', '503 1 false', '502 - true', 'reset', '404 - true', '200 - true']);
    expect(custom.requests.map((request) => request.fault)).toEqual([
      'rate-limited',
      'delay',
      'empty-error',
      'empty-error',
      'html-error',
      'connection-reset',
      'unregistered',
      'delay',
    ]);
  });

  it('loads every example file', async () => {
    for (const name of ['lab.json', 'flaky-gateway.json']) {
      const simulator = await start({ scenarioFile: join(EXAMPLES, name) });
      await simulator.close();
    }
  });
});

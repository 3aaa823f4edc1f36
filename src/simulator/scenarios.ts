import { readFile } from 'node:fs/promises';

import { readFaultRules } from './faults.js';
import { readRateLimit } from './rate-limit.js';
import { PAIR_NAMES } from './results.js';
import { SettingsReader, SimulatorConfigError, childPath, describeSetting } from './settings-reader.js';
import type {
  CablingProfile,
  DeviceState,
  PairDiagnosticSetting,
  PortResultSetting,
  Scenario,
  ScenarioSettings,
  StartBody,
} from './types.js';

/** Key of the scenario used for every serial number that the table does not list. */
export const DEFAULT_SCENARIO_KEY = '*';

/** `failReason` of a failed test when the scenario sets none. `{port}` stands for the first tested port. */
export const DEFAULT_FAIL_REASON = 'Cable diagnostics are not supported on port {port} (SFP+ transceiver).';

const CABLING_PROFILES: readonly CablingProfile[] = ['healthy', 'unplugged', 'cut', 'faults', 'missing'];
const DEVICE_STATES: readonly DeviceState[] = ['online', 'not-found', 'offline', 'not-ready'];
const START_BODIES: readonly StartBody[] = ['normal', 'empty', 'absolute-location'];

const SCENARIO_KEYS = [
  'description',
  'extends',
  'device',
  'durationMs',
  'outcome',
  'failReason',
  'cabling',
  'ports',
  'omitLastPort',
  'initialStatus',
  'unregisteredPolls',
  'startBody',
  'faults',
  'rateLimit',
  'tokenLifetimeMs',
];

// Same limits as the spec's path parameter and port name.
const MAX_SERIAL_LENGTH = 128;
const MAX_PORT_LENGTH = 64;
const INVALID_NAME_CHARACTER = /[\s\u0000-\u001f\u007f-\u009f]/;

/**
 * Built-in scenarios by serial number. Any other serial number gets the `*` scenario.
 * Fault counts are per device, and only requests with an accepted token count.
 */
export const BUILT_IN_SCENARIOS: Readonly<Record<string, Readonly<ScenarioSettings>>> = deepFreeze({
  [DEFAULT_SCENARIO_KEY]: { description: 'Healthy cabling: every pair Good, with a length.' },
  'SIM-HEALTHY-01': { description: 'Healthy cabling: every pair Good, with a length.' },
  'SIM-UNPLUGGED-01': { description: 'Nothing plugged in: every pair Open at "0".', cabling: 'unplugged' },
  'SIM-CUT-01': { description: 'Cut cable: every pair Open at "23".', cabling: 'cut' },
  'SIM-FAULTS-01': {
    description: 'Faults on every port: Short, Impedance Mismatch, Crosstalk and the unknown status "Unknown Fault".',
    cabling: 'faults',
  },
  'SIM-MISSING-PORT-01': {
    description: 'Healthy cabling, but the last tested port is missing from the results.',
    omitLastPort: true,
  },
  'SIM-FAILED-01': {
    description: 'The test ends FAILED with a failReason naming the first tested port.',
    outcome: 'failed',
  },
  'SIM-NOT-FOUND-01': {
    description: 'Unknown device: 404 HPE_GRAVITY_DEVICE_NOT_FOUND on start and status requests.',
    device: 'not-found',
  },
  'SIM-OFFLINE-01': { description: 'Offline device: 409 HPE_GRAVITY_DEVICE_OFFLINE on start.', device: 'offline' },
  'SIM-NOT-READY-01': { description: 'Device not ready: 409 HPE_GRAVITY_DEVICE_NOT_READY on start.', device: 'not-ready' },
  'SIM-UNREGISTERED-01': {
    description: 'The first 2 status requests of each test get 404 HPE_GRAVITY_TASK_NOT_FOUND.',
    unregisteredPolls: 2,
  },
  'SIM-QUEUED-01': {
    description: 'The test reports the status QUEUED, which the spec does not list, before RUNNING.',
    initialStatus: 'QUEUED',
  },
  'SIM-429-SECONDS-01': {
    description: 'The first request gets 429 with "Retry-After: 1".',
    faults: [{ kind: 'rate-limited', count: 1, retryAfterSeconds: 1 }],
  },
  'SIM-429-DATE-01': {
    description: 'The first request gets 429 with Retry-After as an HTTP date 1 to 2 seconds ahead.',
    faults: [{ kind: 'rate-limited', count: 1, retryAfterSeconds: 1, retryAfterFormat: 'http-date' }],
  },
  'SIM-RATE-LIMIT-01': {
    description: 'At most 2 requests per second per token; further requests get 429 with Retry-After.',
    rateLimit: { requestsPerSecond: 2 },
  },
  'SIM-500-01': {
    description: 'The first 2 status requests get 500 with a JSON error body.',
    faults: [{ kind: 'json-error', requests: 'status', count: 2, status: 500 }],
  },
  'SIM-502-HTML-01': {
    description: 'The first 2 status requests get 502 with an HTML page (text/html).',
    faults: [{ kind: 'html-error', requests: 'status', count: 2, status: 502 }],
  },
  'SIM-503-EMPTY-01': {
    description: 'The first 2 status requests get 503 with an empty body.',
    faults: [{ kind: 'empty-error', requests: 'status', count: 2, status: 503 }],
  },
  'SIM-5XX-BURST-01': {
    description: 'The first 3 status requests get 500 (JSON), 502 (HTML) and 503 (empty), in that order.',
    faults: [
      { kind: 'json-error', requests: 'status', count: 1, status: 500 },
      { kind: 'html-error', requests: 'status', count: 1, status: 502 },
      { kind: 'empty-error', requests: 'status', count: 1, status: 503 },
    ],
  },
  'SIM-START-500-01': {
    description: 'The first start request gets 500 and starts nothing.',
    faults: [{ kind: 'json-error', requests: 'start', count: 1, status: 500 }],
  },
  'SIM-START-LOST-01': {
    description: 'The first start request starts a test, then its connection is reset without a response.',
    faults: [{ kind: 'connection-reset', requests: 'start', count: 1, when: 'after' }],
  },
  'SIM-RESET-01': {
    description: 'The connections of the first 2 status requests are reset without a response.',
    faults: [{ kind: 'connection-reset', requests: 'status', count: 2 }],
  },
  'SIM-SLOW-01': {
    description: 'Every response is sent 2000 ms after the request was handled.',
    faults: [{ kind: 'delay', delayMs: 2000, when: 'after' }],
  },
  'SIM-NOT-JSON-01': {
    description: 'The first status request gets 200 with an HTML page instead of JSON.',
    faults: [{ kind: 'not-json', requests: 'status', count: 1 }],
  },
  'SIM-EMPTY-202-01': { description: 'The start response is 202 with an empty body, but the test starts.', startBody: 'empty' },
  'SIM-OTHER-HOST-01': {
    description: 'The start response gives location as an absolute URL on https://other.example.invalid.',
    startBody: 'absolute-location',
  },
  'SIM-TOKEN-EXPIRES-01': {
    description: 'Requests made more than 5000 ms after their token was first seen get 401.',
    tokenLifetimeMs: 5000,
  },
});

/** Checks a table that maps serial numbers (or `*`) to scenario settings, and returns copies. */
export function readScenarioTable(value: unknown, source: string): Map<string, ScenarioSettings> {
  const reader = new SettingsReader(source);
  const table = reader.object(value, 'the top level');
  const settings = new Map<string, ScenarioSettings>();

  for (const [serialNumber, entry] of Object.entries(table)) {
    const path = childPath('', serialNumber);
    if (serialNumber !== DEFAULT_SCENARIO_KEY) checkName(reader, serialNumber, path, MAX_SERIAL_LENGTH, 'serial number');
    settings.set(serialNumber, readScenarioSettings(reader, entry, path));
  }
  return settings;
}

/** Reads and checks a scenario file (JSON). */
export async function loadScenarioFile(path: string): Promise<Map<string, ScenarioSettings>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SimulatorConfigError(
      `Could not read the scenario file ${JSON.stringify(path)}: ${messageOf(error)}. Check the path of scenarioFile.`,
      'scenarioFile',
    );
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new SimulatorConfigError(
      `Invalid scenario file ${JSON.stringify(path)}: it is not valid JSON (${messageOf(error)}).`,
      'scenarioFile',
    );
  }
  return readScenarioTable(parsed, `scenario file ${JSON.stringify(path)}`);
}

/**
 * Builds the scenario table in effect: the built-in scenarios, then each layer in order
 * (a layer's entry replaces the whole entry of the same serial number).
 */
export function buildScenarioTable(layers: readonly Map<string, ScenarioSettings>[]): Map<string, Scenario> {
  const merged = new Map<string, ScenarioSettings>(builtInSettings());
  for (const layer of layers) for (const [serialNumber, settings] of layer) merged.set(serialNumber, settings);

  const table = new Map<string, Scenario>();
  for (const [serialNumber, settings] of merged) table.set(serialNumber, resolveScenario(serialNumber, settings));
  return table;
}

/** Fills in the settings of `extends` and the defaults. */
export function resolveScenario(serialNumber: string, settings: ScenarioSettings): Scenario {
  const base = settings.extends === undefined ? {} : (builtInSettings().get(settings.extends) ?? {});
  const merged: ScenarioSettings = { ...base, ...withoutUndefined(settings) };

  return {
    serialNumber,
    description: merged.description ?? '',
    device: merged.device ?? 'online',
    durationMs: merged.durationMs,
    outcome: merged.outcome ?? 'completed',
    failReason: merged.failReason ?? DEFAULT_FAIL_REASON,
    cabling: merged.cabling ?? 'healthy',
    ports: merged.ports ?? {},
    omitLastPort: merged.omitLastPort ?? false,
    initialStatus: merged.initialStatus ?? 'INITIATED',
    unregisteredPolls: merged.unregisteredPolls ?? 0,
    startBody: merged.startBody ?? 'normal',
    faults: merged.faults ?? [],
    rateLimit: merged.rateLimit,
    tokenLifetimeMs: merged.tokenLifetimeMs,
  };
}

let checkedBuiltIns: Map<string, ScenarioSettings> | undefined;

// The built-in table goes through the same checks as a file, which also fills in the fault defaults.
function builtInSettings(): Map<string, ScenarioSettings> {
  checkedBuiltIns ??= readScenarioTable(BUILT_IN_SCENARIOS, 'built-in scenario table');
  return checkedBuiltIns;
}

function readScenarioSettings(reader: SettingsReader, value: unknown, path: string): ScenarioSettings {
  const entry = reader.object(value, path);
  reader.knownKeys(entry, path, SCENARIO_KEYS);
  const at = (key: string) => childPath(path, key);
  const optional = <T>(key: string, read: (item: unknown, itemPath: string) => T): T | undefined =>
    entry[key] === undefined ? undefined : read(entry[key], at(key));

  return {
    description: optional('description', (item, itemPath) => reader.string(item, itemPath)),
    extends: optional('extends', (item, itemPath) => reader.oneOf(item, itemPath, Object.keys(BUILT_IN_SCENARIOS))),
    device: optional('device', (item, itemPath) => reader.oneOf(item, itemPath, DEVICE_STATES)),
    durationMs: optional('durationMs', (item, itemPath) => reader.duration(item, itemPath)),
    outcome: optional('outcome', (item, itemPath) => reader.oneOf(item, itemPath, ['completed', 'failed'] as const)),
    failReason: optional('failReason', (item, itemPath) => reader.nonEmptyString(item, itemPath)),
    cabling: optional('cabling', (item, itemPath) => reader.oneOf(item, itemPath, CABLING_PROFILES)),
    ports: optional('ports', (item, itemPath) => readPortResults(reader, item, itemPath)),
    omitLastPort: optional('omitLastPort', (item, itemPath) => reader.boolean(item, itemPath)),
    initialStatus: optional('initialStatus', (item, itemPath) => reader.nonEmptyString(item, itemPath)),
    unregisteredPolls: optional('unregisteredPolls', (item, itemPath) => reader.integer(item, itemPath, 0)),
    startBody: optional('startBody', (item, itemPath) => reader.oneOf(item, itemPath, START_BODIES)),
    faults: optional('faults', (item, itemPath) => readFaultRules(reader, item, itemPath, ['start', 'status', 'all'])),
    rateLimit: optional('rateLimit', (item, itemPath) => readRateLimit(reader, item, itemPath)),
    tokenLifetimeMs: optional('tokenLifetimeMs', (item, itemPath) => reader.duration(item, itemPath)),
  };
}

function readPortResults(reader: SettingsReader, value: unknown, path: string): Record<string, PortResultSetting> {
  const ports = reader.object(value, path);
  // No prototype, so a port named "__proto__" is stored as an ordinary key.
  const results: Record<string, PortResultSetting> = Object.create(null) as Record<string, PortResultSetting>;

  for (const [port, setting] of Object.entries(ports)) {
    const portPath = childPath(path, port);
    checkName(reader, port, portPath, MAX_PORT_LENGTH, 'port name');
    if (typeof setting === 'string') {
      results[port] = reader.oneOf(setting, portPath, CABLING_PROFILES);
      continue;
    }

    const pairs = reader.array(setting, portPath);
    if (pairs.length !== PAIR_NAMES.length) {
      const counted = `${pairs.length} ${pairs.length === 1 ? 'pair' : 'pairs'}`;
      reader.fail(portPath, `lists ${counted}, expected a profile name or the 4 pairs ${PAIR_NAMES.join(', ')} in that order`);
    }
    results[port] = pairs.map((pair, index) => readPair(reader, pair, childPath(portPath, index)));
  }
  return results;
}

function readPair(reader: SettingsReader, value: unknown, path: string): PairDiagnosticSetting {
  const pair = reader.object(value, path);
  reader.knownKeys(pair, path, ['status', 'length']);
  const nullableString = (key: 'status' | 'length'): string | null => {
    const item = pair[key];
    if (item === null) return null;
    if (typeof item !== 'string') reader.fail(childPath(path, key), `is ${describeSetting(item)}, expected a string or null`);
    return item;
  };
  return { status: nullableString('status'), length: nullableString('length') };
}

function checkName(reader: SettingsReader, name: string, path: string, maxLength: number, kind: string): void {
  if (name === '' || name.length > maxLength || INVALID_NAME_CHARACTER.test(name)) {
    reader.fail(path, `is not a valid ${kind}: expected 1 to ${maxLength} characters without whitespace or control characters`);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import type { Logger } from '../logger.js';
import { readFaultRules } from './faults.js';
import { readRateLimit } from './rate-limit.js';
import { buildScenarioTable, loadScenarioFile, readScenarioTable } from './scenarios.js';
import { SettingsReader, childPath } from './settings-reader.js';
import { DEMO_CLIENT } from './tokens.js';
import type { FaultRule, RateLimitSetting, Scenario, SimulatedClient, SimulatorOptions } from './types.js';

/** Default time from the start to the end of a test, in milliseconds. */
export const DEFAULT_DURATION_MS = 3000;

/** Default `expires_in` of issued tokens, in seconds. */
export const DEFAULT_TOKEN_EXPIRES_IN_SECONDS = 3600;

const OPTION_KEYS = [
  'port',
  'durationMs',
  'scenarioFile',
  'scenarios',
  'clients',
  'tokenExpiresInSeconds',
  'tokenFaults',
  'tokenLifetimeMs',
  'rateLimit',
  'logger',
];

/** Options of `start` after checking, with the defaults filled in and the scenario file read. */
export interface SimulatorConfig {
  port: number;
  durationMs: number;
  scenarios: Map<string, Scenario>;
  clients: SimulatedClient[];
  /** True when `clients` was set: API requests then need a token issued by the simulator. */
  enforceTokens: boolean;
  tokenExpiresInSeconds: number;
  tokenFaults: FaultRule[];
  tokenLifetimeMs: number | undefined;
  rateLimit: RateLimitSetting | undefined;
  logger: Logger | undefined;
}

/** Checks the options and reads the scenario file. Throws a `SimulatorConfigError` naming the bad setting. */
export async function resolveOptions(options: SimulatorOptions | undefined): Promise<SimulatorConfig> {
  const reader = new SettingsReader('simulator options');
  const input = options === undefined ? {} : reader.object(options, 'options');
  reader.knownKeys(input, 'options', OPTION_KEYS);
  const at = (key: string) => childPath('options', key);

  const clients = input.clients === undefined ? undefined : readClients(reader, input.clients, at('clients'));
  const logger = input.logger === undefined ? undefined : (reader.object(input.logger, at('logger')) as Logger);

  const layers = [];
  if (input.scenarioFile !== undefined) {
    layers.push(await loadScenarioFile(reader.nonEmptyString(input.scenarioFile, at('scenarioFile'))));
  }
  if (input.scenarios !== undefined) layers.push(readScenarioTable(input.scenarios, 'options.scenarios'));

  return {
    port: input.port === undefined ? 0 : reader.integer(input.port, at('port'), 0, 65_535),
    durationMs: input.durationMs === undefined ? DEFAULT_DURATION_MS : reader.duration(input.durationMs, at('durationMs')),
    scenarios: buildScenarioTable(layers),
    clients: clients ?? [{ ...DEMO_CLIENT }],
    enforceTokens: clients !== undefined,
    tokenExpiresInSeconds:
      input.tokenExpiresInSeconds === undefined
        ? DEFAULT_TOKEN_EXPIRES_IN_SECONDS
        : reader.integer(input.tokenExpiresInSeconds, at('tokenExpiresInSeconds'), 1),
    tokenFaults: input.tokenFaults === undefined ? [] : readFaultRules(reader, input.tokenFaults, at('tokenFaults'), ['all']),
    tokenLifetimeMs: input.tokenLifetimeMs === undefined ? undefined : reader.duration(input.tokenLifetimeMs, at('tokenLifetimeMs')),
    rateLimit: input.rateLimit === undefined ? undefined : readRateLimit(reader, input.rateLimit, at('rateLimit')),
    logger,
  };
}

function readClients(reader: SettingsReader, value: unknown, path: string): SimulatedClient[] {
  const items = reader.array(value, path);
  if (items.length === 0) {
    reader.fail(path, 'is empty, so no token could ever be issued: list at least one {clientId, clientSecret}, or omit clients to accept any bearer token');
  }

  const seen = new Set<string>();
  return items.map((item, index) => {
    const itemPath = childPath(path, index);
    const client = reader.object(item, itemPath);
    reader.knownKeys(client, itemPath, ['clientId', 'clientSecret']);
    const clientId = reader.nonEmptyString(client.clientId, childPath(itemPath, 'clientId'));
    // The secret is checked without being shown in the message.
    if (typeof client.clientSecret !== 'string' || client.clientSecret === '') {
      reader.fail(childPath(itemPath, 'clientSecret'), 'is missing or empty, expected the non-empty secret of the client');
    }
    if (seen.has(clientId)) reader.fail(childPath(itemPath, 'clientId'), `repeats the client id ${JSON.stringify(clientId)}`);
    seen.add(clientId);
    return { clientId, clientSecret: client.clientSecret };
  });
}

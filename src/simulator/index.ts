/**
 * A local, stateful stand-in for Central's AOS-S cable test API and the GreenLake token
 * endpoint, for people and tests. It listens on 127.0.0.1 only and imports Node modules,
 * so it is a separate entry point: the library must not import it.
 *
 * The behaviour of each device is chosen by its serial number from `BUILT_IN_SCENARIOS`
 * (any serial number not listed gets the healthy `*` scenario), and can be overridden with
 * a scenario file or the `scenarios` option.
 *
 * @example
 * const sim = await start({ durationMs: 500 });
 * const central = createTroubleshootingClient({ baseUrl: sim.url, token: 'any-token' });
 * const result = await central.runCableTest({ serialNumber: 'SIM-CUT-01', ports: ['1', '2'] });
 * await sim.close();
 *
 * @module aruba-central-troubleshooting/simulator
 */
import { resolveOptions } from './options.js';
import { listen } from './server.js';
import type { Simulator, SimulatorOptions } from './types.js';

export { OTHER_HOST_ORIGIN } from './cable-test-api.js';
export { DEFAULT_DURATION_MS, DEFAULT_TOKEN_EXPIRES_IN_SECONDS } from './options.js';
export { PAIR_NAMES } from './results.js';
export { BUILT_IN_SCENARIOS, DEFAULT_FAIL_REASON, DEFAULT_SCENARIO_KEY } from './scenarios.js';
export { SimulatorConfigError } from './settings-reader.js';
export { TOKEN_PATH } from './token-endpoint.js';
export { DEMO_CLIENT } from './tokens.js';
export type {
  CablingProfile,
  DeviceState,
  FaultKind,
  FaultRule,
  FaultTarget,
  PairDiagnosticSetting,
  PortResultSetting,
  RateLimitSetting,
  RecordedRequest,
  RequestKind,
  Scenario,
  ScenarioSettings,
  SimulatedClient,
  SimulatedTask,
  Simulator,
  SimulatorOptions,
  StartBody,
} from './types.js';

/**
 * Starts a simulator on 127.0.0.1 (port `options.port`, or a free one). Rejects with a
 * `SimulatorConfigError` naming the setting when an option or the scenario file is invalid.
 */
export async function start(options?: SimulatorOptions): Promise<Simulator> {
  const config = await resolveOptions(options);
  return listen(config);
}

export { start as startSimulator };

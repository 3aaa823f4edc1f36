import { type Simulator, SimulatorConfigError, DEMO_CLIENT, start } from '../simulator/index.js';
import { PROGRAM_NAME, UsageError } from './args.js';
import { EXIT_SUCCESS } from './exit-codes.js';

/** Settings of the `simulate` command. */
export interface SimulateSettings {
  port: number;
  scenarioFile: string | undefined;
  durationMs: number | undefined;
}

/** Output functions and the stop signal of a run. */
export interface SimulateIo {
  out: (text: string) => void;
  /** Aborted on SIGINT or SIGTERM; the simulator then closes. */
  signal: AbortSignal | undefined;
}

/**
 * Runs the local Central simulator on 127.0.0.1 until the signal aborts, then closes it and
 * returns exit code 0. An invalid scenario file or a port in use is a usage error.
 */
export async function runSimulate(settings: SimulateSettings, io: SimulateIo): Promise<number> {
  let simulator: Simulator;
  try {
    simulator = await start({
      port: settings.port,
      scenarioFile: settings.scenarioFile,
      durationMs: settings.durationMs,
      // One line per request and per caught error, so people can watch the API at work.
      logger: {
        debug: (message) => io.out(`${message}\n`),
        warn: (message, fields) => io.out(`warning: ${message} ${JSON.stringify(fields ?? {})}\n`),
        error: (message, fields) => io.out(`error: ${message} ${JSON.stringify(fields ?? {})}\n`),
      },
    });
  } catch (error) {
    if (error instanceof SimulatorConfigError) throw new UsageError(error.message, 'simulate');
    const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
    if (code === 'EADDRINUSE') {
      throw new UsageError(`port ${settings.port} on 127.0.0.1 is in use: pass another --port, or 0 for a free one.`, 'simulate');
    }
    throw error;
  }

  try {
    io.out(describeSimulator(simulator));
    await waitForAbort(io.signal);
    io.out('Stopping the simulator.\n');
  } finally {
    await simulator.close();
  }
  return EXIT_SUCCESS;
}

function describeSimulator(simulator: Simulator): string {
  const serials = [...simulator.scenarios.keys()].filter((serial) => serial !== '*');
  const width = Math.max(...serials.map((serial) => serial.length));
  const scenarioLines = serials.map(
    (serial) => `  ${serial.padEnd(width)}  ${simulator.scenarioFor(serial).description ?? ''}`,
  );

  return [
    `Central simulator listening on ${simulator.url} (local only, not a real Central).`,
    `Token endpoint: ${simulator.tokenUrl} (client id ${DEMO_CLIENT.clientId}, client secret ${DEMO_CLIENT.clientSecret})`,
    '',
    'Try, in another terminal:',
    `  export CENTRAL_BASE_URL=${simulator.url} CENTRAL_TOKEN_URL=${simulator.tokenUrl}`,
    `  export CENTRAL_CLIENT_ID=${DEMO_CLIENT.clientId} CENTRAL_CLIENT_SECRET=${DEMO_CLIENT.clientSecret}`,
    `  ${PROGRAM_NAME} cable-test SIM-FAULTS-01 1 2`,
    '',
    'Scenarios, chosen by serial number (any other serial number gets healthy cabling):',
    ...scenarioLines,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

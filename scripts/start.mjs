// Runs the built command line against the built-in Central simulator (`npm start`).
// It starts the simulator on a free 127.0.0.1 port and puts `prism proxy --errors` on
// spec/openapi.yaml in front of it, so every request and response is checked against the
// spec. It then runs one cable test through dist/cli.js with the simulator's demo client
// credentials, stops both, and exits with the exit code of the command line. No real
// Central is contacted.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PRISM_BIN = 'node_modules/.bin/prism';
const SPEC_PATH = 'spec/openapi.yaml';
const CLI_PATH = 'dist/cli.js';
const SIMULATOR_PATH = '../dist/simulator.js';

// Serial number and ports of the examples in spec/openapi.yaml. The simulator reports
// port 3 as unplugged, as in the spec's example, and port 6 as a good cable.
const SERIAL_NUMBER = 'SG30JY1234';
const CLI_ARGS = ['cable-test', SERIAL_NUMBER, '3', '6', '--progress'];
const DEMO_SCENARIO = {
  description: 'Demo switch: port 3 unplugged, port 6 with a good cable.',
  ports: { 3: 'unplugged', 6: 'healthy' },
};
const TEST_DURATION_MS = 4_000;

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

// Prism logs every request, so only the end of its output is kept for error messages.
const MAX_OUTPUT_CHARS = 8_000;

const LISTENING_LINE = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/;
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

/** Exit code of this script when Prism cannot be started or the CLI cannot be run. */
const EXIT_SCRIPT_ERROR = 1;

let simulator;
let prism;
let prismOutput = '';
let cli;
let interrupted = false;

// Whatever ends this script, Prism is stopped: only the child spawned here is signalled.
process.on('exit', () => {
  if (isRunning(prism)) prism.kill('SIGKILL');
});

// Ctrl-C reaches the whole process group, so the CLI receives it too and prints how to
// resume. This script stops Prism, then waits for the CLI and exits with its code.
// SIGTERM is sent to this script alone, so it is passed on to the CLI.
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

function onSignal(signal) {
  interrupted = true;
  console.error(`${signal} received: stopping the simulator and Prism.`);
  if (isRunning(cli)) {
    if (signal === 'SIGTERM') cli.kill('SIGTERM');
    void stopAll();
  } else {
    void stopAll().finally(() => process.exit(128 + constants.signals[signal]));
  }
}

try {
  const { start, DEMO_CLIENT } = await import(SIMULATOR_PATH);
  simulator = await start({ durationMs: TEST_DURATION_MS, scenarios: { [SERIAL_NUMBER]: DEMO_SCENARIO } });
  const baseUrl = await startPrism(simulator.url);
  console.log(`Running against the built-in Central simulator at ${simulator.url}, not a real Central.`);
  console.log(`Scenario of ${SERIAL_NUMBER}: ${DEMO_SCENARIO.description}`);
  console.log(`Every request and response passes through Prism at ${baseUrl}, which checks them against ${SPEC_PATH}.`);
  console.log('Command (with the simulator\'s demo client credentials):');
  console.log(
    `  CENTRAL_CLIENT_ID=${DEMO_CLIENT.clientId} CENTRAL_CLIENT_SECRET=${DEMO_CLIENT.clientSecret} ` +
      `CENTRAL_TOKEN_URL=${simulator.tokenUrl} node ${CLI_PATH} ${CLI_ARGS.join(' ')} --base-url ${baseUrl}\n`,
  );

  const exitCode = await runCli(baseUrl, {
    CENTRAL_CLIENT_ID: DEMO_CLIENT.clientId,
    CENTRAL_CLIENT_SECRET: DEMO_CLIENT.clientSecret,
    CENTRAL_TOKEN_URL: simulator.tokenUrl,
  });
  await stopAll();
  process.exitCode = exitCode;
} catch (error) {
  // After a signal, Prism exits before it is ready, which needs no second message.
  if (!interrupted) console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exitCode = EXIT_SCRIPT_ERROR;
}

async function stopAll() {
  await stopPrism();
  await simulator?.close();
}

/**
 * Spawns Prism on a free port and resolves with its base URL once it prints its "listening"
 * line. Rejects, with the end of its output, when it exits, cannot be spawned or does not
 * start within STARTUP_TIMEOUT_MS.
 */
function startPrism(upstreamUrl) {
  // Port 0 lets the system pick a free port, and Prism prints the port it got. With
  // --errors, a request or response that breaks the spec becomes an error response.
  prism = spawn(process.execPath, [PRISM_BIN, 'proxy', SPEC_PATH, upstreamUrl, '--errors', '-h', '127.0.0.1', '-p', '0'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  return new Promise((resolve, reject) => {
    let pendingLine = '';

    const fail = (problem) => {
      clearTimeout(timer);
      const output = prismOutput.trim() === '' ? '(none)' : prismOutput.trimEnd();
      reject(new Error(`Prism (${PRISM_BIN} proxy ${SPEC_PATH}) ${problem}. Its output:\n${output}`));
    };

    const timer = setTimeout(
      () => fail(`did not print "Prism is listening on ..." within ${STARTUP_TIMEOUT_MS / 1000} s`),
      STARTUP_TIMEOUT_MS,
    );

    // Both streams are read for as long as Prism runs, because a full pipe would block it.
    const onData = (chunk) => {
      const text = chunk.toString('utf8').replace(ANSI_ESCAPE, '');
      prismOutput = (prismOutput + text).slice(-MAX_OUTPUT_CHARS);

      // A line can arrive split across chunks, so only whole lines are matched.
      pendingLine += text;
      const lines = pendingLine.split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) {
        const match = LISTENING_LINE.exec(line);
        if (match !== null) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    };
    prism.stdout.on('data', onData);
    prism.stderr.on('data', onData);

    prism.once('error', (error) => fail(`could not be started: ${error.message}`));
    prism.once('exit', (code, signal) => fail(`exited before it was ready (exit code ${code}, signal ${signal})`));
  });
}

/** Runs the CLI with inherited stdio and resolves with its exit code (128 + signal number when a signal ended it). */
function runCli(baseUrl, credentials) {
  // Credentials of the user's shell would conflict with the demo ones, so they are removed.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CENTRAL_')));
  cli = spawn(process.execPath, [CLI_PATH, ...CLI_ARGS, '--base-url', baseUrl], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: { ...env, ...credentials },
  });

  return new Promise((resolve, reject) => {
    cli.once('error', (error) => reject(new Error(`could not run node ${CLI_PATH}: ${error.message}`)));
    cli.once('exit', (code, signal) => {
      if (code !== null) resolve(code);
      else resolve(128 + (constants.signals[signal] ?? 0));
    });
  });
}

/** Sends SIGTERM to Prism, then SIGKILL when it is still running after STOP_TIMEOUT_MS, and waits for its exit. */
async function stopPrism() {
  if (!isRunning(prism)) return;

  const exited = new Promise((resolve) => prism.once('exit', resolve));
  prism.kill('SIGTERM');

  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
  });
  const forced = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);

  if (forced && isRunning(prism)) {
    prism.kill('SIGKILL');
    await exited;
  }
}

function isRunning(child) {
  return child !== undefined && child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

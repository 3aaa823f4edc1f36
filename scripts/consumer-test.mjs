// Installs the packed package into fresh projects under the system temp folder and uses it
// as a consumer would (`npm run test:consumer`, after `npm run build`). It checks that:
//   - dist/index.js bundles for the browser without any Node built-in module,
//   - the tarball contains dist/, README.md, LICENSE and package.json, and nothing else,
//   - an ESM TypeScript project (module and moduleResolution `nodenext`) type-checks the
//     public API and runs it against the simulator from `aruba-central-troubleshooting/simulator`,
//   - the installed bin prints its help and runs a cable test against a simulator,
//   - a CommonJS script loads both entry points with `require`,
//   - a browser project (moduleResolution `bundler`, no Node types) type-checks and bundles
//     with esbuild without any Node built-in module.
// Every server it starts listens on 127.0.0.1 and is stopped by its PID. Any failed check
// exits with code 1. `--keep` leaves the temp folder in place for inspection.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE_NAME = 'aruba-central-troubleshooting';
const BIN_NAME = 'central-troubleshoot';
const KEEP_TEMP = process.argv.includes('--keep');

// Versions the consumer projects install next to the tarball.
const CONSUMER_DEV_DEPENDENCIES = ['typescript@5.9.3', '@types/node@20'];

const NPX_LOCAL_ONLY = ['--offline', '--yes=false'];

const INSTALL_TIMEOUT_MS = 5 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;
const SERVER_START_TIMEOUT_MS = 20_000;
const SERVER_STOP_TIMEOUT_MS = 5_000;

// Output kept per command, for error messages: npm install can print a lot.
const MAX_OUTPUT_CHARS = 20_000;

// Files the tarball must contain. Outside dist/, only package.json, README.md and LICENSE may be packed.
const REQUIRED_PACKED_FILES = [
  'package.json',
  'README.md',
  'LICENSE',
  'dist/index.js',
  'dist/index.cjs',
  'dist/index.d.ts',
  'dist/index.d.cts',
  'dist/simulator.js',
  'dist/simulator.cjs',
  'dist/simulator.d.ts',
  'dist/simulator.d.cts',
  'dist/cli.js',
];

const checks = [];
let tempRoot;
let simulatorServer;

async function main() {
  const builtFiles = ['dist/index.js', 'dist/simulator.js', 'dist/cli.js'];
  const missing = builtFiles.filter((file) => !existsSync(path.join(PROJECT_ROOT, file)));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} not found. Run \`npm run build\` first.`);

  await checkLibraryBundlesForBrowser();

  tempRoot = await mkdtemp(path.join(os.tmpdir(), `${PACKAGE_NAME}-consumer-`));
  console.log(`Temp folder: ${tempRoot}`);
  const tarball = await packTarball(path.join(tempRoot, 'pack'));

  const esmProject = await createEsmProject(path.join(tempRoot, 'esm-nodenext'), tarball);
  await checkBin(esmProject);
  await checkCommonJs(path.join(tempRoot, 'commonjs'), tarball);
  await checkBundlerProject(path.join(tempRoot, 'browser-bundler'), tarball);
}

function pass(description) {
  checks.push(description);
  console.log(`ok ${checks.length} - ${description}`);
}

// ---------------------------------------------------------------------------------------
// The library entry in the repository

async function checkLibraryBundlesForBrowser() {
  const { nodeImports, bytes } = await bundleForBrowser({
    absWorkingDir: PROJECT_ROOT,
    entryPoint: path.join(PROJECT_ROOT, 'dist/index.js'),
  });
  assertNoNodeImports(nodeImports, 'dist/index.js');
  pass(`dist/index.js bundles for the browser (esbuild ${esbuild.version}, ${bytes} bytes) without Node built-in modules`);
}

/**
 * Bundles `entryPoint` with esbuild for the browser. Imports of Node built-in modules
 * (`node:*`, and bare names such as `crypto`, which tsup writes with `removeNodeProtocol`)
 * are kept external and returned in `nodeImports`, so every one of them can be reported.
 */
async function bundleForBrowser({ absWorkingDir, entryPoint }) {
  const nodeImports = [];
  const builtins = new Set(builtinModules);
  const guard = {
    name: 'node-builtin-guard',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (!args.path.startsWith('node:') && !builtins.has(args.path)) return undefined;
        nodeImports.push({ path: args.path, importer: path.relative(absWorkingDir, args.importer) });
        return { path: args.path, external: true };
      });
    },
  };

  const result = await esbuild.build({
    absWorkingDir,
    entryPoints: [entryPoint],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [guard],
  });
  const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
  return { nodeImports, bytes, metafile: result.metafile };
}

function assertNoNodeImports(nodeImports, bundleName) {
  if (nodeImports.length === 0) return;
  const list = nodeImports.map((entry) => `  ${entry.path} (imported by ${entry.importer})`).join('\n');
  throw new Error(
    `${bundleName} needs Node built-in modules, so it cannot run in a browser or edge runtime:\n${list}\n` +
      'The library entry must import no Node-only module: move that code to the CLI or the simulator.',
  );
}

// ---------------------------------------------------------------------------------------
// The tarball

async function packTarball(packDir) {
  await mkdir(packDir, { recursive: true });
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', packDir], {
    cwd: PROJECT_ROOT,
    timeoutMs: COMMAND_TIMEOUT_MS,
  });

  let packed;
  try {
    [packed] = JSON.parse(stdout);
  } catch (error) {
    throw new Error(`npm pack --json printed something that is not JSON (${error.message}):\n${tail(stdout)}`);
  }
  const files = new Map(packed.files.map((file) => [file.path, file]));

  const absent = REQUIRED_PACKED_FILES.filter((file) => !files.has(file));
  if (absent.length > 0) throw new Error(`The tarball lacks ${absent.join(', ')}.`);

  const unexpected = [...files.keys()].filter(
    (file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(file),
  );
  if (unexpected.length > 0) throw new Error(`The tarball contains files consumers do not need: ${unexpected.join(', ')}.`);

  // npm packs each file with its mode. Without the execute bits the bin cannot run on POSIX.
  const cliMode = files.get('dist/cli.js').mode;
  if ((cliMode & 0o111) === 0) {
    throw new Error(`dist/cli.js is packed with mode ${cliMode.toString(8)}, without execute permission.`);
  }

  const tarball = path.join(packDir, packed.filename);
  pass(`npm pack: ${packed.filename}, ${files.size} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked; dist/cli.js executable`);
  return tarball;
}

// ---------------------------------------------------------------------------------------
// (a) ESM TypeScript project, module and moduleResolution nodenext, run against the simulator

const ESM_MAIN_TS = `import assert from 'node:assert/strict';

import {
  CentralApiError,
  CentralError,
  ConflictError,
  DeviceOfflineError,
  createTroubleshootingClient,
  summarizeCableTest,
  type CableTestResult,
  type CableTestSummary,
  type CableVerdict,
  type TroubleshootingClient,
} from '${PACKAGE_NAME}';
import { type Simulator, start } from '${PACKAGE_NAME}/simulator';

const CUT_SERIAL = 'CONSUMER-CUT-01';
const OFFLINE_SERIAL = 'CONSUMER-OFFLINE-01';

const sim: Simulator = await start({
  durationMs: 300,
  scenarios: {
    [CUT_SERIAL]: { cabling: 'cut' },
    [OFFLINE_SERIAL]: { device: 'offline' },
  },
});

try {
  const central: TroubleshootingClient = createTroubleshootingClient({ baseUrl: sim.url, token: 'consumer-test-token' });

  const result: CableTestResult = await central.runCableTest(
    { serialNumber: CUT_SERIAL, ports: ['1', '2'] },
    { pollIntervalMs: 100, timeoutMs: 30_000 },
  );
  const summary: CableTestSummary = summarizeCableTest(result);
  const verdicts: CableVerdict[] = summary.ports.map((port) => port.verdict);
  assert.equal(result.status, 'COMPLETED');
  assert.deepEqual(
    summary.ports.map((port) => port.port),
    ['1', '2'],
  );
  assert.deepEqual(verdicts, ['open', 'open']);

  let offlineError: unknown;
  try {
    await central.startCableTest({ serialNumber: OFFLINE_SERIAL, ports: ['1'] });
  } catch (error) {
    offlineError = error;
  }
  assert.ok(offlineError instanceof DeviceOfflineError, \`expected a DeviceOfflineError, got \${String(offlineError)}\`);
  assert.ok(offlineError instanceof ConflictError);
  assert.ok(offlineError instanceof CentralApiError);
  assert.ok(offlineError instanceof CentralError);
  assert.equal(offlineError.status, 409);

  console.log(JSON.stringify({ taskId: result.taskId, polls: result.polls, counts: summary.counts, offlineError: offlineError.name }));
} finally {
  await sim.close();
}

// Compiled but never called. Each @ts-expect-error fails the type check when the package's
// types are missing or resolve to \`any\`.
export function typeChecks(central: TroubleshootingClient): void {
  // @ts-expect-error ports are strings
  void central.runCableTest({ serialNumber: 'SG30JY1234', ports: [3] });
  // @ts-expect-error CableVerdict is a closed union
  const verdict: CableVerdict = 'broken';
  void verdict;
}
`;

// Serves the installed simulator for the bin check: prints its URL, stops on SIGTERM.
const SERVE_SIMULATOR_MJS = `import { start } from '${PACKAGE_NAME}/simulator';

const sim = await start({ durationMs: 300 });
console.log(\`listening \${sim.url}\`);
process.once('SIGTERM', () => {
  sim.close().then(() => process.exit(0));
});
`;

async function createEsmProject(dir, tarball) {
  await writeProject(dir, {
    'package.json': { name: 'consumer-esm-nodenext', private: true, type: 'module' },
    'tsconfig.json': {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        verbatimModuleSyntax: true,
        // The package's .d.ts files are checked too.
        skipLibCheck: false,
        types: ['node'],
        rootDir: 'src',
        outDir: 'dist',
      },
      include: ['src'],
    },
    'src/main.ts': ESM_MAIN_TS,
    'serve-simulator.mjs': SERVE_SIMULATOR_MJS,
  });
  await npmInstall(dir, [tarball, ...CONSUMER_DEV_DEPENDENCIES]);

  await runTsc(dir);
  pass('ESM project (nodenext): the public API and the simulator entry type-check, .d.ts files included');

  const { stdout } = await run(process.execPath, ['dist/main.js'], { cwd: dir, timeoutMs: COMMAND_TIMEOUT_MS });
  const report = JSON.parse(lastLine(stdout));
  pass(
    `ESM project (nodenext): runCableTest against the simulator gave ${JSON.stringify(report.counts)} ` +
      `after ${report.polls} polls; an offline switch raised ${report.offlineError} (instanceof checked)`,
  );
  return dir;
}

// ---------------------------------------------------------------------------------------
// The installed bin

async function checkBin(projectDir) {
  // --offline --yes=false: when the bin is not installed, npx fails instead of looking up
  // and installing a registry package of that name.
  const help = await run('npx', [...NPX_LOCAL_ONLY, BIN_NAME, '--help'], { cwd: projectDir, timeoutMs: COMMAND_TIMEOUT_MS });
  if (!help.stdout.includes('cable-test')) {
    throw new Error(`npx ${BIN_NAME} --help exited 0 but its output does not mention cable-test:\n${tail(help.stdout)}`);
  }
  pass(`npx ${BIN_NAME} --help exits 0 and lists the commands`);

  simulatorServer = await startServer(process.execPath, ['serve-simulator.mjs'], projectDir, /^listening (http:\/\/127\.0\.0\.1:\d+)$/m);
  const { stdout } = await run(
    'npx',
    [...NPX_LOCAL_ONLY, BIN_NAME, 'cable-test', 'CONSUMER-CLI-01', '1', '2', '--base-url', simulatorServer.url, '--json'],
    { cwd: projectDir, timeoutMs: COMMAND_TIMEOUT_MS, env: { CENTRAL_TOKEN: 'consumer-test-token' } },
  );
  try {
    JSON.parse(stdout);
  } catch (error) {
    throw new Error(`${BIN_NAME} cable-test --json printed something that is not JSON (${error.message}):\n${tail(stdout)}`);
  }
  await stopServer(simulatorServer);
  simulatorServer = undefined;
  pass(`npx ${BIN_NAME} cable-test --json exits 0 against a simulator started from the installed package`);
}

// ---------------------------------------------------------------------------------------
// (b) CommonJS require

// The `completed` example of the status response in spec/openapi.yaml: nothing is plugged
// into ports 3 and 6, so every pair is Open at length "0".
const FOUNDING_EXAMPLE_BODY = {
  endTime: '2025-05-21T04:49:40.514983412Z',
  progressPercent: 100,
  status: 'COMPLETED',
  startTime: '2025-05-21T04:49:39.372776208Z',
  output: {
    results: ['3', '6'].map((interfaceName) => ({
      cablePairDiagnostics: ['1-2', '3-6', '4-5', '7-8'].map((pairName) => ({ length: '0', status: 'Open', pairName })),
      interfaceName,
    })),
    ports: ['3', '6'],
  },
  failReason: null,
};

const COMMONJS_CHECK_CJS = `const assert = require('node:assert/strict');

const library = require('${PACKAGE_NAME}');
const simulator = require('${PACKAGE_NAME}/simulator');
const { version } = require('${PACKAGE_NAME}/package.json');

// No request is sent: creating a client only checks the options.
const central = library.createTroubleshootingClient({ baseUrl: 'http://127.0.0.1:1', token: 'consumer-test-token' });
assert.equal(typeof central.runCableTest, 'function');
assert.equal(typeof central.waitForCableTest, 'function');

const summary = library.summarizeCableTest(${JSON.stringify(FOUNDING_EXAMPLE_BODY)});
assert.deepEqual(summary.counts, { good: 0, fault: 0, open: 2, unknown: 0, missing: 0 });
assert.deepEqual(summary.ports.map((port) => port.port), ['3', '6']);
for (const port of summary.ports) {
  assert.equal(port.verdict, 'open');
  assert.deepEqual(port.pairs.map((pair) => pair.lengthMetres), [0, 0, 0, 0]);
}

assert.throws(
  () => library.createTroubleshootingClient({ baseUrl: 'http://127.0.0.1:1' }),
  (error) => error instanceof library.InvalidArgumentError && error instanceof library.CentralError,
);
assert.equal(typeof simulator.start, 'function');

console.log(JSON.stringify({ version, counts: summary.counts }));
`;

async function checkCommonJs(dir, tarball) {
  await writeProject(dir, {
    'package.json': { name: 'consumer-commonjs', private: true, type: 'commonjs' },
    'check.cjs': COMMONJS_CHECK_CJS,
  });
  // Plain JavaScript: the tarball is the only package it needs.
  await npmInstall(dir, [tarball]);

  const { stdout } = await run(process.execPath, ['check.cjs'], { cwd: dir, timeoutMs: COMMAND_TIMEOUT_MS });
  const report = JSON.parse(lastLine(stdout));
  pass(
    `CommonJS require: createTroubleshootingClient, summarizeCableTest on the spec's completed example ` +
      `(${JSON.stringify(report.counts)}), InvalidArgumentError instanceof, simulator entry, package.json ${report.version}`,
  );
}

// ---------------------------------------------------------------------------------------
// (c) Browser project, moduleResolution bundler, bundled with esbuild

const BROWSER_MAIN_TS = `import {
  CableTestFailedError,
  WaitTimeoutError,
  createTroubleshootingClient,
  summarizeCableTest,
  type CableTestResult,
  type PortSummary,
} from '${PACKAGE_NAME}';

/** Runs a cable test from a browser page and returns one summary per port. */
export async function testCables(baseUrl: string, token: string, serialNumber: string, ports: string[]): Promise<PortSummary[]> {
  const central = createTroubleshootingClient({ baseUrl, token });
  try {
    const result: CableTestResult = await central.runCableTest({ serialNumber, ports });
    return summarizeCableTest(result).ports;
  } catch (error) {
    if (error instanceof WaitTimeoutError) throw new Error(\`Still running: resume with task id \${error.taskId}.\`);
    if (error instanceof CableTestFailedError) throw new Error(\`The switch reported a failure: \${error.failReason}\`);
    throw error;
  }
}
`;

async function checkBundlerProject(dir, tarball) {
  await writeProject(dir, {
    'package.json': { name: 'consumer-browser-bundler', private: true, type: 'module' },
    'tsconfig.json': {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM'],
        // No Node types: the library's declarations must compile with the DOM library alone.
        types: [],
        strict: true,
        verbatimModuleSyntax: true,
        skipLibCheck: false,
        noEmit: true,
      },
      include: ['src'],
    },
    'src/main.ts': BROWSER_MAIN_TS,
  });
  await npmInstall(dir, [tarball, ...CONSUMER_DEV_DEPENDENCIES]);

  await runTsc(dir);
  pass('browser project (bundler, DOM library, no Node types): the public API type-checks, .d.ts files included');

  const { nodeImports, bytes, metafile } = await bundleForBrowser({ absWorkingDir: dir, entryPoint: path.join(dir, 'src/main.ts') });
  assertNoNodeImports(nodeImports, 'The browser bundle of the installed package');
  const libraryInput = `node_modules/${PACKAGE_NAME}/dist/index.js`;
  if (!Object.keys(metafile.inputs).includes(libraryInput)) {
    throw new Error(`The browser bundle did not use ${libraryInput}; its inputs: ${Object.keys(metafile.inputs).join(', ')}`);
  }
  pass(`browser project: esbuild bundles it for the browser from ${libraryInput} (${bytes} bytes) without Node built-in modules`);
}

// ---------------------------------------------------------------------------------------
// Helpers

async function writeProject(dir, files) {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

async function npmInstall(dir, specs) {
  await run('npm', ['install', '--no-audit', '--no-fund', ...specs], { cwd: dir, timeoutMs: INSTALL_TIMEOUT_MS });
}

async function runTsc(dir) {
  await run(process.execPath, [path.join(dir, 'node_modules/typescript/bin/tsc'), '-p', '.'], {
    cwd: dir,
    timeoutMs: COMMAND_TIMEOUT_MS,
  });
}

/**
 * Environment of the commands run here. `npm run` sets variables about this repository,
 * such as its package fields and local prefix. They are removed, so that npm in a consumer
 * project reads only that project's settings.
 */
function childEnvironment(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    const name = key.toLowerCase();
    if (name.startsWith('npm_package_') || name.startsWith('npm_lifecycle_') || name === 'npm_config_local_prefix') continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', ...extra };
}

/**
 * Runs a command and resolves with its output. Rejects, with the command and the end of its
 * output, when it cannot start, exits with a non-zero code or a signal, or runs longer than
 * `timeoutMs` (it is then killed).
 */
function run(command, args, { cwd, timeoutMs, env = {} }) {
  const commandLine = `${command === process.execPath ? 'node' : command} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout = (stdout + chunk).slice(-MAX_OUTPUT_CHARS);
    });
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-MAX_OUTPUT_CHARS);
    });
    child.once('error', (error) => reject(new Error(`\`${commandLine}\` could not be started in ${cwd}: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      let failure = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
      // child.killed is set only when this process sent the signal, which happens on the timeout.
      if (child.killed) failure += ` after the timeout of ${timeoutMs / 1000} s`;
      reject(new Error(`\`${commandLine}\` ${failure} in ${cwd}.\nstdout:\n${tail(stdout)}\nstderr:\n${tail(stderr)}`));
    });
  });
}

/** Spawns a server and resolves once a line of its stdout matches `readyLine`, whose group 1 is its URL. */
function startServer(command, args, cwd, readyLine) {
  const child = spawn(command, args, { cwd, env: childEnvironment({}), stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, pid: child.pid, url: undefined };
  let output = '';

  return new Promise((resolve, reject) => {
    const fail = (problem) => {
      clearTimeout(timer);
      void stopServer(server);
      reject(new Error(`The server \`node ${args.join(' ')}\` ${problem}. Its output:\n${tail(output)}`));
    };
    const timer = setTimeout(() => fail(`did not report its URL within ${SERVER_START_TIMEOUT_MS / 1000} s`), SERVER_START_TIMEOUT_MS);

    const onData = (chunk) => {
      output = (output + chunk).slice(-MAX_OUTPUT_CHARS);
      const match = readyLine.exec(output);
      if (match !== null && server.url === undefined) {
        clearTimeout(timer);
        server.url = match[1];
        resolve(server);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => fail(`could not be started: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (server.url === undefined) fail(`exited before it was ready (code ${code}, signal ${signal})`);
    });
  });
}

/** Sends SIGTERM to the server's PID, then SIGKILL after SERVER_STOP_TIMEOUT_MS, and waits for its exit. */
async function stopServer(server) {
  const child = server?.child;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalProcess(server.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) signalProcess(server.pid, 'SIGKILL');
  }, SERVER_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

// The process may exit between the check and the signal, and ESRCH then means it is already gone.
function signalProcess(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

function lastLine(text) {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

function tail(text) {
  const trimmed = text.trimEnd();
  if (trimmed === '') return '(none)';
  return trimmed.length > 4000 ? `...${trimmed.slice(-4000)}` : trimmed;
}

// ---------------------------------------------------------------------------------------
// Entry point: last in the file, because the project sources above are top-level constants.

try {
  await main();
  console.log(`\nConsumer test passed: ${checks.length} checks.`);
} catch (error) {
  console.error(`\nConsumer test FAILED: ${error instanceof Error ? error.message : String(error)}`);
  if (checks.length > 0) console.error(`Checks that passed before the failure: ${checks.length}.`);
  process.exitCode = 1;
} finally {
  await stopServer(simulatorServer);
  if (tempRoot !== undefined) {
    if (KEEP_TEMP) console.log(`Kept the temp folder ${tempRoot}.`);
    else await rm(tempRoot, { recursive: true, force: true });
  }
}

/**
 * Starts Prism on spec/openapi.yaml on a free 127.0.0.1 port, as a mock (`startPrism`) or as
 * `prism proxy <upstream> --errors` (`startPrismProxy`). With `--errors`, Prism replaces a
 * request or response that breaks the spec with an error response (422 for requests, 500 for
 * responses), or adds an `sl-violations` header. A test can then tell whether the traffic it
 * sent through the proxy matched the spec.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRISM_BIN = 'node_modules/.bin/prism';
const SPEC_PATH = 'spec/openapi.yaml';

const STARTUP_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 5_000;

// Prism logs every request, so only the end of its output is kept for error messages.
const MAX_OUTPUT_CHARS = 8_000;

const LISTENING_LINE = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/;
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

/** A running Prism process. */
export interface PrismProxy {
  /** Base URL of Prism, such as `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Process id of the Prism process. */
  readonly pid: number;
  /** Last lines Prism printed, for diagnosis. */
  output(): string;
  /** Sends SIGTERM to the process id (SIGKILL after 5 s) and waits for the exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a Prism proxy in front of `upstreamUrl`, which must be a 127.0.0.1 URL. */
export async function startPrismProxy(upstreamUrl: string): Promise<PrismProxy> {
  if (new URL(upstreamUrl).hostname !== '127.0.0.1') {
    throw new Error(`The Prism proxy only fronts servers on 127.0.0.1, not ${upstreamUrl}.`);
  }
  return startPrism('proxy', [upstreamUrl, '--errors']);
}

/**
 * Starts `prism <command> spec/openapi.yaml <extraArgs>` on a free 127.0.0.1 port and resolves
 * once it listens. Port 0 makes Prism take a free port, so parallel runs do not collide.
 */
export async function startPrism(command: 'mock' | 'proxy', extraArgs: string[] = []): Promise<PrismProxy> {
  const child = spawn(
    process.execPath,
    [PRISM_BIN, command, SPEC_PATH, ...extraArgs, '-h', '127.0.0.1', '-p', '0'],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`Prism (${PRISM_BIN} ${command}) could not be spawned from ${PROJECT_ROOT}.`);
  }

  // Kills the child if the test process exits before the teardown ran.
  const killOnExit = () => {
    if (isRunning(child)) process.kill(pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  let output = '';
  const appendOutput = (text: string) => {
    output = (output + text).slice(-MAX_OUTPUT_CHARS);
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopByPid(child, pid).finally(() => process.removeListener('exit', killOnExit));
    return stopping;
  };

  let url: string;
  try {
    url = await waitForListening(child, command, appendOutput, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid, output: () => output, stop };
}

/**
 * Resolves with the proxy's URL once Prism prints its "listening" line. Rejects, with the
 * output so far, when Prism exits, cannot be spawned or does not start in time.
 */
function waitForListening(
  child: ChildProcess,
  command: string,
  appendOutput: (text: string) => void,
  output: () => string,
): Promise<string> {
  let pending = '';

  return new Promise<string>((resolve, reject) => {
    const fail = (problem: string) => {
      clearTimeout(timer);
      reject(new Error(`Prism (${PRISM_BIN} ${command} ${SPEC_PATH}) ${problem}. Its output:\n${output() || '(none)'}`));
    };
    const timer = setTimeout(
      () => fail(`did not print "Prism is listening on …" within ${STARTUP_TIMEOUT_MS} ms`),
      STARTUP_TIMEOUT_MS,
    );

    // Both streams are read for as long as Prism runs, because a full pipe would block its logging.
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8').replace(ANSI_ESCAPE, '');
      appendOutput(text);

      // Lines can arrive split across chunks, so only whole lines are matched.
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = LISTENING_LINE.exec(line);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);

    child.once('error', (error) => fail(`could not be started: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited before it was ready (exit code ${code}, signal ${signal})`));
  });
}

async function stopByPid(child: ChildProcess, pid: number): Promise<void> {
  if (!isRunning(child)) return;

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(pid, 'SIGTERM');

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), EXIT_TIMEOUT_MS);
  });
  const forced = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);

  if (forced && isRunning(child)) {
    process.kill(pid, 'SIGKILL');
    await exited;
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

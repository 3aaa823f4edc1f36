import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Prism mock of spec/openapi.yaml, such as `http://127.0.0.1:40123`. */
    prismUrl: string;
  }
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRISM_BIN = 'node_modules/.bin/prism';
const SPEC_PATH = 'spec/openapi.yaml';

const STARTUP_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 5_000;

// Last characters of Prism's output kept for error messages. Prism logs every request, so the
// whole output is not kept.
const MAX_OUTPUT_CHARS = 8_000;

const LISTENING_LINE = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/;
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

/**
 * Starts `prism mock spec/openapi.yaml` on a free 127.0.0.1 port, provides its URL to the
 * tests as `prismUrl`, and returns the teardown that stops it.
 */
export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  // Port 0 makes Prism take a free port, so parallel runs and other servers do not collide.
  const child = spawn(process.execPath, [PRISM_BIN, 'mock', SPEC_PATH, '-h', '127.0.0.1', '-p', '0'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  // Stops the child if the vitest process exits, normally or through process.exit(), before the
  // teardown ran. A kill by a signal skips this handler.
  const stopOnExit = () => {
    if (isRunning(child)) child.kill('SIGKILL');
  };
  process.once('exit', stopOnExit);

  let url: string;
  try {
    url = await waitForListening(child);
  } catch (error) {
    await stopPrism(child);
    process.removeListener('exit', stopOnExit);
    throw error;
  }

  provide('prismUrl', url);

  return async () => {
    await stopPrism(child);
    process.removeListener('exit', stopOnExit);
  };
}

/**
 * Resolves with Prism's base URL once it prints its "listening" line. Rejects, with the
 * output so far, when Prism exits, cannot be spawned or does not start in time.
 */
function waitForListening(child: ChildProcess): Promise<string> {
  let output = '';
  let pending = '';

  return new Promise<string>((resolve, reject) => {
    const fail = (problem: string) => {
      clearTimeout(timer);
      reject(new Error(`Prism (${PRISM_BIN} mock ${SPEC_PATH}) ${problem}. Its output:\n${output || '(none)'}`));
    };

    const timer = setTimeout(
      () => fail(`did not print "Prism is listening on …" within ${STARTUP_TIMEOUT_MS} ms`),
      STARTUP_TIMEOUT_MS,
    );

    // Both streams are read for as long as Prism runs, because a full pipe would block its logging.
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8').replace(ANSI_ESCAPE, '');
      output = (output + text).slice(-MAX_OUTPUT_CHARS);

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

/** Sends SIGTERM to the child, then SIGKILL if it is still running after `EXIT_TIMEOUT_MS`, and waits for its exit. */
async function stopPrism(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return;

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), EXIT_TIMEOUT_MS);
  });
  const forced = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);

  if (forced) {
    child.kill('SIGKILL');
    await exited;
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

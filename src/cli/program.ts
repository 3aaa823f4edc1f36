import {
  type CableTestProgress,
  CableTestFailedError,
  type Logger,
  type TroubleshootingClient,
  createTroubleshootingClient,
} from '../index.js';
import { createCableTestFailedError } from '../cable-test.js';
import { type CommandName, type CommonOptions, type ParsedCommandLine, UsageError, parseCommandLine } from './args.js';
import { type ErrorContext, formatErrorJson, formatStackTrace, reportError } from './error-report.js';
import { EXIT_SUCCESS, EXIT_TEST_FAILED, EXIT_USAGE_ERROR } from './exit-codes.js';
import { helpText } from './help.js';
import { formatCompleted, formatFailedJson, formatProgress, formatUnfinished } from './output.js';
import { resolveConnection, secretsOf } from './config.js';
import { runSimulate } from './simulate.js';
import { createRedactor } from './redact.js';
import { resumeCommand } from './resume-command.js';
import { VERSION } from './version.js';

/** Process values the program uses, passed in so tests can replace them. */
export interface CliIo {
  /** Environment variables: the CENTRAL_* variables listed in the help are read. */
  env: Readonly<Record<string, string | undefined>>;
  /** Writes text to standard output. */
  stdout: (text: string) => void;
  /** Writes text to standard error. */
  stderr: (text: string) => void;
  /** True when standard error is a terminal. Progress is printed only then. */
  stderrIsTTY?: boolean | undefined;
  /** Fetch implementation for the client, or undefined for `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /** Aborted on SIGINT or SIGTERM: the run stops and prints how to resume. */
  signal?: AbortSignal | undefined;
}

/** A run of one command, with the output functions and what is known about its test. */
interface Run {
  io: CliIo;
  out: (text: string) => void;
  err: (text: string) => void;
  debug: boolean;
  /** True with `--progress`. */
  progressFlag: boolean;
  /** True with `--json`: errors are also printed as JSON on stdout. */
  json: boolean;
  context: ErrorContext;
}

/**
 * Runs `central-troubleshoot` with `argv` (the arguments after the program name) and returns
 * the exit code. Errors of the run are printed on stderr and mapped to an exit code, not
 * thrown. Every text it writes passes through a filter that replaces the token and the
 * client secret with `[redacted]`.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const redact = createRedactor(secretsOf(io.env));
  const run: Run = {
    io,
    out: (text) => io.stdout(redact(text)),
    err: (text) => io.stderr(redact(text)),
    debug: io.env.CENTRAL_DEBUG === '1',
    progressFlag: false,
    json: false,
    context: {
      command: undefined,
      serialNumber: undefined,
      taskId: undefined,
      starting: false,
      gatewayFlags: [],
      interrupted: false,
    },
  };

  try {
    return await runCommandLine(argv, run);
  } catch (error) {
    run.context.interrupted = io.signal?.aborted === true;
    const report = reportError(error, run.context);
    // A FAILED test has already printed its result as JSON.
    if (run.json && !(error instanceof CableTestFailedError) && report.exitCode !== EXIT_USAGE_ERROR) {
      run.out(formatErrorJson(error, report, run.context));
    }
    run.err(report.lines.map((line) => `${line}\n`).join(''));
    if (run.debug) run.err(formatStackTrace(error));
    return report.exitCode;
  }
}

async function runCommandLine(argv: readonly string[], run: Run): Promise<number> {
  let parsed: ParsedCommandLine;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) run.context.command = error.command;
    throw error;
  }

  if (parsed.kind === 'help') {
    run.out(helpText(parsed.command));
    return EXIT_SUCCESS;
  }
  if (parsed.kind === 'version') {
    run.out(`${VERSION}\n`);
    return EXIT_SUCCESS;
  }

  run.context.command = parsed.kind;
  if (parsed.kind === 'simulate') return runSimulate(parsed, { out: run.out, signal: run.io.signal });

  run.context.serialNumber = parsed.serialNumber;
  run.progressFlag = parsed.options.progress;
  run.json = parsed.options.json;
  run.context.gatewayFlags = gatewayFlags(parsed.options);
  if (parsed.kind === 'cable-test') return runCableTest(parsed, run);
  return runCableTestStatus(parsed, run);
}

async function runCableTest(parsed: Extract<ParsedCommandLine, { kind: 'cable-test' }>, run: Run): Promise<number> {
  const client = createClient(parsed.options, run);
  const { json, timeoutMs } = parsed.options;

  run.context.starting = true;
  try {
    const result = await client.runCableTest(
      { serialNumber: parsed.serialNumber, ports: parsed.ports },
      { timeoutMs, signal: run.io.signal, onProgress: (progress) => onProgress(progress, run) },
    );
    run.out(formatCompleted(result, { json, requestedPorts: parsed.ports }));
    return EXIT_SUCCESS;
  } catch (error) {
    if (json && error instanceof CableTestFailedError) run.out(formatFailedJson(error.body));
    throw error;
  }
}

async function runCableTestStatus(
  parsed: Extract<ParsedCommandLine, { kind: 'cable-test-status' }>,
  run: Run,
): Promise<number> {
  const client = createClient(parsed.options, run);
  const { json, timeoutMs } = parsed.options;
  const ref = { serialNumber: parsed.serialNumber, taskId: parsed.taskId };
  run.context.taskId = parsed.taskId;

  if (parsed.wait) {
    try {
      const result = await client.waitForCableTest(ref, {
        timeoutMs,
        signal: run.io.signal,
        onProgress: (progress) => onProgress(progress, run),
      });
      run.out(formatCompleted(result, { json }));
      return EXIT_SUCCESS;
    } catch (error) {
      if (json && error instanceof CableTestFailedError) run.out(formatFailedJson(error.body));
      throw error;
    }
  }

  const state = await client.getCableTestStatus(ref, { signal: run.io.signal });
  if (state.status === 'COMPLETED') {
    run.out(formatCompleted(state, { json }));
    return EXIT_SUCCESS;
  }
  if (state.status === 'FAILED') {
    if (json) run.out(formatFailedJson(state));
    // Same message and exit code as a failure seen while waiting.
    throw createCableTestFailedError(state);
  }

  run.out(formatUnfinished(state, { json, resumeCommand: resumeCommand(ref, gatewayFlags(parsed.options)) }));
  return EXIT_SUCCESS;
}

/** Records the task id once the test has started, and prints progress when stderr is a terminal. */
function onProgress(progress: CableTestProgress, run: Run): void {
  run.context.taskId = progress.taskId;
  run.context.starting = false;
  if (run.io.stderrIsTTY === true || run.progressFlag) run.err(formatProgress(progress));
}

/** Creates the client from the flags and the environment (see `resolveConnection`). */
function createClient(options: CommonOptions, run: Run): TroubleshootingClient {
  const connection = resolveConnection(options, run.io.env, run.context.command);
  return createTroubleshootingClient({
    ...connection,
    fetch: run.io.fetch,
    logger: run.debug ? createDebugLogger(run) : undefined,
  });
}

function gatewayFlags(options: CommonOptions): string[] {
  if (options.baseUrl !== undefined) return ['--base-url', options.baseUrl];
  if (options.cluster !== undefined) return ['--cluster', options.cluster];
  return [];
}

/** Logger for CENTRAL_DEBUG=1: one `debug:` line per message on stderr, fields as JSON. */
function createDebugLogger(run: Run): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    const details = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
    run.err(`${level}: ${message}${details}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

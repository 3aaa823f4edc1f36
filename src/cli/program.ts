import {
  type CableTestProgress,
  CableTestFailedError,
  type Logger,
  type TroubleshootingClient,
  createTroubleshootingClient,
} from '../index.js';
import { createCableTestFailedError } from '../cable-test.js';
import { type CommandName, type CommonOptions, type ParsedCommandLine, UsageError, parseCommandLine } from './args.js';
import { type ErrorContext, formatStackTrace, reportError } from './error-report.js';
import { EXIT_SUCCESS, EXIT_TEST_FAILED } from './exit-codes.js';
import { helpText } from './help.js';
import { formatCompleted, formatFailedJson, formatProgress, formatUnfinished } from './output.js';
import { createRedactor } from './redact.js';
import { resumeCommand } from './resume-command.js';
import { VERSION } from './version.js';

/** Process values the program uses, passed in so tests can replace them. */
export interface CliIo {
  /** Environment variables: CENTRAL_TOKEN, CENTRAL_BASE_URL and CENTRAL_DEBUG are read. */
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
  context: ErrorContext;
}

/**
 * Runs `central-troubleshoot` with `argv` (the arguments after the program name) and returns
 * the exit code. Errors of the run are printed on stderr and mapped to an exit code, not
 * thrown. Every text it writes passes through a filter that replaces the value of
 * CENTRAL_TOKEN with `[redacted]`.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const redact = createRedactor(io.env.CENTRAL_TOKEN);
  const run: Run = {
    io,
    out: (text) => io.stdout(redact(text)),
    err: (text) => io.stderr(redact(text)),
    debug: io.env.CENTRAL_DEBUG === '1',
    context: {
      command: undefined,
      serialNumber: undefined,
      taskId: undefined,
      starting: false,
      baseUrlFlag: undefined,
      interrupted: false,
    },
  };

  try {
    return await runCommandLine(argv, run);
  } catch (error) {
    run.context.interrupted = io.signal?.aborted === true;
    const report = reportError(error, run.context);
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
  run.context.serialNumber = parsed.serialNumber;
  run.context.baseUrlFlag = parsed.options.baseUrl;
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

  run.out(formatUnfinished(state, { json, resumeCommand: resumeCommand(ref, parsed.options.baseUrl) }));
  return EXIT_SUCCESS;
}

/** Records the task id once the test has started, and prints progress when stderr is a terminal. */
function onProgress(progress: CableTestProgress, run: Run): void {
  run.context.taskId = progress.taskId;
  run.context.starting = false;
  if (run.io.stderrIsTTY === true) run.err(formatProgress(progress));
}

/**
 * Creates the client from CENTRAL_TOKEN and the base URL. Missing values are usage errors
 * that name the variable or flag to set. No message contains the token.
 */
function createClient(options: CommonOptions, run: Run): TroubleshootingClient {
  const { env } = run.io;
  const command = run.context.command;

  const token = env.CENTRAL_TOKEN;
  if (token === undefined) {
    throw new UsageError('CENTRAL_TOKEN is not set. Set it to an access token of the Central API, such as with "export CENTRAL_TOKEN=...".', command);
  }
  if (token.trim() === '') {
    throw new UsageError('CENTRAL_TOKEN is empty. Set it to an access token of the Central API.', command);
  }
  if (/[\s\u0000-\u001f\u007f]/.test(token)) {
    throw new UsageError('CENTRAL_TOKEN contains whitespace or control characters. Set it to the bare access token, without "Bearer ".', command);
  }

  const baseUrl = options.baseUrl ?? env.CENTRAL_BASE_URL;
  const source = options.baseUrl === undefined ? 'CENTRAL_BASE_URL' : '--base-url';
  if (baseUrl === undefined || baseUrl.trim() === '') {
    throw new UsageError(
      'missing base URL. Pass --base-url or set CENTRAL_BASE_URL to the API gateway of your cluster, such as https://us4.api.central.arubanetworks.com.',
      command,
    );
  }
  rejectSecretsInBaseUrl(baseUrl, source, command);

  return createTroubleshootingClient({
    baseUrl,
    token,
    fetch: run.io.fetch,
    logger: run.debug ? createDebugLogger(run) : undefined,
  });
}

// The client's own message would quote the URL, and with it any password or query key.
function rejectSecretsInBaseUrl(baseUrl: string, source: string, command: CommandName | undefined): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return; // The client reports the malformed URL.
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new UsageError(
      `invalid base URL in ${source}: it contains credentials, a query or a fragment (not printed here). Use only the scheme and host, such as https://us4.api.central.arubanetworks.com.`,
      command,
    );
  }
}

/** Logger for CENTRAL_DEBUG=1: one `debug:` line per message on stderr, fields as JSON. */
function createDebugLogger(run: Run): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    const details = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
    run.err(`${level}: ${message}${details}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

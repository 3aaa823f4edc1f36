import {
  AuthenticationError,
  CableTestFailedError,
  CentralApiError,
  CentralError,
  ConnectionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RequestTimeoutError,
  UnexpectedResponseError,
  WaitTimeoutError,
} from '../index.js';
import { type CommandName, PROGRAM_NAME, UsageError } from './args.js';
import {
  EXIT_API_ERROR,
  EXIT_INTERNAL_ERROR,
  EXIT_INTERRUPTED,
  EXIT_TEST_FAILED,
  EXIT_TIMEOUT,
  EXIT_USAGE_ERROR,
} from './exit-codes.js';
import { toPlainLine } from './plain-text.js';
import { resumeCommand } from './resume-command.js';

/** Facts about the run at the time of the error. */
export interface ErrorContext {
  command: CommandName | undefined;
  /** Serial number named on the command line. */
  serialNumber: string | undefined;
  /** Task id of the test: from the command line, or from the start of the test. */
  taskId: string | undefined;
  /** True while the start request of `cable-test` may be in flight. */
  starting: boolean;
  /** Value of `--base-url`, repeated in the resume command. */
  /** `--base-url URL` or `--cluster NAME` as given on the command line, repeated in resume commands. */
  gatewayFlags: string[];
  /** True when SIGINT or SIGTERM stopped the run. */
  interrupted: boolean;
}

/** Lines to print on stderr for an error, and the exit code. */
export interface ErrorReport {
  exitCode: number;
  lines: string[];
  /** Command that follows the test, when the error leaves a test worth resuming. */
  resumeCommand?: string | undefined;
}

/** Maps an error to its exit code and to one or two plain lines: what failed, and what to do next. */
export function reportError(error: unknown, context: ErrorContext): ErrorReport {
  if (context.interrupted) return reportInterruption(context);

  if (error instanceof UsageError || error instanceof InvalidArgumentError) {
    const helpCommand = context.command === undefined ? PROGRAM_NAME : `${PROGRAM_NAME} ${context.command}`;
    return { exitCode: EXIT_USAGE_ERROR, lines: [errorLine(error), `Run "${helpCommand} --help" for usage.`] };
  }

  // The message names the task, the serial number and the failReason. The test has ended,
  // so there is nothing to resume.
  if (error instanceof CableTestFailedError) return { exitCode: EXIT_TEST_FAILED, lines: [errorLine(error)] };

  const test = testOf(error, context);
  if (error instanceof WaitTimeoutError) {
    if (test === undefined) return { exitCode: EXIT_TIMEOUT, lines: [errorLine(error)] };

    const lastStatus = error.lastStatus === undefined ? 'no status received' : `last status ${error.lastStatus}`;
    const resume = resumeCommand(test, context.gatewayFlags);
    return {
      exitCode: EXIT_TIMEOUT,
      lines: [
        `error: cable test ${test.taskId} on ${test.serialNumber} did not finish within ${formatSeconds(error.timeoutMs)} (${toPlainLine(lastStatus)}). It may still be running.`,
        `Resume with: ${resume}`,
      ],
      resumeCommand: resume,
    };
  }

  const exitCode = isApiOrConnectionError(error) ? EXIT_API_ERROR : EXIT_INTERNAL_ERROR;
  const lines = [errorLine(error)];
  let resume: string | undefined;

  if (error instanceof CentralError && error.mayHaveStarted) {
    const serialNumber = error.serialNumber ?? context.serialNumber ?? 'the switch';
    lines.push(
      `warning: no task id came back, so this run cannot follow the test. Check the switch or the Central UI before starting another test on ${serialNumber}.`,
    );
  } else if (test !== undefined && !(context.command === 'cable-test-status' && isFinalForStatus(error))) {
    resume = resumeCommand(test, context.gatewayFlags);
    lines.push(`The cable test (task ${test.taskId} on ${test.serialNumber}) may still be running. Resume with: ${resume}`);
  } else if (exitCode === EXIT_INTERNAL_ERROR) {
    lines.push('This is an unexpected internal error: run again with CENTRAL_DEBUG=1 to print the stack trace.');
  }
  return { exitCode, lines, resumeCommand: resume };
}

/**
 * Formats an error as the JSON object printed on stdout with `--json`:
 * `{"error": {name, message, exitCode, serialNumber, taskId, lastStatus, mayHaveStarted, resumeCommand}}`.
 */
export function formatErrorJson(error: unknown, report: ErrorReport, context: ErrorContext): string {
  const central = error instanceof CentralError ? error : undefined;
  const body = {
    error: {
      name: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
      exitCode: report.exitCode,
      serialNumber: central?.serialNumber ?? context.serialNumber ?? null,
      taskId: central?.taskId ?? context.taskId ?? null,
      lastStatus: central?.lastStatus ?? null,
      mayHaveStarted: central?.mayHaveStarted ?? (context.interrupted && context.starting),
      resumeCommand: report.resumeCommand ?? null,
    },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Formats the stack trace of an error and of its causes, for CENTRAL_DEBUG=1. */
export function formatStackTrace(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    parts.push(depth === 0 ? text : `caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return `${parts.join('\n')}\n`;
}

function reportInterruption(context: ErrorContext): ErrorReport {
  const lines = ['error: interrupted.'];
  let resume: string | undefined;
  if (context.serialNumber !== undefined && context.taskId !== undefined) {
    const test = { serialNumber: context.serialNumber, taskId: context.taskId };
    resume = resumeCommand(test, context.gatewayFlags);
    lines.push(`The cable test (task ${test.taskId} on ${test.serialNumber}) may still be running. Resume with: ${resume}`);
  } else if (context.starting) {
    lines.push(
      `warning: the start request may have reached the server, so the cable test may be running on ${context.serialNumber ?? 'the switch'}. Do not start it again until the switch shows it has ended.`,
    );
  }
  return { exitCode: EXIT_INTERRUPTED, lines, resumeCommand: resume };
}

// cable-test-status already has the task id from the user, and repeating the command after
// these errors would fail the same way, so no resume hint is printed for them.
function isFinalForStatus(error: unknown): boolean {
  return error instanceof NotFoundError || error instanceof AuthenticationError || error instanceof PermissionDeniedError;
}

function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `error: ${toPlainLine(message)}`;
}

function isApiOrConnectionError(error: unknown): boolean {
  return (
    error instanceof CentralApiError ||
    error instanceof ConnectionError ||
    error instanceof RequestTimeoutError ||
    error instanceof UnexpectedResponseError
  );
}

/** Returns the started test an error belongs to, from the error first, then from the run. */
function testOf(error: unknown, context: ErrorContext): { serialNumber: string; taskId: string } | undefined {
  const fromError = error instanceof CentralError ? error : undefined;
  const serialNumber = fromError?.serialNumber ?? context.serialNumber;
  const taskId = fromError?.taskId ?? context.taskId;
  if (serialNumber === undefined || taskId === undefined) return undefined;
  return { serialNumber, taskId };
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

import { getAosSCableTestStatus, startAosSCableTest } from '../generated/sdk.gen.js';
import type { CableTestOperation, CableTestOutput } from '../generated/types.gen.js';
import {
  CableTestFailedError,
  CentralError,
  InvalidArgumentError,
  NotFoundError,
  RequestTimeoutError,
  UnexpectedResponseError,
  WaitTimeoutError,
} from './errors.js';
import { pollUntilDone } from './poll.js';
import { type BackoffPolicy, backoffDelay } from './retry.js';
import { type TransportConfig, send } from './transport.js';
import {
  describeValue,
  identifierProblemOf,
  validateDuration,
  validatePorts,
  validateSerialNumber,
  validateTaskId,
} from './validate.js';

/**
 * Status of a cable test. The four known values are listed for editors; any other string
 * the server sends is kept and means the test has not finished.
 */
export type CableTestStatus = 'INITIATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | (string & {});

/** Arguments of `startCableTest` and `runCableTest`. */
export interface CableTestTarget {
  /** Serial number of the switch, or the stack id of a stacked switch. */
  serialNumber: string;
  /** Ports to test, as the switch names them: `"1"`, `"A1"`, `"1/5"`. */
  ports: string[];
}

/** Arguments of `getCableTestStatus` and `waitForCableTest`. */
export interface CableTestRef {
  /** Serial number (or stack id) the test was started on. */
  serialNumber: string;
  /** Task id returned by `startCableTest`. */
  taskId: string;
}

/** A started cable test. */
export interface StartedCableTest extends CableTestRef {
  /** Path of the operation as the server returned it. It is not followed. */
  location: string;
  /** Status returned by the start request, normally `INITIATED`. */
  status: CableTestStatus;
  /** Time the server accepted the test (RFC 3339), or null when it sent none. */
  startTime: string | null;
}

/** State of a cable test as one status request returned it. */
export interface CableTestState extends CableTestRef {
  status: CableTestStatus;
  /** Progress from 0 to 100, or null when the server sent none. */
  progressPercent: number | null;
  startTime: string | null;
  endTime: string | null;
  /** Reason of a failure; null unless `status` is `FAILED`. */
  failReason: string | null;
  /** Results, present once the test has completed. */
  output: CableTestOutput | null;
}

/** A finished cable test; pass it to `summarizeCableTest` for per-port verdicts. */
export interface CableTestResult extends CableTestState {
  status: 'COMPLETED';
  /** Number of status requests the wait made. */
  polls: number;
}

/** Progress report passed to `onProgress` after every poll. */
export interface CableTestProgress extends CableTestRef {
  status: CableTestStatus;
  progressPercent: number | null;
  /** Number of the poll, starting at 1; 0 for the report made right after the start. */
  poll: number;
  /** Milliseconds since the wait began. */
  elapsedMs: number;
}

/** Options of a single request. */
export interface RequestOptions {
  /** Aborts the request; the promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Options of `waitForCableTest` and `runCableTest`. */
export interface WaitOptions extends RequestOptions {
  /**
   * Deadline of the polling, in milliseconds; `runCableTest` counts it from before the start
   * request. The start request itself is bounded by `requestTimeoutMs` only. A status request
   * in flight at the deadline gets at least 2 s for its response, so the wait can end up to
   * 2 s after the deadline.
   * @default 900000 (15 minutes: a 48-port test can take several minutes)
   */
  timeoutMs?: number | undefined;
  /** Called after every poll, and once right after the start in `runCableTest`. */
  onProgress?: ((progress: CableTestProgress) => void) | undefined;
  /**
   * Delay after the first poll, in milliseconds; it grows by 1.5 per poll, with up to 20%
   * taken off at random.
   * @default 1000
   */
  pollIntervalMs?: number | undefined;
  /**
   * Cap of the delay between polls, in milliseconds.
   * @default 10000
   */
  maxPollIntervalMs?: number | undefined;
  /**
   * How long a 404 "task not found" is taken as "not registered yet" after the wait begins,
   * in milliseconds. 0 makes the first 404 final.
   * @default 10000
   */
  notFoundGraceMs?: number | undefined;
}

/** Default deadline of a wait, in milliseconds. */
export const DEFAULT_WAIT_TIMEOUT_MS = 15 * 60_000;

const TASK_NOT_FOUND_CODE = 'HPE_GRAVITY_TASK_NOT_FOUND';
const OPERATIONS_SEGMENT = '/async-operations/';

/** Sends the start request once (retried only when it cannot have reached the server). */
export async function startCableTest(
  transport: TransportConfig,
  target: CableTestTarget,
  options: RequestOptions = {},
): Promise<StartedCableTest> {
  const serialNumber = validateSerialNumber(target?.serialNumber);
  const ports = validatePorts(target?.ports);
  options.signal?.throwIfAborted();

  let data: unknown;
  try {
    data = await send(
      transport,
      (attempt) =>
        startAosSCableTest({ ...attempt, path: { 'serial-number': serialNumber }, body: { ports } }),
      { description: `Starting a cable test on ${serialNumber}`, idempotent: false, signal: options.signal },
    );
  } catch (error) {
    throw withContext(error, { serialNumber });
  }

  const started = data as { location: string; status: string; startTime?: string | null };
  const taskId = taskIdFromLocation(started.location, serialNumber);
  return {
    serialNumber,
    taskId,
    location: started.location,
    status: started.status,
    startTime: started.startTime ?? null,
  };
}

/** Sends one status request (retried on connection errors, 429 and 5xx). */
export async function getCableTestStatus(
  transport: TransportConfig,
  ref: CableTestRef,
  options: RequestOptions & { deadlineAt?: number } = {},
): Promise<CableTestState> {
  const serialNumber = validateSerialNumber(ref?.serialNumber);
  const taskId = validateTaskId(ref?.taskId);
  options.signal?.throwIfAborted();

  try {
    const data = await send(
      transport,
      (attempt) =>
        getAosSCableTestStatus({ ...attempt, path: { 'serial-number': serialNumber, 'task-id': taskId } }),
      {
        description: `Reading cable test ${taskId} on ${serialNumber}`,
        idempotent: true,
        signal: options.signal,
        deadlineAt: options.deadlineAt,
      },
    );
    return toState(data as CableTestOperation, serialNumber, taskId);
  } catch (error) {
    throw withContext(error, { serialNumber, taskId });
  }
}

/**
 * Polls a started test until it completes. Resolves with the completed state; rejects with
 * `CableTestFailedError` on FAILED and `WaitTimeoutError` when the deadline passes.
 */
export async function waitForCableTest(
  transport: TransportConfig,
  ref: CableTestRef,
  options: WaitOptions & { deadlineAt?: number; waitStartedAt?: number } = {},
): Promise<CableTestResult> {
  const serialNumber = validateSerialNumber(ref?.serialNumber);
  const taskId = validateTaskId(ref?.taskId);
  const { timeoutMs, policy, graceMs } = resolveWaitSettings(options);
  options.signal?.throwIfAborted();

  const startedAt = options.waitStartedAt ?? Date.now();
  const deadlineAt = options.deadlineAt ?? startedAt + timeoutMs;
  let lastStatus: string | undefined;

  try {
    const outcome = await pollUntilDone<CableTestState | undefined>({
      deadlineAt,
      signal: options.signal,
      delayAfter: (poll) => backoffDelay(poll, policy),
      poll: async (poll) => {
        let state: CableTestState;
        try {
          state = await getCableTestStatus(transport, { serialNumber, taskId }, { signal: options.signal, deadlineAt });
        } catch (error) {
          // A request cut off at the deadline ends the wait as a timeout, not as a request error.
          if (error instanceof RequestTimeoutError && Date.now() >= deadlineAt) return { done: false, value: undefined };
          if (isUnregisteredTask(error) && Date.now() - startedAt < graceMs) {
            transport.logger?.debug?.(`Cable test ${taskId} on ${serialNumber} is not registered yet`, { poll });
            return { done: false, value: undefined };
          }
          throw error;
        }

        lastStatus = state.status;
        options.onProgress?.({
          serialNumber,
          taskId,
          status: state.status,
          progressPercent: state.progressPercent,
          poll,
          elapsedMs: Date.now() - startedAt,
        });

        if (state.status === 'FAILED') throw createCableTestFailedError(state);
        return { done: state.status === 'COMPLETED', value: state };
      },
    });

    if (!outcome.done) {
      throw new WaitTimeoutError(
        `Cable test ${taskId} on ${serialNumber} did not finish within ${timeoutMs} ms ` +
          `(${outcome.polls} ${outcome.polls === 1 ? 'poll' : 'polls'}, last status ${lastStatus ?? 'none'}). ` +
          'It may still be running: resume with waitForCableTest using the same serialNumber and taskId.',
        { polls: outcome.polls, timeoutMs, serialNumber, taskId },
      );
    }
    return { ...(outcome.value as CableTestState), status: 'COMPLETED', polls: outcome.polls };
  } catch (error) {
    throw withContext(error, { serialNumber, taskId, lastStatus });
  }
}

/** Starts a test and waits for it; errors after the start carry the task id. */
export async function runCableTest(
  transport: TransportConfig,
  target: CableTestTarget,
  options: WaitOptions = {},
): Promise<CableTestResult> {
  // Wait options are checked before the start, so a typo cannot leave a test running unwatched.
  const { timeoutMs } = resolveWaitSettings(options);
  const waitStartedAt = Date.now();

  const started = await startCableTest(transport, target, options);
  options.onProgress?.({
    serialNumber: started.serialNumber,
    taskId: started.taskId,
    status: started.status,
    progressPercent: null,
    poll: 0,
    elapsedMs: Date.now() - waitStartedAt,
  });

  return waitForCableTest(transport, started, {
    ...options,
    timeoutMs,
    waitStartedAt,
    deadlineAt: waitStartedAt + timeoutMs,
  });
}

/** Builds the error for a state whose status is FAILED. */
export function createCableTestFailedError(state: CableTestState): CableTestFailedError {
  const reason = (state.failReason ?? 'the API gave no reason').replace(/\.+$/, '');
  return new CableTestFailedError(`Cable test ${state.taskId} on ${state.serialNumber} failed: ${reason}.`, {
    failReason: state.failReason,
    body: state,
    serialNumber: state.serialNumber,
    taskId: state.taskId,
  });
}

function resolveWaitSettings(options: WaitOptions) {
  const timeoutMs = validateDuration(options.timeoutMs, 'timeoutMs', DEFAULT_WAIT_TIMEOUT_MS, 1);
  const policy: BackoffPolicy = {
    initialDelayMs: validateDuration(options.pollIntervalMs, 'pollIntervalMs', 1_000, 1),
    maxDelayMs: validateDuration(options.maxPollIntervalMs, 'maxPollIntervalMs', 10_000, 1),
    factor: 1.5,
    jitter: 0.2,
  };
  const graceMs = validateDuration(options.notFoundGraceMs, 'notFoundGraceMs', 10_000);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new InvalidArgumentError(
      'onProgress',
      `Invalid onProgress ${describeValue(options.onProgress)}: expected a function or undefined.`,
    );
  }
  return { timeoutMs, policy, graceMs };
}

/**
 * Takes the task id from the last segment after `/async-operations/`. The location itself
 * is never requested: it may name another host.
 */
function taskIdFromLocation(location: unknown, serialNumber: string): string {
  const fail = (problem: string) => {
    const error = new UnexpectedResponseError(
      `Starting a cable test on ${serialNumber} returned ${problem}, so the test cannot be followed. ` +
        'The test has probably started: check the switch before starting it again.',
      { status: 202, bodySnippet: typeof location === 'string' ? location.slice(0, 200) : '' },
    );
    error.mayHaveStarted = true;
    error.serialNumber = serialNumber;
    return error;
  };

  if (typeof location !== 'string' || location.trim() === '') throw fail('no location');

  const path = location.split(/[?#]/, 1)[0] ?? '';
  const index = path.lastIndexOf(OPERATIONS_SEGMENT);
  if (index === -1) throw fail(`a location without "${OPERATIONS_SEGMENT}" (${JSON.stringify(location)})`);

  const segment = path.slice(index + OPERATIONS_SEGMENT.length).replace(/\/+$/, '');
  let taskId: string;
  try {
    taskId = decodeURIComponent(segment);
  } catch {
    throw fail(`a location with a malformed task id (${JSON.stringify(location)})`);
  }
  // The same rules as a task id passed by a caller, so the follow-up polls cannot reject it.
  if (taskId.includes('/') || /[{}]/.test(taskId) || identifierProblemOf(taskId) !== undefined) {
    throw fail(`a location with an unusable task id (${JSON.stringify(location)})`);
  }
  return taskId;
}

function toState(data: CableTestOperation, serialNumber: string, taskId: string): CableTestState {
  // valibot's object schema accepts an array, which the API description does not allow here.
  if (Array.isArray(data.output)) {
    throw new UnexpectedResponseError(
      `Reading cable test ${taskId} on ${serialNumber} returned HTTP 200 with an array in place of output.`,
      { status: 200, bodySnippet: JSON.stringify(data).slice(0, 200) },
    );
  }
  return {
    serialNumber,
    taskId,
    status: data.status,
    progressPercent: data.progressPercent ?? null,
    startTime: data.startTime ?? null,
    endTime: data.endTime ?? null,
    failReason: data.failReason ?? null,
    output: data.output ?? null,
  };
}

function isUnregisteredTask(error: unknown): boolean {
  return (
    error instanceof NotFoundError && (error.errorCode === undefined || error.errorCode === TASK_NOT_FOUND_CODE)
  );
}

function withContext(error: unknown, context: { serialNumber: string; taskId?: string; lastStatus?: string | undefined }): unknown {
  if (error instanceof CentralError) return error.withContext(context);
  return error;
}

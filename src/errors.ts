/**
 * Error classes of the package. Every error is an `Error` with a fixed `name`, so callers can
 * branch with `instanceof` or on `error.name` after serialization.
 */

/** Facts about a cable test that had been started when the error happened. */
export interface OperationContext {
  /** Serial number (or stack id) of the switch. */
  serialNumber?: string | undefined;
  /** Task id of the started test; pass it to `waitForCableTest` to resume. */
  taskId?: string | undefined;
  /** Last operation status seen before the error. */
  lastStatus?: string | undefined;
}

/** Base class of every error thrown by this package. */
export class CentralError extends Error {
  override name = 'CentralError';

  /** Serial number (or stack id) the failed call was about, when known. */
  serialNumber: string | undefined;

  /** Task id of a cable test that had already started, when known. */
  taskId: string | undefined;

  /** Last operation status seen before the error, when polling had begun. */
  lastStatus: string | undefined;

  /**
   * True when the failed call was the start request and the server may have received it,
   * so the test may be running although no task id came back. Never repeat the start
   * blindly in that case: each test interrupts the links it measures.
   */
  mayHaveStarted = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }

  /** Records the operation this error belongs to; fields already set are kept. */
  withContext(context: OperationContext): this {
    this.serialNumber ??= context.serialNumber;
    this.taskId ??= context.taskId;
    this.lastStatus ??= context.lastStatus;
    return this;
  }
}

/** An argument or option was invalid; no request was sent. */
export class InvalidArgumentError extends CentralError {
  override name = 'InvalidArgumentError';

  /** Name of the invalid argument or option, such as `ports[2]`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}

/** Facts about an HTTP error response, passed to the `CentralApiError` constructors. */
export interface ApiErrorDetails {
  status: number;
  errorCode: string | undefined;
  message: string;
  body: unknown;
  headers: Headers;
  requestId: string | undefined;
  attempts: number;
}

/** HTTP error status returned by the API. */
export class CentralApiError extends CentralError {
  override name = 'CentralApiError';

  /** HTTP status code. */
  readonly status: number;

  /** `errorCode` of the response body, such as `HPE_GRAVITY_DEVICE_OFFLINE`. */
  readonly errorCode: string | undefined;

  /** Parsed JSON body, or the raw text when the body was not JSON. Extra fields are kept. */
  readonly body: unknown;

  /** Response headers. */
  readonly headers: Headers;

  /** Request id sent back by the server, when it sent one. */
  readonly requestId: string | undefined;

  /** Number of attempts made, retries included. */
  readonly attempts: number;

  constructor(details: ApiErrorDetails) {
    super(details.message);
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.body = details.body;
    this.headers = details.headers;
    this.requestId = details.requestId;
    this.attempts = details.attempts;
  }
}

/** HTTP 400: the request or one of its parameters is invalid for this device. */
export class BadRequestError extends CentralApiError {
  override name = 'BadRequestError';
}

/** HTTP 401: the token is missing, invalid or expired. */
export class AuthenticationError extends CentralApiError {
  override name = 'AuthenticationError';
}

/** HTTP 403: the token is valid but lacks the permission for this call. */
export class PermissionDeniedError extends CentralApiError {
  override name = 'PermissionDeniedError';
}

/** HTTP 404: unknown device, or unknown task id. */
export class NotFoundError extends CentralApiError {
  override name = 'NotFoundError';
}

/** HTTP 409 other than "device offline", such as `HPE_GRAVITY_DEVICE_NOT_READY`. */
export class ConflictError extends CentralApiError {
  override name = 'ConflictError';
}

/** HTTP 409 with `HPE_GRAVITY_DEVICE_OFFLINE`: the switch is not connected to Central. */
export class DeviceOfflineError extends ConflictError {
  override name = 'DeviceOfflineError';
}

/** HTTP 429: the rate limit was exceeded and the retries ran out. */
export class RateLimitError extends CentralApiError {
  override name = 'RateLimitError';

  /** Wait the server asked for in `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(details: ApiErrorDetails & { retryAfterMs: number | undefined }) {
    super(details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** HTTP 5xx, including a gateway's HTML or empty error page. */
export class ServerError extends CentralApiError {
  override name = 'ServerError';
}

/** The connection failed or was dropped; `cause` contains the network error. */
export class ConnectionError extends CentralError {
  override name = 'ConnectionError';
}

/** One HTTP request took longer than `requestTimeoutMs`. */
export class RequestTimeoutError extends CentralError {
  override name = 'RequestTimeoutError';

  /** Per-request timeout that ran out, in milliseconds. */
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number) {
    super(message);
    this.timeoutMs = timeoutMs;
  }
}

/** A success response had an empty, non-JSON or malformed body. */
export class UnexpectedResponseError extends CentralError {
  override name = 'UnexpectedResponseError';

  /** HTTP status of the response. */
  readonly status: number | undefined;

  /** Start of the raw body (at most 200 characters), for diagnosis. */
  readonly bodySnippet: string;

  constructor(message: string, details: { status?: number; bodySnippet?: string; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.status = details.status;
    this.bodySnippet = details.bodySnippet ?? '';
  }
}

/** The switch reported the cable test as `FAILED`. */
export class CableTestFailedError extends CentralError {
  override name = 'CableTestFailedError';

  /** Serial number (or stack id) of the switch. */
  declare serialNumber: string;

  /** Task id of the failed test. */
  declare taskId: string;

  /** `failReason` reported by the API, or null when it gave none. */
  readonly failReason: string | null;

  /** Final state of the operation, as `getCableTestStatus` returns it. */
  readonly body: unknown;

  constructor(
    message: string,
    details: { failReason: string | null; body: unknown; serialNumber: string; taskId: string },
  ) {
    super(message);
    this.serialNumber = details.serialNumber;
    this.taskId = details.taskId;
    this.failReason = details.failReason;
    this.body = details.body;
  }
}

/** The cable test had not finished when the wait's deadline (`timeoutMs`) passed. */
export class WaitTimeoutError extends CentralError {
  override name = 'WaitTimeoutError';

  /** Serial number (or stack id) of the switch; with `taskId`, what `waitForCableTest` needs to resume. */
  declare serialNumber: string;

  /** Task id of the test that may still be running. */
  declare taskId: string;

  /** Number of status requests made during the wait. */
  readonly polls: number;

  /** Deadline of the wait, in milliseconds. */
  readonly timeoutMs: number;

  constructor(message: string, details: { polls: number; timeoutMs: number; serialNumber: string; taskId: string }) {
    super(message);
    this.serialNumber = details.serialNumber;
    this.taskId = details.taskId;
    this.polls = details.polls;
    this.timeoutMs = details.timeoutMs;
  }
}

/** The errorCode Central sends with a 409 when the switch is offline. */
const DEVICE_OFFLINE_CODE = 'HPE_GRAVITY_DEVICE_OFFLINE';

/**
 * Builds the `CentralApiError` subclass that matches an HTTP error status. It is the only
 * place that maps statuses to classes.
 */
export function createApiError(
  details: ApiErrorDetails & { retryAfterMs?: number | undefined },
): CentralApiError {
  const { status } = details;

  if (status === 400) return new BadRequestError(details);
  if (status === 401) return new AuthenticationError(details);
  if (status === 403) return new PermissionDeniedError(details);
  if (status === 404) return new NotFoundError(details);
  if (status === 409) {
    return details.errorCode === DEVICE_OFFLINE_CODE
      ? new DeviceOfflineError(details)
      : new ConflictError(details);
  }
  if (status === 429) return new RateLimitError({ ...details, retryAfterMs: details.retryAfterMs });
  if (status >= 500) return new ServerError(details);
  return new CentralApiError(details);
}

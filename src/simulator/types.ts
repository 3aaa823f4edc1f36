import type { Logger } from '../logger.js';

/** Cabling pattern that the simulated switch reports for a port. */
export type CablingProfile =
  /** Every pair `Good`, with a length between 3 and 97 m that depends on the serial number and port. */
  | 'healthy'
  /** Every pair `Open` at `"0"`: nothing is plugged in. */
  | 'unplugged'
  /** Every pair `Open` at `"23"`: the cable is cut 23 m away. */
  | 'cut'
  /** `Short` at `"12"`, `Impedance Mismatch` at `""`, `Crosstalk` at `"7"` and `Unknown Fault` at `""`. */
  | 'faults'
  /** The port is left out of `output.results` but stays in `output.ports`. */
  | 'missing';

/** Diagnostic of one wire pair, as the scenario sets it. The pair name comes from its position. */
export interface PairDiagnosticSetting {
  status: string | null;
  length: string | null;
}

/** Result of one port: a profile name, or the four pairs 1-2, 3-6, 4-5 and 7-8 in that order. */
export type PortResultSetting = CablingProfile | PairDiagnosticSetting[];

/** Response of the device to a start request. */
export type DeviceState =
  /** The test starts. */
  | 'online'
  /** 404 `HPE_GRAVITY_DEVICE_NOT_FOUND` on start and status requests. */
  | 'not-found'
  /** 409 `HPE_GRAVITY_DEVICE_OFFLINE` on start. */
  | 'offline'
  /** 409 `HPE_GRAVITY_DEVICE_NOT_READY` (errorType `CONFLICT`) on start. */
  | 'not-ready';

/** Body of the 202 response to a start request. */
export type StartBody =
  /** `{location, status, startTime}` with the real operation path. */
  | 'normal'
  /** An empty body, but the test starts all the same. */
  | 'empty'
  /** `location` is an absolute URL on `https://other.example.invalid`. */
  | 'absolute-location';

/** Behaviour a fault rule injects. */
export type FaultKind =
  /** A JSON error body `{errorCode, message}` with `status` (default 500). */
  | 'json-error'
  /** An HTML error page with `text/html` and `status` (default 502). */
  | 'html-error'
  /** An empty body with `status` (default 503). */
  | 'empty-error'
  /** 429 `HPE_GRAVITY_TOO_MANY_REQUESTS` with `Retry-After` (default 1 second). */
  | 'rate-limited'
  /** An HTML page with `text/html` and `status` (default 200) where JSON is expected. */
  | 'not-json'
  /** The socket is destroyed without any response. */
  | 'connection-reset'
  /** The response is sent `delayMs` later. It combines with the other kinds. */
  | 'delay';

/** Requests a fault rule applies to. */
export type FaultTarget = 'start' | 'status' | 'all';

/**
 * One injected fault. The rules of a scenario are tried in order, and the first rule with
 * some `count` left handles the request. For example, `[{count: 2, kind: 'empty-error'},
 * {count: 1, kind: 'connection-reset'}]` gives two 503s, then one reset, then normal
 * responses. Delay rules are counted separately and add up. Only requests that pass
 * authentication, the path checks, the token lifetime and the rate limits count.
 */
export interface FaultRule {
  kind: FaultKind;
  /**
   * Requests the rule applies to. The token endpoint has its own list, `tokenFaults`.
   * @default 'all'
   */
  requests?: FaultTarget | undefined;
  /** Number of matching requests that get the fault, counted per device. Every request gets it when omitted. */
  count?: number | undefined;
  /**
   * `before`: the fault replaces the request's handling, so a start request starts nothing.
   * `after`: the request is handled first (a start request starts a test) and the fault
   * replaces or delays the response, as when a gateway loses it.
   * @default 'before'
   */
  when?: 'before' | 'after' | undefined;
  /** HTTP status of `json-error`, `html-error`, `empty-error` and `not-json`. */
  status?: number | undefined;
  /** Adds `Retry-After` to an error response. `rate-limited` defaults to 1. */
  retryAfterSeconds?: number | undefined;
  /**
   * Form of `Retry-After`: a number of seconds, or an HTTP date rounded up to the next
   * whole second.
   * @default 'seconds'
   */
  retryAfterFormat?: 'seconds' | 'http-date' | undefined;
  /** Delay of a `delay` rule, in milliseconds. */
  delayMs?: number | undefined;
}

/** Limit of requests per token in each clock second. Further requests get 429. */
export interface RateLimitSetting {
  requestsPerSecond: number;
  /** @default 'seconds' */
  retryAfterFormat?: 'seconds' | 'http-date' | undefined;
}

/** Settings of one scenario, as written in a scenario file. Every field is optional. */
export interface ScenarioSettings {
  /** One sentence for people reading the scenario table. */
  description?: string | undefined;
  /** Serial number of a built-in scenario whose settings are copied before these apply. */
  extends?: string | undefined;
  /** @default 'online' */
  device?: DeviceState | undefined;
  /** Time from the start to the end of a test, in milliseconds. The simulator's `durationMs` applies when omitted. */
  durationMs?: number | undefined;
  /** @default 'completed' */
  outcome?: 'completed' | 'failed' | undefined;
  /** `failReason` of a failed test, where `{port}` is replaced by the first tested port. */
  failReason?: string | undefined;
  /** Profile of every port not listed in `ports`. @default 'healthy' */
  cabling?: CablingProfile | undefined;
  /** Result of named ports, overriding `cabling`. */
  ports?: Record<string, PortResultSetting> | undefined;
  /** Leaves the last tested port out of the results. */
  omitLastPort?: boolean | undefined;
  /** Status before `RUNNING`. @default 'INITIATED' */
  initialStatus?: string | undefined;
  /** Number of status requests of each test that get 404 `HPE_GRAVITY_TASK_NOT_FOUND` before it is found. */
  unregisteredPolls?: number | undefined;
  /** @default 'normal' */
  startBody?: StartBody | undefined;
  faults?: FaultRule[] | undefined;
  /** Limit per token on requests about this device, in addition to the simulator's `rateLimit`. */
  rateLimit?: RateLimitSetting | undefined;
  /** Requests made more than this many milliseconds after the token was first seen get 401. */
  tokenLifetimeMs?: number | undefined;
}

/** A scenario with every default filled in. */
export interface Scenario {
  /** Serial number it applies to, or `*` for every serial number not listed. */
  readonly serialNumber: string;
  readonly description: string;
  readonly device: DeviceState;
  /** Undefined when the simulator's `durationMs` applies. */
  readonly durationMs: number | undefined;
  readonly outcome: 'completed' | 'failed';
  readonly failReason: string;
  readonly cabling: CablingProfile;
  readonly ports: Readonly<Record<string, PortResultSetting>>;
  readonly omitLastPort: boolean;
  readonly initialStatus: string;
  readonly unregisteredPolls: number;
  readonly startBody: StartBody;
  readonly faults: readonly FaultRule[];
  readonly rateLimit: RateLimitSetting | undefined;
  readonly tokenLifetimeMs: number | undefined;
}

/** API client credentials that the token endpoint accepts. */
export interface SimulatedClient {
  clientId: string;
  clientSecret: string;
}

/** Options of `start`. */
export interface SimulatorOptions {
  /** TCP port on 127.0.0.1, where 0 picks a free one. @default 0 */
  port?: number | undefined;
  /** Default time from the start to the end of a test, in milliseconds. @default 3000 */
  durationMs?: number | undefined;
  /** Path of a JSON file, relative to the working directory, that maps serial numbers (or `*`) to scenario settings. */
  scenarioFile?: string | undefined;
  /** Scenario settings by serial number (or `*`). They override those of `scenarioFile`. */
  scenarios?: Record<string, ScenarioSettings> | undefined;
  /**
   * Clients accepted by `POST /as/token.oauth2`. When set, API requests must carry an
   * unexpired token that the simulator issued. When omitted, the demo client
   * `sim-client`/`sim-secret` is accepted and API requests take any non-empty bearer token.
   */
  clients?: SimulatedClient[] | undefined;
  /** `expires_in` of issued tokens, in seconds. @default 3600 */
  tokenExpiresInSeconds?: number | undefined;
  /** Faults of the token endpoint. Their `requests` must be omitted or `all`. */
  tokenFaults?: FaultRule[] | undefined;
  /** Requests made more than this many milliseconds after their token was first seen get 401. */
  tokenLifetimeMs?: number | undefined;
  /** Limit per token on every API request. */
  rateLimit?: RateLimitSetting | undefined;
  /** Receives one line per request and every error the simulator catches. The simulator is silent without it. */
  logger?: Logger | undefined;
}

/** Operation a request was routed to. */
export type RequestKind = 'start' | 'status' | 'token' | 'other';

/** A request as the simulator received it, and the status it responded with. */
export interface RecordedRequest {
  /** Sequence number, starting at 1. */
  readonly id: number;
  readonly kind: RequestKind;
  readonly method: string;
  /** Path and query as received, percent-encoding kept. */
  readonly path: string;
  /** Headers with lower-case names. `authorization` is redacted to `Bearer <redacted>`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body text with `client_secret` redacted, or empty when there was none. */
  readonly body: string;
  /** `Date.now()` when the request arrived. */
  readonly time: number;
  /** Decoded serial number of an API request. */
  readonly serialNumber: string | undefined;
  /** Decoded task id of a status request, or the id of the test a start request created. */
  readonly taskId: string | undefined;
  /** Status of the response, or null while it is pending or when none was sent (reset, closed). */
  readonly status: number | null;
  /** Injected behaviour, such as `empty-error`, `rate-limit` or `token-expired`, or null when none. */
  readonly fault: string | null;
  /** Value of the `x-request-id` header sent back. */
  readonly requestId: string;
}

/** A cable test the simulator started. */
export interface SimulatedTask {
  readonly taskId: string;
  readonly serialNumber: string;
  readonly ports: readonly string[];
  /** `Date.now()` when the test started. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Status requests that reached this test (after authentication, rate limits and faults), the unregistered ones included. */
  readonly polls: number;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Token endpoint URL, `http://127.0.0.1:PORT/as/token.oauth2`. */
  readonly tokenUrl: string;
  /** Every request received since the start or the last `reset()`, in order of arrival. */
  readonly requests: readonly RecordedRequest[];
  /** Every test started since the start or the last `reset()`. */
  readonly tasks: readonly SimulatedTask[];
  /** Scenario table in effect, by serial number, `*` included. */
  readonly scenarios: ReadonlyMap<string, Scenario>;
  /** Returns the scenario of a serial number (the `*` scenario when it is not listed). */
  scenarioFor(serialNumber: string): Scenario;
  /** Resources the simulator keeps open now: whether it listens, its sockets, and its pending delay timers. */
  readonly openHandles: { listening: boolean; sockets: number; timers: number };
  /** Forgets requests, tests, issued tokens, fault counts and rate-limit windows. */
  reset(): void;
  /** Stops listening, destroys open sockets and clears every timer. It is safe to call twice. */
  close(): Promise<void>;
}

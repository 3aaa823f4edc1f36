import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { AOS_S_PREFIX, CableTestApi, checkPathParameter, decodePathParameter, matchRoute } from './cable-test-api.js';
import { FaultCounter, faultReply } from './faults.js';
import { type Reply, apiErrorReply, headerValue, mediaType, readBody, retryAfterValue, writeReply } from './http.js';
import type { SimulatorConfig } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { DEFAULT_SCENARIO_KEY } from './scenarios.js';
import { TOKEN_PATH, handleTokenRequest } from './token-endpoint.js';
import { TokenRegistry } from './tokens.js';
import type { FaultRule, RateLimitSetting, RecordedRequest, Scenario, Simulator } from './types.js';

/** Only the loopback interface: the simulator must never be reachable from another machine. */
const HOST = '127.0.0.1';

type MutableRecord = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

/** Response to a request: a reply, or a reset connection. */
type Outcome = { reply: Reply; reset?: false; fault: string | null } | { reset: true; fault: string };

/** Destination of a request once its method and path are matched. */
type Target =
  | { kind: 'token' }
  | { kind: 'start'; serialSegment: string }
  | { kind: 'status'; serialSegment: string; taskSegment: string }
  | { kind: 'other'; reply: Reply };

/** Starts listening on 127.0.0.1 and returns the running simulator. */
export async function listen(config: SimulatorConfig): Promise<Simulator> {
  const simulation = new Simulation(config);
  await simulation.listen();
  return simulation.facade();
}

/** State of one running simulator: its server, sockets, timers, tests, tokens and counters. */
class Simulation {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  // Incremented by reset(): a request delayed across a reset belongs to the state before it.
  private generation = 0;

  // Pending waits by timer, with the function that ends each wait early on close.
  private readonly waits = new Map<NodeJS.Timeout, (elapsed: boolean) => void>();
  private readonly records: MutableRecord[] = [];
  private readonly api: CableTestApi;
  private readonly tokens: TokenRegistry;
  private readonly faults = new FaultCounter();
  private readonly rateLimiter = new RateLimiter();
  private nextId = 1;
  private closing: Promise<void> | undefined;
  private closed = false;
  private port = 0;

  constructor(private readonly config: SimulatorConfig) {
    this.api = new CableTestApi(config.durationMs);
    this.tokens = new TokenRegistry(config.clients, config.enforceTokens, config.tokenExpiresInSeconds);
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => this.fail(request, response, error));
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        reject(
          new Error(
            `The simulator could not listen on ${HOST}:${this.config.port}: ${error.message}. Pass another port, or 0 to pick a free one.`,
            { cause: error },
          ),
        );
      };
      this.server.once('error', onError);
      this.server.listen({ host: HOST, port: this.config.port, exclusive: true }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });

    this.server.on('error', (error) => this.config.logger?.error?.('The simulator server failed', { error: error.message }));
    this.port = (this.server.address() as AddressInfo).port;
    this.config.logger?.info?.(`Central simulator listening on ${this.url}`, {
      durationMs: this.config.durationMs,
      scenarios: this.config.scenarios.size,
      enforceTokens: this.config.enforceTokens,
    });
  }

  get url(): string {
    return `http://${HOST}:${this.port}`;
  }

  facade(): Simulator {
    const simulation = this;
    return {
      url: this.url,
      port: this.port,
      tokenUrl: `${this.url}${TOKEN_PATH}`,
      get requests() {
        return simulation.records;
      },
      get tasks() {
        return simulation.api.tasks;
      },
      get openHandles() {
        return { listening: simulation.server.listening, sockets: simulation.sockets.size, timers: simulation.waits.size };
      },
      scenarios: this.config.scenarios,
      scenarioFor: (serialNumber) => this.scenarioFor(serialNumber),
      reset: () => this.reset(),
      close: () => this.close(),
    };
  }

  scenarioFor(serialNumber: string): Scenario {
    const scenario = this.config.scenarios.get(serialNumber) ?? this.config.scenarios.get(DEFAULT_SCENARIO_KEY);
    if (scenario === undefined) throw new Error(`The scenario table has no "${DEFAULT_SCENARIO_KEY}" entry.`);
    return scenario;
  }

  reset(): void {
    this.generation += 1;
    this.records.length = 0;
    this.api.clear();
    this.tokens.clear();
    this.faults.clear();
    this.rateLimiter.clear();
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    for (const [timer, endWait] of this.waits) {
      clearTimeout(timer);
      endWait(false);
    }
    this.waits.clear();

    // Waits until the server and every socket have emitted 'close', so no handle is left.
    const socketsClosed = [...this.sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve)));
    const serverClosed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([serverClosed, ...socketsClosed]);

    this.config.logger?.info?.(`Central simulator on ${this.url} closed`);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const record = this.record(request);
    response.setHeader('x-request-id', record.requestId);

    let body: { text: string; truncated: boolean };
    try {
      body = await readBody(request);
    } catch (error) {
      this.config.logger?.warn?.('The simulator could not read a request body', { id: record.id, error: messageOf(error) });
      return;
    }

    const pathname = new URL(request.url ?? '/', this.url).pathname;
    const target = this.route(request.method ?? 'GET', pathname);
    record.kind = target.kind;
    record.body = target.kind === 'token' ? redactSecret(body.text) : body.text;

    const outcome = await this.outcomeOf(request, record, target, body);
    // Undefined: the simulator closed while the response was delayed, and its sockets are gone.
    if (outcome === undefined) return;
    this.deliver(request, response, record, outcome);
  }

  /** Logs an unexpected error of a handler and sends 500, or drops the connection when a response has begun. */
  private fail(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    const record = this.records.find((candidate) => candidate.requestId === response.getHeader('x-request-id'));
    this.config.logger?.error?.('The simulator failed to handle a request', {
      method: request.method,
      path: request.url,
      id: record?.id,
      error: messageOf(error),
    });
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const reply = apiErrorReply(500, 'HPE_GRAVITY_INTERNAL_SERVER_ERROR', `The simulator failed to handle the request: ${messageOf(error)}`);
    if (writeReply(response, reply) && record !== undefined) record.status = 500;
  }

  private record(request: IncomingMessage): MutableRecord {
    const record: MutableRecord = {
      id: this.nextId++,
      kind: 'other',
      method: request.method ?? '',
      path: request.url ?? '',
      headers: recordedHeaders(request),
      body: '',
      time: Date.now(),
      serialNumber: undefined,
      taskId: undefined,
      status: null,
      fault: null,
      requestId: randomUUID(),
    };
    this.records.push(record);
    return record;
  }

  private route(method: string, pathname: string): Target {
    if (pathname === TOKEN_PATH) return { kind: 'token' };

    const route = matchRoute(pathname);
    if (route.kind === 'start') {
      return method === 'POST' ? route : { kind: 'other', reply: methodNotAllowed(method, pathname, 'POST') };
    }
    if (route.kind === 'status') {
      return method === 'GET' ? route : { kind: 'other', reply: methodNotAllowed(method, pathname, 'GET') };
    }
    return {
      kind: 'other',
      reply: apiErrorReply(
        404,
        'HPE_GRAVITY_NOT_FOUND',
        `No operation at ${method} ${pathname}. The simulator serves POST ${AOS_S_PREFIX}{serial-number}/cableTest, ` +
          `GET ${AOS_S_PREFIX}{serial-number}/cableTest/async-operations/{task-id} and POST ${TOKEN_PATH}.`,
      ),
    };
  }

  private async outcomeOf(
    request: IncomingMessage,
    record: MutableRecord,
    target: Target,
    body: { text: string; truncated: boolean },
  ): Promise<Outcome | undefined> {
    if (target.kind === 'other') return { reply: target.reply, fault: null };
    if (target.kind === 'token') {
      return this.withFaults('token', this.config.tokenFaults, 'token', 'oauth', () => ({
        reply: handleTokenRequest(
          {
            method: request.method ?? '',
            authorization: headerValue(request.headers.authorization),
            mediaType: mediaType(request),
            body: body.text,
          },
          this.tokens,
          Date.now(),
        ),
      }));
    }

    const now = Date.now();
    const auth = this.tokens.check(headerValue(request.headers.authorization), now);
    if (!auth.ok) {
      return { reply: unauthorized(auth.message, auth.fault !== 'no-token'), fault: auth.fault === 'token-expired' ? 'token-expired' : null };
    }

    const serialNumber = decodePathParameter(target.serialSegment);
    const taskId = target.kind === 'status' ? decodePathParameter(target.taskSegment) : undefined;
    record.serialNumber = serialNumber;
    record.taskId = taskId;
    const invalid =
      checkPathParameter(serialNumber, 'serial-number') ??
      (target.kind === 'status' ? checkPathParameter(taskId, 'task-id') : undefined);
    if (invalid !== undefined) return { reply: invalid, fault: null };
    // checkPathParameter rejects undefined, so both parameters are decoded from here on.
    const serial = serialNumber as string;

    const scenario = this.scenarioFor(serial);
    const rejection = this.checkTokenLifetime(auth.token, scenario, now) ?? this.checkRateLimits(auth.token, serial, scenario, now);
    if (rejection !== undefined) return rejection;

    return this.withFaults(serial, scenario.faults, target.kind, 'api', () => {
      const handled =
        target.kind === 'start'
          ? this.api.start(serial, scenario, { mediaType: mediaType(request), ...body }, Date.now())
          : this.api.status(serial, taskId as string, scenario, Date.now());
      if (handled.taskId !== undefined) record.taskId = handled.taskId;
      return handled;
    });
  }

  /**
   * Runs `handle` between the `before` and `after` fault rules of `scope`: delays are
   * waited out, and the first other rule that applies replaces the response.
   */
  private async withFaults(
    scope: string,
    rules: readonly FaultRule[],
    target: 'start' | 'status' | 'token',
    flavour: 'api' | 'oauth',
    handle: () => { reply: Reply; fault?: string | undefined },
  ): Promise<Outcome | undefined> {
    const generation = this.generation;
    const before = this.faults.choose(scope, rules, target, 'before');
    if (before.delayMs > 0 && !(await this.wait(before.delayMs))) return undefined;
    // A request held across reset() is dropped, so it cannot start a test in the new state.
    if (this.generation !== generation) return { reset: true, fault: 'dropped by reset' };
    if (before.rule !== undefined) return this.faultOutcome(before.rule, flavour);

    const handled = handle();

    const after = this.faults.choose(scope, rules, target, 'after');
    if (after.delayMs > 0 && !(await this.wait(after.delayMs))) return undefined;
    if (after.rule !== undefined) return this.faultOutcome(after.rule, flavour);

    const delayed = before.delayMs > 0 || after.delayMs > 0;
    return { reply: handled.reply, fault: handled.fault ?? (delayed ? 'delay' : null) };
  }

  private faultOutcome(rule: FaultRule, flavour: 'api' | 'oauth'): Outcome {
    if (rule.kind === 'connection-reset') return { reset: true, fault: rule.kind };
    return { reply: faultReply(rule, Date.now(), flavour), fault: rule.kind };
  }

  private checkTokenLifetime(token: string, scenario: Scenario, now: number): Outcome | undefined {
    const lifetimeMs = scenario.tokenLifetimeMs ?? this.config.tokenLifetimeMs;
    const firstSeen = this.tokens.firstSeenAt(token, now);
    if (lifetimeMs === undefined || now - firstSeen <= lifetimeMs) return undefined;
    return {
      reply: unauthorized(
        `Authentication failed: the access token expired, because it was first used ${now - firstSeen} ms ago ` +
          `and tokens last ${lifetimeMs} ms here. Get a new access token.`,
        true,
      ),
      fault: 'token-expired',
    };
  }

  private checkRateLimits(token: string, serialNumber: string, scenario: Scenario, now: number): Outcome | undefined {
    const limits: [string, RateLimitSetting | undefined][] = [
      [token, this.config.rateLimit],
      [`${serialNumber}\u0000${token}`, scenario.rateLimit],
    ];
    for (const [key, limit] of limits) {
      if (limit === undefined) continue;
      const retryAt = this.rateLimiter.take(key, limit.requestsPerSecond, now);
      if (retryAt === undefined) continue;

      const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
      const retryAfter =
        limit.retryAfterFormat === 'http-date' ? new Date(retryAt).toUTCString() : retryAfterValue(seconds, 'seconds', now);
      return {
        reply: apiErrorReply(
          429,
          'HPE_GRAVITY_TOO_MANY_REQUESTS',
          `Rate limit exceeded: at most ${limit.requestsPerSecond} requests per second per token. Retry after ${retryAfter}.`,
          { headers: { 'retry-after': retryAfter } },
        ),
        fault: 'rate-limit',
      };
    }
    return undefined;
  }

  /** Resolves with true after `ms`, or with false at once if the simulator closes first. */
  private wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve(true);
      }, ms);
      this.waits.set(timer, resolve);
    });
  }

  private deliver(request: IncomingMessage, response: ServerResponse, record: MutableRecord, outcome: Outcome): void {
    record.fault = outcome.fault;
    if (outcome.reset === true) {
      request.socket.destroy();
    } else {
      if (writeReply(response, outcome.reply)) record.status = outcome.reply.status;
    }

    this.config.logger?.debug?.(`${record.method} ${record.path} ${record.status ?? 'no response'}`, {
      id: record.id,
      kind: record.kind,
      fault: record.fault,
      requestId: record.requestId,
    });
  }
}

function recordedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const text = headerValue(value);
    if (text !== undefined) headers[name] = text;
  }
  if (headers.authorization !== undefined) {
    const scheme = /^(Bearer|Basic)\b/i.exec(headers.authorization)?.[1];
    headers.authorization = scheme === undefined ? '<redacted>' : `${scheme} <redacted>`;
  }
  return headers;
}

function redactSecret(formBody: string): string {
  return formBody.replace(/(^|&)(client_secret=)[^&]*/g, '$1$2<redacted>');
}

function unauthorized(message: string, tokenRejected: boolean): Reply {
  const challenge = tokenRejected ? 'Bearer realm="central", error="invalid_token"' : 'Bearer realm="central"';
  return apiErrorReply(401, 'HPE_GRAVITY_UNAUTHORIZED', message, { headers: { 'www-authenticate': challenge } });
}

function methodNotAllowed(method: string, pathname: string, allowed: string): Reply {
  return apiErrorReply(405, 'HPE_GRAVITY_METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}: use ${allowed}.`, {
    headers: { allow: allowed },
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A scripted stand-in for `fetch` in unit tests. It replies from a queue, then from routes
 * matched by method and path, and records every request it receives. Nothing leaves the
 * process.
 */

/** A request as the fake fetch received it. */
export interface RecordedRequest {
  method: string;
  /** Full URL as sent, percent-encoding kept. */
  url: string;
  /** Path of `url`, percent-encoding kept. */
  path: string;
  /** Request headers with lower-case names. */
  headers: Record<string, string>;
  /** Body text, or undefined when the request had no body. */
  body: string | undefined;
  /** `Date.now()` when fetch was called (the fake clock under `vi.useFakeTimers()`). */
  receivedAt: number;
}

/**
 * Produces the outcome of one request: a Response, or a rejection standing for a network
 * failure. The fake fetch rejects with the signal's reason when the request is aborted
 * before the reply settles.
 */
export type Reply = (request: Request, recorded: RecordedRequest) => Response | Promise<Response>;

/** The fake fetch, its script and what it received. */
export interface FakeFetch {
  fetch: typeof fetch;
  /** Every request received, in order, including unmatched ones. */
  requests: RecordedRequest[];
  /** Appends replies to the queue. Queued replies are used, in order, before any route. */
  enqueue(...replies: Reply[]): FakeFetch;
  /** Replies to every request with `method` whose path equals or matches `path`, once the queue is empty. */
  route(method: string, path: string | RegExp, reply: Reply): FakeFetch;
  /** Milliseconds between the arrival of each request and the one before it. */
  gaps(): number[];
}

/** Creates a fake fetch with an empty queue and no routes. */
export function createFakeFetch(): FakeFetch {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const routes: { method: string; path: string | RegExp; reply: Reply }[] = [];

  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const url = new URL(request.url);
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      path: url.pathname,
      headers: Object.fromEntries(request.headers),
      body: undefined,
      receivedAt: Date.now(),
    };
    // Pushed before any await, so the order and timestamps are those of the calls.
    requests.push(recorded);

    if (request.body !== null) recorded.body = await request.clone().text();
    request.signal.throwIfAborted();

    const reply = queue.shift() ?? findRoute(routes, recorded)?.reply;
    if (reply === undefined) {
      throw new Error(`Fake fetch has no reply for ${recorded.method} ${recorded.path}: queue one or add a route.`);
    }
    return settleUnlessAborted(Promise.resolve().then(() => reply(request, recorded)), request.signal);
  };

  const fake: FakeFetch = {
    fetch: fakeFetch,
    requests,
    enqueue(...replies) {
      queue.push(...replies);
      return fake;
    },
    route(method, path, reply) {
      routes.push({ method: method.toUpperCase(), path, reply });
      return fake;
    },
    gaps() {
      return requests.slice(1).map((request, index) => request.receivedAt - (requests[index]?.receivedAt ?? 0));
    },
  };
  return fake;
}

function findRoute(
  routes: { method: string; path: string | RegExp; reply: Reply }[],
  recorded: RecordedRequest,
) {
  return routes.find(
    (route) =>
      route.method === recorded.method &&
      (typeof route.path === 'string' ? route.path === recorded.path : route.path.test(recorded.path)),
  );
}

function settleUnlessAborted(pending: Promise<Response>, signal: AbortSignal): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (response) => {
        signal.removeEventListener('abort', onAbort);
        resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Replies with a JSON body and `content-type: application/json`. */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
}

/** Replies with a raw body text, such as an HTML error page or an empty body. */
export function textReply(status: number, text: string, headers: Record<string, string> = {}): Reply {
  return () => new Response(text, { status, headers });
}

/**
 * Fails like undici's fetch when the connection fails: a `TypeError('fetch failed')` whose
 * cause carries a system error code such as `ECONNRESET` or `ECONNREFUSED`.
 */
export function networkErrorReply(code: string): Reply {
  return () => {
    throw new TypeError('fetch failed', { cause: { code } });
  };
}

/** Replies with `reply` after `latencyMs` milliseconds, as a server on a real network would. */
export function delayedReply(latencyMs: number, reply: Reply): Reply {
  return (request, recorded) =>
    new Promise<Response>((resolve, reject) => {
      setTimeout(() => {
        Promise.resolve(reply(request, recorded)).then(resolve, reject);
      }, latencyMs);
    });
}

/** Never replies, so the request ends only when its signal aborts it. */
export function hangingReply(): Reply {
  return () => new Promise<Response>(() => {});
}

/** Path of the start request for a serial number, percent-encoded as the SDK sends it. */
export function startPath(serialNumber: string): string {
  return `/network-troubleshooting/v1alpha1/aos-s/${encodeURIComponent(serialNumber)}/cableTest`;
}

/** Path of the status request of one task, percent-encoded as the SDK sends it. */
export function operationPath(serialNumber: string, taskId: string): string {
  return `${startPath(serialNumber)}/async-operations/${encodeURIComponent(taskId)}`;
}

/** 202 reply of a start request with the given location. */
export function startedReplyWithLocation(location: unknown): Reply {
  return jsonReply(202, { location, status: 'INITIATED', startTime: '2025-05-21T04:49:39.372776208Z' });
}

/** 202 reply of a start request whose location names `taskId`. */
export function startedReply(serialNumber: string, taskId: string): Reply {
  return startedReplyWithLocation(operationPath(serialNumber, taskId));
}

/** 200 reply of a status request with the given status and fields. */
export function statusReply(status: string, fields: Record<string, unknown> = {}): Reply {
  return jsonReply(200, { status, startTime: '2025-05-21T04:49:39.372776208Z', ...fields });
}

/**
 * Returns a promise that resolves with the rejection reason of `promise`, and rejects when
 * `promise` fulfils. Call it before advancing fake timers, so that neither outcome is
 * reported as an unhandled rejection before the test awaits it.
 */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const reason = promise.then(
    (value) => {
      throw new Error(`Expected a rejection, but the promise fulfilled with ${JSON.stringify(value)}.`);
    },
    (error: unknown) => error,
  );
  // Marks the rejection as handled; awaiting `reason` still throws it.
  reason.catch(() => {});
  return reason;
}

/** 200 reply of an OAuth2 token endpoint that issues `accessToken` for `expiresInSeconds`. */
export function tokenReply(accessToken: string, expiresInSeconds = 7200): Reply {
  return jsonReply(200, { access_token: accessToken, token_type: 'Bearer', expires_in: expiresInSeconds });
}

/** A fetch that passes each request to the fake fetch of the request's origin. */
export interface OriginRouter {
  fetch: typeof fetch;
  /** Full URL of every request received, in order, requests to unknown origins included. */
  urls: string[];
}

/**
 * Creates a fetch that passes each request to the fake fetch registered for its origin,
 * such as `https://sso.test`. A request to any other origin is recorded in `urls` and
 * rejected, so a test can assert that no request went there.
 */
export function routeByOrigin(fakes: Record<string, FakeFetch>): OriginRouter {
  const urls: string[] = [];

  const routerFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    urls.push(url);

    const fake = fakes[new URL(url).origin];
    if (fake === undefined) {
      throw new Error(`Fake fetch has no origin ${new URL(url).origin}: the test expects no request there.`);
    }
    return fake.fetch(input, init);
  };

  return { fetch: routerFetch, urls };
}

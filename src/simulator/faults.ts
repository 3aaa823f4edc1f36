import { type Reply, apiErrorReply, htmlReply, jsonReply, retryAfterValue } from './http.js';
import { type SettingsReader, childPath } from './settings-reader.js';
import type { FaultKind, FaultRule, FaultTarget } from './types.js';

export const FAULT_KINDS: readonly FaultKind[] = [
  'json-error',
  'html-error',
  'empty-error',
  'rate-limited',
  'not-json',
  'connection-reset',
  'delay',
];

const FAULT_KEYS = ['kind', 'requests', 'count', 'when', 'status', 'retryAfterSeconds', 'retryAfterFormat', 'delayMs'];

const DEFAULT_STATUS: Partial<Record<FaultKind, number>> = {
  'json-error': 500,
  'html-error': 502,
  'empty-error': 503,
  'rate-limited': 429,
  'not-json': 200,
};

// errorCode of a simulated JSON error, by HTTP status.
const ERROR_CODES: Record<number, string> = {
  400: 'HPE_GRAVITY_BAD_REQUEST',
  401: 'HPE_GRAVITY_UNAUTHORIZED',
  403: 'HPE_GRAVITY_FORBIDDEN',
  404: 'HPE_GRAVITY_NOT_FOUND',
  409: 'HPE_GRAVITY_CONFLICT',
  429: 'HPE_GRAVITY_TOO_MANY_REQUESTS',
  500: 'HPE_GRAVITY_INTERNAL_SERVER_ERROR',
  502: 'HPE_GRAVITY_BAD_GATEWAY',
  503: 'HPE_GRAVITY_SERVICE_UNAVAILABLE',
  504: 'HPE_GRAVITY_GATEWAY_TIMEOUT',
};

/**
 * Checks a list of fault rules and returns copies with the defaults filled in.
 * `targets` lists the allowed `requests` values: the token endpoint allows only `all`.
 */
export function readFaultRules(
  reader: SettingsReader,
  value: unknown,
  path: string,
  targets: readonly FaultTarget[],
): FaultRule[] {
  return reader.array(value, path).map((item, index) => readFaultRule(reader, item, childPath(path, index), targets));
}

function readFaultRule(reader: SettingsReader, value: unknown, path: string, targets: readonly FaultTarget[]): FaultRule {
  const setting = reader.object(value, path);
  reader.knownKeys(setting, path, FAULT_KEYS);
  const at = (key: string) => childPath(path, key);

  const kind = reader.oneOf(setting.kind, at('kind'), FAULT_KINDS);
  const rule: FaultRule = {
    kind,
    requests: setting.requests === undefined ? 'all' : reader.oneOf(setting.requests, at('requests'), targets),
    count: setting.count === undefined ? undefined : reader.integer(setting.count, at('count'), 0),
    when: setting.when === undefined ? 'before' : reader.oneOf(setting.when, at('when'), ['before', 'after'] as const),
  };

  const defaultStatus = DEFAULT_STATUS[kind];
  if (setting.status !== undefined) {
    if (defaultStatus === undefined || kind === 'rate-limited') {
      reader.fail(at('status'), `is set, but a "${kind}" fault has no settable status`);
    }
    // Only a `not-json` page may carry a success status. The error kinds need an error status.
    rule.status = reader.integer(setting.status, at('status'), kind === 'not-json' ? 200 : 400, 599);
  } else if (defaultStatus !== undefined) {
    rule.status = defaultStatus;
  }

  if (setting.delayMs !== undefined || kind === 'delay') {
    if (kind !== 'delay') reader.fail(at('delayMs'), `is set, but only a "delay" fault waits`);
    rule.delayMs = reader.duration(setting.delayMs, at('delayMs'));
  }

  const canRetryAfter = kind !== 'delay' && kind !== 'connection-reset';
  if (setting.retryAfterSeconds !== undefined || setting.retryAfterFormat !== undefined) {
    const key = setting.retryAfterSeconds !== undefined ? 'retryAfterSeconds' : 'retryAfterFormat';
    if (!canRetryAfter) reader.fail(at(key), `is set, but a "${kind}" fault sends no headers`);
  }
  if (setting.retryAfterSeconds !== undefined) {
    rule.retryAfterSeconds = reader.integer(setting.retryAfterSeconds, at('retryAfterSeconds'), 0);
  } else if (kind === 'rate-limited') {
    rule.retryAfterSeconds = 1;
  }
  if (canRetryAfter) {
    rule.retryAfterFormat =
      setting.retryAfterFormat === undefined
        ? 'seconds'
        : reader.oneOf(setting.retryAfterFormat, at('retryAfterFormat'), ['seconds', 'http-date'] as const);
  }
  return rule;
}

/** Effect of the fault rules on one request. */
export interface FaultChoice {
  /** Sum of the `delay` rules that applied, in milliseconds. */
  delayMs: number;
  /** The first other rule that applied, if any. */
  rule: FaultRule | undefined;
}

/**
 * Counts how many requests each rule has taken, per scope (a serial number, or the token
 * endpoint), so `count` means "the first N matching requests" of that scope.
 */
export class FaultCounter {
  private readonly used = new Map<string, number>();

  /** Picks, and counts, the rules that apply to a request of `target` at stage `when`. */
  choose(
    scope: string,
    rules: readonly FaultRule[],
    target: 'start' | 'status' | 'token',
    when: 'before' | 'after',
  ): FaultChoice {
    const choice: FaultChoice = { delayMs: 0, rule: undefined };

    rules.forEach((rule, index) => {
      const requests = rule.requests ?? 'all';
      const matches = (requests === 'all' || requests === target) && (rule.when ?? 'before') === when;
      if (!matches) return;
      if (rule.kind !== 'delay' && choice.rule !== undefined) return;

      const key = `${scope}\u0000${index}`;
      const used = this.used.get(key) ?? 0;
      if (rule.count !== undefined && used >= rule.count) return;
      this.used.set(key, used + 1);

      if (rule.kind === 'delay') choice.delayMs += rule.delayMs ?? 0;
      else choice.rule = rule;
    });
    return choice;
  }

  clear(): void {
    this.used.clear();
  }
}

/**
 * Builds the response of a fault rule other than `delay` and `connection-reset`. `flavour`
 * picks the error body: `{errorCode, message}` for the API, `{error, error_description}`
 * for the OAuth2 token endpoint.
 */
export function faultReply(rule: FaultRule, now: number, flavour: 'api' | 'oauth'): Reply {
  const status = rule.status ?? DEFAULT_STATUS[rule.kind] ?? 500;
  const headers: Record<string, string> = {};
  if (rule.retryAfterSeconds !== undefined) {
    headers['retry-after'] = retryAfterValue(rule.retryAfterSeconds, rule.retryAfterFormat ?? 'seconds', now);
  }

  switch (rule.kind) {
    case 'rate-limited':
      return flavour === 'api'
        ? apiErrorReply(429, 'HPE_GRAVITY_TOO_MANY_REQUESTS', 'Rate limit exceeded (simulated fault).', { headers })
        : jsonReply(429, { error: 'temporarily_unavailable', error_description: 'Rate limit exceeded (simulated fault).' }, headers);
    case 'json-error':
      if (flavour === 'oauth') {
        const error = status === 503 ? 'temporarily_unavailable' : 'server_error';
        return jsonReply(status, { error, error_description: `HTTP ${status} (simulated fault).` }, headers);
      }
      return apiErrorReply(status, ERROR_CODES[status] ?? `HPE_GRAVITY_HTTP_${status}`, `HTTP ${status} (simulated fault).`, {
        headers,
      });
    case 'html-error':
      return htmlReply(status, gatewayPage(status), headers);
    case 'not-json':
      return htmlReply(status, '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Sign in to continue.</body></html>\n', headers);
    case 'empty-error':
      return { status, headers, body: '' };
    case 'connection-reset':
    case 'delay':
      throw new Error(`A "${rule.kind}" fault has no reply; the server handles it before asking for one.`);
  }
}

function gatewayPage(status: number): string {
  return (
    `<!DOCTYPE html>\n<html><head><title>${status} Error</title></head>` +
    `<body><h1>${status} Error</h1><p>The upstream server did not respond (simulated fault).</p></body></html>\n`
  );
}

/** Growth of the delay between attempts or polls. */
export interface BackoffPolicy {
  /** Delay before the second attempt, in milliseconds. */
  initialDelayMs: number;
  /** Cap of the delay, in milliseconds. */
  maxDelayMs: number;
  /** Factor applied to the delay after each attempt. */
  factor: number;
  /** Share of the delay that is random: 0.5 draws from [delay / 2, delay]. */
  jitter: number;
}

/** Backoff of retried requests: 500 ms, 1 s, 2 s, … capped at 8 s, half of it random. */
export const RETRY_BACKOFF: BackoffPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  factor: 2,
  jitter: 0.5,
};

/**
 * Returns the delay before attempt `attempt + 1` (so `attempt` starts at 1):
 * `min(maxDelayMs, initialDelayMs * factor ** (attempt - 1)) * (1 - jitter * random())`.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential = policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (1 - policy.jitter * random()));
}

/**
 * Parses a `Retry-After` header, given in seconds or as an HTTP date, into milliseconds
 * from `now`. Returns undefined when the header is missing or unreadable; a date in the
 * past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;

  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);

  // HTTP dates always name a weekday, which keeps bare numbers such as "12-5" out of Date.parse.
  if (!/^[A-Za-z]{3},/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

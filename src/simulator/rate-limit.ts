import { type SettingsReader, childPath } from './settings-reader.js';
import type { RateLimitSetting } from './types.js';

/** Checks a `rateLimit` setting and returns a copy of it. */
export function readRateLimit(reader: SettingsReader, value: unknown, path: string): RateLimitSetting {
  const setting = reader.object(value, path);
  reader.knownKeys(setting, path, ['requestsPerSecond', 'retryAfterFormat']);
  return {
    requestsPerSecond: reader.integer(setting.requestsPerSecond, childPath(path, 'requestsPerSecond'), 1),
    retryAfterFormat:
      setting.retryAfterFormat === undefined
        ? 'seconds'
        : reader.oneOf(setting.retryAfterFormat, childPath(path, 'retryAfterFormat'), ['seconds', 'http-date'] as const),
  };
}

/**
 * Counts the requests it lets through per key, in fixed windows aligned to clock seconds
 * (`Math.floor(Date.now() / 1000)`). Requests it rejects are not counted, so a client that
 * waits for the next second gets through.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { second: number; count: number }>();

  /**
   * Counts one request under `key` and returns undefined when it is within the limit, or
   * the epoch milliseconds at which the next window opens when it is not.
   */
  take(key: string, limit: number, now: number): number | undefined {
    const second = Math.floor(now / 1000);
    const window = this.windows.get(key);
    if (window === undefined || window.second !== second) {
      this.windows.set(key, { second, count: 1 });
      return undefined;
    }
    if (window.count >= limit) return (second + 1) * 1000;
    window.count += 1;
    return undefined;
  }

  clear(): void {
    this.windows.clear();
  }
}

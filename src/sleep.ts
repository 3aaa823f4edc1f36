/** Largest delay `setTimeout` honours: longer ones fire after 1 ms in Node and browsers. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits `ms` milliseconds (clamped to `MAX_TIMER_MS`). An abort rejects at once with the
 * signal's reason; the timer and the abort listener are removed whichever way it settles.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);

  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };

    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(Math.max(0, ms), MAX_TIMER_MS));

    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

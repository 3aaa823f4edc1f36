import { sleep } from './sleep.js';

/** Result of one poll: whether the operation has finished, and what the poll returned. */
export interface PollStep<T> {
  done: boolean;
  value: T;
}

/** Options of `pollUntilDone`. */
export interface PollUntilDoneOptions<T> {
  /** Makes one poll. `pollNumber` starts at 1. Errors it throws end the wait. */
  poll: (pollNumber: number) => Promise<PollStep<T>>;
  /** Delay after poll `pollNumber`, in milliseconds. */
  delayAfter: (pollNumber: number) => number;
  /** Epoch milliseconds after which no poll starts. */
  deadlineAt: number;
  signal?: AbortSignal | undefined;
}

/** Outcome of a wait: finished, or the deadline passed with the last value seen. */
export type PollOutcome<T> =
  | { done: true; value: T; polls: number }
  | { done: false; value: T | undefined; polls: number };

/**
 * Polls until `poll` reports done or the deadline passes. It is independent of the
 * operation it follows. A sleep never ends after the deadline: the last one is shortened
 * to end on it, and one final poll follows.
 */
export async function pollUntilDone<T>(options: PollUntilDoneOptions<T>): Promise<PollOutcome<T>> {
  const { signal } = options;
  let last: T | undefined;

  for (let polls = 1; ; polls++) {
    signal?.throwIfAborted();

    const step = await options.poll(polls);
    last = step.value;
    if (step.done) return { done: true, value: step.value, polls };

    const remainingMs = options.deadlineAt - Date.now();
    if (remainingMs <= 0) return { done: false, value: last, polls };

    await sleep(Math.min(options.delayAfter(polls), remainingMs), signal);
  }
}

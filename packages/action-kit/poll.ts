/**
 * The poll loop every wait uses instead of an SDK waiter: an interval on an injected clock (a check may
 * ask for another wait before the next one), a deadline, cancellation, and errors that propagate at once
 * (an AccessDenied is not a timeout).
 */
import type { Clock } from './clock';

/** `afterMs`: when to check next, instead of `intervalMs` (an adaptive pace). */
export type PollStep<T> = { done: true; value: T } | { done: false; afterMs?: number };

export interface PollOptions {
  clock: Clock;
  intervalMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export class PollTimeoutError extends Error {
  constructor(readonly elapsedMs: number) {
    super(`timed out after ${Math.round(elapsedMs / 1000)}s`);
    this.name = 'PollTimeoutError';
  }
}

/**
 * Calls `check` now and then every `intervalMs` (or the `afterMs` it returns) until it returns done. Throws PollTimeoutError at
 * the deadline, the signal's reason when cancelled, and whatever `check` throws, at once.
 */
export async function pollUntil<T>(options: PollOptions, check: (attempt: number) => Promise<PollStep<T>>): Promise<T> {
  const { clock, intervalMs, timeoutMs, signal } = options;
  const start = clock.now();
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw signal.reason;
    const step = await check(attempt);
    if (step.done) return step.value;
    const elapsed = clock.now() - start;
    if (elapsed >= timeoutMs) throw new PollTimeoutError(elapsed);
    await clock.sleep(Math.max(0, Math.min(step.afterMs ?? intervalMs, timeoutMs - elapsed)), signal);
  }
}

/**
 * Time as the engines see it. Engines never call Date.now or setTimeout directly: they receive a Clock,
 * so tests run a 30-minute rollout on a virtual clock in milliseconds.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock that jumps: sleep(ms) moves time forward by ms at once (after letting pending promise
 * callbacks run). Models that derive their state from `now()` then behave as if the time had passed.
 */
export class VirtualClock implements Clock {
  private current: number;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw signal.reason;
    this.current += Math.max(0, ms);
  }
}

/** Measures elapsed time on a clock. */
export function stopwatch(clock: Clock = systemClock): { elapsedMs(): number; elapsedSeconds(): number } {
  const start = clock.now();
  return {
    elapsedMs: () => clock.now() - start,
    elapsedSeconds: () => Math.round((clock.now() - start) / 1000),
  };
}

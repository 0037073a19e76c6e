/**
 * The runbook's last check: the app answers. Polls a URL until it returns 2xx, each request bounded
 * so a hanging load balancer cannot eat the whole budget. Only the status is reported, never the body.
 */
import { ActionError } from '../action-kit/errors';
import { pollUntil, PollTimeoutError } from '../action-kit/poll';
import type { Clock } from '../action-kit/clock';
import type { EngineLog } from './context';
import { formatElapsed } from './context';

export interface HealthOptions {
  url: string;
  clock: Clock;
  log: EngineLog;
  intervalMs: number;
  timeoutMs: number;
  /** Per request (default 10 s). */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface HealthResult {
  status: number;
  attempts: number;
  elapsedMs: number;
}

export async function waitForHealth(options: HealthOptions): Promise<HealthResult> {
  const { clock, log } = options;
  const doFetch = options.fetch ?? fetch;
  const start = clock.now();
  let last = '';
  let attempts = 0;
  try {
    return await pollUntil<HealthResult>({ clock, intervalMs: options.intervalMs, timeoutMs: options.timeoutMs, signal: options.signal }, async () => {
      attempts++;
      const signals = [AbortSignal.timeout(options.requestTimeoutMs ?? 10_000), ...(options.signal ? [options.signal] : [])];
      let outcome: string;
      try {
        const response = await doFetch(options.url, { signal: AbortSignal.any(signals), redirect: 'follow' });
        await response.body?.cancel().catch(() => undefined);
        if (response.status >= 200 && response.status < 300) {
          log.info(`[${formatElapsed(clock.now() - start)}] health: ${options.url} answered ${response.status}`);
          return { done: true as const, value: { status: response.status, attempts, elapsedMs: clock.now() - start } };
        }
        outcome = `HTTP ${response.status}`;
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        outcome = cause ?? (error as Error).name ?? 'error';
      }
      if (outcome !== last) log.info(`[${formatElapsed(clock.now() - start)}] health: ${options.url} -> ${outcome}`);
      last = outcome;
      return { done: false as const };
    });
  } catch (error) {
    if (error instanceof PollTimeoutError) {
      throw new ActionError(`Health check failed: ${options.url} did not answer 2xx within ${Math.round(options.timeoutMs / 1000)}s (last: ${last || 'no answer'}, ${attempts} attempts).`);
    }
    throw error;
  }
}

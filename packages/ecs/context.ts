/**
 * What every ECS engine function receives first, instead of reaching for globals: the SDK clients (built
 * once by the action, or pointed at the simulator by a test), the clock it sleeps on, the Logger its
 * lines go to, and the job's abort signal. Engines never print or read the environment themselves, so
 * the same code runs in a bundle on the runner and in process on a VirtualClock.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { Clock, Logger } from '../action-kit';

export interface EcsContext {
  ecs: ECSClient;
  ecr?: ECRClient;
  clock: Clock;
  log: Logger;
  /** Aborts when the job is cancelled. */
  signal?: AbortSignal;
}

/** Whole seconds, padded to four places, for progress lines (`  12s`). */
export function formatElapsed(ms: number): string {
  return `${String(Math.round(ms / 1000)).padStart(4)}s`;
}

/** A progress line with the time since the start, e.g. `[  12s] 2/3 tasks running`. */
export function progressLine(elapsedMs: number, message: string): string {
  return `[${formatElapsed(elapsedMs)}] ${message}`;
}

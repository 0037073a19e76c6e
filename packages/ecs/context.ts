/**
 * What every ECS engine function receives instead of reaching for globals: the SDK clients (built once
 * by the action, or pointed at the simulator by a test), the clock it sleeps on, and where its
 * progress lines go. Engines never print or read the environment themselves, so the same code runs
 * in a bundle on the runner and in process on a VirtualClock.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { Clock } from '../action-kit';

export interface EngineLog {
  info(line: string): void;
  warning(line: string): void;
}

/** A log that drops everything (tests that only look at results). */
export const silentLog: EngineLog = { info: () => undefined, warning: () => undefined };

export interface EcsContext {
  ecs: ECSClient;
  ecr?: ECRClient;
  clock: Clock;
  log: EngineLog;
}

/** Whole seconds, padded to four places, for progress lines (`  12s`). */
export function formatElapsed(ms: number): string {
  return `${String(Math.round(ms / 1000)).padStart(4)}s`;
}

/**
 * What every ECS engine function receives instead of reaching for globals: the SDK clients (built once
 * by the action, or pointed at the simulator by a test), the clock it sleeps on, and where its
 * progress lines go. Engines never print or read the environment themselves, so the same code runs
 * in a bundle on the runner and in process on a VirtualClock.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { Clock } from '../action-kit/clock';

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

/** Seconds with one decimal, for progress lines. */
export function formatElapsed(ms: number): string {
  return `${String(Math.round(ms / 1000)).padStart(4)}s`;
}

/** The last path part of an ARN, e.g. `family:12` of a task definition ARN. */
export function shortArn(arn: string | undefined): string {
  if (!arn) return '(none)';
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn;
}

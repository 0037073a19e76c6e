/**
 * When the deployment watcher polls next. A fixed interval either sees the end late (up to a whole
 * interval after ECS shows it) or spends requests while nothing can happen. The pace follows what the
 * answer says about how near the end is:
 * - tasks still starting (image pull, container start): the interval;
 * - the end foreseen by the service's own history: ECS's events date the last rollout's
 *   "deployment completed", and the replaced deployment its start, so a rollout of the same service
 *   is expected to take about as long: the next poll lands just after that moment, not an interval later;
 * - the new tasks run (health checks pass and the old tasks drain, then ECS completes) or tasks of the
 *   new deployment failed (the circuit breaker is counting): every second, slowing back towards the
 *   interval while the counts stay the same (a long deregistration delay is not worth 300 requests).
 */
import type { Deployment, Service } from '@aws-sdk/client-ecs';

/** The poll spacing once the end is near (never more than the configured interval). */
const NEAR_POLL_MS = 1000;
/** How long after the foreseen end the poll lands: ECS's timestamps and ours are not to the millisecond. */
export const FORESEEN_MARGIN_MS = 250;
/** Near polls with the same counts before the spacing doubles. */
const QUIET_POLLS_PER_STEP = 5;
/** A past rollout longer than this says nothing about this one. */
const MAX_FORESEEN_MS = 30 * 60_000;

export interface PaceInput {
  service: Service;
  deploymentId: string;
  intervalMs: number;
  nowMs: number;
  /** Polls in a row whose counts did not change. */
  quietPolls: number;
}

/** Milliseconds until the next poll. */
export function nextPollDelay({ service, deploymentId, intervalMs, nowMs, quietPolls }: PaceInput): number {
  const mine = service.deployments?.find((d) => d.id === deploymentId);
  const near = Math.min(intervalMs, NEAR_POLL_MS * 2 ** Math.floor(quietPolls / QUIET_POLLS_PER_STEP));
  if (!mine || (mine.failedTasks ?? 0) > 0) return near;
  const foreseen = foreseenEnd(service, mine);
  if (foreseen !== undefined && foreseen + FORESEEN_MARGIN_MS > nowMs) return Math.min(intervalMs, foreseen + FORESEEN_MARGIN_MS - nowMs);
  const started = (mine.desiredCount ?? 0) > 0 && (mine.runningCount ?? 0) >= (mine.desiredCount ?? 0);
  return started ? near : intervalMs;
}

/** When this rollout should end if it takes as long as the service's last one; undefined without that history. */
function foreseenEnd(service: Service, mine: Deployment): number | undefined {
  const duration = lastRolloutMs(service, mine.id);
  const start = mine.createdAt?.getTime();
  return duration === undefined || start === undefined ? undefined : start + duration;
}

/**
 * How long the last completed rollout took: its "(deployment <id>) deployment completed." event against
 * the createdAt of that deployment, still listed while the new one replaces it.
 */
export function lastRolloutMs(service: Service, exceptId: string | undefined): number | undefined {
  for (const previous of service.deployments ?? []) {
    if (previous.id === exceptId || !previous.id || !previous.createdAt) continue;
    const completed = (service.events ?? []).find((e) => e.message?.includes(`(deployment ${previous.id}) deployment completed`));
    const duration = (completed?.createdAt?.getTime() ?? 0) - previous.createdAt.getTime();
    if (completed?.createdAt && duration > 0 && duration <= MAX_FORESEEN_MS) return duration;
  }
  return undefined;
}

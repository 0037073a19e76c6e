/**
 * Sends a service back to the revision it ran before and watches that rollout settle. When the
 * circuit breaker (or a person) already made the previous revision PRIMARY, nothing is updated: a
 * second rollback would only start another deployment of the same revision. The rollback is reported,
 * never mistaken for the success of the deployment it replaces.
 */
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { aws, shortArn } from '../aws';
import type { EcsContext } from './context';
import { watchDeployment, type WatchResult } from './deployment-watcher';
import { describeService, primaryDeployment } from './service';
import type { Timeline } from './timeline';

export interface RollbackOptions {
  cluster: string;
  service: string;
  /** The revision to return to (captured before UpdateService). */
  previousTaskDefinitionArn: string;
  intervalMs: number;
  /** How long to watch the rollback settle. */
  timeoutMs: number;
  /** Usually none: a rollback after cancellation must not be cancelled by the same signal. */
  signal?: AbortSignal;
  timeline?: Timeline;
  /** When the previous revision is already PRIMARY (circuit breaker), watch it settle too (default: report at once). */
  watchWhenAlready?: boolean;
}

export interface RollbackResult {
  /** `update-service`: this call started it; `already`: the previous revision was already PRIMARY (circuit breaker). */
  action: 'update-service' | 'already';
  deploymentId?: string;
  /** Whether the rollback itself settled. */
  settled: boolean;
  reason: string;
  watch?: WatchResult;
}

export async function rollback(ctx: EcsContext, options: RollbackOptions): Promise<RollbackResult> {
  const { clock } = ctx;
  const target = shortArn(options.previousTaskDefinitionArn);
  const note = (message: string) => options.timeline?.add({ now: clock.now(), at: clock.now(), kind: 'action', message });
  const service = await describeService(ctx.ecs, options.cluster, options.service);
  const primary = service ? primaryDeployment(service) : undefined;
  let action: RollbackResult['action'];
  let deploymentId: string | undefined;
  // The latest answer, so the watch's first poll does not ask again.
  let firstAnswer = service;
  if (primary?.taskDefinition === options.previousTaskDefinitionArn) {
    action = 'already';
    deploymentId = primary.id;
    if (!options.watchWhenAlready) {
      // ECS drives this rollback itself: waiting for it to settle would only hold the step's failure back
      // for minutes while nothing is left for this step to do (a second UpdateService would just start another rollout).
      const reason = `${target} is already PRIMARY again (deployment ${deploymentId}, the circuit breaker's rollback): no second rollback`;
      note(reason);
      return { action, deploymentId, settled: true, reason };
    }
    note(`${target} is already PRIMARY (deployment ${deploymentId}): no second rollback, watching it settle`);
  } else {
    action = 'update-service';
    note(`rolling back: UpdateService to ${target}`);
    const answer = await aws(
      'ecs:UpdateService',
      ctx.ecs.send(new UpdateServiceCommand({ cluster: options.cluster, service: options.service, taskDefinition: options.previousTaskDefinitionArn })),
    );
    const started = answer.service?.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition === options.previousTaskDefinitionArn);
    deploymentId = started?.id;
    firstAnswer = answer.service;
  }
  const watch = await watchDeployment(ctx, {
    cluster: options.cluster,
    service: options.service,
    deploymentId,
    taskDefinitionArn: options.previousTaskDefinitionArn,
    intervalMs: options.intervalMs,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    timeline: options.timeline,
    sinceMs: clock.now(),
    firstAnswer,
  });
  const settled = watch.outcome === 'completed';
  const reason = settled
    ? `rolled back to ${target}${action === 'already' ? ' (by the circuit breaker)' : ''}`
    : `rollback to ${target} did not settle: ${watch.reason}`;
  note(reason);
  return { action, deploymentId: watch.deploymentId ?? deploymentId, settled, reason, watch };
}

/**
 * wait-stable's engine: the deployment watcher for several services at once, without deploying.
 * Each service is followed by its own watcher (the deployment of the expected revision, else the
 * PRIMARY one); the first service that fails or is rolled back ends the wait for all, so the step
 * fails as soon as the answer is known rather than when the slowest service settles.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { InputError, errorMessage } from '../action-kit';
import { AwsCallError, shortArn } from '../aws';
import type { EcsContext } from './context';
import { chooseDeployment, describeCounts, evaluateDeployment, watchDeployment, type WatchOutcome, type WatchResult } from './deployment-watcher';
import { checkServiceSupported, describeServices, describeTargetServices } from './service';
import type { StoppedTask } from './stopped-tasks';
import { Timeline } from './timeline';
import { newestRolledBack, type RolledBackDeployment } from './service-deployments';

export type WaitStatus = 'stable' | 'failed' | 'rolled-back' | 'timed-out';

export interface WaitOptions {
  cluster: string;
  services: string[];
  /** Expected revision: another one winning means rolled back. */
  taskDefinitionArn?: string;
  intervalMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ServiceWaitResult {
  name: string;
  /**
   * `in-progress`: another service's failure ended the wait while this one was still rolling out
   * (its counts and deployment are those of a last look at it); `stable` when it had settled by then.
   */
  status: WaitStatus | 'in-progress';
  reason: string;
  taskDefinition?: string;
  runningCount?: number;
  desiredCount?: number;
  deploymentId?: string;
  stoppedTasks: StoppedTask[];
  watch?: WatchResult;
}

export interface WaitResult {
  status: WaitStatus;
  services: ServiceWaitResult[];
  timeline: Timeline;
  elapsedMs: number;
}

const STATUS_OF: Record<WatchOutcome, WaitStatus> = { completed: 'stable', failed: 'failed', 'rolled-back': 'rolled-back', 'timed-out': 'timed-out' };

class StopOthers extends Error {}

/** Validates every service first (exists, ACTIVE, ECS controller), then watches them in parallel. */
export async function waitForServices(ctx: EcsContext, options: WaitOptions): Promise<WaitResult> {
  const start = ctx.clock.now();
  const timeline = new Timeline(start, ctx.log);
  const described = await describeTargetServices(ctx.ecs, options.cluster, options.services);
  for (const name of options.services) {
    const service = described.get(name);
    if (!service) throw new InputError('services', `lists '${name}', which does not exist in cluster '${options.cluster}'`, 'check the names (e.g. connect2-api-service-dev)');
    checkServiceSupported(service, { cluster: options.cluster, service: name }, 'services');
  }

  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const several = options.services.length > 1;
  try {
    const results = await Promise.all(
      options.services.map(async (name): Promise<ServiceWaitResult> => {
        try {
          const watch = await watchDeployment(ctx, {
            cluster: options.cluster,
            service: name,
            taskDefinitionArn: options.taskDefinitionArn,
            intervalMs: options.intervalMs,
            timeoutMs: options.timeoutMs,
            signal: stop.signal,
            timeline,
            label: several,
            // The answer validated a moment ago is the first poll's.
            firstAnswer: described.get(name),
          });
          const result = fromWatch(name, watch);
          if (result.status === 'stable' || result.status === 'rolled-back') await checkNotRolledBack(ctx, options, result);
          if (result.status !== 'stable' && !stop.signal.aborted) stop.abort(new StopOthers(`${name}: ${result.reason}`));
          return result;
        } catch (error) {
          if (stop.signal.aborted && stop.signal.reason instanceof StopOthers && !options.signal?.aborted) {
            return { name, status: 'in-progress', reason: '', stoppedTasks: [] };
          }
          if (!stop.signal.aborted) stop.abort(new StopOthers(`${name} failed`));
          throw error;
        }
      }),
    );
    await lastLook(ctx, options, results.filter((r) => r.status === 'in-progress'));
    const statuses = results.map((r) => r.status);
    const status: WaitStatus = statuses.includes('failed')
      ? 'failed'
      : statuses.includes('rolled-back')
        ? 'rolled-back'
        : statuses.includes('timed-out')
          ? 'timed-out'
          : 'stable';
    return { status, services: results, timeline, elapsedMs: ctx.clock.now() - start };
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * The services whose watch another service's failure ended: one more DescribeServices, so each is
 * reported as it is (settled, or still rolling out with its counts), never as a copy of the failure.
 * Best effort: when the call fails, the fields stay empty and the reason says the state is unknown.
 */
async function lastLook(ctx: EcsContext, options: WaitOptions, interrupted: ServiceWaitResult[]): Promise<void> {
  if (interrupted.length === 0) return;
  let described: Map<string, Service | undefined>;
  try {
    described = await describeServices(ctx.ecs, options.cluster, interrupted.map((r) => r.name));
  } catch (error) {
    for (const r of interrupted) r.reason = `state unknown when the wait ended (${errorMessage(error)})`;
    return;
  }
  for (const r of interrupted) {
    const service = described.get(r.name);
    const deployment = service ? chooseDeployment(service, options.taskDefinitionArn) : undefined;
    if (!service || !deployment?.id) {
      r.reason = 'not settled when the wait ended';
      continue;
    }
    const verdict = evaluateDeployment(service, { deploymentId: deployment.id, taskDefinitionArn: options.taskDefinitionArn ?? deployment.taskDefinition });
    Object.assign(r, {
      taskDefinition: deployment.taskDefinition ?? service.taskDefinition,
      runningCount: deployment.runningCount ?? service.runningCount,
      desiredCount: deployment.desiredCount ?? service.desiredCount,
      deploymentId: deployment.id,
    });
    if (verdict.state === 'completed') {
      r.status = 'stable';
      r.reason = verdict.reason;
    } else {
      r.reason = `still rolling out (${describeCounts(service, deployment.id)}) when the wait ended`;
    }
  }
}

/**
 * A settled service can be one ECS itself rolled back (circuit breaker, alarms): once the rollback
 * completed, DescribeServices shows one COMPLETED deployment of the old revision, exactly like a
 * success. The deployment history says whether its newest deployment was rolled back. When an
 * expected revision is given and runs, a rollback of some other revision is not this wait's concern.
 * A rollback the watcher saw only as "another revision is PRIMARY" gets the history's reason too.
 */
async function checkNotRolledBack(ctx: EcsContext, options: WaitOptions, result: ServiceWaitResult): Promise<void> {
  let rolledBack: RolledBackDeployment | undefined;
  try {
    rolledBack = await newestRolledBack(ctx, options.cluster, result.name);
  } catch (error) {
    if (!(error instanceof AwsCallError && error.fatal)) throw error;
    ctx.log.warning(`${result.name}: could not read its deployment history, so a rollback by ECS cannot be told from a success: ${errorMessage(error)}`);
    return;
  }
  if (!rolledBack) return;
  if (options.taskDefinitionArn && rolledBack.taskDefinitionArn && rolledBack.taskDefinitionArn !== options.taskDefinitionArn) return;
  // A rolled-back verdict of the watcher keeps its own reason when it already says why the rollout failed.
  if (result.status === 'rolled-back' && /FAILED/.test(result.reason)) return;
  result.status = 'rolled-back';
  result.reason =
    `rollout of ${shortArn(rolledBack.taskDefinitionArn)} FAILED (${rolledBack.reason ?? 'no reason given'}); ` +
    `ECS rolled it back (${rolledBack.status}), it runs ${shortArn(result.taskDefinition)} again`;
}

function fromWatch(name: string, watch: WatchResult): ServiceWaitResult {
  const service: Service | undefined = watch.service;
  const deployment = watch.deployment;
  return {
    name,
    status: STATUS_OF[watch.outcome],
    reason: watch.reason,
    taskDefinition: service?.taskDefinition ?? deployment?.taskDefinition,
    runningCount: service?.runningCount ?? deployment?.runningCount,
    desiredCount: service?.desiredCount ?? deployment?.desiredCount,
    deploymentId: watch.deploymentId,
    stoppedTasks: watch.stoppedTasks,
    watch,
  };
}

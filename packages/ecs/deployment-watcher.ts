/**
 * Watches one ECS deployment, by id, with its own poll loop on an injected clock (no SDK waiter: the
 * waiter backs off to 10-minute gaps, turns AccessDenied into "timed out" and calls a rolled-back
 * service "stable"). The verdict comes from that deployment alone:
 * - success: its rolloutState is COMPLETED with running >= desired (ECS keeps COMPLETED when tasks crash
 *   later); where ECS reports no rolloutState, it is the only
 *   deployment left, running equals desired with nothing pending, and it runs the expected revision;
 * - failure at the first poll that shows it: rolloutState FAILED, the deployment vanished, or another
 *   task definition became PRIMARY (a rollback, by the circuit breaker or by a person).
 * Each poll prints new service events once (oldest first) and the counts when they change.
 */
import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { ActionError, pollUntil, PollTimeoutError, type PollStep } from '../action-kit';
import { AwsCallError, isThrottling, arnResource, shortArn } from '../aws';
import type { EcsContext } from './context';
import { primaryDeployment, describeService } from './service';
import { describeStoppedTasks, type StoppedTask } from './stopped-tasks';
import { Timeline } from './timeline';

/** Events printed at the first poll at most (the rest of a long history is summarised in one line). */
const MAX_FIRST_EVENTS = 10;

export type WatchOutcome = 'completed' | 'failed' | 'rolled-back' | 'timed-out';

export type Verdict =
  | { state: 'in-progress'; deployment: Deployment }
  | { state: 'completed'; deployment: Deployment; reason: string }
  | { state: 'failed'; deployment?: Deployment; reason: string }
  | { state: 'rolled-back'; deployment?: Deployment; winner?: Deployment; byCircuitBreaker: boolean; reason: string }
  /** The tracked deployment was replaced by a new one of the same revision (e.g. a forced redeploy): follow it. */
  | { state: 'retarget'; deployment: Deployment; reason: string };

export interface Tracked {
  deploymentId: string;
  /** The revision that must win (the one deployed, or wait-stable's `task-definition`). */
  taskDefinitionArn?: string;
}

/** Pure verdict on one DescribeServices answer: every transition the watcher knows is decided here. */
export function evaluateDeployment(service: Service, tracked: Tracked): Verdict {
  const deployments = service.deployments ?? [];
  const primary = primaryDeployment(service);
  const mine = deployments.find((d) => d.id === tracked.deploymentId);
  const expected = tracked.taskDefinitionArn ?? mine?.taskDefinition;
  const name = service.serviceName ?? 'service';

  if (service.status && service.status !== 'ACTIVE') {
    return { state: 'failed', deployment: mine, reason: `service ${name} is ${service.status} (being deleted)` };
  }
  if (!mine) {
    // A failed deployment is drained and dropped once the rollback replaced its tasks; between two
    // polls that can all happen, so the service events tell what became of it.
    const failedEvent = (service.events ?? []).find((e) => e.message?.includes(tracked.deploymentId) && /deployment failed/i.test(e.message));
    if (primary && expected && primary.taskDefinition !== expected) {
      const rolledBackEvent = (service.events ?? []).some((e) => /rolling back/i.test(e.message ?? ''));
      return {
        state: 'rolled-back',
        winner: primary,
        byCircuitBreaker: Boolean(failedEvent && rolledBackEvent),
        reason: failedEvent
          ? `rollout of ${shortArn(expected)} FAILED (${eventText(failedEvent.message)}); the circuit breaker rolled back to ${shortArn(primary.taskDefinition)}`
          : `another task definition became PRIMARY: ${shortArn(primary.taskDefinition)} replaced ${shortArn(expected)} (deployment ${tracked.deploymentId} is gone)`,
      };
    }
    if (failedEvent) return { state: 'failed', reason: `rollout of ${shortArn(expected)} FAILED (${eventText(failedEvent.message)})` };
    if (primary && primary.id !== tracked.deploymentId && expected && primary.taskDefinition === expected) {
      return { state: 'retarget', deployment: primary, reason: `deployment ${tracked.deploymentId} was replaced by ${primary.id} of the same revision` };
    }
    return { state: 'failed', reason: `deployment ${tracked.deploymentId} is no longer listed by the service` };
  }
  if (mine.rolloutState === 'FAILED') {
    const why = mine.rolloutStateReason ?? 'rollout failed';
    if (primary && primary.id !== mine.id && primary.taskDefinition !== mine.taskDefinition) {
      return {
        state: 'rolled-back',
        deployment: mine,
        winner: primary,
        byCircuitBreaker: true,
        reason: `rollout of ${shortArn(mine.taskDefinition)} FAILED (${why}); the circuit breaker rolled back to ${shortArn(primary.taskDefinition)}`,
      };
    }
    return { state: 'failed', deployment: mine, reason: `rollout of ${shortArn(mine.taskDefinition)} FAILED (${why})` };
  }
  if (mine.status !== 'PRIMARY' && primary && primary.id !== mine.id) {
    if (primary.taskDefinition === mine.taskDefinition) {
      return { state: 'retarget', deployment: primary, reason: `deployment ${mine.id} was replaced by ${primary.id} of the same revision` };
    }
    return {
      state: 'rolled-back',
      deployment: mine,
      winner: primary,
      byCircuitBreaker: false,
      reason: `another task definition became PRIMARY: ${shortArn(primary.taskDefinition)} replaced ${shortArn(mine.taskDefinition)}`,
    };
  }
  if (expected && mine.taskDefinition !== expected) {
    return { state: 'rolled-back', deployment: mine, byCircuitBreaker: false, reason: `the service runs ${shortArn(mine.taskDefinition)}, not ${shortArn(expected)}` };
  }
  if (mine.rolloutState === 'COMPLETED') {
    // ECS keeps COMPLETED when tasks crash after the rollout; a service short of its desired count is not
    // stable (wait-stable is often asked long after the rollout), so keep watching until it is full again.
    if ((mine.runningCount ?? 0) < (mine.desiredCount ?? 0)) return { state: 'in-progress', deployment: mine };
    return { state: 'completed', deployment: mine, reason: `rollout of ${shortArn(mine.taskDefinition)} COMPLETED` };
  }
  if (mine.rolloutState === undefined) {
    // No rolloutState (older services, or without the circuit breaker): steady means alone and full.
    const alone = deployments.length === 1;
    const full = (mine.runningCount ?? 0) === (mine.desiredCount ?? 0) && (mine.pendingCount ?? 0) === 0;
    if (alone && full) {
      return { state: 'completed', deployment: mine, reason: `${shortArn(mine.taskDefinition)} is the only deployment with ${mine.runningCount}/${mine.desiredCount} running` };
    }
  }
  return { state: 'in-progress', deployment: mine };
}

/** An ECS event without its `(service x) (deployment y)` prefix. */
function eventText(message: string | undefined): string {
  return (message ?? '').replace(/^\(service [^)]*\)\s*/, '').replace(/^\(deployment [^)]*\)\s*/, '').replace(/\.$/, '');
}

/** Picks the deployment to track when the caller has no id (wait-stable): the one of the expected revision, else the PRIMARY. */
export function chooseDeployment(service: Service, taskDefinitionArn?: string): Deployment | undefined {
  const deployments = service.deployments ?? [];
  if (taskDefinitionArn) {
    return deployments.find((d) => d.taskDefinition === taskDefinitionArn && d.status === 'PRIMARY') ?? deployments.find((d) => d.taskDefinition === taskDefinitionArn);
  }
  return primaryDeployment(service);
}

export interface WatchOptions {
  cluster: string;
  service: string;
  /** The deployment to follow (from UpdateService's answer); chosen at the first poll when absent. */
  deploymentId?: string;
  /** The revision that must win. */
  taskDefinitionArn?: string;
  intervalMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Service events older than this are not printed (default: the tracked deployment's creation). */
  sinceMs?: number;
  /** Where lines and summary entries go (one per run); a new one when absent. */
  timeline?: Timeline;
  /** Prefix log lines with the service name (several services watched at once). */
  label?: boolean;
  /** Consecutive transient poll errors tolerated before giving up (default 3). */
  maxPollErrors?: number;
}

export interface WatchResult {
  outcome: WatchOutcome;
  reason: string;
  deploymentId?: string;
  taskDefinitionArn?: string;
  /** For rolled-back: the revision that won, and whether the circuit breaker did it. */
  winnerTaskDefinitionArn?: string;
  byCircuitBreaker?: boolean;
  /** The last answer seen. */
  service?: Service;
  deployment?: Deployment;
  stoppedTasks: StoppedTask[];
  polls: number;
  elapsedMs: number;
  /** Clock time when the verdict was reached. */
  endedAt: number;
}

/**
 * Polls DescribeServices until the tracked deployment completes, fails, is rolled back or the timeout
 * passes. Cancellation rejects with the signal's reason; fatal AWS errors (AccessDenied, expired
 * credentials) and a service that disappears reject at once with their real cause.
 */
export async function watchDeployment(ctx: EcsContext, options: WatchOptions): Promise<WatchResult> {
  const { clock } = ctx;
  const start = clock.now();
  const timeline = options.timeline ?? new Timeline(start, ctx.log);
  const label = options.label ? options.service : undefined;
  const seenEvents = new Set<string>();
  let tracked: Tracked | undefined = options.deploymentId ? { deploymentId: options.deploymentId, taskDefinitionArn: options.taskDefinitionArn } : undefined;
  let since = options.sinceMs;
  let lastCounts = '';
  let lastService: Service | undefined;
  let pollErrors = 0;
  let polls = 0;

  const check = async (): Promise<PollStep<{ verdict: Verdict; service: Service }>> => {
    polls++;
    let service: Service | undefined;
    try {
      service = await describeService(ctx.ecs, options.cluster, options.service);
      pollErrors = 0;
    } catch (error) {
      if (error instanceof AwsCallError && isTransient(error) && pollErrors < (options.maxPollErrors ?? 3)) {
        // The client already retried with backoff; one more poll later costs nothing, failing a deploy over a blip does.
        pollErrors++;
        ctx.log.warning(`${label ? `${label}: ` : ''}${error.message} (poll ${polls}; retrying at the next poll)`);
        return { done: false as const };
      }
      throw error;
    }
    if (!service) {
      throw new ActionError(`Service '${options.service}' no longer exists in cluster '${options.cluster}' (ServiceNotFound while watching).`);
    }
    lastService = service;
    if (!tracked) {
      const chosen = chooseDeployment(service, options.taskDefinitionArn);
      if (!chosen?.id) {
        const primary = primaryDeployment(service);
        return {
          done: true as const,
          value: {
            verdict: {
              state: 'rolled-back',
              winner: primary,
              byCircuitBreaker: false,
              reason: `no deployment of ${shortArn(options.taskDefinitionArn)} is listed; ${shortArn(primary?.taskDefinition)} is PRIMARY`,
            },
            service,
          },
        };
      }
      tracked = { deploymentId: chosen.id, taskDefinitionArn: options.taskDefinitionArn ?? chosen.taskDefinition };
    }
    if (since === undefined) {
      const created = service.deployments?.find((d) => d.id === tracked?.deploymentId)?.createdAt;
      since = created ? created.getTime() : start;
    }
    // Events come newest first; print the unseen ones oldest first.
    let fresh = (service.events ?? []).filter((e) => e.id && !seenEvents.has(e.id) && (e.createdAt?.getTime() ?? 0) >= (since ?? 0) - 1000).reverse();
    const firstPoll = seenEvents.size === 0;
    for (const event of service.events ?? []) if (event.id) seenEvents.add(event.id);
    // Waiting on a deployment that started long ago (wait-stable) would replay its whole history.
    if (firstPoll && fresh.length > MAX_FIRST_EVENTS) {
      timeline.add({ now: clock.now(), at: clock.now(), kind: 'action', service: label, message: `${fresh.length - MAX_FIRST_EVENTS} earlier service events not shown` });
      fresh = fresh.slice(-MAX_FIRST_EVENTS);
    }
    for (const event of fresh) timeline.add({ now: clock.now(), at: event.createdAt?.getTime() ?? clock.now(), kind: 'event', service: label, message: event.message ?? '' });
    const counts = describeCounts(service, tracked.deploymentId);
    if (counts !== lastCounts) {
      lastCounts = counts;
      timeline.add({ now: clock.now(), at: clock.now(), kind: 'counts', service: label, message: counts });
    }
    let verdict = evaluateDeployment(service, tracked);
    // Follow a replacement of the same revision and judge it on this same answer (bounded: ids only move forward).
    for (let hops = 0; verdict.state === 'retarget' && hops < 3; hops++) {
      timeline.add({ now: clock.now(), at: clock.now(), kind: 'action', service: label, message: `${verdict.reason}: following ${verdict.deployment.id}` });
      tracked = { deploymentId: verdict.deployment.id ?? '', taskDefinitionArn: tracked.taskDefinitionArn };
      verdict = evaluateDeployment(service, tracked);
    }
    if (verdict.state === 'in-progress' || verdict.state === 'retarget') return { done: false as const };
    return { done: true as const, value: { verdict, service } };
  };

  let verdict: Verdict;
  try {
    ({ verdict } = await pollUntil({ clock, intervalMs: options.intervalMs, timeoutMs: options.timeoutMs, signal: options.signal }, check));
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    const deployment = lastService?.deployments?.find((d) => d.id === tracked?.deploymentId);
    const reason = `timed out after ${Math.round(error.elapsedMs / 1000)}s waiting for ${tracked?.deploymentId ?? 'the deployment'}${lastCounts ? ` (${lastCounts})` : ''}`;
    timeline.add({ now: clock.now(), at: clock.now(), kind: 'result', service: label, message: reason });
    return {
      outcome: 'timed-out',
      reason,
      deploymentId: tracked?.deploymentId,
      taskDefinitionArn: deployment?.taskDefinition ?? tracked?.taskDefinitionArn,
      service: lastService,
      deployment,
      stoppedTasks: await stoppedTasksOf(ctx, options, deployment?.taskDefinition ?? tracked?.taskDefinitionArn, since ?? start, label),
      polls,
      elapsedMs: clock.now() - start,
      endedAt: clock.now(),
    };
  }

  const endedAt = clock.now();
  const deployment = 'deployment' in verdict ? verdict.deployment : undefined;
  const outcome: WatchOutcome = verdict.state === 'completed' ? 'completed' : verdict.state === 'rolled-back' ? 'rolled-back' : 'failed';
  const result: WatchResult = {
    outcome,
    reason: verdict.state === 'in-progress' || verdict.state === 'retarget' ? '' : verdict.reason,
    deploymentId: tracked?.deploymentId,
    taskDefinitionArn: deployment?.taskDefinition ?? tracked?.taskDefinitionArn ?? options.taskDefinitionArn,
    winnerTaskDefinitionArn: verdict.state === 'rolled-back' ? verdict.winner?.taskDefinition : undefined,
    byCircuitBreaker: verdict.state === 'rolled-back' ? verdict.byCircuitBreaker : undefined,
    service: lastService,
    deployment,
    stoppedTasks: [],
    polls,
    elapsedMs: endedAt - start,
    endedAt,
  };
  timeline.add({ now: endedAt, at: endedAt, kind: 'result', service: label, message: result.reason });
  if (outcome !== 'completed') {
    // With no deployment of the expected revision left to date it, look back a quarter of an hour.
    result.stoppedTasks = await stoppedTasksOf(ctx, options, result.taskDefinitionArn, since ?? start - 15 * 60_000, label);
  }
  return result;
}

/**
 * Worth another poll: throttling, 5xx and network errors (after the SDK's own retries). Anything else
 * (AccessDenied, expired credentials, ClusterNotFound, a bad parameter) will not change by waiting.
 */
function isTransient(error: AwsCallError): boolean {
  if (error.fatal) return false;
  const cause = error.cause as { $metadata?: { httpStatusCode?: number }; $fault?: string; code?: string; name?: string } | undefined;
  if (isThrottling(cause)) return true;
  const status = cause?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || cause?.$fault === 'server';
  // No HTTP answer at all: connection reset, timeout, DNS.
  return true;
}

/** Stopped tasks of the revision that failed; a failure to describe them is a warning, not a second error. */
async function stoppedTasksOf(ctx: EcsContext, options: WatchOptions, taskDefinitionArn: string | undefined, sinceMs: number, label?: string): Promise<StoppedTask[]> {
  if (!taskDefinitionArn) return [];
  try {
    // ListTasks filters by service name; the input may be an ARN.
    const serviceName = arnResource(options.service);
    return await describeStoppedTasks(ctx.ecs, { cluster: options.cluster, serviceName, taskDefinitionArn, sinceMs: sinceMs - 1000 });
  } catch (error) {
    ctx.log.warning(`${label ? `${label}: ` : ''}could not describe the stopped tasks: ${(error as Error).message}`);
    return [];
  }
}

/** `deployment ecs-svc/1 (api:3) IN_PROGRESS 1/2 running, 1 pending; ACTIVE api:2 2/2` */
export function describeCounts(service: Service, trackedId?: string): string {
  return (service.deployments ?? [])
    .map((d) => {
      const mark = d.id === trackedId ? '*' : '';
      const state = d.rolloutState ? ` ${d.rolloutState}` : '';
      const pending = d.pendingCount ? `, ${d.pendingCount} pending` : '';
      const failed = d.failedTasks ? `, ${d.failedTasks} failed` : '';
      return `${mark}${d.status} ${shortArn(d.taskDefinition)}${state} ${d.runningCount ?? 0}/${d.desiredCount ?? 0} running${pending}${failed}`;
    })
    .join('; ');
}

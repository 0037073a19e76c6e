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
import { ActionError, errorMessage, pollUntil, PollTimeoutError, type PollStep } from '../action-kit';
import { AwsCallError, isThrottling, arnResource, shortArn } from '../aws';
import type { EcsContext } from './context';
import { primaryDeployment, describeService } from './service';
import { nextPollDelay } from './poll-pace';
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
  const mine = (service.deployments ?? []).find((d) => d.id === tracked.deploymentId);
  const primary = primaryDeployment(service);
  const expected = tracked.taskDefinitionArn ?? mine?.taskDefinition;
  if (service.status && service.status !== 'ACTIVE') {
    return { state: 'failed', deployment: mine, reason: `service ${service.serviceName ?? 'service'} is ${service.status} (being deleted)` };
  }
  if (!mine) return verdictWithoutTheDeployment(service, tracked, primary, expected);
  if (mine.rolloutState === 'FAILED') return verdictOfFailedRollout(mine, primary);
  if (mine.status !== 'PRIMARY' && primary && primary.id !== mine.id) return verdictOfReplacedDeployment(mine, primary);
  if (expected && mine.taskDefinition !== expected) {
    return { state: 'rolled-back', deployment: mine, byCircuitBreaker: false, reason: `the service runs ${shortArn(mine.taskDefinition)}, not ${shortArn(expected)}` };
  }
  return verdictOfRunningDeployment(mine, service.deployments?.length ?? 0);
}

/**
 * The tracked deployment is no longer listed. A failed deployment is drained and dropped once the
 * rollback replaced its tasks; between two polls that can all happen, so the service events tell what
 * became of it.
 */
function verdictWithoutTheDeployment(service: Service, tracked: Tracked, primary: Deployment | undefined, expected: string | undefined): Verdict {
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

/** rolloutState FAILED: rolled back when another revision took over, failed otherwise. */
function verdictOfFailedRollout(mine: Deployment, primary: Deployment | undefined): Verdict {
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

/** Another deployment is PRIMARY: the same revision redeployed (follow it), or a rollback by a person. */
function verdictOfReplacedDeployment(mine: Deployment, primary: Deployment): Verdict {
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

/** The tracked deployment is PRIMARY with the expected revision: completed, or still rolling out. */
function verdictOfRunningDeployment(mine: Deployment, deploymentCount: number): Verdict {
  if (mine.rolloutState === 'COMPLETED') {
    // ECS keeps COMPLETED when tasks crash after the rollout; a service short of its desired count is not
    // stable (wait-stable is often asked long after the rollout), so keep watching until it is full again.
    if ((mine.runningCount ?? 0) < (mine.desiredCount ?? 0)) return { state: 'in-progress', deployment: mine };
    return { state: 'completed', deployment: mine, reason: `rollout of ${shortArn(mine.taskDefinition)} COMPLETED` };
  }
  if (mine.rolloutState === undefined) {
    // No rolloutState (older services, or without the circuit breaker): steady means alone and full.
    const full = (mine.runningCount ?? 0) === (mine.desiredCount ?? 0) && (mine.pendingCount ?? 0) === 0;
    if (deploymentCount === 1 && full) {
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
  /** The longest wait between two polls; shorter once the end is near (poll-pace.ts). */
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
  /**
   * The service as UpdateService answered it, a moment ago: the first poll reads it instead of asking
   * DescribeServices the same question again (one request less on every deploy).
   */
  firstAnswer?: Service;
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
  const watch = new DeploymentWatch(ctx, options);
  try {
    const { verdict } = await pollUntil({ clock: ctx.clock, intervalMs: options.intervalMs, timeoutMs: options.timeoutMs, signal: options.signal }, () => watch.poll());
    return await watch.resultOf(verdict);
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    return watch.timedOut(error.elapsedMs);
  }
}

type PollAnswer = PollStep<{ verdict: Verdict; service: Service }>;

/** One watch: what it tracks, what it has printed, the last answer; each poll is a list of named steps. */
class DeploymentWatch {
  private readonly start: number;
  private readonly timeline: Timeline;
  private readonly label: string | undefined;
  private readonly seenEvents = new Set<string>();
  private tracked: Tracked | undefined;
  private since: number | undefined;
  private lastCounts = '';
  private lastService: Service | undefined;
  private pollErrors = 0;
  private polls = 0;
  /** Polls in a row whose counts did not change (the near pace slows down over a long drain). */
  private quietPolls = 0;
  /** An answer already in hand for the next poll (UpdateService's), used once. */
  private answerInHand: Service | undefined;

  constructor(
    private readonly ctx: EcsContext,
    private readonly options: WatchOptions,
  ) {
    this.start = ctx.clock.now();
    this.timeline = options.timeline ?? new Timeline(this.start, ctx.log);
    this.label = options.label ? options.service : undefined;
    this.tracked = options.deploymentId ? { deploymentId: options.deploymentId, taskDefinitionArn: options.taskDefinitionArn } : undefined;
    this.since = options.sinceMs;
    this.answerInHand = options.firstAnswer;
  }

  async poll(): Promise<PollAnswer> {
    this.polls++;
    const service = this.answerInHand ?? (await this.describe());
    this.answerInHand = undefined;
    if (!service) return { done: false };
    this.lastService = service;
    const tracked = this.track(service);
    if (!tracked) return { done: true, value: { verdict: this.nothingToTrack(service), service } };
    this.printNewEvents(service);
    this.printCounts(service, tracked);
    const verdict = this.judge(service, tracked);
    if (verdict.state === 'in-progress' || verdict.state === 'retarget') return { done: false, afterMs: this.nextDelay(service) };
    return { done: true, value: { verdict, service } };
  }

  private nextDelay(service: Service): number {
    const deploymentId = this.tracked?.deploymentId ?? '';
    return nextPollDelay({ service, deploymentId, intervalMs: this.options.intervalMs, nowMs: this.ctx.clock.now(), quietPolls: this.quietPolls });
  }

  /** The service now; undefined for a transient error worth another poll (the client already retried with backoff). */
  private async describe(): Promise<Service | undefined> {
    let service: Service | undefined;
    try {
      service = await describeService(this.ctx.ecs, this.options.cluster, this.options.service);
      this.pollErrors = 0;
    } catch (error) {
      if (!(error instanceof AwsCallError && isTransient(error) && this.pollErrors < (this.options.maxPollErrors ?? 3))) throw error;
      // One more poll later costs nothing; failing a deploy over a blip does.
      this.pollErrors++;
      this.ctx.log.warning(`${this.prefix()}${error.message} (poll ${this.polls}; retrying at the next poll)`);
      return undefined;
    }
    if (!service) throw new ActionError(`Service '${this.options.service}' no longer exists in cluster '${this.options.cluster}' (ServiceNotFound while watching).`);
    return service;
  }

  /** The deployment to follow: given by the caller, or chosen at the first poll (wait-stable). */
  private track(service: Service): Tracked | undefined {
    if (!this.tracked) {
      const chosen = chooseDeployment(service, this.options.taskDefinitionArn);
      if (!chosen?.id) return undefined;
      this.tracked = { deploymentId: chosen.id, taskDefinitionArn: this.options.taskDefinitionArn ?? chosen.taskDefinition };
    }
    if (this.since === undefined) {
      const created = service.deployments?.find((d) => d.id === this.tracked?.deploymentId)?.createdAt;
      this.since = created ? created.getTime() : this.start;
    }
    return this.tracked;
  }

  /** No deployment of the expected revision is listed: another one won before the watch began. */
  private nothingToTrack(service: Service): Verdict {
    const primary = primaryDeployment(service);
    return {
      state: 'rolled-back',
      winner: primary,
      byCircuitBreaker: false,
      reason: `no deployment of ${shortArn(this.options.taskDefinitionArn)} is listed; ${shortArn(primary?.taskDefinition)} is PRIMARY`,
    };
  }

  /** Service events not printed yet, oldest first (events come newest first). */
  private printNewEvents(service: Service): void {
    const now = this.ctx.clock.now();
    let fresh = (service.events ?? []).filter((e) => e.id && !this.seenEvents.has(e.id) && (e.createdAt?.getTime() ?? 0) >= (this.since ?? 0) - 1000).reverse();
    const firstPoll = this.seenEvents.size === 0;
    for (const event of service.events ?? []) if (event.id) this.seenEvents.add(event.id);
    // Waiting on a deployment that started long ago (wait-stable) would replay its whole history.
    if (firstPoll && fresh.length > MAX_FIRST_EVENTS) {
      this.timeline.add({ now, at: now, kind: 'action', service: this.label, message: `${fresh.length - MAX_FIRST_EVENTS} earlier service events not shown` });
      fresh = fresh.slice(-MAX_FIRST_EVENTS);
    }
    for (const event of fresh) this.timeline.add({ now, at: event.createdAt?.getTime() ?? now, kind: 'event', service: this.label, message: event.message ?? '' });
  }

  /** The deployments' counts, when they changed since the last poll. */
  private printCounts(service: Service, tracked: Tracked): void {
    const counts = describeCounts(service, tracked.deploymentId);
    if (counts === this.lastCounts) {
      this.quietPolls++;
      return;
    }
    this.quietPolls = 0;
    this.lastCounts = counts;
    const now = this.ctx.clock.now();
    this.timeline.add({ now, at: now, kind: 'counts', service: this.label, message: counts });
  }

  /** The verdict on this answer, following a replacement of the same revision (bounded: ids only move forward). */
  private judge(service: Service, tracked: Tracked): Verdict {
    let verdict = evaluateDeployment(service, tracked);
    for (let hops = 0; verdict.state === 'retarget' && hops < 3; hops++) {
      const now = this.ctx.clock.now();
      this.timeline.add({ now, at: now, kind: 'action', service: this.label, message: `${verdict.reason}: following ${verdict.deployment.id}` });
      this.tracked = { deploymentId: verdict.deployment.id ?? '', taskDefinitionArn: tracked.taskDefinitionArn };
      verdict = evaluateDeployment(service, this.tracked);
    }
    return verdict;
  }

  async resultOf(verdict: Verdict): Promise<WatchResult> {
    const endedAt = this.ctx.clock.now();
    const deployment = 'deployment' in verdict ? verdict.deployment : undefined;
    const outcome: WatchOutcome = verdict.state === 'completed' ? 'completed' : verdict.state === 'rolled-back' ? 'rolled-back' : 'failed';
    const taskDefinitionArn = deployment?.taskDefinition ?? this.tracked?.taskDefinitionArn ?? this.options.taskDefinitionArn;
    const reason = verdict.state === 'in-progress' || verdict.state === 'retarget' ? '' : verdict.reason;
    this.timeline.add({ now: endedAt, at: endedAt, kind: 'result', service: this.label, message: reason });
    // With no deployment of the expected revision left to date it, look back a quarter of an hour.
    const stoppedTasks = outcome === 'completed' ? [] : await this.stoppedTasks(taskDefinitionArn, this.since ?? this.start - 15 * 60_000);
    return {
      ...this.result(outcome, reason, endedAt, deployment, taskDefinitionArn, stoppedTasks),
      winnerTaskDefinitionArn: verdict.state === 'rolled-back' ? verdict.winner?.taskDefinition : undefined,
      byCircuitBreaker: verdict.state === 'rolled-back' ? verdict.byCircuitBreaker : undefined,
    };
  }

  async timedOut(elapsedMs: number): Promise<WatchResult> {
    const now = this.ctx.clock.now();
    const deployment = this.lastService?.deployments?.find((d) => d.id === this.tracked?.deploymentId);
    const reason = `timed out after ${Math.round(elapsedMs / 1000)}s waiting for ${this.tracked?.deploymentId ?? 'the deployment'}${this.lastCounts ? ` (${this.lastCounts})` : ''}`;
    this.timeline.add({ now, at: now, kind: 'result', service: this.label, message: reason });
    const taskDefinitionArn = deployment?.taskDefinition ?? this.tracked?.taskDefinitionArn;
    const stoppedTasks = await this.stoppedTasks(taskDefinitionArn, this.since ?? this.start);
    return this.result('timed-out', reason, this.ctx.clock.now(), deployment, taskDefinitionArn, stoppedTasks);
  }

  /** The one place a WatchResult is built. */
  private result(outcome: WatchOutcome, reason: string, endedAt: number, deployment: Deployment | undefined, taskDefinitionArn: string | undefined, stoppedTasks: StoppedTask[]): WatchResult {
    return {
      outcome,
      reason,
      deploymentId: this.tracked?.deploymentId,
      taskDefinitionArn,
      service: this.lastService,
      deployment,
      stoppedTasks,
      polls: this.polls,
      elapsedMs: endedAt - this.start,
      endedAt,
    };
  }

  /** Stopped tasks of the revision that failed; a failure to describe them is a warning, not a second error. */
  private async stoppedTasks(taskDefinitionArn: string | undefined, sinceMs: number): Promise<StoppedTask[]> {
    if (!taskDefinitionArn) return [];
    try {
      // ListTasks filters by service name; the input may be an ARN.
      return await describeStoppedTasks(this.ctx.ecs, { cluster: this.options.cluster, serviceName: arnResource(this.options.service), taskDefinitionArn, sinceMs: sinceMs - 1000 });
    } catch (error) {
      this.ctx.log.warning(`${this.prefix()}could not describe the stopped tasks: ${errorMessage(error)}`);
      return [];
    }
  }

  private prefix(): string {
    return this.label ? `${this.label}: ` : '';
  }
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

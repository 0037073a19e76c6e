/**
 * ecs-deploy's engine. Everything is checked before the first change (cluster, service, controller,
 * container, image tag in ECR), then: register the revision unless an identical one exists, capture
 * the previous revision, UpdateService, follow the deployment ECS started (by id, from UpdateService's
 * answer) and, when it does not win, roll back. The result always says what really happened; a
 * rollout that did not complete is never `deployed`.
 */
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
  type Tag,
} from '@aws-sdk/client-ecs';
import { CancelledError, InputError, errorMessage } from '../action-kit';
import { aws, shortArn, AwsCallError } from '../aws';
import type { EcsContext } from './context';
import { watchDeployment, type WatchOutcome, type WatchResult } from './deployment-watcher';
import { resolveImage, type ResolvedImage } from './image';
import { resolveRevision, type ReleasedRevisions } from './revision';
import { rollback, type RollbackResult } from './rollback';
import { validateService, primaryDeployment } from './service';
import type { StoppedTask } from './stopped-tasks';
import {
  diffTaskDefinitions,
  normalizeTaskDefinition,
  sameTaskDefinition,
  selectContainer,
  withContainerImage,
  type TaskDefinitionChange,
  type TaskDefinitionInput,
} from './task-definition';
import { Timeline } from './timeline';

export type DeployStatus = 'deployed' | 'unchanged' | 'registered' | 'failed' | 'rolled-back' | 'timed-out';

/** The status of a re-run that found its revision still rolling out and watched that rollout (not its own to roll back). */
const RERUN_STATUS: Record<WatchOutcome, DeployStatus> = { completed: 'unchanged', 'rolled-back': 'rolled-back', 'timed-out': 'timed-out', failed: 'failed' };

/** The status of a rollout that did not complete, before any rollback. */
const FAILED_STATUS: Record<WatchOutcome, DeployStatus> = { completed: 'failed', 'rolled-back': 'failed', 'timed-out': 'timed-out', failed: 'failed' };

export interface DeployOptions {
  cluster: string;
  service: string;
  /** `repo:tag` or `repo@sha256:...`; empty keeps the current image. */
  image?: string;
  container?: string;
  /** Template instead of the service's current task definition (already read from the file). */
  taskDefinition?: TaskDefinitionInput;
  /**
   * An existing revision (ARN, `family:revision` or `previous`) instead of a file: deployed as it is
   * when `image` is empty (nothing registered), else the template of the new revision.
   */
  revision?: string;
  /** The input that named `revision`, for errors (default `task-definition`). */
  revisionInput?: string;
  /** When `revision` is a release tag: the revisions its commit's deploys ran (read from GitHub by the caller). */
  released?: ReleasedRevisions;
  resolveDigest: boolean;
  forceNewDeployment: boolean;
  registerOnly: boolean;
  wait: boolean;
  rollbackOnFailure: boolean;
  intervalMs: number;
  timeoutMs: number;
  /** How long to watch a rollback settle (default: the timeout). */
  rollbackTimeoutMs?: number;
  /** After cancellation the runner allows seconds (SIGINT, SIGTERM 7.5 s later, then SIGKILL): watch the rollback this long (default 5 s) so outputs and summary are still written. */
  cancelRollbackTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called right after UpdateService, before waiting: the action saves state for its post step. */
  onRolloutStarted?(started: RolloutStarted): void;
}

export interface RolloutStarted {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  deploymentId?: string;
  /** The image the new revision runs. */
  image?: string;
}

export interface DeployPlan {
  service: Service;
  previousTaskDefinitionArn: string;
  current: TaskDefinitionInput;
  next: TaskDefinitionInput;
  container: string;
  image?: ResolvedImage;
  changed: boolean;
  changes: TaskDefinitionChange[];
  tags?: Tag[];
  /** The existing revision deployed as it is (a `revision` without `image`): nothing is registered. */
  revisionArn?: string;
}

export interface DeployResult {
  status: DeployStatus;
  /** One sentence: what happened and why. */
  reason: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  image?: string;
  deploymentId?: string;
  /** A new revision was registered (false when unchanged or an identical latest revision was reused). */
  registered: boolean;
  reusedTaskDefinition: boolean;
  changes: TaskDefinitionChange[];
  plan: DeployPlan;
  watch?: WatchResult;
  rollback?: RollbackResult;
  cancelled: boolean;
  stoppedTasks: StoppedTask[];
  timeline: Timeline;
  elapsedMs: number;
}

/** An image outside ECR cannot be checked before the rollout: say what was not verified. */
function warnUnverified(ctx: EcsContext, image: ResolvedImage): void {
  if (image.reference.ecr) return;
  const registry = image.reference.registry || 'docker.io';
  ctx.log.warning(
    image.digest
      ? `${image.image} is not in ECR: registry ${registry} was not asked whether that digest exists; a wrong one shows only as CannotPullContainerError during the rollout.`
      : `${image.image} is not in ECR: registry ${registry} was not asked whether tag '${image.reference.tag ?? 'latest'}' exists, nor which digest it points to; it is deployed by tag (a missing tag shows only as CannotPullContainerError during the rollout). Deploy by digest (repo@sha256:...) to pin it.`,
  );
}

/** Validates the target and builds the new revision. Makes no change. */
async function planDeployment(ctx: EcsContext, options: DeployOptions): Promise<DeployPlan> {
  const service = await validateService(ctx.ecs, { cluster: options.cluster, service: options.service });
  const previousTaskDefinitionArn = service.taskDefinition ?? primaryDeployment(service)?.taskDefinition ?? '';
  const inFlight = (service.deployments ?? []).filter((d) => d.rolloutState === 'IN_PROGRESS' || (d.status === 'PRIMARY' && (service.deployments?.length ?? 0) > 1));
  if (inFlight.length) {
    // Not refused (a stuck rollout is a reason to deploy a fix), but the rollback target is then unproven.
    ctx.log.warning(
      `Service ${options.service} has a deployment in progress (${inFlight.map((d) => `${d.id} ${shortArn(d.taskDefinition)}`).join(', ')}): this deploy supersedes it, and a rollback would return to ${shortArn(previousTaskDefinitionArn)}, which has not completed a rollout yet.`,
    );
  }
  const described = await aws(
    'ecs:DescribeTaskDefinition',
    ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: previousTaskDefinitionArn, include: ['TAGS'] })),
  );
  if (!described.taskDefinition) throw new Error(`DescribeTaskDefinition returned nothing for ${previousTaskDefinitionArn}`);
  const current = normalizeTaskDefinition(described.taskDefinition);
  const target = { cluster: options.cluster, service: options.service, runningArn: previousTaskDefinitionArn };
  const existing = options.revision ? await resolveRevision(ctx, options.revision, target, options.revisionInput, options.released) : undefined;
  const template = options.taskDefinition ?? (existing ? normalizeTaskDefinition(existing.definition) : current);
  const container = selectContainer(template, options.container);
  let next = template;
  let image: ResolvedImage | undefined;
  if (options.image) {
    image = await resolveImage(ctx.ecr, options.image, { resolveDigest: options.resolveDigest });
    warnUnverified(ctx, image);
    next = withContainerImage(template, container.name ?? '', image.image);
  }
  const revisionArn = existing && !options.image ? existing.arn : undefined;
  return {
    service,
    previousTaskDefinitionArn,
    current,
    next,
    container: container.name ?? '',
    image,
    changed: revisionArn ? revisionArn !== previousTaskDefinitionArn : !sameTaskDefinition(current, next),
    changes: diffTaskDefinitions(current, next),
    tags: described.tags?.length ? described.tags : undefined,
    revisionArn,
  };
}

/**
 * Deploys as ecspresso's Deploy reads: plan (no change) -> unchanged? -> register -> register-only? ->
 * UpdateService -> wait? -> watch -> roll back when the rollout did not win.
 */
export async function deploy(ctx: EcsContext, options: DeployOptions): Promise<DeployResult> {
  refuseRegisterOnlyOfAnExistingRevision(options);
  const run = new DeployRun(ctx, options, await planDeployment(ctx, options));
  if (!run.plan.changed && !options.forceNewDeployment) return run.unchanged();
  const revision = await run.register();
  if (options.registerOnly) return run.registered(revision);
  const rollout = await run.startRollout(revision);
  if (!options.wait) return run.finish({ ...rollout.common, status: 'deployed', reason: `rollout of ${shortArn(revision.taskDefinitionArn)} started; not watched (wait: false)` });
  const watched = await run.watchRollout(rollout);
  if (watched.watch?.outcome === 'completed') {
    return run.finish({ ...rollout.common, deploymentId: watched.watch.deploymentId, status: 'deployed', reason: watched.watch.reason, watch: watched.watch });
  }
  return run.afterFailedRollout(rollout, watched);
}

function refuseRegisterOnlyOfAnExistingRevision(options: DeployOptions): void {
  if (!(options.registerOnly && options.revision && !options.image)) return;
  throw new InputError(
    'register-only',
    `is true, but '${options.revisionInput ?? 'task-definition'}' names the existing revision '${options.revision}' and 'image' is empty: there is nothing to register`,
    'set image to register a new revision from it, or leave register-only off to deploy that revision as it is',
  );
}

interface Revision {
  taskDefinitionArn: string;
  registered: boolean;
  reused: boolean;
}

interface Rollout {
  /** The fields every result after UpdateService shares. */
  common: Pick<DeployResult, 'taskDefinitionArn' | 'registered' | 'reusedTaskDefinition' | 'deploymentId'>;
  started?: { createdAt?: Date };
  /** The service as UpdateService answered: the watch's first poll. */
  answer?: Service;
  updateAt: number;
}

interface Watched {
  watch?: WatchResult;
  cancelled: boolean;
  cancelReason: string;
}

type ResultFields = Omit<DeployResult, 'previousTaskDefinitionArn' | 'image' | 'changes' | 'plan' | 'cancelled' | 'stoppedTasks' | 'timeline' | 'elapsedMs'> &
  Partial<Pick<DeployResult, 'cancelled' | 'stoppedTasks'>>;

/** One deploy's steps over its plan and timeline; `finish` is the one place a DeployResult is built. */
class DeployRun {
  private readonly start: number;
  private readonly timeline: Timeline;
  /** The image the new revision runs. */
  private readonly image: string | undefined;

  constructor(
    private readonly ctx: EcsContext,
    private readonly options: DeployOptions,
    readonly plan: DeployPlan,
  ) {
    this.start = ctx.clock.now();
    this.timeline = new Timeline(this.start, ctx.log);
    this.image = plan.image?.image ?? plan.next.containerDefinitions?.find((c) => c.name === plan.container)?.image;
    if (plan.image) this.note(`image ${plan.image.image} (${plan.image.note})`);
  }

  finish(result: ResultFields): DeployResult {
    return {
      previousTaskDefinitionArn: this.plan.previousTaskDefinitionArn,
      image: this.image,
      changes: this.plan.changes,
      plan: this.plan,
      cancelled: false,
      stoppedTasks: [],
      timeline: this.timeline,
      ...result,
      elapsedMs: this.ctx.clock.now() - this.start,
    };
  }

  private note(message: string): void {
    const now = this.ctx.clock.now();
    this.timeline.add({ now, at: now, kind: 'action', message });
  }

  /** Nothing to change; but a re-run while this revision is still rolling out watches that rollout. */
  async unchanged(): Promise<DeployResult> {
    const { plan, options } = this;
    const inFlight = primaryDeployment(plan.service);
    if (options.wait && inFlight?.id && inFlight.taskDefinition === plan.previousTaskDefinitionArn && inFlight.rolloutState === 'IN_PROGRESS') {
      // E.g. an earlier run with wait: false: "unchanged" must not hide a rollout that is about to fail. It is not ours to roll back.
      this.note(`task definition unchanged, but its rollout ${inFlight.id} is still in progress: watching it`);
      const watch = await watchDeployment(this.ctx, { ...this.watchTarget(), deploymentId: inFlight.id, taskDefinitionArn: plan.previousTaskDefinitionArn });
      return this.finish({
        status: RERUN_STATUS[watch.outcome],
        reason: watch.outcome === 'completed' ? `${shortArn(plan.previousTaskDefinitionArn)} already had this image; its rollout in progress completed` : watch.reason,
        taskDefinitionArn: plan.previousTaskDefinitionArn,
        deploymentId: watch.deploymentId,
        registered: false,
        reusedTaskDefinition: false,
        watch,
        stoppedTasks: watch.stoppedTasks,
      });
    }
    this.note(`task definition unchanged: ${shortArn(plan.previousTaskDefinitionArn)} already runs this revision; nothing registered or deployed`);
    return this.finish({
      status: 'unchanged',
      reason: plan.revisionArn ? `the service already runs ${shortArn(plan.revisionArn)}` : `${shortArn(plan.previousTaskDefinitionArn)} already has this image and settings`,
      taskDefinitionArn: plan.previousTaskDefinitionArn,
      registered: false,
      reusedTaskDefinition: false,
    });
  }

  /** The revision to roll out: the existing one named, the latest identical one, or a new registration. */
  async register(): Promise<Revision> {
    const { plan } = this;
    if (plan.revisionArn) {
      this.note(`deploying ${shortArn(plan.revisionArn)} as it is: nothing registered`);
      return { taskDefinitionArn: plan.revisionArn, registered: false, reused: false };
    }
    if (!plan.changed) return { taskDefinitionArn: plan.previousTaskDefinitionArn, registered: false, reused: false };
    // A re-run (or the second call after register-only) finds the revision it registered: use it, do not pile up revisions.
    const latest = await latestRevision(this.ctx, plan.next.family ?? '');
    if (latest && sameTaskDefinition(latest.definition, plan.next)) {
      this.note(`reusing ${shortArn(latest.arn)}: the latest revision of ${plan.next.family} is identical`);
      return { taskDefinitionArn: latest.arn, registered: false, reused: true };
    }
    const answer = await aws(
      'ecs:RegisterTaskDefinition',
      this.ctx.ecs.send(new RegisterTaskDefinitionCommand({ ...plan.next, ...(plan.tags && !plan.next.tags ? { tags: plan.tags } : {}) })),
    );
    const taskDefinitionArn = answer.taskDefinition?.taskDefinitionArn ?? '';
    this.note(`registered ${shortArn(taskDefinitionArn)}`);
    return { taskDefinitionArn, registered: true, reused: false };
  }

  registered(revision: Revision): DeployResult {
    return this.finish({
      status: 'registered',
      reason: `${shortArn(revision.taskDefinitionArn)} is ${revision.reused ? 'the latest identical revision' : 'registered'}; the service still runs ${shortArn(this.plan.previousTaskDefinitionArn)}`,
      taskDefinitionArn: revision.taskDefinitionArn,
      registered: revision.registered,
      reusedTaskDefinition: revision.reused,
    });
  }

  /** UpdateService, then the deployment ECS started, told to the action before any wait (its post step needs it). */
  async startRollout(revision: Revision): Promise<Rollout> {
    const { options, plan } = this;
    const { taskDefinitionArn } = revision;
    const updated = await aws(
      'ecs:UpdateService',
      this.ctx.ecs.send(new UpdateServiceCommand({ cluster: options.cluster, service: options.service, taskDefinition: taskDefinitionArn, forceNewDeployment: options.forceNewDeployment || undefined })),
    );
    const updateAt = this.ctx.clock.now();
    const started = updated.service?.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinitionArn);
    const deploymentId = started?.id;
    this.note(`UpdateService: ${shortArn(plan.previousTaskDefinitionArn)} -> ${shortArn(taskDefinitionArn)}, deployment ${deploymentId ?? '(not in the answer)'}`);
    options.onRolloutStarted?.({ cluster: options.cluster, service: options.service, taskDefinitionArn, previousTaskDefinitionArn: plan.previousTaskDefinitionArn, deploymentId, image: this.image });
    return { common: { taskDefinitionArn, registered: revision.registered, reusedTaskDefinition: revision.reused, deploymentId }, started, answer: updated.service, updateAt };
  }

  /** Watches the deployment by id; a cancellation is noted and returned, not thrown. */
  async watchRollout(rollout: Rollout): Promise<Watched> {
    const { options } = this;
    const { taskDefinitionArn, deploymentId } = rollout.common;
    try {
      // ECS's own timestamp of the new deployment, so a runner clock ahead of AWS hides no event.
      const sinceMs = rollout.started?.createdAt ? rollout.started.createdAt.getTime() : rollout.updateAt - 1000;
      const watch = await watchDeployment(this.ctx, { ...this.watchTarget(), deploymentId, taskDefinitionArn, sinceMs, firstAnswer: rollout.answer });
      return { watch, cancelled: false, cancelReason: '' };
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      const reason = options.signal.reason;
      const cancelReason = reason instanceof CancelledError ? reason.message : 'Cancelled.';
      this.note(`${cancelReason} Stopped waiting for ${deploymentId ?? shortArn(taskDefinitionArn)}`);
      return { cancelled: true, cancelReason };
    }
  }

  private watchTarget() {
    const { options } = this;
    return { cluster: options.cluster, service: options.service, intervalMs: options.intervalMs, timeoutMs: options.timeoutMs, signal: options.signal, timeline: this.timeline };
  }

  /** The rollout did not win: leave another person's revision alone, respect rollback-on-failure, else roll back. */
  async afterFailedRollout(rollout: Rollout, { watch, cancelled, cancelReason }: Watched): Promise<DeployResult> {
    const { plan, options } = this;
    const stoppedTasks = watch?.stoppedTasks ?? [];
    const failure = cancelled ? cancelReason : (watch?.reason ?? 'rollout did not complete');
    const failedStatus = FAILED_STATUS[watch?.outcome ?? 'failed'];
    const failed = (reason: string, extra: Partial<DeployResult> = {}) => this.finish({ ...rollout.common, status: failedStatus, reason, watch, stoppedTasks, cancelled, ...extra });
    // Another revision than ours and the previous one won: someone else deployed; rolling back would undo their work.
    if (watch?.outcome === 'rolled-back' && watch.winnerTaskDefinitionArn && watch.winnerTaskDefinitionArn !== plan.previousTaskDefinitionArn) {
      return failed(`${failure}; not rolling back over a revision this step did not deploy`, { status: 'failed' });
    }
    if (!options.rollbackOnFailure && watch?.outcome !== 'rolled-back') return failed(`${failure}; not rolled back (rollback-on-failure: false)`);
    let back: RollbackResult;
    try {
      const timeoutMs = cancelled ? (options.cancelRollbackTimeoutMs ?? 5_000) : (options.rollbackTimeoutMs ?? options.timeoutMs);
      back = await rollback(this.ctx, { cluster: options.cluster, service: options.service, previousTaskDefinitionArn: plan.previousTaskDefinitionArn, intervalMs: options.intervalMs, timeoutMs, timeline: this.timeline });
    } catch (error) {
      return failed(`${failure}; the rollback to ${shortArn(plan.previousTaskDefinitionArn)} failed: ${errorMessage(error)}`);
    }
    // After a cancellation the rollback is started but may still be rolling when the runner stops us: say so.
    const stillRolling = cancelled && back.watch?.outcome === 'timed-out';
    const rolledBack = back.settled || stillRolling;
    const settledNote = !back.settled && stillRolling ? ' (rollback started, still rolling out)' : '';
    const what = rolledBack ? `rolled back to ${shortArn(plan.previousTaskDefinitionArn)}${back.action === 'already' ? ' (it was already PRIMARY again)' : ''}${settledNote}` : back.reason;
    return failed(watch?.byCircuitBreaker && back.action === 'already' ? failure : `${failure}; ${what}`, { status: rolledBack ? 'rolled-back' : failedStatus, rollback: back });
  }
}

/** The latest ACTIVE revision of a family, normalised; undefined when the family has none. */
async function latestRevision(ctx: EcsContext, family: string): Promise<{ arn: string; definition: TaskDefinitionInput } | undefined> {
  if (!family) return undefined;
  try {
    const answer = await aws('ecs:DescribeTaskDefinition', ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family })));
    const found = answer.taskDefinition;
    if (!found?.taskDefinitionArn || found.status !== 'ACTIVE') return undefined;
    return { arn: found.taskDefinitionArn, definition: normalizeTaskDefinition(found) };
  } catch (error) {
    // A new family (template file) has no revision yet.
    if (error instanceof AwsCallError && (error.code === 'ClientException' || error.code === 'InvalidParameterException')) return undefined;
    throw error;
  }
}

/**
 * ecs-deploy glue: inputs -> packages/ecs deploy() -> outputs, job summary, one failure line.
 * The post step rolls back when main never finished (the runner killed it mid-rollout).
 */
import { ActionError, actionsLogger, errorMessage, stateStore, readInputs, setOutputs, stopwatch, systemClock, writeSummary, type ActionContext } from '../../packages/action-kit';
import { arnResource, awsRegion, createEcrClient, createEcsClient, shortArn } from '../../packages/aws';
import {
  deploy as deployService,
  summarizeStoppedTasks,
  parseImage,
  renderDeploySummary,
  rollback,
  type DeployResult,
  type EcsContext,
  type RolloutStarted,
} from '../../packages/ecs';
import { readDeployInputs, type Settings } from './inputs';
import { Input, Output, State } from './names';

const log = actionsLogger();

/** Inputs -> checks -> the engine -> outputs, changes, summary; one failure line when the rollout did not win. */
export async function deploy(context: ActionContext): Promise<void> {
  const clock = stopwatch(systemClock);
  const settings = await readDeployInputs(readInputs(), (service, check) => failOnError(service, clock, check));
  if (!settings.image && !settings.revision && !settings.taskDefinition && !settings.forceNewDeployment) {
    log.info(`No 'image' and no 'task-definition' given: the current revision is kept unless something else changed.`);
  }
  const region = awsRegion();
  const ctx = engineContext(settings, region);
  log.info(`Deploying ${settings.image ?? (settings.revision ? `revision ${settings.revision}` : 'the current image')} to ${settings.service} in ${settings.cluster} (${region}); polling every ${settings.intervalMs / 1000}s, timeout ${Math.round(settings.timeoutMs / 60_000)} min.`);
  const result = await deployWithState(ctx, settings, context.signal, clock);
  await report(result, settings, region, clock);
  if (result.status === 'failed' || result.status === 'rolled-back' || result.status === 'timed-out') {
    throw new ActionError(`ECS deploy of ${shortArn(result.taskDefinitionArn)} to ${settings.service} ${result.status}: ${result.reason}.`, { details: failureDetails(result) });
  }
}

/** The clients; an image in another region's ECR is looked up there (same account or cross-account, by registry id). */
function engineContext(settings: Settings, region: string): EcsContext {
  const imageRegion = settings.image ? parseImage(settings.image, Input.Image).ecr?.region : undefined;
  const ecr = createEcrClient({ maxAttempts: settings.maxAttempts, region: imageRegion ?? region });
  return { ecs: createEcsClient({ maxAttempts: settings.maxAttempts, region }), ecr, clock: systemClock, log };
}

/** The engine, saving for the post step what to roll back if this process is killed before it finishes. */
async function deployWithState(ctx: EcsContext, settings: Settings, signal: AbortSignal, clock: { elapsedSeconds(): number }): Promise<DeployResult> {
  let rollout: RolloutStarted | undefined;
  const state = stateStore(State);
  try {
    return await deployService(ctx, {
      ...settings,
      revisionInput: Input.TaskDefinition,
      signal,
      onRolloutStarted: (started) => {
        rollout = started;
        state.save({
          Cluster: started.cluster,
          Service: started.service,
          PreviousTaskDefinition: started.previousTaskDefinitionArn,
          TaskDefinition: started.taskDefinitionArn,
          DeploymentId: started.deploymentId ?? '',
          Rollback: settings.rollbackOnFailure && settings.wait,
          PollIntervalMs: settings.intervalMs,
        });
      },
    });
  } catch (error) {
    await reportFailureAfterStart(error, settings.service, rollout, clock);
    throw error;
  } finally {
    state.save({ Finished: true });
  }
}

/**
 * Failed after UpdateService (e.g. credentials expired mid-wait): the rollout is under way, so the
 * revisions and the deployment are still outputs, for a later step to roll back or watch.
 */
async function reportFailureAfterStart(error: unknown, service: string, rollout: RolloutStarted | undefined, clock: { elapsedSeconds(): number }): Promise<void> {
  setOutputs({
    ...(rollout
      ? {
          [Output.TaskDefinitionArn]: rollout.taskDefinitionArn,
          [Output.PreviousTaskDefinitionArn]: rollout.previousTaskDefinitionArn,
          [Output.Image]: rollout.image,
          [Output.DeploymentId]: rollout.deploymentId ?? '',
        }
      : {}),
    [Output.Status]: 'failed',
    [Output.DurationSeconds]: clock.elapsedSeconds(),
  });
  const started = rollout
    ? `\n\nThe rollout had started: ${shortArn(rollout.previousTaskDefinitionArn)} -> ${shortArn(rollout.taskDefinitionArn)}, deployment \`${rollout.deploymentId ?? 'unknown'}\`; it was not rolled back. Outputs \`previous-task-definition-arn\` and \`deployment-id\` are set for a rollback step.`
    : '';
  await writeSummary(`## ❌ ECS deploy ${service}: \`failed\`\n\n${errorMessage(error)}${started}\n`);
}

async function report(result: DeployResult, settings: Settings, region: string, clock: { elapsedSeconds(): number }): Promise<void> {
  setOutputs({
    [Output.TaskDefinitionArn]: result.taskDefinitionArn,
    [Output.PreviousTaskDefinitionArn]: result.previousTaskDefinitionArn,
    [Output.Image]: result.image,
    [Output.DeploymentId]: result.deploymentId ?? '',
    [Output.Status]: result.status,
    [Output.DurationSeconds]: clock.elapsedSeconds(),
  });
  await log.group('Task definition changes', async () => {
    if (result.changes.length === 0) log.info('none');
    for (const change of result.changes) log.info(`${change.scope} ${change.field}: ${change.before} -> ${change.after}`);
  });
  await writeSummary(`${renderDeploySummary(`ECS deploy ${settings.service}`, result)}\n[Service in the ECS console](${consoleUrl(region, settings.cluster, settings.service)})\n`);
  log.info(`Result: ${result.status}: ${result.reason}`);
}

/** Runs `check`; when it throws, sets status `failed`, writes the summary and rethrows. */
async function failOnError<T>(service: string, clock: { elapsedSeconds(): number }, check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    setOutputs({ [Output.Status]: 'failed', [Output.DurationSeconds]: clock.elapsedSeconds() });
    await writeSummary(`## ❌ ECS deploy ${service}: \`failed\`\n\n${errorMessage(error)}\n`);
    throw error;
  }
}

/** The service's deployments page in the ECS console (names, not ARNs, in the path). */
function consoleUrl(region: string, cluster: string, service: string): string {
  const name = (value: string) => encodeURIComponent(arnResource(value));
  const host = region.startsWith('cn-') ? 'console.amazonaws.cn' : 'console.aws.amazon.com';
  return `https://${region}.${host}/ecs/v2/clusters/${name(cluster)}/services/${name(service)}/deployments?region=${region}`;
}

function failureDetails(result: DeployResult): string[] {
  const details: string[] = [];
  if (result.stoppedTasks.length) {
    details.push('Stopped tasks of the new revision:');
    details.push(...summarizeStoppedTasks(result.stoppedTasks).map((line) => `  ${line}`));
  }
  const events = result.timeline.entries.filter((e) => e.kind === 'event').slice(-4);
  if (events.length) {
    details.push('Last service events:');
    details.push(...events.map((e) => `  ${e.message}`));
  }
  return details;
}

/** The post step: roll back a rollout main started but never finished watching (it was killed). */
export async function post(_context: ActionContext): Promise<void> {
  const saved = stateStore(State).load();
  const previous = saved.PreviousTaskDefinition;
  if (!previous || saved.Finished) return;
  if (!saved.Rollback) {
    log.warning(`The deploy step did not finish and rollback-on-failure is off: the service may still be rolling out ${shortArn(saved.TaskDefinition)}.`);
    return;
  }
  const cluster = saved.Cluster ?? '';
  const service = saved.Service ?? '';
  log.warning(`The deploy step did not finish (killed or cancelled): rolling ${service} back to ${shortArn(previous)}.`);
  const ctx: EcsContext = { ecs: createEcsClient(), clock: systemClock, log };
  const back = await rollback(ctx, {
    cluster,
    service,
    previousTaskDefinitionArn: previous,
    intervalMs: saved.PollIntervalMs || 5000,
    timeoutMs: 60_000,
  });
  log.info(back.reason);
  await writeSummary(`## ↩️ ECS deploy ${service}: rolled back in the post step\n\n${back.reason}\n`);
}

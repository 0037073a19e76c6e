/**
 * wait-stable glue: inputs -> packages/ecs waitForServices() (+ waitForHealth) -> outputs, job summary.
 */
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { ActionError, actionsLogger, InputError, errorMessage, readInputs, setOutputs, stopwatch, systemClock, writeSummary, type ActionContext } from '../../packages/action-kit';
import { aws, AwsCallError, createEcsClient, createLogsClient, shortArn } from '../../packages/aws';
import { summarizeStoppedTasks, renderVerification, renderWaitSummary, verifyRollout, waitForHealth, waitForServices, type EcsContext, type Verification, type WaitResult } from '../../packages/ecs';
import { Input, Output } from './names';
import { readWaitInputs, type Settings } from './inputs';

const log = actionsLogger();

export async function waitStable(context: ActionContext): Promise<void> {
  const clock = stopwatch(systemClock);
  const settings = readWaitInputs(readInputs());
  const { cluster, services, intervalMs, timeoutMs, healthUrl } = settings;
  const ctx: EcsContext = { ecs: createEcsClient({ maxAttempts: settings.maxAttempts }), clock: systemClock, log };
  const taskDefinitionArn = settings.expected ? await fullTaskDefinitionArn(ctx, settings.expected) : undefined;
  log.info(`Waiting for ${services.join(', ')} in ${cluster}${taskDefinitionArn ? ` to run ${shortArn(taskDefinitionArn)}` : ''}; polling every ${intervalMs / 1000}s, timeout ${Math.round(timeoutMs / 60_000)} min.`);

  let result: WaitResult;
  try {
    result = await waitForServices(ctx, { cluster, services, taskDefinitionArn, intervalMs, timeoutMs, signal: context.signal });
  } catch (error) {
    setOutputs({ [Output.Status]: 'failed', [Output.DurationSeconds]: clock.elapsedSeconds() });
    await writeSummary(`## ❌ ECS wait ${services.join(', ')}: \`failed\`\n\n${errorMessage(error)}\n`);
    throw error;
  }

  const { healthLine, healthError } = result.status === 'stable' && healthUrl ? await checkHealth(healthUrl, intervalMs, settings.healthTimeoutMs, context.signal) : {};
  const verification = result.status === 'stable' && !healthError ? await verify(ctx, settings, result, context.signal) : undefined;
  const status = healthError || verification?.status === 'failed' ? 'failed' : result.status;
  setOutputs({
    [Output.Status]: status,
    [Output.DurationSeconds]: clock.elapsedSeconds(),
    [Output.Services]: result.services.map((s) => ({
      name: s.name,
      status: s.status,
      taskDefinition: s.taskDefinition ?? null,
      running: s.runningCount ?? null,
      desired: s.desiredCount ?? null,
      deploymentId: s.deploymentId ?? null,
      reason: s.reason,
    })),
    [Output.Verification]: verification ?? { status: 'skipped' },
  });
  await writeSummary(renderWaitSummary(`ECS wait ${services.join(', ')}`, { ...result, status }, healthLine) + (verification ? renderVerification(verification) : ''));
  if (healthError) throw healthError;
  if (status !== 'stable' && verification?.status === 'failed') throw new ActionError(`Verification failed: ${verification.failure}.`);
  if (status !== 'stable') throw notStable(result, status);
  log.info(`All ${services.length} service(s) stable${verification?.status === 'passed' ? ' and verified' : ''} after ${clock.elapsedSeconds()}s.`);
}

/** The verify URLs, the log watch and the bake, on the services as the wait left them. */
async function verify(ctx: EcsContext, settings: Settings, result: WaitResult, signal: AbortSignal): Promise<Verification> {
  const { verify: v } = settings;
  const logs = v.pattern ? { client: createLogsClient({ maxAttempts: settings.maxAttempts }), pattern: v.pattern, group: v.group } : undefined;
  const services = result.services.map((s) => ({
    name: s.name,
    deploymentId: s.deploymentId,
    taskDefinitionArn: s.taskDefinition,
    // The rollout's start, at most the longest wait ago (a service stable for weeks is not re-read from then).
    rolloutStartMs: Math.max(s.watch?.deployment?.createdAt?.getTime() ?? systemClock.now(), systemClock.now() - result.elapsedMs - settings.timeoutMs),
  }));
  return verifyRollout(ctx, { cluster: settings.cluster, services, checks: v.checks, bakeMs: v.bakeMs, intervalMs: settings.intervalMs, logs, signal });
}

/** The app's answer after the services are stable: a line for the summary, or the error that fails the step. */
async function checkHealth(url: string, intervalMs: number, timeoutMs: number, signal: AbortSignal): Promise<{ healthLine: string; healthError?: unknown }> {
  try {
    const health = await waitForHealth({ url, clock: systemClock, log, intervalMs, timeoutMs, signal });
    return { healthLine: `Health: \`${url}\` answered ${health.status} after ${health.attempts} attempt(s).` };
  } catch (error) {
    return { healthLine: `Health: ${errorMessage(error)}`, healthError: error };
  }
}

/** The services that failed, each with its reason once; those it interrupted only by name. */
function notStable(result: WaitResult, status: string): ActionError {
  const bad = result.services.filter((s) => s.status !== 'stable' && s.status !== 'in-progress');
  const interrupted = result.services.filter((s) => s.status === 'in-progress').map((s) => s.name);
  const still = interrupted.length ? ` ${interrupted.join(', ')} ${interrupted.length > 1 ? 'were' : 'was'} still rolling out when the wait ended.` : '';
  const details = bad.flatMap((s) => summarizeStoppedTasks(s.stoppedTasks).map((line) => `  ${s.name}: ${line}`));
  return new ActionError(`ECS services not stable (${status}): ${bad.map((s) => `${s.name} ${s.status}: ${s.reason}`).join('; ')}.${still}`, {
    details: details.length ? ['Stopped tasks:', ...details] : [],
  });
}

/** `family:revision` or a full ARN -> the full ARN ECS reports in deployments (read-only call). */
async function fullTaskDefinitionArn(ctx: EcsContext, given: string): Promise<string> {
  if (/^arn:aws[a-z-]*:ecs:[^:]+:\d{12}:task-definition\/[^:]+:\d+$/.test(given)) return given;
  if (!/^[A-Za-z0-9_-]+:\d+$/.test(given)) {
    throw new InputError(Input.TaskDefinition, `is '${given}'`, 'use a task definition ARN or family:revision (e.g. the task-definition-arn output of ecs-deploy)');
  }
  try {
    const answer = await aws('ecs:DescribeTaskDefinition', ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: given })));
    return answer.taskDefinition?.taskDefinitionArn ?? given;
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'ClientException') throw new InputError(Input.TaskDefinition, `is '${given}', which does not exist`, 'use an existing task definition revision');
    throw error;
  }
}

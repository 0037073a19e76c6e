/**
 * run-migration: glue between the runner and the one-off task engine in packages/ecs. Inputs are
 * validated, the plan is resolved with read-only calls, the task runs, outputs and the summary are
 * written, and a failed outcome fails the step. The post step stops a task main could not see to its
 * end (job cancelled or timed out before main's own handler ran).
 */
import * as core from '@actions/core';
import {
  group,
  info,
  progress,
  readInputs,
  setOutputs,
  stopwatch,
  systemClock,
  warning,
  writeSummary,
  type ActionContext,
} from '../../packages/action-kit';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awsRegion, createEcsClient, createLogsClient } from '../../packages/aws';
import { describePlacement, formatTaskCommand, planRunTask, resultError, runTask, stopIfRunning, type RunTaskLog } from '../../packages/ecs';
import { readMigrationInputs } from './inputs';
import { State } from './state';
import { renderErrorSummary, renderSummary } from './summary';

const log: RunTaskLog = {
  info: (message) => info(message),
  warning: (message) => warning(message),
  progress: (elapsedMs, message) => progress(elapsedMs, message),
  // The prefix also keeps container output from being read as workflow commands (`::set-env`,
  // `::add-mask`, `::error`): the runner only parses lines that start with `::`.
  line: (text) => info(`| ${text}`),
};

export async function runMigration({ signal }: ActionContext): Promise<void> {
  const step = stopwatch();
  const inputs = readMigrationInputs(readInputs());
  const region = awsRegion();
  const ecs = createEcsClient({ maxAttempts: inputs.maxAttempts, region });

  const plan = await group('Resolve the task definition, container and network', async () => {
    const resolved = await planRunTask(ecs, inputs.request);
    info(`Task definition: ${resolved.taskDefinitionArn}`);
    info(`Container: ${resolved.container.name} (of ${resolved.containerNames.join(', ')})`);
    info(`Where: ${describePlacement(resolved.placement)}`);
    return resolved;
  });
  info(`Running \`${formatTaskCommand(plan.command)}\` in ${plan.container.name} of ${plan.taskDefinitionName} on ${plan.cluster}.`);

  // Logs are read in the region the container's awslogs options name, which may differ.
  const logsClients = new Map<string, CloudWatchLogsClient>();
  let startedArn: string | undefined;
  const result = await runTask(
    { plan, startedBy: inputs.startedBy, timeoutMs: inputs.timeoutMs, intervalMs: inputs.intervalMs, stopOnCancel: inputs.stopOnCancel, logs: inputs.logs },
    {
      ecs,
      region,
      logsFor: (region) => {
        const client = logsClients.get(region) ?? createLogsClient({ maxAttempts: inputs.maxAttempts, region });
        logsClients.set(region, client);
        return client;
      },
      clock: systemClock,
      log,
      signal,
      onStarted: (task) => {
        // Written at once (appendFileSync), so the post step finds the task even if main is killed.
        core.saveState(State.TaskArn, task.taskArn);
        core.saveState(State.Cluster, plan.cluster);
        startedArn = task.taskArn;
      },
    },
  ).catch(async (error: unknown) => {
    // Failed after the start (e.g. DescribeTasks denied): still say which task, and where it ran.
    if (startedArn) {
      setOutputs({ 'task-arn': startedArn, 'duration-seconds': step.elapsedSeconds() });
      await writeSummary(renderErrorSummary(plan, startedArn, error));
    }
    throw error;
  });
  if (result.task?.lastStatus === 'STOPPED') core.saveState(State.Finished, 'true');

  setOutputs({
    'task-arn': result.taskArn,
    'exit-code': result.exitCode,
    'stop-code': result.stopCode,
    'stopped-reason': result.stoppedReason,
    'duration-seconds': step.elapsedSeconds(),
    'logs-url': result.logs?.url,
  });
  await writeSummary(renderSummary(plan, result));
  const error = resultError(result);
  if (error) throw error;
  info(`Migration succeeded in ${Math.round(result.durationMs / 1000)} s (exit code 0).`);
}

/** The post step: stop the task when main did not see it stopped and stop-on-cancel allows it. */
export async function stopUnfinishedMigration(_context: ActionContext): Promise<void> {
  const taskArn = core.getState(State.TaskArn);
  const cluster = core.getState(State.Cluster);
  if (!taskArn || !cluster || core.getState(State.Finished) === 'true') return;
  const inputs = readInputs();
  if (!inputs.boolean('stop-on-cancel', true)) {
    warning(`Task ${taskArn} may still be running: main did not finish and stop-on-cancel is false.`);
    return;
  }
  const ecs = createEcsClient({ maxAttempts: inputs.integer('max-attempts', 10, { min: 1, max: 50 }) });
  const { outcome, task } = await stopIfRunning(ecs, cluster, taskArn, 'run-migration post step: the job ended before the migration finished', {
    clock: systemClock,
    intervalMs: 1000,
    timeoutMs: 30_000,
  });
  const state = task?.lastStatus ?? 'unknown';
  if (outcome === 'stopped') warning(`Stopped task ${taskArn}: the job ended before the migration finished (now ${state}).`);
  else if (outcome === 'stop-requested') warning(`Asked ECS to stop task ${taskArn} without seeing its state (ecs:DescribeTasks was denied).`);
  else info(`Task ${taskArn}: ${outcome} (${state}); nothing to stop.`);
}

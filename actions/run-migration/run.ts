/**
 * run-migration: glue between the runner and the one-off task engine in packages/ecs. Inputs are
 * validated, the plan is resolved with read-only calls, the task runs, outputs and the summary are
 * written, and a failed outcome fails the step. The post step stops a task main could not see to its
 * end (job cancelled or timed out before main's own handler ran).
 */
import {
  actionsLogger,
  readInputs,
  setOutputs,
  stateStore,
  stopwatch,
  systemClock,
  writeSummary,
  type ActionContext,
} from '../../packages/action-kit';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awsRegion, createEcsClient, createLogsClient } from '../../packages/aws';
import { describePlacement, formatTaskCommand, planRunTask, resultError, runTask, stopIfRunning } from '../../packages/ecs';
import { readMigrationInputs, readStopInputs } from './inputs';
import { Output, State } from './names';
import { renderErrorSummary, renderSummary } from './summary';

const log = actionsLogger();

export async function runMigration({ signal }: ActionContext): Promise<void> {
  const step = stopwatch();
  const inputs = readMigrationInputs(readInputs());
  const region = awsRegion();
  const ecs = createEcsClient({ maxAttempts: inputs.maxAttempts, region });

  const plan = await log.group('Resolve the task definition, container and network', async () => {
    const resolved = await planRunTask(ecs, inputs.request);
    log.info(`Task definition: ${resolved.taskDefinitionArn}`);
    log.info(`Container: ${resolved.container.name} (of ${resolved.containerNames.join(', ')})`);
    log.info(`Where: ${describePlacement(resolved.placement)}`);
    return resolved;
  });
  log.info(`Running \`${formatTaskCommand(plan.command)}\` in ${plan.container.name} of ${plan.taskDefinitionName} on ${plan.cluster}.`);

  let startedArn: string | undefined;
  const state = stateStore(State);
  const result = await runTask(
    { ecs, region, logsFor: logsClients(inputs.maxAttempts), clock: systemClock, log, signal },
    {
      plan,
      startedBy: inputs.startedBy,
      timeoutMs: inputs.timeoutMs,
      intervalMs: inputs.intervalMs,
      stopOnCancel: inputs.stopOnCancel,
      logs: inputs.logs,
      onStarted: (task) => {
        // Written at once (appendFileSync), so the post step finds the task even if main is killed.
        state.save({ TaskArn: task.taskArn, Cluster: plan.cluster });
        startedArn = task.taskArn;
      },
    },
  ).catch(async (error: unknown) => {
    // Failed after the start (e.g. DescribeTasks denied): still say which task, and where it ran.
    if (startedArn) {
      setOutputs({ [Output.TaskArn]: startedArn, [Output.DurationSeconds]: step.elapsedSeconds() });
      await writeSummary(renderErrorSummary(plan, startedArn, error));
    }
    throw error;
  });
  if (result.task?.lastStatus === 'STOPPED') state.save({ Finished: true });

  setOutputs({
    [Output.TaskArn]: result.taskArn,
    [Output.ExitCode]: result.exitCode,
    [Output.StopCode]: result.stopCode,
    [Output.StoppedReason]: result.stoppedReason,
    [Output.DurationSeconds]: step.elapsedSeconds(),
    [Output.LogsUrl]: result.logs?.url,
  });
  await writeSummary(renderSummary(plan, result));
  const error = resultError(result);
  if (error) throw error;
  log.info(`Migration succeeded in ${Math.round(result.durationMs / 1000)} s (exit code 0).`);
}

/** Logs are read in the region the container's awslogs options name, which may differ: one client per region. */
function logsClients(maxAttempts: number): (region: string) => CloudWatchLogsClient {
  const clients = new Map<string, CloudWatchLogsClient>();
  return (region) => {
    const client = clients.get(region) ?? createLogsClient({ maxAttempts, region });
    clients.set(region, client);
    return client;
  };
}

/** The post step: stop the task when main did not see it stopped and stop-on-cancel allows it. */
export async function stopUnfinishedMigration(_context: ActionContext): Promise<void> {
  const { TaskArn: taskArn, Cluster: cluster, Finished: finished } = stateStore(State).load();
  if (!taskArn || !cluster || finished) return;
  const inputs = readStopInputs(readInputs());
  if (!inputs.stopOnCancel) {
    log.warning(`Task ${taskArn} may still be running: main did not finish and stop-on-cancel is false.`);
    return;
  }
  const ecs = createEcsClient({ maxAttempts: inputs.maxAttempts });
  const { outcome, task } = await stopIfRunning(
    { ecs, clock: systemClock },
    { cluster, taskArn, reason: 'run-migration post step: the job ended before the migration finished', intervalMs: 1000, timeoutMs: 30_000 },
  );
  const state = task?.lastStatus ?? 'unknown';
  if (outcome === 'stopped') log.warning(`Stopped task ${taskArn}: the job ended before the migration finished (now ${state}).`);
  else if (outcome === 'stop-requested') log.warning(`Asked ECS to stop task ${taskArn} without seeing its state (ecs:DescribeTasks was denied).`);
  else log.info(`Task ${taskArn}: ${outcome} (${state}); nothing to stop.`);
}

/**
 * The one-off task runner (run-migration's engine): RunTask, follow the task to STOPPED while its
 * logs stream, drain the logs, and decide from the named container. It never leaves a task running
 * behind it: on timeout, on cancellation and on any error after the start it asks ECS to stop the
 * task and waits briefly for STOPPED.
 *
 * Everything that varies is injected (clients, clock, log sink, abort signal), so the same code runs
 * in the bundle on the system clock and in tests on a VirtualClock against the simulator.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { type Clock, stopwatch, PollTimeoutError, errorMessage } from '../action-kit';
import { arnResource } from '../aws';
import { logStreamTarget, type LogStreamTarget } from './log-stream';
import { LogTail } from './log-tail';
import type { RunTaskPlan } from './run-task-plan';
import { classifyStoppedTask, type RunTaskResult } from './run-task-result';
import { startTask } from './run-task-start';
import { stopTask, waitForStopped } from './run-task-stop';
import { watchTask } from './run-task-watch';

/** How long a quiet task goes without a progress line (one heartbeat a minute). */
const HEARTBEAT_MS = 60_000;

/** Where the runner's messages go (the job log in the bundle, an array in tests). */
export interface RunTaskLog {
  info(message: string): void;
  warning(message: string): void;
  /** A progress line with the time since RunTask. */
  progress(elapsedMs: number, message: string): void;
  /** One line of the container's output. */
  line(text: string): void;
}

export interface RunTaskDeps {
  ecs: ECSClient;
  /** The Logs client for a region (the awslogs region may differ from the ECS region). */
  logsFor(region: string): CloudWatchLogsClient;
  region: string;
  clock: Clock;
  log: RunTaskLog;
  /** Aborts when the job is cancelled. */
  signal?: AbortSignal;
  /** Called as soon as RunTask returns, before any wait (the action saves state for its post step). */
  onStarted?(task: Task): void;
}

export interface RunTaskOptions {
  plan: RunTaskPlan;
  startedBy: string;
  timeoutMs: number;
  intervalMs: number;
  /** Stop the task when the job is cancelled (default true). */
  stopOnCancel?: boolean;
  /** Stream the container's logs (default true). */
  logs?: boolean;
  clientToken?: string;
  /** How long DescribeTasks may not know the task yet (default 30 s). */
  missingGraceMs?: number;
  /** How long to wait for STOPPED after StopTask on timeout or error (default 60 s). */
  stopWaitMs?: number;
  /** The same on cancellation, shorter: the runner kills the step about 10 s after cancelling (default 5 s). */
  cancelStopWaitMs?: number;
  /** How long to wait for a log stream that is not there yet once the container ran (default 10 s). */
  streamWaitMs?: number;
}

export async function runTask(options: RunTaskOptions, deps: RunTaskDeps): Promise<RunTaskResult> {
  const { plan } = options;
  const { ecs, clock, log, signal } = deps;
  const containerName = plan.container.name ?? '';
  const stopOnCancel = options.stopOnCancel ?? true;
  const stopWaitMs = options.stopWaitMs ?? 60_000;
  const cancelStopWaitMs = options.cancelStopWaitMs ?? 5_000;

  // Cancelled before anything started: nothing to stop.
  if (signal?.aborted) throw signal.reason;

  const watch = stopwatch(clock);
  // Deliberately not cancellable: aborting RunTask in flight could start a task whose ARN we never see.
  const started = await startTask(ecs, plan, { startedBy: options.startedBy, clientToken: options.clientToken });
  const taskArn = started.taskArn as string;
  deps.onStarted?.(started);
  log.progress(watch.elapsedMs(), `Started task ${arnResource(taskArn)} (${plan.taskDefinitionName}, container ${containerName}).`);

  const { tail, target } = openLogs(options.logs ?? true, plan, taskArn, deps);
  const drain = async (containerRan: boolean) => {
    if (!tail) return;
    const before = clock.now();
    await tail.drain({ clock, waitForStreamMs: containerRan ? (options.streamWaitMs ?? 10_000) : 0, intervalMs: 1000 });
    log.info(`Drained the log stream in ${clock.now() - before} ms (${tail.lineCount} line(s) in all).`);
    if (tail.groupMissing && target) log.warning(missingGroupWarning(target, containerName));
  };
  // No link to a group that does not exist.
  const logsTarget = () => (tail?.groupMissing ? undefined : target);
  const result = (task: Task | undefined, extra: Partial<RunTaskResult>): RunTaskResult => ({
    outcome: 'never-ran',
    taskArn,
    container: containerName,
    task,
    ...(task?.lastStatus === 'STOPPED' ? classifyStoppedTask(task, containerName) : describeRunning(task, containerName)),
    ...extra,
    durationMs: watch.elapsedMs(),
    logs: logsTarget(),
    lastLines: tail?.lastLines ?? [],
  });

  // A quiet migration still shows it is alive: one progress line a minute without status changes.
  let lastProgressAt = clock.now();
  const heartbeat = (task: Task) => {
    if (clock.now() - lastProgressAt < HEARTBEAT_MS) return;
    lastProgressAt = clock.now();
    log.progress(watch.elapsedMs(), `Task ${arnResource(taskArn)} still ${task.lastStatus}${tail ? ` (${tail.lineCount} log line(s) so far)` : ''}`);
  };

  let stopped: Task;
  try {
    stopped = await watchTask({
      ecs,
      cluster: plan.cluster,
      taskArn,
      clock,
      intervalMs: options.intervalMs,
      timeoutMs: options.timeoutMs,
      signal,
      missingGraceMs: options.missingGraceMs ?? 30_000,
      container: containerName,
      onStatus: (task, previous) => {
        lastProgressAt = clock.now();
        log.progress(watch.elapsedMs(), `Task ${arnResource(taskArn)}: ${previous ? `${previous} -> ` : ''}${task.lastStatus}`);
      },
      onTick: async (task) => {
        await tail?.poll();
        heartbeat(task);
      },
    });
  } catch (error) {
    const cancelled = signal?.aborted === true && error === signal.reason;
    const timedOut = error instanceof PollTimeoutError;
    if (cancelled && !stopOnCancel) {
      log.warning(`The job was cancelled; task ${taskArn} is left running because stop-on-cancel is false.`);
      throw error;
    }
    const why = timedOut
      ? `run-migration timed out after ${formatMinutes(options.timeoutMs)}`
      : cancelled
        ? `run-migration was cancelled (${errorMessage(error)})`
        : `run-migration failed while watching the task`;
    const last = await stopAndWait(deps, plan.cluster, taskArn, why, cancelled ? cancelStopWaitMs : stopWaitMs, options.intervalMs);
    if (!timedOut && !cancelled) {
      await drain(false);
      throw error;
    }
    await drain(false);
    return result(last, { outcome: timedOut ? 'timed-out' : 'cancelled', stopRequest: why });
  }

  if (stopped.lastStatus !== 'STOPPED') {
    // The named container is not essential: it exited and the task runs on. Its exit code is the
    // outcome; the rest of the task (the app it was started next to) is stopped, not waited for.
    const exited = classifyStoppedTask(stopped, containerName);
    const why = `container ${containerName} exited with code ${exited.exitCode}; the rest of the task is stopped`;
    log.progress(watch.elapsedMs(), `Container ${containerName} of task ${arnResource(taskArn)} exited with code ${exited.exitCode} while the task is still ${stopped.lastStatus} (it is not essential).`);
    const last = await stopAndWait(deps, plan.cluster, taskArn, why, stopWaitMs, options.intervalMs);
    await drain(true);
    const final = last ?? stopped;
    return result(final, { outcome: exited.outcome, exitCode: exited.exitCode, containerReason: exited.containerReason, stopCode: final.stopCode, stoppedReason: final.stoppedReason, stopRequest: why });
  }

  const classified = classifyStoppedTask(stopped, containerName);
  await drain(classified.exitCode !== undefined);
  log.progress(watch.elapsedMs(), `Task ${arnResource(taskArn)} stopped: ${describeStop(classified)}`);
  return result(stopped, classified);
}

function openLogs(enabled: boolean, plan: RunTaskPlan, taskArn: string, deps: RunTaskDeps): { tail?: LogTail; target?: LogStreamTarget } {
  const found = logStreamTarget(plan.container, taskArn, deps.region);
  if ('reason' in found) {
    if (enabled) deps.log.warning(`The task's logs cannot be streamed: ${found.reason}.`);
    return {};
  }
  if (!enabled) return { target: found.target };
  deps.log.info(`Logs: ${found.target.group} ${found.target.stream} (${found.target.url})`);
  const tail = new LogTail({
    logs: deps.logsFor(found.target.region),
    group: found.target.group,
    stream: found.target.stream,
    onLine: (line) => deps.log.line(line),
    onWarning: (message) => deps.log.warning(message),
  });
  return { tail, target: found.target };
}

/** Best effort: the original error or outcome matters more than a failed StopTask, which is logged. */
async function stopAndWait(deps: RunTaskDeps, cluster: string, taskArn: string, reason: string, waitMs: number, intervalMs: number): Promise<Task | undefined> {
  deps.log.warning(`Stopping task ${arnResource(taskArn)}: ${reason}.`);
  try {
    await stopTask(deps.ecs, cluster, taskArn, reason);
  } catch (error) {
    deps.log.warning(`Could not stop task ${taskArn}: ${errorMessage(error)}`);
    return undefined;
  }
  try {
    return await waitForStopped(deps.ecs, cluster, taskArn, { clock: deps.clock, intervalMs: Math.min(intervalMs, 1000), timeoutMs: waitMs });
  } catch (error) {
    deps.log.warning(`ECS was asked to stop task ${taskArn}, but whether it stopped is unknown: ${errorMessage(error)}`);
    return undefined;
  }
}

function missingGroupWarning(target: LogStreamTarget, container: string): string {
  return (
    `Log group '${target.group}' does not exist in ${target.region}, so the output of container ${container} is not kept (and ECS cannot start a task that logs to it). ` +
    `Create the group (aws logs create-log-group --log-group-name ${target.group} --region ${target.region}, or an aws_cloudwatch_log_group in Terraform), ` +
    `or set "awslogs-create-group": "true" in the container's logConfiguration options (the execution role then needs logs:CreateLogGroup).`
  );
}

function describeRunning(task: Task | undefined, containerName: string): Partial<RunTaskResult> {
  const container = task?.containers?.find((c) => c.name === containerName);
  return { exitCode: container?.exitCode ?? undefined, stopCode: task?.stopCode, stoppedReason: task?.stoppedReason, containerReason: container?.reason };
}

function describeStop(result: Pick<RunTaskResult, 'exitCode' | 'stopCode' | 'stoppedReason'>): string {
  const parts = [result.exitCode !== undefined ? `exit code ${result.exitCode}` : 'no exit code', result.stopCode, result.stoppedReason];
  return parts.filter(Boolean).join(', ');
}

function formatMinutes(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute(s)` : `${Math.round(ms / 1000)} s`;
}

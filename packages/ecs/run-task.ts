/**
 * The one-off task runner (run-migration's engine): RunTask, follow the task to STOPPED while its
 * logs stream, drain the logs, and decide from the named container. It never leaves a task running
 * behind it: on timeout, on cancellation and on any error after the start it asks ECS to stop the
 * task and waits briefly for STOPPED.
 *
 * Everything that varies comes in the context (clients, clock, Logger, abort signal), so the same code
 * runs in the bundle on the system clock and in tests on a VirtualClock against the simulator.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Task } from '@aws-sdk/client-ecs';
import { errorMessage, PollTimeoutError, stopwatch } from '../action-kit';
import { arnResource } from '../aws';
import { progressLine, type EcsContext } from './context';
import { logStreamTarget, type LogStreamTarget } from './log-stream';
import { LogTail } from './log-tail';
import type { RunTaskPlan } from './run-task-plan';
import { classifyStoppedTask, type RunTaskResult } from './run-task-result';
import { startTask } from './run-task-start';
import { stopTask, waitForStopped } from './run-task-stop';
import { watchTask } from './run-task-watch';

/** How long a quiet task goes without a progress line (one heartbeat a minute). */
const HEARTBEAT_MS = 60_000;

/** The engine context of a one-off task: the ECS context plus the Logs clients (the awslogs region may differ from the ECS region). */
export interface RunTaskContext extends EcsContext {
  logsFor(region: string): CloudWatchLogsClient;
  region: string;
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
  /** Called as soon as RunTask returns, before any wait (the action saves state for its post step). */
  onStarted?(task: Task): void;
}

/** One started task as the steps below share it. */
interface Run {
  taskArn: string;
  container: string;
  watch: ReturnType<typeof stopwatch>;
  tail?: LogTail;
  target?: LogStreamTarget;
  lastProgressAt: number;
}

/** One line of the container's output. The prefix also keeps it from being read as a workflow command (`::set-env`, `::error`). */
function containerLine(text: string): string {
  return `| ${text}`;
}

export async function runTask(ctx: RunTaskContext, options: RunTaskOptions): Promise<RunTaskResult> {
  // Cancelled before anything started: nothing to stop.
  if (ctx.signal?.aborted) throw ctx.signal.reason;
  const run = await start(ctx, options);
  let stopped: Task;
  try {
    stopped = await follow(ctx, options, run);
  } catch (error) {
    return stopAfterInterruption(ctx, options, run, error);
  }
  if (stopped.lastStatus !== 'STOPPED') return stopTheRest(ctx, options, run, stopped);
  const classified = classifyStoppedTask(stopped, run.container);
  await drain(ctx, options, run, classified.exitCode !== undefined);
  progress(ctx, run, `Task ${arnResource(run.taskArn)} stopped: ${describeStop(classified)}`);
  return result(run, stopped, classified);
}

/** RunTask, then the log stream opened. Deliberately not cancellable: aborting RunTask in flight could start a task whose ARN we never see. */
async function start(ctx: RunTaskContext, options: RunTaskOptions): Promise<Run> {
  const { plan } = options;
  const watch = stopwatch(ctx.clock);
  const started = await startTask(ctx.ecs, plan, { startedBy: options.startedBy, clientToken: options.clientToken });
  const taskArn = started.taskArn as string;
  options.onStarted?.(started);
  const run: Run = { taskArn, container: plan.container.name ?? '', watch, lastProgressAt: ctx.clock.now() };
  progress(ctx, run, `Started task ${arnResource(taskArn)} (${plan.taskDefinitionName}, container ${run.container}).`);
  return { ...run, ...openLogs(ctx, options.logs ?? true, plan, taskArn) };
}

/** Polls the task to STOPPED (or its container's exit) while the logs stream; a quiet task still gets a line a minute. */
function follow(ctx: RunTaskContext, options: RunTaskOptions, run: Run): Promise<Task> {
  const { clock } = ctx;
  return watchTask({
    ecs: ctx.ecs,
    cluster: options.plan.cluster,
    taskArn: run.taskArn,
    clock,
    intervalMs: options.intervalMs,
    timeoutMs: options.timeoutMs,
    signal: ctx.signal,
    missingGraceMs: options.missingGraceMs ?? 30_000,
    container: run.container,
    onStatus: (task, previous) => {
      run.lastProgressAt = clock.now();
      progress(ctx, run, `Task ${arnResource(run.taskArn)}: ${previous ? `${previous} -> ` : ''}${task.lastStatus}`);
    },
    onTick: async (task) => {
      await run.tail?.poll();
      if (clock.now() - run.lastProgressAt < HEARTBEAT_MS) return;
      run.lastProgressAt = clock.now();
      progress(ctx, run, `Task ${arnResource(run.taskArn)} still ${task.lastStatus}${run.tail ? ` (${run.tail.lineCount} log line(s) so far)` : ''}`);
    },
  });
}

/** Timeout, cancellation or an error while watching: the task is stopped (unless stop-on-cancel is off) and the outcome says why. */
async function stopAfterInterruption(ctx: RunTaskContext, options: RunTaskOptions, run: Run, error: unknown): Promise<RunTaskResult> {
  const cancelled = ctx.signal?.aborted === true && error === ctx.signal.reason;
  const timedOut = error instanceof PollTimeoutError;
  if (cancelled && !(options.stopOnCancel ?? true)) {
    ctx.log.warning(`The job was cancelled; task ${run.taskArn} is left running because stop-on-cancel is false.`);
    throw error;
  }
  const why = timedOut
    ? `run-migration timed out after ${formatMinutes(options.timeoutMs)}`
    : cancelled
      ? `run-migration was cancelled (${errorMessage(error)})`
      : `run-migration failed while watching the task`;
  const waitMs = cancelled ? (options.cancelStopWaitMs ?? 5_000) : (options.stopWaitMs ?? 60_000);
  const last = await stopAndWait(ctx, options, run, why, waitMs);
  await drain(ctx, options, run, false);
  if (!timedOut && !cancelled) throw error;
  return result(run, last, { outcome: timedOut ? 'timed-out' : 'cancelled', stopRequest: why });
}

/**
 * The named container is not essential: it exited and the task runs on. Its exit code is the outcome;
 * the rest of the task (the app it was started next to) is stopped, not waited for.
 */
async function stopTheRest(ctx: RunTaskContext, options: RunTaskOptions, run: Run, stopped: Task): Promise<RunTaskResult> {
  const exited = classifyStoppedTask(stopped, run.container);
  const why = `container ${run.container} exited with code ${exited.exitCode}; the rest of the task is stopped`;
  progress(ctx, run, `Container ${run.container} of task ${arnResource(run.taskArn)} exited with code ${exited.exitCode} while the task is still ${stopped.lastStatus} (it is not essential).`);
  const last = await stopAndWait(ctx, options, run, why, options.stopWaitMs ?? 60_000);
  await drain(ctx, options, run, true);
  const final = last ?? stopped;
  return result(run, final, { outcome: exited.outcome, exitCode: exited.exitCode, containerReason: exited.containerReason, stopCode: final.stopCode, stoppedReason: final.stoppedReason, stopRequest: why });
}

/** The one place a result is built: the task's facts, what the step adds, the logs it read. */
function result(run: Run, task: Task | undefined, extra: Partial<RunTaskResult>): RunTaskResult {
  return {
    outcome: 'never-ran',
    taskArn: run.taskArn,
    container: run.container,
    task,
    ...(task?.lastStatus === 'STOPPED' ? classifyStoppedTask(task, run.container) : describeRunning(task, run.container)),
    ...extra,
    durationMs: run.watch.elapsedMs(),
    // No link to a group that does not exist.
    logs: run.tail?.groupMissing ? undefined : run.target,
    lastLines: run.tail?.lastLines ?? [],
  };
}

function progress(ctx: RunTaskContext, run: Run, message: string): void {
  ctx.log.info(progressLine(run.watch.elapsedMs(), message));
}

/** Reads the rest of the stream; waits for a stream that is not there yet only when the container ran. */
async function drain(ctx: RunTaskContext, options: RunTaskOptions, run: Run, containerRan: boolean): Promise<void> {
  if (!run.tail) return;
  const before = ctx.clock.now();
  await run.tail.drain({ clock: ctx.clock, waitForStreamMs: containerRan ? (options.streamWaitMs ?? 10_000) : 0, intervalMs: 1000 });
  ctx.log.info(`Drained the log stream in ${ctx.clock.now() - before} ms (${run.tail.lineCount} line(s) in all).`);
  if (run.tail.groupMissing && run.target) ctx.log.warning(missingGroupWarning(run.target, run.container));
}

function openLogs(ctx: RunTaskContext, enabled: boolean, plan: RunTaskPlan, taskArn: string): { tail?: LogTail; target?: LogStreamTarget } {
  const found = logStreamTarget(plan.container, taskArn, ctx.region);
  if ('reason' in found) {
    if (enabled) ctx.log.warning(`The task's logs cannot be streamed: ${found.reason}.`);
    return {};
  }
  if (!enabled) return { target: found.target };
  ctx.log.info(`Logs: ${found.target.group} ${found.target.stream} (${found.target.url})`);
  const tail = new LogTail({
    logs: ctx.logsFor(found.target.region),
    group: found.target.group,
    stream: found.target.stream,
    onLine: (line) => ctx.log.info(containerLine(line)),
    onWarning: (message) => ctx.log.warning(message),
  });
  return { tail, target: found.target };
}

/** Best effort: the original error or outcome matters more than a failed StopTask, which is logged. */
async function stopAndWait(ctx: RunTaskContext, options: RunTaskOptions, run: Run, reason: string, waitMs: number): Promise<Task | undefined> {
  const { taskArn } = run;
  const cluster = options.plan.cluster;
  ctx.log.warning(`Stopping task ${arnResource(taskArn)}: ${reason}.`);
  try {
    await stopTask(ctx, { cluster, taskArn, reason });
  } catch (error) {
    ctx.log.warning(`Could not stop task ${taskArn}: ${errorMessage(error)}`);
    return undefined;
  }
  try {
    return await waitForStopped(ctx, { cluster, taskArn, intervalMs: Math.min(options.intervalMs, 1000), timeoutMs: waitMs });
  } catch (error) {
    ctx.log.warning(`ECS was asked to stop task ${taskArn}, but whether it stopped is unknown: ${errorMessage(error)}`);
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

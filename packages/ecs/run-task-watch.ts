/**
 * The poll loop that follows a one-off task to STOPPED (no SDK waiter: `tasksStopped` turns an
 * AccessDenied into "waiter timed out" and gives up on a task ECS briefly reports MISSING).
 *
 * - Right after RunTask, DescribeTasks may not know the task yet (eventual consistency): MISSING is
 *   tolerated for a grace period, then it is an error.
 * - Any status may be skipped between two polls: a task that fails to pull its image goes
 *   PENDING -> STOPPED, a quick command PROVISIONING -> STOPPED. STOPPED ends the loop, and so does
 *   the named `container` stopping with an exit code: a non-essential container that exits leaves
 *   the task RUNNING (its essential containers go on), and the caller stops the rest.
 * - Errors (AccessDenied, expired credentials) propagate at once; the deadline is a PollTimeoutError
 *   and cancellation the signal's reason, so the caller can stop the task.
 */
import { DescribeTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { type Clock, ActionError, pollUntil } from '../action-kit';
import { aws } from '../aws';

export interface WatchTaskOptions {
  ecs: ECSClient;
  cluster: string;
  taskArn: string;
  clock: Clock;
  intervalMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The container whose exit ends the watch even when the task goes on running (it is not essential). */
  container?: string;
  /** How long DescribeTasks may report the task MISSING before that is an error. */
  missingGraceMs: number;
  /** Called when the task's lastStatus changes (the first time too). */
  onStatus?(task: Task, previous: string | undefined): void;
  /** Called after each poll of a task that has not stopped yet (e.g. to read new log lines). */
  onTick?(task: Task): Promise<void>;
}

/** Resolves with the STOPPED task, or the task as it was when the named container exited. */
export async function watchTask(options: WatchTaskOptions): Promise<Task> {
  const { ecs, cluster, taskArn, clock } = options;
  const started = clock.now();
  let status: string | undefined;

  return pollUntil<Task>({ clock, intervalMs: options.intervalMs, timeoutMs: options.timeoutMs, signal: options.signal }, async () => {
    const response = await aws('ecs:DescribeTasks', ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] })));
    const task: Task | undefined = response.tasks?.find((t) => t.taskArn === taskArn) ?? response.tasks?.[0];
    if (task === undefined) {
      const reason = response.failures?.[0]?.reason ?? 'MISSING';
      const missingFor = clock.now() - started;
      if (missingFor < options.missingGraceMs) return { done: false };
      throw new ActionError(`Task ${taskArn} is ${reason} in DescribeTasks ${Math.round(missingFor / 1000)}s after RunTask started it.`, {
        details: [`Check that cluster '${cluster}' is the cluster the task was started in.`],
      });
    }
    if (task.lastStatus !== status) {
      options.onStatus?.(task, status);
      status = task.lastStatus;
    }
    if (task.lastStatus === 'STOPPED') return { done: true, value: task };
    // A named container that exited while the task runs on (not essential): decide now. A task already
    // on its way down (its essential container exited) is waited for instead: nothing is left to stop.
    if (options.container !== undefined && task.desiredStatus !== 'STOPPED' && containerExited(task, options.container)) return { done: true, value: task };
    await options.onTick?.(task);
    return { done: false };
  });
}

/** True when the task's `name` container has stopped with an exit code (the task itself may still run). */
function containerExited(task: Task, name: string): boolean {
  const container = task.containers?.find((c) => c.name === name);
  return container?.lastStatus === 'STOPPED' && container.exitCode !== undefined && container.exitCode !== null;
}

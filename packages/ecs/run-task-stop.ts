/**
 * Stopping a one-off task that must not outlive the job: on timeout, on cancellation and from the
 * post step. StopTask is asked once with a reason people will find in the console; then the task is
 * watched for a short while only, because a cancelled job has seconds before the runner kills it.
 */
import { DescribeTasksCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { pollUntil, PollTimeoutError } from '../action-kit';
import { aws, AwsCallError } from '../aws';
import type { EcsContext } from './context';

/** ECS keeps at most 255 characters of a stop reason. */
const REASON_LIMIT = 255;

/** What the stop functions need of the engine context. */
export type StopContext = Pick<EcsContext, 'ecs' | 'clock'>;

/** One task of a cluster. */
export interface TaskRef {
  cluster: string;
  taskArn: string;
}

export interface WaitStoppedOptions extends TaskRef {
  intervalMs: number;
  timeoutMs: number;
}

export async function stopTask(ctx: StopContext, options: TaskRef & { reason: string }): Promise<Task | undefined> {
  const request = new StopTaskCommand({ cluster: options.cluster, task: options.taskArn, reason: options.reason.slice(0, REASON_LIMIT) });
  const response = await aws('ecs:StopTask', ctx.ecs.send(request));
  return response.task;
}

async function describeTask(ctx: StopContext, options: TaskRef): Promise<Task | undefined> {
  const response = await aws('ecs:DescribeTasks', ctx.ecs.send(new DescribeTasksCommand({ cluster: options.cluster, tasks: [options.taskArn] })));
  return response.tasks?.[0];
}

/** The task once STOPPED, or its last known state when it is not STOPPED within timeoutMs. */
export async function waitForStopped(ctx: StopContext, options: WaitStoppedOptions): Promise<Task | undefined> {
  let last: Task | undefined;
  try {
    return await pollUntil({ clock: ctx.clock, intervalMs: options.intervalMs, timeoutMs: options.timeoutMs }, async () => {
      last = (await describeTask(ctx, options)) ?? last;
      return last?.lastStatus === 'STOPPED' ? { done: true, value: last } : { done: false };
    });
  } catch (error) {
    if (error instanceof PollTimeoutError) return last;
    throw error;
  }
}

export type StopOutcome = 'already-stopped' | 'already-stopping' | 'stopped' | 'stop-requested' | 'not-found';

/**
 * For the post step: stops the task when it is still running (nothing else has asked it to stop) and
 * waits briefly for STOPPED. Says what it found; 'stop-requested' when it could not look first.
 */
export async function stopIfRunning(ctx: StopContext, options: WaitStoppedOptions & { reason: string }): Promise<{ outcome: StopOutcome; task?: Task }> {
  let task: Task | undefined;
  try {
    task = await describeTask(ctx, options);
  } catch (error) {
    // Unable to look (DescribeTasks denied): StopTask is harmless on a stopped task, so ask anyway.
    if (!(error instanceof AwsCallError && error.permission === 'ecs:DescribeTasks')) throw error;
    await stopTask(ctx, options);
    return { outcome: 'stop-requested' };
  }
  if (!task) return { outcome: 'not-found' };
  if (task.lastStatus === 'STOPPED') return { outcome: 'already-stopped', task };
  if (task.desiredStatus === 'STOPPED') {
    return { outcome: 'already-stopping', task: (await waitForStopped(ctx, options)) ?? task };
  }
  await stopTask(ctx, options);
  return { outcome: 'stopped', task: (await waitForStopped(ctx, options)) ?? task };
}

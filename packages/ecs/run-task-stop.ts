/**
 * Stopping a one-off task that must not outlive the job: on timeout, on cancellation and from the
 * post step. StopTask is asked once with a reason people will find in the console; then the task is
 * watched for a short while only, because a cancelled job has seconds before the runner kills it.
 */
import { DescribeTasksCommand, StopTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { type Clock, pollUntil, PollTimeoutError } from '../action-kit';
import { aws, AwsCallError } from '../aws';

/** ECS keeps at most 255 characters of a stop reason. */
const REASON_LIMIT = 255;

export async function stopTask(ecs: ECSClient, cluster: string, taskArn: string, reason: string): Promise<Task | undefined> {
  const response = await aws('ecs:StopTask', ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason: reason.slice(0, REASON_LIMIT) })));
  return response.task;
}

export async function describeTask(ecs: ECSClient, cluster: string, taskArn: string): Promise<Task | undefined> {
  const response = await aws('ecs:DescribeTasks', ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] })));
  return response.tasks?.[0];
}

export interface WaitStoppedOptions {
  clock: Clock;
  intervalMs: number;
  timeoutMs: number;
}

/** The task once STOPPED, or its last known state when it is not STOPPED within timeoutMs. */
export async function waitForStopped(ecs: ECSClient, cluster: string, taskArn: string, options: WaitStoppedOptions): Promise<Task | undefined> {
  let last: Task | undefined;
  try {
    return await pollUntil({ clock: options.clock, intervalMs: options.intervalMs, timeoutMs: options.timeoutMs }, async () => {
      last = (await describeTask(ecs, cluster, taskArn)) ?? last;
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
export async function stopIfRunning(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  reason: string,
  wait: WaitStoppedOptions,
): Promise<{ outcome: StopOutcome; task?: Task }> {
  let task: Task | undefined;
  try {
    task = await describeTask(ecs, cluster, taskArn);
  } catch (error) {
    // Unable to look (DescribeTasks denied): StopTask is harmless on a stopped task, so ask anyway.
    if (!(error instanceof AwsCallError && error.permission === 'ecs:DescribeTasks')) throw error;
    await stopTask(ecs, cluster, taskArn, reason);
    return { outcome: 'stop-requested' };
  }
  if (!task) return { outcome: 'not-found' };
  if (task.lastStatus === 'STOPPED') return { outcome: 'already-stopped', task };
  if (task.desiredStatus === 'STOPPED') {
    return { outcome: 'already-stopping', task: (await waitForStopped(ecs, cluster, taskArn, wait)) ?? task };
  }
  await stopTask(ecs, cluster, taskArn, reason);
  return { outcome: 'stopped', task: (await waitForStopped(ecs, cluster, taskArn, wait)) ?? task };
}

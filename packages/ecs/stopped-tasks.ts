/**
 * Why tasks stopped: ListTasks (desiredStatus STOPPED) + DescribeTasks, reduced to what a person
 * needs to fix a failed rollout: stop code, stopped reason, each container's exit code and reason.
 * ECS keeps stopped tasks for about an hour, so this is asked right when a failure is seen.
 * Shared with run-migration (a one-off task's failure is described the same way).
 */
import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { aws, shortArn } from '../aws';

export interface StoppedContainer {
  name: string;
  exitCode?: number;
  reason?: string;
  lastStatus?: string;
}

export interface StoppedTask {
  taskArn: string;
  taskDefinitionArn?: string;
  lastStatus?: string;
  stopCode?: string;
  stoppedReason?: string;
  stoppedAt?: Date;
  containers: StoppedContainer[];
}

export interface StoppedTaskQuery {
  cluster: string;
  /** Tasks started by this service. */
  serviceName?: string;
  /** Tasks of this family (when no service). */
  family?: string;
  /** Keep only tasks of this revision. */
  taskDefinitionArn?: string;
  /** Keep only tasks stopped at or after this time (ms since epoch). */
  sinceMs?: number;
  /** At most this many, most recent first (default 5). */
  limit?: number;
}

/** Recently stopped tasks matching the query, most recent first. */
export async function describeStoppedTasks(ecs: ECSClient, query: StoppedTaskQuery): Promise<StoppedTask[]> {
  const listed = await aws(
    'ecs:ListTasks',
    ecs.send(
      new ListTasksCommand({
        cluster: query.cluster,
        desiredStatus: 'STOPPED',
        ...(query.serviceName ? { serviceName: query.serviceName } : query.family ? { family: query.family } : {}),
        maxResults: 100,
      }),
    ),
  );
  const arns = listed.taskArns ?? [];
  if (arns.length === 0) return [];
  const described = await describeTasks(ecs, query.cluster, arns);
  return described
    .map(toStoppedTask)
    .filter((t) => !query.taskDefinitionArn || t.taskDefinitionArn === query.taskDefinitionArn)
    .filter((t) => query.sinceMs === undefined || !t.stoppedAt || t.stoppedAt.getTime() >= query.sinceMs)
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
    .slice(0, query.limit ?? 5);
}

/** DescribeTasks in batches of 100 (the API's limit). */
export async function describeTasks(ecs: ECSClient, cluster: string, taskArns: string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < taskArns.length; i += 100) {
    const answer = await aws('ecs:DescribeTasks', ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(i, i + 100) })));
    tasks.push(...(answer.tasks ?? []));
  }
  return tasks;
}

function toStoppedTask(task: Task): StoppedTask {
  return {
    taskArn: task.taskArn ?? '',
    taskDefinitionArn: task.taskDefinitionArn,
    lastStatus: task.lastStatus,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    stoppedAt: task.stoppedAt,
    containers: (task.containers ?? []).map((c) => ({ name: c.name ?? '', exitCode: c.exitCode, reason: c.reason, lastStatus: c.lastStatus })),
  };
}

/** One line per task, e.g. `task 1a2b: TaskFailedToStart: Essential container exited; app exit 1 (OOM)`. */
export function formatStoppedTask(task: StoppedTask): string {
  const id = shortArn(task.taskArn);
  const head = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ') || 'stopped (no reason given)';
  const containers = task.containers
    .filter((c) => c.exitCode !== undefined || c.reason)
    .map((c) => `${c.name} ${c.exitCode !== undefined ? `exit ${c.exitCode}` : 'no exit code'}${c.reason ? ` (${c.reason})` : ''}`);
  return `task ${id}: ${head}${containers.length ? `; ${containers.join(', ')}` : ''}`;
}

/**
 * Stopped tasks grouped by what stopped them, so ten tasks of a crash loop read as one line:
 * `4 tasks (1ac7fef2, 001da319, ...): EssentialContainerExited: Essential container in task exited; app exit 3 (...)`.
 */
export function summarizeStoppedTasks(tasks: StoppedTask[]): string[] {
  const groups = new Map<string, string[]>();
  for (const task of tasks) {
    const line = formatStoppedTask(task);
    const why = line.slice(line.indexOf(': ') + 2);
    groups.set(why, [...(groups.get(why) ?? []), shortArn(task.taskArn)]);
  }
  return [...groups].map(([why, ids]) => {
    const shown = ids.slice(0, 3).map((id) => id.slice(0, 8)).join(', ') + (ids.length > 3 ? ', ...' : '');
    return `${ids.length === 1 ? `task ${ids[0]}` : `${ids.length} tasks (${shown})`}: ${why}`;
  });
}

/**
 * Starts the one-off task with RunTask. A `clientToken` makes the call idempotent: when the SDK
 * retries a RunTask whose answer was lost (throttling, a reset connection), ECS returns the task it
 * already started instead of starting a second migration. `failures[]` and an empty `tasks[]` are
 * errors with ECS's reason, never "no task, no error".
 */
import { randomUUID } from 'node:crypto';
import { RunTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { ActionError, InputError } from '../action-kit';
import { aws } from '../aws';
import { clusterInputError, type RunTaskPlan } from './run-task-plan';

/** ECS limits startedBy to 36 letters, digits, hyphens, underscores and slashes. */
const STARTED_BY = /^[A-Za-z0-9_/-]{1,36}$/;

/** Validates a startedBy value (throws an InputError naming `input`). */
export function validateStartedBy(value: string, input = 'started-by'): string {
  if (!STARTED_BY.test(value)) {
    const problem = value.length > 36 ? `is ${value.length} characters long` : `is '${value}', with characters ECS does not allow`;
    throw new InputError(input, problem, 'use at most 36 letters, digits, hyphens (-), underscores (_) or slashes (/)');
  }
  return value;
}

export interface StartTaskOptions {
  startedBy: string;
  /** Idempotency token; a new UUID per run by default. */
  clientToken?: string;
}

export async function startTask(ecs: ECSClient, plan: RunTaskPlan, options: StartTaskOptions): Promise<Task> {
  const response = await aws(
    'ecs:RunTask',
    ecs.send(
      new RunTaskCommand({
        cluster: plan.cluster,
        taskDefinition: plan.taskDefinitionArn,
        count: 1,
        startedBy: options.startedBy,
        clientToken: options.clientToken ?? randomUUID(),
        overrides: { containerOverrides: [{ name: plan.container.name, command: plan.command }] },
        ...plan.placement,
      }),
    ),
  ).catch((error: unknown) => {
    throw clusterInputError(error, plan.cluster);
  });
  const failures = response.failures ?? [];
  const task = response.tasks?.[0];
  if (failures.length > 0 || !task?.taskArn) {
    const reasons = failures.map((f) => `${f.arn ? `${f.arn}: ` : ''}${f.reason ?? 'unknown reason'}${f.detail ? ` (${f.detail})` : ''}`);
    const why = reasons.length > 0 ? reasons.join('; ') : 'ECS returned no task and no failure';
    throw new ActionError(`RunTask did not start the task in cluster ${plan.cluster}: ${why}`, { details: hints(reasons.join(' ')) });
  }
  return task;
}

/** What ECS's terse failure reasons mean for the person reading the log. */
function hints(reasons: string): string[] {
  const found: string[] = [];
  if (/RESOURCE:/.test(reasons)) found.push('RESOURCE:* means no container instance has enough CPU, memory or ports free for the task.');
  if (/AGENT|ATTRIBUTE/.test(reasons)) found.push('AGENT or ATTRIBUTE means no container instance can run this task definition.');
  if (/No Container Instances/i.test(reasons)) {
    found.push("The task was placed on EC2 (no launch type or capacity provider was given and the cluster has no default strategy): give 'service' to run where it runs, or 'launch-type: FARGATE'.");
  }
  return found;
}

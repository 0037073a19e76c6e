/**
 * run-migration's inputs, read and validated in one place before any AWS call, so a bad value fails
 * in one line naming the input and nothing starts.
 */
import type { Inputs } from '../../packages/action-kit';
import { InputError } from '../../packages/action-kit';
import { Input } from './names';
import { parseTaskCommand, validateStartedBy, type AssignPublicIp, type RunTaskRequest } from '../../packages/ecs';

/** action.yml's default, also used when the input is set to '' (an empty command cannot be meant). */
const DEFAULT_COMMAND = 'alembic upgrade head';
const DEFAULT_STARTED_BY = 'connect2-actions/run-migration';
const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;

export interface MigrationInputs {
  request: RunTaskRequest;
  startedBy: string;
  timeoutMs: number;
  intervalMs: number;
  stopOnCancel: boolean;
  logs: boolean;
  maxAttempts: number;
}

export function readMigrationInputs(inputs: Inputs): MigrationInputs {
  const cluster = inputs.required(Input.Cluster);
  const service = inputs.optional(Input.Service);
  const taskDefinition = inputs.optional(Input.TaskDefinition);
  if (!service && !taskDefinition) {
    throw new InputError(Input.TaskDefinition, 'is empty and so is service', `set 'service' (its task definition and network are copied) or 'task-definition'`);
  }
  const subnets = inputs.list(Input.Subnets);
  const securityGroups = inputs.list(Input.SecurityGroups);
  return {
    request: {
      cluster,
      service,
      taskDefinition,
      container: inputs.optional(Input.Container),
      command: parseTaskCommand(inputs.optional(Input.Command) ?? DEFAULT_COMMAND),
      network: {
        subnets: subnets.length > 0 ? subnets : undefined,
        securityGroups: securityGroups.length > 0 ? securityGroups : undefined,
        assignPublicIp: readAssignPublicIp(inputs),
        launchType: inputs.optional(Input.LaunchType) === undefined ? undefined : inputs.enumeration(Input.LaunchType, LAUNCH_TYPES, 'FARGATE'),
      },
    },
    startedBy: validateStartedBy(inputs.optional(Input.StartedBy) ?? DEFAULT_STARTED_BY),
    timeoutMs: inputs.duration(Input.TimeoutMinutes, 20 * 60_000, 'minutes', { minMs: 1000 }),
    intervalMs: inputs.duration(Input.PollIntervalSeconds, 5000, 'seconds', { minMs: 1000, maxMs: 300_000 }),
    stopOnCancel: inputs.boolean(Input.StopOnCancel, true),
    logs: inputs.boolean(Input.Logs, true),
    maxAttempts: inputs.integer(Input.MaxAttempts, 10, { min: 1, max: 50 }),
  };
}

function readAssignPublicIp(inputs: Inputs): AssignPublicIp | undefined {
  const raw = inputs.optional(Input.AssignPublicIp);
  if (raw === undefined) return undefined;
  const upper = raw.toUpperCase();
  if (upper === 'ENABLED' || upper === 'DISABLED') return upper;
  throw new InputError(Input.AssignPublicIp, `is '${raw}'`, `use 'ENABLED' or 'DISABLED' (or leave it empty to copy the service's)`);
}

/** The post step's inputs: whether to stop a task main did not see to its end, and the AWS retries. */
export function readStopInputs(inputs: Inputs): { stopOnCancel: boolean; maxAttempts: number } {
  return { stopOnCancel: inputs.boolean(Input.StopOnCancel, true), maxAttempts: inputs.integer(Input.MaxAttempts, 10, { min: 1, max: 50 }) };
}

/**
 * run-migration's inputs, read and validated in one place before any AWS call, so a bad value fails
 * in one line naming the input and nothing starts.
 */
import type { Inputs } from '../../packages/action-kit';
import { InputError } from '../../packages/action-kit';
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
  const cluster = inputs.required('cluster');
  const service = inputs.optional('service');
  const taskDefinition = inputs.optional('task-definition');
  if (!service && !taskDefinition) {
    throw new InputError('task-definition', 'is empty and so is service', `set 'service' (its task definition and network are copied) or 'task-definition'`);
  }
  const subnets = inputs.list('subnets');
  const securityGroups = inputs.list('security-groups');
  return {
    request: {
      cluster,
      service,
      taskDefinition,
      container: inputs.optional('container'),
      command: parseTaskCommand(inputs.optional('command') ?? DEFAULT_COMMAND),
      network: {
        subnets: subnets.length > 0 ? subnets : undefined,
        securityGroups: securityGroups.length > 0 ? securityGroups : undefined,
        assignPublicIp: readAssignPublicIp(inputs),
        launchType: inputs.optional('launch-type') === undefined ? undefined : inputs.enumeration('launch-type', LAUNCH_TYPES, 'FARGATE'),
      },
    },
    startedBy: validateStartedBy(inputs.optional('started-by') ?? DEFAULT_STARTED_BY),
    timeoutMs: inputs.duration('timeout-minutes', 20 * 60_000, 'minutes', { minMs: 1000 }),
    intervalMs: inputs.duration('poll-interval-seconds', 5000, 'seconds', { minMs: 1000, maxMs: 300_000 }),
    stopOnCancel: inputs.boolean('stop-on-cancel', true),
    logs: inputs.boolean('logs', true),
    maxAttempts: inputs.integer('max-attempts', 10, { min: 1, max: 50 }),
  };
}

function readAssignPublicIp(inputs: Inputs): AssignPublicIp | undefined {
  const raw = inputs.optional('assign-public-ip');
  if (raw === undefined) return undefined;
  const upper = raw.toUpperCase();
  if (upper === 'ENABLED' || upper === 'DISABLED') return upper;
  throw new InputError('assign-public-ip', `is '${raw}'`, `use 'ENABLED' or 'DISABLED' (or leave it empty to copy the service's)`);
}

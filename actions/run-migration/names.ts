// Names of run-migration's inputs, outputs and saved state, declared once (action.yml is the contract).
import { stateField } from '../../packages/action-kit';

export const Input = {
  Cluster: 'cluster',
  Service: 'service',
  TaskDefinition: 'task-definition',
  Container: 'container',
  Command: 'command',
  TimeoutMinutes: 'timeout-minutes',
  PollIntervalSeconds: 'poll-interval-seconds',
  Subnets: 'subnets',
  SecurityGroups: 'security-groups',
  AssignPublicIp: 'assign-public-ip',
  LaunchType: 'launch-type',
  StartedBy: 'started-by',
  StopOnCancel: 'stop-on-cancel',
  Logs: 'logs',
  MaxAttempts: 'max-attempts',
} as const;

export const Output = {
  TaskArn: 'task-arn',
  ExitCode: 'exit-code',
  StopCode: 'stop-code',
  StoppedReason: 'stopped-reason',
  DurationSeconds: 'duration-seconds',
  LogsUrl: 'logs-url',
} as const;

/** What main saves for the post step (GITHUB_STATE). */
export const State = {
  TaskArn: stateField.string('task-arn'),
  Cluster: stateField.string('cluster'),
  /** True once main has seen the task STOPPED (or stopped it itself and seen it stop). */
  Finished: stateField.boolean('finished'),
};

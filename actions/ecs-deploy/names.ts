// Names of ecs-deploy's inputs, outputs and saved state, declared once (action.yml is the contract).
import { stateField } from '../../packages/action-kit';

export const Input = {
  Cluster: 'cluster',
  Service: 'service',
  Image: 'image',
  Container: 'container',
  TaskDefinition: 'task-definition',
  ResolveDigest: 'resolve-digest',
  ForceNewDeployment: 'force-new-deployment',
  RegisterOnly: 'register-only',
  Wait: 'wait',
  TimeoutMinutes: 'timeout-minutes',
  PollIntervalSeconds: 'poll-interval-seconds',
  RollbackOnFailure: 'rollback-on-failure',
  MaxAttempts: 'max-attempts',
  GitHubToken: 'github-token',
} as const;

export const Output = {
  TaskDefinitionArn: 'task-definition-arn',
  PreviousTaskDefinitionArn: 'previous-task-definition-arn',
  Image: 'image',
  DeploymentId: 'deployment-id',
  Status: 'status',
  DurationSeconds: 'duration-seconds',
} as const;

/** What main leaves for the post step: the rollout to roll back if main is killed before it finishes. */
export const State = {
  Cluster: stateField.string('cluster'),
  Service: stateField.string('service'),
  PreviousTaskDefinition: stateField.string('previous-task-definition'),
  TaskDefinition: stateField.string('task-definition'),
  DeploymentId: stateField.string('deployment-id'),
  Rollback: stateField.boolean('rollback'),
  PollIntervalMs: stateField.number('poll-interval-ms'),
  Finished: stateField.boolean('finished'),
};

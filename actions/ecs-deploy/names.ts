// Names of ecs-deploy's inputs, outputs and saved state, declared once (action.yml is the contract).
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
} as const;

export const Output = {
  TaskDefinitionArn: 'task-definition-arn',
  PreviousTaskDefinitionArn: 'previous-task-definition-arn',
  Image: 'image',
  DeploymentId: 'deployment-id',
  Status: 'status',
  DurationSeconds: 'duration-seconds',
} as const;

export const State = {
  Cluster: 'cluster',
  Service: 'service',
  PreviousTaskDefinition: 'previous-task-definition',
  TaskDefinition: 'task-definition',
  DeploymentId: 'deployment-id',
  Rollback: 'rollback',
  PollInterval: 'poll-interval-ms',
  Finished: 'finished',
} as const;

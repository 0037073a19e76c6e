// Names of wait-stable's inputs and outputs, declared once (action.yml is the contract).
export const Input = {
  Cluster: 'cluster',
  Services: 'services',
  TaskDefinition: 'task-definition',
  TimeoutMinutes: 'timeout-minutes',
  PollIntervalSeconds: 'poll-interval-seconds',
  HealthUrl: 'health-url',
  HealthTimeoutSeconds: 'health-timeout-seconds',
  MaxAttempts: 'max-attempts',
  VerifyUrls: 'verify-urls',
  BakeSeconds: 'bake-seconds',
  LogErrorPattern: 'log-error-pattern',
  LogGroup: 'log-group',
} as const;

export const Output = {
  Status: 'status',
  DurationSeconds: 'duration-seconds',
  Services: 'services',
  Verification: 'verification',
} as const;

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
} as const;

export const Output = {
  Status: 'status',
  DurationSeconds: 'duration-seconds',
  Services: 'services',
} as const;

// Public surface of the ECS engine shared by ecs-deploy, wait-stable and run-migration.
// Other packages and actions import from here only, never from the files directly.
export const ECS_ENGINE = 'ecs' as const;
// One-off tasks (run-migration).
export { runTask } from './run-task';
export type { RunTaskDeps, RunTaskLog, RunTaskOptions } from './run-task';
export { planRunTask } from './run-task-plan';
export type { RunTaskPlan, RunTaskRequest } from './run-task-plan';
export { parseTaskCommand, formatTaskCommand } from './run-task-command';
export { startTask, validateStartedBy } from './run-task-start';
export { stopTask, stopIfRunning, waitForStopped, describeTask } from './run-task-stop';
export type { StopOutcome } from './run-task-stop';
export { watchTask } from './run-task-watch';
export { classifyStoppedTask, resultError } from './run-task-result';
export type { RunTaskOutcome, RunTaskResult } from './run-task-result';
export { resolvePlacement, describePlacement } from './task-network';
export type { AssignPublicIp, NetworkOverrides, TaskPlacement } from './task-network';
export { logStreamTarget, logsConsoleUrl, taskId } from './log-stream';
export type { LogStreamTarget } from './log-stream';
export { LogTail } from './log-tail';

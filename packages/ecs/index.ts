// Public surface of the ECS engine shared by ecs-deploy, wait-stable and run-migration.
// Other packages and actions import from here only, never from the files directly.
// Context, task definitions, images, services (ecs-deploy, wait-stable).
export type { EcsContext } from './context';
export {
  normalizeTaskDefinition,
  readTaskDefinitionFile,
  selectContainer,
  withContainerImage,
  sameTaskDefinition,
  diffTaskDefinitions,
} from './task-definition';
export { parseTaskDefinitionSource } from './revision';
export type { ReleasedRevisions } from './revision';
export { parseImage, formatImage } from './image';
export type { ImageReference } from './image';
// Stopped tasks: why tasks of a revision (or a one-off task) stopped.
export { summarizeStoppedTasks } from './stopped-tasks';
// Deploy, watch, roll back, wait.
export { evaluateDeployment, chooseDeployment } from './deployment-watcher';
export { rollback } from './rollback';
export { deploy } from './deploy';
export type { DeployOptions, DeployResult, RolloutStarted } from './deploy';
export { waitForServices } from './wait';
export { readServiceStatus, renderServiceStatus } from './status';
export type { WaitResult } from './wait';
export { waitForHealth } from './health';
// Verification after the rollout (wait-stable): verify URLs, the bake, the log watch.
export { verifyRollout } from './verify';
export type { Verification } from './verify';
export { parseVerifyChecks, displayUrl } from './verify-checks';
export type { VerifyCheck } from './verify-checks';
export { FilterPatternError, parseFilterPattern, matchesFilterPattern } from './filter-pattern';
export { redactLine } from './redact';
export { firstLogLines, FIRST_LINES_PER_GROUP } from './log-first-lines';
export { renderVerification } from './verify-summary';
export { renderDeploySummary, renderWaitSummary } from './summary';
// One-off tasks (run-migration).
export { runTask } from './run-task';
export type { RunTaskContext } from './run-task';
export { planRunTask } from './run-task-plan';
export type { RunTaskPlan, RunTaskRequest } from './run-task-plan';
export { parseTaskCommand, formatTaskCommand } from './run-task-command';
export { startTask, validateStartedBy } from './run-task-start';
export { stopIfRunning } from './run-task-stop';
export { watchTask } from './run-task-watch';
export { resultError } from './run-task-result';
export type { RunTaskResult } from './run-task-result';
export { resolvePlacement, describePlacement } from './task-network';
export type { AssignPublicIp } from './task-network';
export { logStreamTarget, logsConsoleUrl } from './log-stream';

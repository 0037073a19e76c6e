// Public surface of the ECS engine shared by ecs-deploy, wait-stable and run-migration.
// Other packages and actions import from here only, never from the files directly.
// Context, task definitions, images, services (ecs-deploy, wait-stable).
export { formatElapsed, progressLine } from './context';
export type { EcsContext } from './context';
export {
  READ_ONLY_FIELDS,
  normalizeTaskDefinition,
  readTaskDefinitionFile,
  selectContainer,
  withContainerImage,
  canonicalTaskDefinition,
  sameTaskDefinition,
  diffTaskDefinitions,
} from './task-definition';
export type { TaskDefinitionInput, TaskDefinitionChange } from './task-definition';
export { PREVIOUS_REVISION, parseTaskDefinitionArn, parseTaskDefinitionSource, resolveRevision } from './revision';
export type { ExistingRevision, ReleasedRevisions, TaskDefinitionSource } from './revision';
export { parseImage, formatImage, resolveImage } from './image';
export type { ImageReference, ResolvedImage } from './image';
export { describeService, describeServices, validateCluster, validateService, checkServiceSupported, primaryDeployment } from './service';
export type { ServiceTarget, TargetInputNames } from './service';
// Stopped tasks: why tasks of a revision (or a one-off task) stopped.
export { describeStoppedTasks, describeTasks, toStoppedTask, formatStoppedTask, summarizeStoppedTasks } from './stopped-tasks';
export type { StoppedTask, StoppedContainer, StoppedTaskQuery } from './stopped-tasks';
// Deploy, watch, roll back, wait.
export { Timeline } from './timeline';
export type { TimelineEntry } from './timeline';
export { evaluateDeployment, chooseDeployment, watchDeployment, describeCounts } from './deployment-watcher';
export type { Verdict, Tracked, WatchOptions, WatchResult, WatchOutcome } from './deployment-watcher';
export { rollback } from './rollback';
export type { RollbackOptions, RollbackResult } from './rollback';
export { deploy, planDeployment } from './deploy';
export type { DeployOptions, DeployPlan, DeployResult, DeployStatus, RolloutStarted } from './deploy';
export { waitForServices } from './wait';
export { lastSuccessfulBefore, newestRolledBack, deploymentHistory } from './service-deployments';
export type { HistoryEntry, RolledBackDeployment } from './service-deployments';
export { readServiceStatus, renderServiceStatus } from './status';
export type { ServiceStatus } from './status';
export type { WaitOptions, WaitResult, WaitStatus, ServiceWaitResult } from './wait';
export { waitForHealth } from './health';
// Verification after the rollout (wait-stable): verify URLs, the bake, the log watch.
export { verifyRollout } from './verify';
export type { Verification, VerifyOptions, VerifyService } from './verify';
export { parseVerifyChecks, runChecks, displayUrl, formatExpected } from './verify-checks';
export type { VerifyCheck, CheckResult, CheckPhase } from './verify-checks';
export { bake } from './bake';
export type { BakeOptions, BakeResult, BakeService } from './bake';
export { LogWatch } from './log-watch';
export type { LogMatch, LogWatchOptions } from './log-watch';
export { FILTER_PATTERN_MAX_LENGTH, FilterPatternError, parseFilterPattern, matchesFilterPattern } from './filter-pattern';
export type { FilterPattern } from './filter-pattern';
export { redactLine, REDACTED_LINE_MAX } from './redact';
export { renderVerification } from './verify-summary';
export type { HealthOptions, HealthResult } from './health';
export { renderDeploySummary, renderWaitSummary, renderChanges, renderStoppedTasks, renderTimeline } from './summary';
// One-off tasks (run-migration).
export { runTask } from './run-task';
export type { RunTaskContext, RunTaskOptions } from './run-task';
export { planRunTask } from './run-task-plan';
export type { RunTaskPlan, RunTaskRequest } from './run-task-plan';
export { parseTaskCommand, formatTaskCommand } from './run-task-command';
export { startTask, validateStartedBy } from './run-task-start';
export { stopTask, stopIfRunning, waitForStopped, describeTask } from './run-task-stop';
export type { StopContext, StopOutcome, TaskRef, WaitStoppedOptions } from './run-task-stop';
export { watchTask } from './run-task-watch';
export { classifyStoppedTask, resultError } from './run-task-result';
export type { RunTaskOutcome, RunTaskResult } from './run-task-result';
export { resolvePlacement, describePlacement } from './task-network';
export type { AssignPublicIp, NetworkOverrides, TaskPlacement } from './task-network';
export { logStreamTarget, logsConsoleUrl } from './log-stream';
export type { LogStreamTarget } from './log-stream';
export { LogTail } from './log-tail';

/** Public surface of the workflow player (test infrastructure and the rehearsal's engine; never bundled). */
export { WorkflowPlayer, GH_SHIM_DIR, type PlayerOptions, type IgnoredEvent } from './player';
export type { PlayerWorld, RoleTrust, GitHubApp, ApprovalRequest } from './world';
export type { PlayerLog } from './run-state';
export { silentLog } from './run-state';
export type { RunRecord, JobRecord, StepRecord, Conclusion, EnvironmentRecord } from './records';
export { findJob, findStep } from './records';
export { STAND_INS, oidcSubject } from './stand-ins';
export { buildSnapshot, type Snapshot } from './image-snapshot';
export { evaluateExpression, evaluateCondition, type Contexts, type Json } from './expressions';
export { expandMatrix } from './matrix';
export { ConcurrencyGroups } from './concurrency';
export { triggers, matchesFilter } from './triggers';
export { loadWorkflows, WorkflowParseError } from './workflow-file';
export { runAction, readActionMetadata, parseAnnotations, parseKeyValueFile, repoRoot, node24 } from './bundle-run';
export type { ActionMetadata, ActionRun, Annotation, RunActionOptions, StepResult } from './bundle-run';

/** Public surface of the workflow player (test infrastructure and the rehearsal's engine; never bundled). */
export { WorkflowPlayer, GH_SHIM_DIR } from './player';
export { NODE_COMPILE_CACHE_DIR } from './bundle-run';
export type { PlayerWorld, RoleTrust, GitHubApp } from './world';
export type { PlayerLog } from './run-state';
export type { RunRecord, JobRecord, StepRecord } from './records';
export { findJob, findStep } from './records';
export { STAND_INS } from './stand-ins';
export { buildSnapshot } from './image-snapshot';
export { environmentIntervals, overlappingJobs, intervalLine } from './intervals';

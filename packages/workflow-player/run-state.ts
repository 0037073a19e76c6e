/** What every job of a run shares: the event, the github context, cancellation, artifacts, the log. */
import type { ConcurrencyClaim, ConcurrencyGroups } from './concurrency';
import type { JobRecord, RunRecord } from './records';
import type { ArtifactStore } from './stand-ins';
import type { PlayerWorld } from './world';

export interface PlayerLog {
  runStarted(run: RunRecord): void;
  jobStarted(run: RunRecord, job: JobRecord): void;
  jobFinished(run: RunRecord, job: JobRecord): void;
  runFinished(run: RunRecord): void;
  note(text: string): void;
}

export const silentLog: PlayerLog = { runStarted() {}, jobStarted() {}, jobFinished() {}, runFinished() {}, note() {} };

export interface RunState {
  record: RunRecord;
  world: PlayerWorld;
  /** The github context without the per-job keys (job, token, workspace). */
  github: Record<string, unknown>;
  /** The webhook payload (github.event). */
  event: Record<string, unknown>;
  /** Aborted when the run is cancelled (concurrency cancel-in-progress, or by the story). */
  signal: AbortSignal;
  concurrency: ConcurrencyGroups;
  /** The run's own (workflow-level) concurrency claim, once granted: its jobs and callees may not take that group. */
  claim?: ConcurrencyClaim;
  artifacts: ArtifactStore;
  log: PlayerLog;
  /** Folder for the jobs' workspaces. */
  root: string;
  /** Folder put first on PATH for `run:` steps (the gh shim). */
  shimDir: string;
}

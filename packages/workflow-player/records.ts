/** What the player records of every run, job and step: what a user sees on the Actions tab. */
import type { Json } from './expressions';
import type { Permissions } from './permissions';

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepRecord {
  id: string;
  name: string;
  /** `run`, this repository's action (`local-action`), or an outside action played by a stand-in. */
  kind: 'run' | 'local-action' | 'stand-in';
  uses?: string;
  /** Before continue-on-error (GitHub's steps.<id>.outcome). */
  outcome: Conclusion;
  /** After continue-on-error (steps.<id>.conclusion). */
  conclusion: Conclusion;
  outputs: Record<string, string>;
  log: string;
  summary: string;
  errors: string[];
  durationMs: number;
}

export interface EnvironmentRecord {
  name: string;
  /** Created on first use because the repository had no such environment (unprotected, as GitHub does). */
  created: boolean;
  /** Who may approve (with prevent self-review: the required reviewers but the one who triggered the run). */
  reviewers: string[];
  approval: 'not-required' | 'approved' | 'rejected';
  /** Why GitHub refused the job before any review: the deployment branch policy, or no one left to review. */
  refusal?: string;
}

export interface JobRecord {
  /** Unique within the run: `deploy`, `plan (dev)`, `prod / deploy`. */
  key: string;
  id: string;
  name: string;
  matrix?: Record<string, Json>;
  conclusion: Conclusion;
  outputs: Record<string, string>;
  steps: StepRecord[];
  environment?: EnvironmentRecord;
  permissions?: Permissions;
  concurrencyGroup?: string;
  /** Why it was skipped, cancelled or failed outside a step. */
  notes: string[];
  /** When its first step started (after its concurrency group and environment review), epoch ms. */
  startedAtMs?: number;
  finishedAtMs?: number;
  durationMs: number;
}

export interface RunRecord {
  id: number;
  workflowFile: string;
  workflowName: string;
  event: string;
  action?: string;
  ref: string;
  sha: string;
  actor: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: Conclusion;
  concurrencyGroup?: string;
  jobs: JobRecord[];
  notes: string[];
  startedAtMs: number;
  durationMs: number;
}

/** A step by name or id anywhere in a run (for assertions). */
export function findStep(run: RunRecord, match: string | RegExp): StepRecord | undefined {
  for (const job of run.jobs) {
    const step = job.steps.find((s) => (typeof match === 'string' ? s.id === match || s.name === match : match.test(s.name)));
    if (step) return step;
  }
  return undefined;
}

export function findJob(run: RunRecord, match: string | RegExp): JobRecord | undefined {
  return run.jobs.find((job) => (typeof match === 'string' ? job.key === match || job.id === match || job.name === match : match.test(job.key) || match.test(job.name)));
}

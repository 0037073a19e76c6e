/**
 * When each job held an environment: the interval from its first step to its end, per environment
 * (the job's `environment:`) and concurrency group. GitHub's concurrency groups exist so that two
 * deploys, applies or migrations of one environment never run at once; these intervals are how a
 * rehearsal checks that they did not, whatever the templates' groups say.
 */
import type { RunRecord } from './records';

export interface JobInterval {
  environment: string;
  /** The job's own group, else its run's (a called workflow's jobs run under the caller's). */
  concurrencyGroup?: string;
  runId: number;
  workflowFile: string;
  job: string;
  sha: string;
  startedAtMs: number;
  finishedAtMs: number;
}

/** Every job of `runs` that ran in an environment (started, with an end), oldest start first. */
export function environmentIntervals(runs: readonly RunRecord[]): JobInterval[] {
  const intervals: JobInterval[] = [];
  for (const run of runs) {
    for (const job of run.jobs) {
      if (!job.environment || job.startedAtMs === undefined) continue;
      intervals.push({
        environment: job.environment.name,
        concurrencyGroup: job.concurrencyGroup ?? run.concurrencyGroup,
        runId: run.id,
        workflowFile: run.workflowFile,
        job: job.name,
        sha: run.sha,
        startedAtMs: job.startedAtMs,
        finishedAtMs: job.finishedAtMs ?? job.startedAtMs + job.durationMs,
      });
    }
  }
  return intervals.sort((a, b) => a.startedAtMs - b.startedAtMs);
}

/** Pairs of jobs of the same environment whose intervals overlap (a job never overlaps itself). */
export function overlappingJobs(intervals: readonly JobInterval[]): [JobInterval, JobInterval][] {
  const pairs: [JobInterval, JobInterval][] = [];
  intervals.forEach((a, index) => {
    for (const b of intervals.slice(index + 1)) {
      if (a.environment === b.environment && a.startedAtMs < b.finishedAtMs && b.startedAtMs < a.finishedAtMs) pairs.push([a, b]);
    }
  });
  return pairs;
}

/** `run 12 deploy-on-merge.yml "Deploy to dev" (1a2b3c4)`, for problems and details. */
export function intervalLine(interval: JobInterval): string {
  return `run ${interval.runId} ${interval.workflowFile} "${interval.job}" (${interval.sha.slice(0, 7)})`;
}

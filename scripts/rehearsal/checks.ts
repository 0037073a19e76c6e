/** Small readers of what a user sees after a stage: runs, jobs, steps, comments, services. */
import { findJob, findStep, type JobRecord, type RunRecord, type StepRecord } from '../../packages/workflow-player';

/** A problem unless `condition` holds. */
export function expectThat(condition: boolean, problem: string): string[] {
  return condition ? [] : [problem];
}

export function runsOf(runs: RunRecord[], workflowFile: string, filter: (run: RunRecord) => boolean = () => true): RunRecord[] {
  return runs.filter((run) => run.workflowFile === workflowFile && filter(run));
}

export function job(run: RunRecord | undefined, name: string | RegExp): JobRecord | undefined {
  return run ? findJob(run, name) : undefined;
}

export function step(run: RunRecord | undefined, name: string | RegExp): StepRecord | undefined {
  return run ? findStep(run, name) : undefined;
}

/** `name: conclusion` of every job, for details and problems. */
export function jobsLine(run: RunRecord | undefined): string {
  if (!run) return 'no run';
  return run.jobs.map((j) => `${j.name}: ${j.conclusion}`).join(', ') || 'no jobs';
}

export function stepLine(s: StepRecord | undefined): string {
  if (!s) return 'step not found';
  return `${s.name}: ${s.conclusion}${s.errors[0] ? ` (${s.errors[0].split('\n')[0].slice(0, 120)})` : ''}`;
}

export const prRef = (number: number) => `refs/pull/${number}/merge`;

/** Jobs GitHub cancelled as a concurrency deadlock (a job or called workflow asking for a group its own run holds), with GitHub's words. */
export function deadlockedJobs(runs: RunRecord[]): string[] {
  return runs.flatMap((run) => run.jobs.flatMap((j) => j.notes.filter((note) => /deadlock for concurrency group/.test(note)).map((note) => `${run.workflowName}: ${j.name}: ${note}`)));
}

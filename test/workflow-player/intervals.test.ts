/** Job intervals per environment: what the rehearsal's "never two deploys of one environment at once" reads. */
import { describe, expect, it } from 'vitest';
import { environmentIntervals, intervalLine, overlappingJobs, type JobRecord, type RunRecord } from '../../packages/workflow-player';

const job = (name: string, environment: string | undefined, startedAtMs: number | undefined, finishedAtMs: number): JobRecord => ({
  key: name, id: name, name, conclusion: 'success', outputs: {}, steps: [], notes: [], durationMs: finishedAtMs - (startedAtMs ?? finishedAtMs), startedAtMs, finishedAtMs,
  environment: environment ? { name: environment, created: false, reviewers: [], approval: 'not-required' } : undefined,
});
const run = (id: number, workflowFile: string, sha: string, jobs: JobRecord[], concurrencyGroup?: string): RunRecord => ({
  id, workflowFile, workflowName: workflowFile, event: 'push', ref: 'refs/heads/development', sha, actor: 'carol', status: 'completed', conclusion: 'success', concurrencyGroup, jobs, notes: [], startedAtMs: 0, durationMs: 0,
});

describe('environment intervals', () => {
  it('keeps the jobs that ran in an environment, with the run group for a called workflow’s jobs', () => {
    const runs = [run(1, 'deploy-on-merge.yml', 'a'.repeat(40), [job('What changed', undefined, 0, 10), job('Deploy / Deploy to dev', 'dev', 10, 50), job('skipped', 'dev', undefined, 0)], 'deploy-dev')];
    expect(environmentIntervals(runs)).toEqual([{ environment: 'dev', concurrencyGroup: 'deploy-dev', runId: 1, workflowFile: 'deploy-on-merge.yml', job: 'Deploy / Deploy to dev', sha: 'a'.repeat(40), startedAtMs: 10, finishedAtMs: 50 }]);
  });

  it('finds two jobs of one environment that overlap, and only those', () => {
    const intervals = environmentIntervals([
      run(1, 'deploy-on-merge.yml', '1'.repeat(40), [job('Deploy to dev', 'dev', 10, 50)]),
      run(2, 'deploy-on-merge.yml', '2'.repeat(40), [job('Deploy to dev', 'dev', 50, 90)]), // starts as the first ends: no overlap
      run(3, 'migrate.yml', '3'.repeat(40), [job('Migrate dev', 'dev', 80, 95)]),
      run(4, 'deploy-on-merge.yml', '4'.repeat(40), [job('Deploy to staging', 'staging', 0, 100)]),
    ]);
    const pairs = overlappingJobs(intervals);
    expect(pairs.map(([a, b]) => `${intervalLine(a)} / ${intervalLine(b)}`)).toEqual(['run 2 deploy-on-merge.yml "Deploy to dev" (2222222) / run 3 migrate.yml "Migrate dev" (3333333)']);
  });
});

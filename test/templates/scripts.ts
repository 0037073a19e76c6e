// The shell of every `run:` step, checked by bash itself (`bash -n` parses without running): a quoting
// slip in a template only shows on the runner otherwise, after a merge.
import { spawnSync } from 'node:child_process';
import { jobs, type Workflow } from './workflow';

export interface ScriptProblem {
  where: string;
  message: string;
}

/** Steps whose shell is bash: GitHub's default on Linux runners, which these templates use. */
export function runScripts(workflow: Workflow): { where: string; script: string }[] {
  return jobs(workflow).flatMap((job) =>
    job.steps
      .filter((step) => typeof step.data.run === 'string' && (step.data.shell === undefined || step.data.shell === 'bash'))
      .map((step) => ({ where: `${workflow.name} jobs.${job.id} step ${step.label}`, script: String(step.data.run) })),
  );
}

export function bashSyntaxProblems(workflow: Workflow): ScriptProblem[] {
  return runScripts(workflow).flatMap(({ where, script }) => {
    const result = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    return result.status === 0 ? [] : [{ where, message: (result.stderr || result.error?.message || 'bash -n failed').trim() }];
  });
}

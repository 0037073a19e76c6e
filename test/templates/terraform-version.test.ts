/**
 * Issue #14 point 11: Terraform's version is pinned once for plan and apply. Every job that sets up
 * Terraform reads the repository's `.terraform-version` in a step before it and hands that step's
 * output to setup-terraform; no variable, no `latest`, no second pin.
 */
import { describe, expect, it } from 'vitest';
import { jobs, loadTemplates, parseWorkflowText, withOf, type Workflow } from './workflow';

const SETUP_TERRAFORM = 'hashicorp/setup-terraform@';

/** Problems of one workflow: each setup-terraform step must take the version read from .terraform-version. */
function terraformPinProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const job of jobs(workflow)) {
    job.steps.forEach((step, index) => {
      if (typeof step.data.uses !== 'string' || !step.data.uses.startsWith(SETUP_TERRAFORM)) return;
      const version = String(withOf(step.data).terraform_version ?? '');
      const reader = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.version\s*\}\}$/.exec(version)?.[1];
      const readStep = job.steps.slice(0, index).find((earlier) => earlier.id === reader);
      if (!reader || !readStep) problems.push(`${workflow.name} jobs.${job.id}: terraform_version is '${version}', not the output of an earlier step reading .terraform-version`);
      else if (!String(readStep.data.run ?? '').includes('.terraform-version')) problems.push(`${workflow.name} jobs.${job.id}: step ${reader} does not read .terraform-version`);
    });
  }
  return problems;
}

describe('Terraform is pinned once, in .terraform-version', () => {
  const templates = loadTemplates();

  it('plan (terraform.yml) and apply (terraform-apply.yml) both set Terraform up from it', () => {
    const users = templates.filter((workflow) => workflow.text.includes(SETUP_TERRAFORM)).map((workflow) => workflow.name).sort();
    expect(users).toEqual(['terraform-apply.yml', 'terraform.yml']);
    expect(templates.flatMap(terraformPinProblems)).toEqual([]);
  });

  it('fails a template that pins through a variable or asks for latest (the old templates)', () => {
    const old = parseWorkflowText('old.yml', `on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: ${SETUP_TERRAFORM}dfe3c3f87815947d99a8997f908cb6525fc44e9e # v4.0.1
        with:
          terraform_version: \${{ vars.TERRAFORM_VERSION || 'latest' }}
`);
    expect(terraformPinProblems(old)).toEqual([expect.stringContaining("terraform_version is '${{ vars.TERRAFORM_VERSION || 'latest' }}'")]);
  });
});

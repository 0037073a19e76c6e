/**
 * Plans made during the test by the real `terraform` on PATH (terraform_data, local backend,
 * offline), each rendered through the built bundle with plan-file (the bundle runs the real
 * `terraform show`): the summary is the line Terraform printed, the text plan is used, nothing
 * sensitive comes out, failed checks are shown. Skips visibly when terraform is absent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionRun } from '../harness/run-action';
import { makeRealPlans, terraformVersion, type RealPlans, type Scenario } from './real-terraform';
import { everything, REPO, runPlanComment, startWorld, type GitHubSimulator } from './world';

const OLD_SECRET = 'old-db-password-3f9a71';
const NEW_SECRET = 'new-db-password-c2e418';
const OUTPUT_SECRET = 'api-token-5d0b2c88';

const SENSITIVE_CONFIG = `
variable "db_password" {
  type      = string
  sensitive = true
}
variable "api_token" {
  type      = string
  sensitive = true
}
resource "terraform_data" "db" {
  input = { password = var.db_password, engine = "postgres" }
}
output "token" {
  value     = var.api_token
  sensitive = true
}
`;

const SCENARIOS: Scenario[] = [
  { name: 'create', after: 'resource "terraform_data" "web" {\n  input = "v1"\n}\n' },
  { name: 'update', before: 'resource "terraform_data" "web" {\n  input = "v1"\n}\n', after: 'resource "terraform_data" "web" {\n  input = "v2"\n}\n' },
  {
    name: 'replace',
    before: 'resource "terraform_data" "web" {\n  triggers_replace = "1"\n}\n',
    after: 'resource "terraform_data" "web" {\n  triggers_replace = "2"\n}\n',
  },
  {
    name: 'create-before-destroy',
    before: 'resource "terraform_data" "web" {\n  triggers_replace = "1"\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    after: 'resource "terraform_data" "web" {\n  triggers_replace = "2"\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
  },
  { name: 'delete', before: 'resource "terraform_data" "web" {}\nresource "terraform_data" "keep" {}\n', after: 'resource "terraform_data" "keep" {}\n' },
  {
    name: 'move',
    before: 'resource "terraform_data" "old" {\n  input = "same"\n}\n',
    after: 'resource "terraform_data" "new" {\n  input = "same"\n}\nmoved {\n  from = terraform_data.old\n  to   = terraform_data.new\n}\n',
  },
  { name: 'import', after: 'import {\n  to = terraform_data.adopted\n  id = "existing-object-1"\n}\nresource "terraform_data" "adopted" {}\n' },
  {
    name: 'forget',
    before: 'resource "terraform_data" "web" {}\nresource "terraform_data" "legacy" {}\n',
    after: 'resource "terraform_data" "web" {}\nresource "terraform_data" "new" {}\nremoved {\n  from = terraform_data.legacy\n  lifecycle {\n    destroy = false\n  }\n}\n',
  },
  {
    name: 'sensitive',
    before: SENSITIVE_CONFIG,
    after: SENSITIVE_CONFIG,
    beforeVars: { db_password: OLD_SECRET, api_token: `${OUTPUT_SECRET}-old` },
    afterVars: { db_password: NEW_SECRET, api_token: OUTPUT_SECRET },
  },
  {
    name: 'failing-check',
    after: 'resource "terraform_data" "web" {\n  input = "v1"\n}\ncheck "web_is_v2" {\n  assert {\n    condition     = terraform_data.web.input == "v2"\n    error_message = "The web input must be v2."\n  }\n}\n',
  },
  { name: 'no-changes', before: 'resource "terraform_data" "web" {}\n', after: 'resource "terraform_data" "web" {}\n' },
];

/** What Terraform itself says of each plan, and what the action's outputs must be. */
const EXPECTED: Record<string, { line: string; outputs: Record<string, string> }> = {
  create: { line: 'Plan: 1 to add, 0 to change, 0 to destroy.', outputs: { add: '1', 'has-changes': 'true' } },
  update: { line: 'Plan: 0 to add, 1 to change, 0 to destroy.', outputs: { change: '1' } },
  replace: { line: 'Plan: 1 to add, 0 to change, 1 to destroy.', outputs: { replace: '1', destroy: '1', add: '1' } },
  'create-before-destroy': { line: 'Plan: 1 to add, 0 to change, 1 to destroy.', outputs: { replace: '1' } },
  delete: { line: 'Plan: 0 to add, 0 to change, 1 to destroy.', outputs: { destroy: '1' } },
  move: { line: 'Plan: 0 to add, 0 to change, 0 to destroy.', outputs: { move: '1', 'has-changes': 'true' } },
  import: { line: 'Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.', outputs: { import: '1', 'has-changes': 'true' } },
  forget: { line: 'Plan: 1 to add, 0 to change, 0 to destroy.', outputs: { add: '1', destroy: '0', 'has-changes': 'true' } },
  sensitive: { line: 'Plan: 0 to add, 1 to change, 0 to destroy.', outputs: { change: '1' } },
  'failing-check': { line: 'Plan: 1 to add, 0 to change, 0 to destroy.', outputs: { add: '1' } },
  'no-changes': { line: 'Plan: 0 to add, 0 to change, 0 to destroy.', outputs: { 'has-changes': 'false' } },
};

describe.skipIf(!terraformVersion)(`real plans made by terraform ${terraformVersion ?? ''}`, () => {
  let gh: GitHubSimulator;
  let newPull: () => number;
  let real: RealPlans;
  const runs = new Map<string, { run: ActionRun; body: string }>();
  let renderMs = 0;

  beforeAll(async () => {
    [{ gh, newPull }, real] = await Promise.all([startWorld(), makeRealPlans(SCENARIOS)]);
    // Every plan through the bundle with plan-file: the bundle runs the real `terraform show`.
    const started = performance.now();
    const queue = [...real.plans.values()];
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let plan = queue.shift(); plan; plan = queue.shift()) {
          const pr = newPull();
          const run = await runPlanComment(gh, { 'plan-file': 'tfplan', 'working-directory': plan.dir, name: plan.name }, { pr, env: real.env });
          runs.set(plan.name, { run, body: gh.state.comments(REPO, pr)[0]?.body ?? '' });
        }
      }),
    );
    renderMs = performance.now() - started;
    console.log(`real terraform plans: ${real.plans.size} scenarios planned in ${(real.durationMs / 1000).toFixed(1)} s, rendered through the bundle in ${(renderMs / 1000).toFixed(1)} s`);
  }, 240_000);
  afterAll(async () => gh?.close());

  it.each(SCENARIOS.map((scenario) => scenario.name))('%s: the summary is the line terraform printed, the text plan is used', (name) => {
    const plan = real.plans.get(name)!;
    const { run, body } = runs.get(name)!;
    const expected = EXPECTED[name];
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    // Terraform prints no Plan line when nothing changes; the output is still the zero line.
    if (name !== 'no-changes') expect(plan.planLine).toBe(expected.line);
    expect(run.outputs.summary).toBe(expected.line);
    expect(run.outputs).toMatchObject(expected.outputs);
    expect(run.annotations.filter((a) => a.level === 'warning' && a.message.includes('plan-text was not used'))).toEqual([]);
    expect(body).toContain(run.outputs.digest);
    expect(body).toContain(`Terraform ${terraformVersion}`);
    if (name === 'no-changes') expect(body).toContain('No changes.');
    else expect(body).toContain(expected.line);
  });

  it('replace and create-before-destroy: the order of each replacement is said', () => {
    expect(runs.get('replace')!.body).toContain('destroy, then create');
    expect(runs.get('create-before-destroy')!.body).toContain('create, then destroy');
  });

  it('move, import, forget: labelled as such, from the text plan', () => {
    expect(runs.get('move')!.body).toContain('moved from <code>terraform_data.old</code>');
    expect(runs.get('import')!.body).toContain('<code>existing-object-1</code>');
    const forget = runs.get('forget')!.body;
    expect(forget).toContain('Forget (removed from state, not destroyed)');
    expect(forget).toContain('will no longer be managed by Terraform, but will not be destroyed');
  });

  it('sensitive: no old or new secret anywhere, with plan-file and with plan-json alone', async () => {
    const plan = real.plans.get('sensitive')!;
    // Terraform's own JSON holds the old password unmarked under `output` of terraform_data.
    expect(readFileSync(path.join(plan.dir, 'plan.json'), 'utf8')).toContain(OLD_SECRET);
    const { run, body } = runs.get('sensitive')!;
    const jsonOnly = await runPlanComment(gh, { 'plan-json': path.join(plan.dir, 'plan.json'), name: 'sensitive-json', mode: 'off' });
    expect(jsonOnly.errors).toEqual([]);
    for (const secret of [OLD_SECRET, NEW_SECRET, OUTPUT_SECRET, `${OUTPUT_SECRET}-old`]) {
      expect(everything(run, [{ body }])).not.toContain(secret);
      expect(everything(jsonOnly, [])).not.toContain(secret);
    }
    expect(body).toContain('(sensitive value)');
    expect(jsonOnly.summary).toContain('(sensitive value)');
  });

  it('a real saved plan given as plan-text is refused in one line, before any GitHub call', async () => {
    const plan = real.plans.get('create')!;
    gh.clearRequests();
    const run = await runPlanComment(gh, { 'plan-json': path.join(plan.dir, 'plan.json'), 'plan-text': path.join(plan.dir, 'tfplan'), name: 'dev' }, { pr: 1 });
    expect(run.errors).toEqual([
      `Input 'plan-text' is '${path.join(plan.dir, 'tfplan')}', a saved plan (a binary file), not text; give the output of \`terraform show -no-color <planfile>\` (a saved plan goes to plan-file).`,
    ]);
    expect(gh.requests).toEqual([]);
  });

  it('failing-check: the failed check assertion is shown, as Terraform warns of it', () => {
    const plan = real.plans.get('failing-check')!;
    expect(plan.planOutput).toContain('Warning: Check block assertion failed');
    const { run, body } = runs.get('failing-check')!;
    for (const text of [body, run.summary]) {
      expect(text).toContain('check.web_is_v2');
      expect(text).toContain('The web input must be v2.');
    }
    expect(run.annotations.some((a) => a.level === 'warning' && a.message.includes('check.web_is_v2') && a.message.includes('The web input must be v2.'))).toBe(true);
  });
});

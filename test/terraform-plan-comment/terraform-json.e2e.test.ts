/**
 * Real plans of old Terraform versions (format 0.1 and 0.2, Terraform 0.12 to 1.0), from the test
 * data of hashicorp/terraform-json: every one through the engine, a sample through the bundle.
 * What terraform-json accepts (format >= 0.1, < 2.0) is read; format 2.x is refused in one line.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlanJson, PlanFormatError, PlanVersionError, preparePlan, renderPlan } from '../../packages/terraform-plan';
import { haveTerraformJson, rawCounts, terraformJsonPlans, terraformJsonTestdata } from './terraform-json';
import { REPO, runPlanComment, startWorld, tempFile, type GitHubSimulator } from './world';

/** The `Plan:` lines Terraform 0.12.6 printed for these plans (from their actions). */
const KNOWN_LINES: Record<string, string> = {
  basic: 'Plan: 7 to add, 0 to change, 0 to destroy.',
  config_resource_depends_on: 'Plan: 1 to add, 0 to change, 1 to destroy.',
  deep_module: 'Plan: 1 to add, 0 to change, 0 to destroy.',
  explicit_null: 'Plan: 3 to add, 0 to change, 0 to destroy.',
  has_changes: 'Plan: 0 to add, 0 to change, 0 to destroy.',
  nested_config_keys: 'Plan: 1 to add, 0 to change, 0 to destroy.',
  no_changes: 'Plan: 0 to add, 0 to change, 0 to destroy.',
  output_depends_on: 'Plan: 2 to add, 0 to change, 0 to destroy.',
  provider_version: 'Plan: 1 to add, 0 to change, 0 to destroy.',
  registry_module: 'Plan: 1 to add, 0 to change, 0 to destroy.',
};

const read = (name: string) => readFileSync(terraformJsonPlans.find((plan) => plan.name === name)!.file, 'utf8');

describe.skipIf(!haveTerraformJson)(`real plans from ${terraformJsonTestdata}`, () => {
  it('are all plans of format 0.1 or 0.2 (Terraform 0.12 to 1.0), several of them', () => {
    expect(terraformJsonPlans.length).toBeGreaterThanOrEqual(5);
    for (const { file } of terraformJsonPlans) expect(JSON.parse(readFileSync(file, 'utf8')).format_version).toMatch(/^0\.[12]$/);
  });

  it.each(terraformJsonPlans)('$name: read, counted as Terraform counts, rendered with every changed address', ({ name, file }) => {
    const json = readFileSync(file, 'utf8');
    const document = JSON.parse(json);
    const prepared = preparePlan(json);
    const raw = rawCounts(document);
    expect(prepared.plan.formatVersion).toBe(document.format_version);
    expect(prepared.counts).toMatchObject(raw);
    expect(prepared.summary).toBe(`Plan: ${raw.import > 0 ? `${raw.import} to import, ` : ''}${raw.add} to add, ${raw.change} to change, ${raw.destroy} to destroy.`);
    if (KNOWN_LINES[name]) expect(prepared.summary).toBe(KNOWN_LINES[name]);
    expect(prepared.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const { markdown } = renderPlan(
      { plan: prepared.plan, counts: prepared.counts, digest: prepared.digest, name: 'old', tool: 'Terraform' },
      { limit: 65_536 },
    );
    expect(markdown).toContain(`Terraform 0.12`);
    for (const resource of document.resource_changes ?? []) {
      if (resource.change.actions.join() !== 'no-op') expect(markdown).toContain(`<code>${resource.address}</code>`);
    }
    if (raw.add + raw.change + raw.destroy + raw.outputs === 0) expect(markdown).toContain('No changes.');
    else expect(markdown).toContain(prepared.summary);
  });

  it('format 0.2 (Terraform 0.15 to 1.0) is read like 0.1', () => {
    const document = { ...JSON.parse(read('config_resource_depends_on')), format_version: '0.2', terraform_version: '1.0.11' };
    const prepared = preparePlan(JSON.stringify(document));
    expect(prepared.summary).toBe('Plan: 1 to add, 0 to change, 1 to destroy.');
    expect(prepared.counts.replace).toBe(1);
  });
});

describe('format_version', () => {
  const plan = (formatVersion: unknown) => JSON.stringify({ format_version: formatVersion, planned_values: {}, resource_changes: [] });

  it('accepts what terraform-json accepts: >= 0.1, < 2.0', () => {
    for (const version of ['0.1', '0.2', '1.0', '1.1', '1.2', '1.9', '1.10']) expect(parsePlanJson(plan(version)).plan.formatVersion).toBe(version);
  });

  it('refuses 2.x and anything below 0.1 or not a version, in one line', () => {
    for (const version of ['2.0', '2.1', '10.0']) {
      expect(() => parsePlanJson(plan(version))).toThrow(new PlanVersionError(version));
      expect(() => parsePlanJson(plan(version))).toThrow(`its format_version is ${version}, which this action does not read (it reads 0.1 to 1.x, written by Terraform 0.12 and later)`);
    }
    for (const version of ['0.0', 'one', '', '1']) {
      expect(() => parsePlanJson(plan(version))).toThrow(new PlanFormatError(`its format_version is '${version}', not a plan format version (0.1 to 1.x); is it the output of \`terraform show -json <planfile>\`?`));
    }
  });

  it('a numeric format_version (Terraform always writes a string) is refused in one line', () => {
    expect(() => parsePlanJson(plan(1.2))).toThrow(
      new PlanFormatError('its format_version is the number 1.2, not the string "1.2" Terraform writes (a tool rewrote the file)'),
    );
  });
});

describe.skipIf(!haveTerraformJson)('a Terraform 0.12 plan through the bundle', () => {
  let gh: GitHubSimulator;
  let newPull: () => number;
  beforeAll(async () => ({ gh, newPull } = await startWorld()));
  afterAll(async () => gh?.close());

  it('basic (format 0.1): outputs, comment and summary as for any plan', async () => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-json': tempFile('plan.json', read('basic')), name: 'legacy' }, { pr });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ add: '7', change: '0', destroy: '0', 'has-changes': 'true', summary: KNOWN_LINES.basic });
    const [comment] = gh.state.comments(REPO, pr);
    expect(comment.body).toContain(KNOWN_LINES.basic);
    expect(comment.body).toContain('<code>module.foo.null_resource.aliased</code>');
    expect(run.summary).toContain('Terraform 0.12.6');
  });
});

describe('format_version errors through the bundle: one line, before any GitHub call', () => {
  let gh: GitHubSimulator;
  beforeAll(async () => ({ gh } = await startWorld()));
  afterAll(async () => gh?.close());

  it.each([
    ['2.0', `Input 'plan-json' is a plan of format_version 2.0, which this action does not read (it reads 0.1 to 1.x, written by Terraform 0.12 and later); use a release of this action that reads it, or plan with a Terraform that writes format 1.x.`],
    [1.2, `Input 'plan-json' is not a Terraform JSON plan: its format_version is the number 1.2, not the string "1.2" Terraform writes (a tool rewrote the file); give the output of \`terraform show -json <planfile>\`.`],
  ])('format_version %j', async (version, message) => {
    gh.clearRequests();
    const file = tempFile('plan.json', JSON.stringify({ format_version: version, planned_values: {}, resource_changes: [] }));
    const run = await runPlanComment(gh, { 'plan-json': file, name: 'dev' }, { pr: 1 });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toEqual([message]);
    expect(gh.requests).toEqual([]);
    expect(run.outputs).toEqual({});
  });
});

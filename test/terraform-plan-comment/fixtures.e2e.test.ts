/**
 * Every shared Terraform fixture through the built bundle and the GitHub simulator: counts right,
 * no sensitive value in what is posted, summarised, logged or output, failed plans as errors.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SECRETS, fixture, haveFixtures, readFixture } from './fixtures';
import { everything, fakeTerraform, REPO, runPlanComment, startWorld, tempFile, type GitHubSimulator } from './world';

let gh: GitHubSimulator;
let newPull: () => number;
beforeAll(async () => ({ gh, newPull } = await startWorld()));
afterAll(async () => gh?.close());

const PLANS: { name: string; line: string; outputs: Record<string, string> }[] = [
  { name: 'create-sensitive', line: 'Plan: 3 to add, 0 to change, 0 to destroy.', outputs: { add: '3', change: '0', destroy: '0', replace: '0', 'has-changes': 'true' } },
  { name: 'replace', line: 'Plan: 2 to add, 0 to change, 2 to destroy.', outputs: { add: '2', change: '0', destroy: '2', replace: '2', 'has-changes': 'true' } },
  { name: 'delete', line: 'Plan: 0 to add, 0 to change, 2 to destroy.', outputs: { add: '0', change: '0', destroy: '2', replace: '0', 'has-changes': 'true' } },
  { name: 'no-changes', line: 'Plan: 0 to add, 0 to change, 0 to destroy.', outputs: { add: '0', change: '0', destroy: '0', replace: '0', 'has-changes': 'false' } },
];

describe.skipIf(!haveFixtures)('shared fixtures through the bundle', () => {
  it.each(PLANS)('$name (plan-json + plan-text): counts, one comment, nothing sensitive anywhere', async ({ name, line, outputs }) => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-json': fixture(`${name}.plan.json`), 'plan-text': fixture(`${name}.plan.txt`), name: 'dev' }, { pr });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ ...outputs, summary: line, import: '0', move: '0' });
    expect(run.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const comments = gh.state.comments(REPO, pr);
    expect(comments).toHaveLength(1);
    expect(run.outputs['comment-id']).toBe(String(comments[0].id));
    expect(run.outputs['comment-url']).toContain(`/pull/${pr}#issuecomment-`);
    const body = comments[0].body;
    expect(body).toContain('<!-- connect2-actions:terraform-plan:dev -->');
    expect(body).toContain(run.outputs.digest);
    expect(body).toContain('f00dbabe1234');
    expect(body).toContain('/actions/runs/4242');
    if (name === 'no-changes') expect(body).toContain('No changes.');
    else expect(body).toContain(line);
    expect(run.summary).toContain(name === 'no-changes' ? 'No changes.' : line);
    for (const secret of FIXTURE_SECRETS) expect(everything(run, comments)).not.toContain(secret);
  });

  it('create-sensitive: the sensitive attribute shows as (sensitive value), the plain one as itself', async () => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-json': fixture('create-sensitive.plan.json'), name: 'dev' }, { pr });
    const body = gh.state.comments(REPO, pr)[0].body;
    expect(run.exitCode).toBe(0);
    // Without a text plan the diffs come from the JSON: redacted from the masks there.
    expect(body).toMatch(/content\s+= \(sensitive value\)/);
    expect(body).toContain('"foobar"');
    for (const secret of FIXTURE_SECRETS) expect(everything(run, [{ body }])).not.toContain(secret);
  });

  it('replace and delete: destroys and replacements are called out first, with reasons', async () => {
    for (const name of ['replace', 'delete']) {
      const pr = newPull();
      await runPlanComment(gh, { 'plan-json': fixture(`${name}.plan.json`), 'plan-text': fixture(`${name}.plan.txt`), name: 'dev' }, { pr });
      const body = gh.state.comments(REPO, pr)[0].body;
      const caution = body.indexOf('[!CAUTION]');
      expect(caution).toBeGreaterThan(0);
      expect(caution).toBeLessThan(body.indexOf('<details'));
      expect(body).toContain(name === 'replace' ? 'This plan replaces 2 resources.' : 'This plan destroys 2 resources.');
      expect(body).toMatch(name === 'replace' ? /destroy, then create; an attribute that cannot be updated in place changed; forced by <code>content<\/code>/ : /it is not in the configuration/);
    }
  });

  it('a plan-json written by PowerShell (UTF-16 with a BOM) is read like any other', async () => {
    const pr = newPull();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFixture('delete.plan.json'), 'utf16le')]);
    const file = tempFile('plan.json', '');
    writeFileSync(file, utf16);
    const run = await runPlanComment(gh, { 'plan-json': file, name: 'dev' }, { pr });
    expect(run.errors).toEqual([]);
    expect(run.outputs.summary).toBe('Plan: 0 to add, 0 to change, 2 to destroy.');
  });

  it('an OpenTofu text plan (its own wording) lends its diffs, and the comment says OpenTofu', async () => {
    const pr = newPull();
    const tofuText = readFixture('replace.plan.txt').replace(/Terraform/g, 'OpenTofu');
    expect(tofuText).toContain('OpenTofu will perform the following actions:');
    const run = await runPlanComment(gh, { 'plan-json': fixture('replace.plan.json'), 'plan-text': tempFile('plan.txt', tofuText), name: 'dev' }, { pr });
    expect(run.errors).toEqual([]);
    const body = gh.state.comments(REPO, pr)[0].body;
    expect(body).toContain('OpenTofu plan for <code>dev</code>');
    expect(body).toContain('(3 unchanged attributes hidden)');
    for (const secret of FIXTURE_SECRETS) expect(everything(run, [{ body }])).not.toContain(secret);
  });

  it('a coloured text plan (captured without -no-color) loses its ANSI codes', async () => {
    const pr = newPull();
    const coloured = readFixture('replace.plan.txt')
      .replace(/^(\s*)(-\/\+|~|\+|-) /gm, '$1\u001b[33m$2\u001b[0m ')
      .replace(/# (local_file\.\w+)/g, '\u001b[1m# $1\u001b[0m');
    expect(coloured).toContain('\u001b[');
    const run = await runPlanComment(gh, { 'plan-json': fixture('replace.plan.json'), 'plan-text': tempFile('plan.txt', coloured), name: 'dev' }, { pr });
    expect(run.errors).toEqual([]);
    const body = gh.state.comments(REPO, pr)[0].body;
    expect(body).not.toContain('\u001b');
    expect(run.summary).not.toContain('\u001b');
    // The text plan's own lines made it in (not the JSON rendering).
    expect(body).toContain('# forces replacement');
    expect(body).toContain('(3 unchanged attributes hidden)');
  });

  it('plan-file: runs `terraform show -json` and `-no-color` in working-directory through a terraform on PATH', async () => {
    const pr = newPull();
    const { bin, calls } = fakeTerraform();
    const workdir = mkdtempSync(path.join(tmpdir(), 'tpc-root-'));
    copyFileSync(fixture('replace.plan.json'), path.join(workdir, 'tfplan'));
    const run = await runPlanComment(gh, { 'plan-file': 'tfplan', 'working-directory': workdir, name: 'staging' }, {
      pr,
      env: { PATH: `${bin}:${process.env.PATH}`, FAKE_PLAN_JSON: fixture('replace.plan.json'), FAKE_PLAN_TEXT: fixture('replace.plan.txt') },
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs.summary).toBe('Plan: 2 to add, 0 to change, 2 to destroy.');
    const recorded = readFileSync(calls, 'utf8').trim().split('\n');
    expect(recorded).toEqual([`${workdir} show -json ${path.join(workdir, 'tfplan')}`, `${workdir} show -no-color ${path.join(workdir, 'tfplan')}`]);
    const body = gh.state.comments(REPO, pr)[0].body;
    // The text plan's heredoc diff made it into the comment (from `show -no-color`).
    expect(body).toContain('just a line with plus sign');
    for (const secret of FIXTURE_SECRETS) expect(everything(run, [{ body }])).not.toContain(secret);
    // The plan JSON is never echoed into the log (it holds sensitive values in clear text).
    expect(run.log).not.toContain('"format_version"');
  });

  it('plan-file with terraform-command: tofu is labelled OpenTofu', async () => {
    const pr = newPull();
    const { bin } = fakeTerraform('tofu');
    const plan = tempFile('tfplan', 'binary plan');
    const run = await runPlanComment(gh, { 'plan-file': plan, 'terraform-command': 'tofu', name: 'dev' }, {
      pr,
      env: { PATH: `${bin}:${process.env.PATH}`, FAKE_PLAN_JSON: fixture('delete.plan.json'), FAKE_PLAN_TEXT: '' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.destroy).toBe('2');
    expect(gh.state.comments(REPO, pr)[0].body).toContain('OpenTofu plan for');
  });

  it('the 300-create text plan (with its JSON twin rebuilt from its addresses): counts right, comment within the limit', async () => {
    const text = readFixture('large-300-creates.plan.txt');
    const addresses = [...text.matchAll(/^\s*# (\S+) will be created$/gm)].map((m) => m[1]);
    expect(addresses).toHaveLength(300);
    const json = {
      format_version: '1.2',
      planned_values: { root_module: {} },
      resource_changes: addresses.map((address) => ({ address, mode: 'managed', type: address.split('.').at(-2), change: { actions: ['create'], before: null, after: {}, after_unknown: { id: true } } })),
    };
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-json': tempFile('plan.json', JSON.stringify(json)), 'plan-text': fixture('large-300-creates.plan.txt'), name: 'big' }, { pr });
    expect(run.errors).toEqual([]);
    expect(run.outputs.add).toBe('300');
    expect(run.outputs.summary).toBe('Plan: 300 to add, 0 to change, 0 to destroy.');
    const body = gh.state.comments(REPO, pr)[0].body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('This plan was shortened to fit the size limit');
    expect(body).toContain('The full plan is in the job summary');
    expect(body).toMatch(/shortened to fit the size limit: \d+ of 300 diffs left out \(every address is still listed\)/);
    // The summary holds the unshortened render (183 KB of text fits well under 1 MiB).
    expect(run.summary.length).toBeGreaterThan(body.length);
    expect(run.summary).not.toContain('shortened');
    for (const address of addresses) expect(run.summary).toContain(address);
  });
});

describe.skipIf(!haveFixtures)('failed plans are errors, never "no changes"', () => {
  it.each([
    ['error.plan-json-ui.log', 'Unsupported block type (main.tf line 2).', 'main.tf line 2'],
    ['error-legacy-0.11.plan.txt', 'null_resource.foo: 1 error(s) occurred.', 'unknown function called: guid'],
  ])('%s: an error comment, and the step fails with the error', async (log, summary, detail) => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-outcome': 'failure', 'plan-log': fixture(log), name: 'dev' }, { pr });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toBe(`The Terraform plan for 'dev' failed: ${summary}`);
    const comments = gh.state.comments(REPO, pr);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('plan for <code>dev</code> failed');
    expect(comments[0].body).toContain(detail);
    expect(comments[0].body).not.toMatch(/No changes\./);
    expect(run.summary).toContain('failed');
    expect(run.outputs['comment-id']).toBe(String(comments[0].id));
  });

  it('a failure after a success edits the same comment into an error', async () => {
    const pr = newPull();
    await runPlanComment(gh, { 'plan-json': fixture('no-changes.plan.json'), name: 'dev' }, { pr });
    const run = await runPlanComment(gh, { 'plan-outcome': 'failure', 'plan-log': fixture('error.plan-json-ui.log'), name: 'dev' }, { pr });
    expect(run.exitCode).not.toBe(0);
    const comments = gh.state.comments(REPO, pr);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('failed');
    expect(comments[0].body).not.toContain('No changes.');
  });

  it('a failure without a plan-log still says it failed and where to look', async () => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-outcome': 'failure', name: 'dev' }, { pr });
    expect(run.exitCode).not.toBe(0);
    expect(gh.state.comments(REPO, pr)[0].body).toContain('No plan log was given');
  });
});

/**
 * Comment identity, size, the apply guard and input errors, through the built bundle and the
 * GitHub simulator.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from './generate';
import { FIXTURE_SECRETS, fixture, haveFixtures } from './fixtures';
import { everything, fakeTerraform, REPO, runPlanComment, startWorld, tempFile, type GitHubSimulator } from './world';

let gh: GitHubSimulator;
let newPull: () => number;
beforeAll(async () => ({ gh, newPull } = await startWorld()));
afterAll(async () => gh?.close());

const SECRET = 'gen-secret-value-7f3a';
const planFile = (options: Parameters<typeof generatePlan>[0]) => tempFile('plan.json', JSON.stringify(generatePlan(options)));

describe('one sticky comment per pull request and name', () => {
  it('a rerun with the same name edits the same comment; another name adds a second', async () => {
    const pr = newPull();
    const first = await runPlanComment(gh, { 'plan-json': planFile({ resources: 10 }), name: 'dev' }, { pr });
    expect(first.exitCode).toBe(0);
    const [original] = gh.state.comments(REPO, pr);

    const rerun = await runPlanComment(gh, { 'plan-json': planFile({ resources: 10, variant: 'second push' }), name: 'dev' }, { pr });
    expect(rerun.exitCode).toBe(0);
    const afterRerun = gh.state.comments(REPO, pr);
    expect(afterRerun).toHaveLength(1);
    expect(afterRerun[0].id).toBe(original.id);
    expect(rerun.outputs['comment-id']).toBe(String(original.id));
    expect(afterRerun[0].body).toContain(rerun.outputs.digest);
    expect(rerun.outputs.digest).not.toBe(first.outputs.digest);

    const staging = await runPlanComment(gh, { 'plan-json': planFile({ resources: 10 }), name: 'staging' }, { pr });
    const comments = gh.state.comments(REPO, pr);
    expect(comments).toHaveLength(2);
    expect(comments[1].id).toBe(Number(staging.outputs['comment-id']));
    expect(comments[1].body).toContain('<!-- connect2-actions:terraform-plan:staging -->');
    expect(comments[0].body).toContain('<!-- connect2-actions:terraform-plan:dev -->');
  });

  it('three concurrent matrix runs with three names end with exactly three comments', async () => {
    const pr = newPull();
    const names = ['dev', 'staging', 'prod'];
    const runs = await Promise.all(names.map((name, i) => runPlanComment(gh, { 'plan-json': planFile({ resources: 20 + i }), name }, { pr })));
    for (const run of runs) expect(run.exitCode).toBe(0);
    const comments = gh.state.comments(REPO, pr);
    expect(comments).toHaveLength(3);
    for (const name of names) expect(comments.filter((c) => c.body.includes(`<!-- connect2-actions:terraform-plan:${name} -->`))).toHaveLength(1);
    expect(new Set(runs.map((run) => run.outputs['comment-id']))).toEqual(new Set(comments.map((c) => String(c.id))));
  });

  it('mode: recreate posts anew and minimizes the old comment as OUTDATED', async () => {
    const pr = newPull();
    await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), name: 'dev' }, { pr });
    const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5, variant: 'x' }), name: 'dev', mode: 'recreate' }, { pr });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const comments = gh.state.comments(REPO, pr);
    expect(comments).toHaveLength(2);
    expect(comments[0]).toMatchObject({ minimized: true, minimizedReason: expect.stringMatching(/outdated/i) });
    expect(comments[1].minimized).toBe(false);
    expect(run.outputs['comment-id']).toBe(String(comments[1].id));
  });

  it('mode: off posts nothing and calls nothing, outputs and summary still produced', async () => {
    const pr = newPull();
    gh.clearRequests();
    const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), name: 'dev', mode: 'off' }, { pr });
    expect(run.exitCode).toBe(0);
    expect(gh.requests).toHaveLength(0);
    expect(run.outputs.add).toBe('2');
    expect(run.outputs['comment-id']).toBeUndefined();
    expect(run.summary).toContain('Plan: 2 to add, 2 to change, 3 to destroy.');
  });

  it('without a pull request (push event, no pr-number) there is no comment, and the log says so', async () => {
    gh.clearRequests();
    const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), name: 'dev' });
    expect(run.exitCode).toBe(0);
    expect(gh.requests).toHaveLength(0);
    expect(run.log).toMatch(/No pull request: .* no comment is posted/);
    expect(run.outputs.summary).toBe('Plan: 2 to add, 2 to change, 3 to destroy.');
    expect(run.summary).toContain('Plan: 2 to add, 2 to change, 3 to destroy.');
  });

  it("a read-only token (a fork's) fails with what to do, and the summary and outputs still stand", async () => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), name: 'dev' }, { pr, token: gh.readOnlyToken });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Could not comment the plan on pull request #\d+: the token cannot write to it \(HTTP 403\); give the job `permissions: pull-requests: write`/);
    expect(gh.state.comments(REPO, pr)).toHaveLength(0);
    expect(run.summary).toContain('Plan: 2 to add, 2 to change, 3 to destroy.');
    expect(run.outputs.digest).toMatch(/^sha256:/);
    expect(run.outputs['comment-id']).toBeUndefined();
  });

  it('names the head commit of the pull request (not the test merge commit) and lists changes in a log group', async () => {
    const pr = newPull();
    const head = 'c0ffee0000000000000000000000000000000001';
    const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), name: 'dev' }, { pr, event: { number: pr, pull_request: { number: pr, head: { sha: head } } } });
    expect(run.exitCode).toBe(0);
    const body = gh.state.comments(REPO, pr)[0].body;
    expect(body).toContain(`commit <a href="https://github.com/connect2/connect2-api/commit/${head}"><code>c0ffee000000</code></a>`);
    expect(body).not.toContain('f00dbabe1234');
    expect(run.log).toContain('::group::Resource changes (5)');
    expect(run.log).toMatch(/^delete {2}module\.app\[0\]\.aws_security_group_rule\.rule_00000$/m);
    expect(run.log).not.toContain(SECRET);
  });

  it('pr-number comments from a non-pull_request event, and wins over the event when both are there', async () => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), name: 'dev', 'pr-number': String(pr) });
    expect(run.exitCode).toBe(0);
    expect(gh.state.comments(REPO, pr)).toHaveLength(1);

    const other = newPull();
    const explicit = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), name: 'explicit', 'pr-number': String(other) }, { pr });
    expect(explicit.exitCode).toBe(0);
    expect(gh.state.comments(REPO, other)).toHaveLength(1);
    expect(gh.state.comments(REPO, pr)).toHaveLength(1);
  });

  it.skipIf(!haveFixtures)('fail-on-destroy fails the step after commenting', async () => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-json': fixture('delete.plan.json'), name: 'dev', 'fail-on-destroy': 'true' }, { pr });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toEqual([expect.stringContaining('destroys 2 resource(s)')]);
    expect(gh.state.comments(REPO, pr)).toHaveLength(1);
    expect(run.outputs.destroy).toBe('2');
  });
});

describe('GitHub answering badly', () => {
  it('a 5xx on posting is retried, and the PR ends with exactly one comment', async () => {
    const pr = newPull();
    const fault = gh.faults.serverError({ count: 1, status: 502, method: 'POST', path: /\/issues\/\d+\/comments$/ });
    try {
      const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), name: 'dev' }, { pr });
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(gh.calls('POST').filter((call) => call.status === 502)).toHaveLength(1);
      expect(gh.state.comments(REPO, pr)).toHaveLength(1);
    } finally {
      fault.remove();
    }
  });

  it('a secondary rate limit is waited out, then the comment is edited in place', async () => {
    const pr = newPull();
    await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), name: 'dev' }, { pr });
    const fault = gh.faults.rateLimit({ count: 1, kind: 'secondary', retryAfterSeconds: 1, method: 'PATCH' });
    try {
      const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5, variant: 'z' }), name: 'dev' }, { pr });
      expect(run.errors).toEqual([]);
      expect(run.annotations.some((a) => a.level === 'warning' && /secondary rate limit/.test(a.message))).toBe(true);
      const comments = gh.state.comments(REPO, pr);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toContain(run.outputs.digest);
    } finally {
      fault.remove();
    }
  });
});

describe('plans that must not pass as fine', () => {
  it('a JSON plan with errored: true is commented as partial and fails the step', async () => {
    const pr = newPull();
    const plan = { ...generatePlan({ resources: 3 }), errored: true };
    const run = await runPlanComment(gh, { 'plan-json': tempFile('plan.json', JSON.stringify(plan)), name: 'dev' }, { pr });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toEqual([expect.stringContaining("reported errors (errored: true)")]);
    const body = gh.state.comments(REPO, pr)[0].body;
    expect(body).toContain('the plan reported errors');
    expect(body).not.toContain('No changes.');
  });

  it('a plan-text from another plan is ignored with a warning (the JSON is the truth)', async () => {
    const pr = newPull();
    const text = tempFile('plan.txt', 'Terraform will perform the following actions:\n\n  # x.y will be created\n  + resource "x" "y" {}\n\nPlan: 1 to add, 0 to change, 0 to destroy.\n');
    const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 5 }), 'plan-text': text, name: 'dev' }, { pr });
    expect(run.exitCode).toBe(0);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([expect.stringContaining('plan-text was not used')]);
    expect(run.outputs.summary).toBe('Plan: 2 to add, 2 to change, 3 to destroy.');
  });

  it('an incomplete plan (deferred changes) says so: its own output, a warning, each deferral with its reason, in the digest', async () => {
    const pr = newPull();
    const complete = generatePlan({ resources: 5 });
    const deferredChange = {
      address: 'aws_subnet.private["a"]',
      mode: 'managed',
      type: 'aws_subnet',
      name: 'private',
      change: { actions: ['create'], before: null, after: { cidr_block: '10.0.1.0/24' }, after_unknown: { id: true } },
    };
    const incomplete = { ...complete, complete: false, deferred_changes: [{ reason: 'instance_count_unknown', resource_change: deferredChange }] };
    const run = await runPlanComment(gh, { 'plan-json': tempFile('plan.json', JSON.stringify(incomplete)), name: 'dev' }, { pr });
    const reference = await runPlanComment(gh, { 'plan-json': tempFile('plan.json', JSON.stringify(complete)), name: 'ref', mode: 'off' });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ deferred: '1', add: '2', summary: 'Plan: 2 to add, 2 to change, 3 to destroy.' });
    expect(reference.outputs.deferred).toBe('0');
    expect(run.outputs.digest).not.toBe(reference.outputs.digest);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      `The plan for 'dev' is incomplete: 1 resource change(s) were deferred to a later plan (aws_subnet.private["a"]: instance_count_unknown).`,
    ]);
    const body = gh.state.comments(REPO, pr)[0].body;
    for (const text of [body, run.summary]) {
      expect(text).toContain('**This plan is incomplete**');
      expect(text).toContain('<code>aws_subnet.private[&quot;a&quot;]</code> — deferred because the number of resource instances is unknown');
    }
  });

  it('plan-outcome: skipped posts nothing and passes', async () => {
    const pr = newPull();
    gh.clearRequests();
    const run = await runPlanComment(gh, { 'plan-outcome': 'skipped', name: 'dev' }, { pr });
    expect(run.exitCode).toBe(0);
    expect(gh.requests).toEqual([]);
    expect(run.log).toContain('plan-outcome is skipped');
  });
});

describe('size', () => {
  it('a 20,000-resource plan gives a comment within 65,536 characters that says it was shortened, and a job summary', async () => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 20_000 }), name: 'huge' }, { pr, timeoutMs: 120_000 });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ add: '12000', change: '6000', destroy: '6000', replace: '4000' });
    const [comment] = gh.state.comments(REPO, pr);
    expect(comment.body.length).toBeLessThanOrEqual(65_536);
    expect(Buffer.byteLength(comment.body)).toBeLessThanOrEqual(65_536);
    expect(comment.body).toContain('This plan was shortened to fit the size limit');
    expect(comment.body).toContain('Plan: 12000 to add, 6000 to change, 6000 to destroy.');
    expect(comment.body).toContain('The full plan is in the job summary');
    // Destroys and replacements are listed before anything else.
    expect(comment.body).toContain('module.app[0].aws_security_group_rule.rule_00000');
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1024 * 1024);
    expect(run.summary.length).toBeGreaterThan(comment.body.length);
    expect(run.summary).toContain('Plan: 12000 to add, 6000 to change, 6000 to destroy.');
    expect(everything(run, [comment])).not.toContain(SECRET);
  });
});

describe('apply guard (expected-digest)', () => {
  it('passes for the same changes listed in another order, fails for a different plan', async () => {
    const reviewed = await runPlanComment(gh, { 'plan-json': planFile({ resources: 200 }), name: 'dev', mode: 'off' });
    const digest = reviewed.outputs.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const reordered = await runPlanComment(gh, { 'plan-json': planFile({ resources: 200, shuffled: true }), name: 'dev', mode: 'off', 'expected-digest': digest });
    expect(reordered.errors).toEqual([]);
    expect(reordered.exitCode).toBe(0);
    expect(reordered.outputs.digest).toBe(digest);

    const different = await runPlanComment(gh, { 'plan-json': planFile({ resources: 200, variant: 'drifted' }), name: 'dev', mode: 'off', 'expected-digest': digest });
    expect(different.exitCode).not.toBe(0);
    expect(different.errors).toHaveLength(1);
    expect(different.errors[0]).toContain(`differs from the reviewed plan: digest ${different.outputs.digest}, expected ${digest}`);

    // A changed sensitive value is a different plan too, and still nothing of it is printed.
    const secretChanged = await runPlanComment(gh, { 'plan-json': planFile({ resources: 200, secret: 'rotated-secret-9b1c' }), name: 'dev', mode: 'off', 'expected-digest': digest.slice('sha256:'.length) });
    expect(secretChanged.exitCode).not.toBe(0);
    expect(everything(secretChanged, [])).not.toContain('rotated-secret-9b1c');
  });

  it('on a pull request, a mismatch is written into the comment as well', async () => {
    const pr = newPull();
    const run = await runPlanComment(gh, { 'plan-json': planFile({ resources: 10, variant: 'y' }), name: 'dev', 'expected-digest': `sha256:${'0'.repeat(64)}` }, { pr });
    expect(run.exitCode).not.toBe(0);
    expect(gh.state.comments(REPO, pr)[0].body).toContain('This plan is not the plan that was reviewed');
  });
});

describe('bad input fails with one line naming the input, before any GitHub call', () => {
  const notAPlan = tempFile('state.json', JSON.stringify({ format_version: '1.0', terraform_version: '1.9.0', values: { root_module: {} } }));
  const stream = tempFile('plan.log', '{"@level":"info","@message":"Terraform 1.9.0","type":"version"}\n{"@level":"error","@message":"Error: x","type":"diagnostic"}\n');
  const cases: [string, Record<string, string>, RegExp][] = [
    ['no plan at all', {}, /^Input 'plan-json' and plan-file are both empty; /],
    ['both plan-json and plan-file', { 'plan-json': 'a.json', 'plan-file': 'tfplan' }, /^Input 'plan-json' and plan-file are both set; set only one/],
    ['a plan-json that does not exist', { 'plan-json': '/nonexistent/plan.json' }, /^Input 'plan-json' is '\/nonexistent\/plan.json', which does not exist; give the path of the output of `terraform show -json <planfile>`\.$/],
    ['a plan-json that is not JSON', { 'plan-json': tempFile('plan.json', 'Terraform will perform the following actions:') }, /^Input 'plan-json' is not a Terraform JSON plan: it is not valid JSON .*; give the output of `terraform show -json <planfile>`\.$/],
    ['a plan-json that is empty', { 'plan-json': tempFile('plan.json', '') }, /^Input 'plan-json' is not a Terraform JSON plan: the file is empty; /],
    ['a state instead of a plan', { 'plan-json': notAPlan }, /^Input 'plan-json' is not a Terraform JSON plan: it is a state, not a plan/],
    ['the plan -json log stream', { 'plan-json': stream }, /^Input 'plan-json' is not a Terraform JSON plan: it is the `terraform plan -json` log stream/],
    ['a plan-file that does not exist', { 'plan-file': 'missing.tfplan' }, /^Input 'plan-file' is 'missing.tfplan', which does not exist; /],
    ['a plan-file terraform cannot run on', { 'plan-file': tempFile('tfplan', 'x'), 'terraform-command': 'no-such-terraform-binary' }, /^Input 'plan-file' could not be read: could not run `no-such-terraform-binary`/],
    ['a plan-text that does not exist', { 'plan-json': planFile({ resources: 1 }), 'plan-text': 'missing.txt' }, /^Input 'plan-text' is 'missing.txt', which does not exist; /],
    ['a plan-log that does not exist', { 'plan-outcome': 'failure', 'plan-log': 'missing.log' }, /^Input 'plan-log' is 'missing.log', which does not exist; /],
    ['a bad mode', { 'plan-json': planFile({ resources: 1 }), mode: 'upsert' }, /^Input 'mode' is 'upsert'; use one of 'update', 'recreate', 'off'\.$/],
    ['a bad plan-outcome', { 'plan-json': planFile({ resources: 1 }), 'plan-outcome': 'failed' }, /^Input 'plan-outcome' is 'failed'; use one of /],
    ['a malformed expected-digest', { 'plan-json': planFile({ resources: 1 }), 'expected-digest': 'abc123' }, /^Input 'expected-digest' is 'abc123', not a plan digest; /],
    ['a bad pr-number', { 'plan-json': planFile({ resources: 1 }), 'pr-number': '#12' }, /^Input 'pr-number' is '#12', not a whole number; /],
    ['a bad fail-on-destroy', { 'plan-json': planFile({ resources: 1 }), 'fail-on-destroy': 'maybe' }, /^Input 'fail-on-destroy' is 'maybe', not a boolean; /],
    ['a name that would break the marker', { 'plan-json': planFile({ resources: 1 }), name: 'dev --><b>' }, /^Input 'name' is 'dev --><b>', which has line breaks/],
    ['an empty github-token on a pull request', { 'plan-json': planFile({ resources: 1 }), 'github-token': ' ' }, /^Input 'github-token' is empty; /],
  ];

  it.each(cases)('%s', async (_label, inputs, message) => {
    gh.clearRequests();
    const run = await runPlanComment(gh, { name: 'dev', ...inputs }, { pr: 1 });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(message);
    expect(run.errors[0].split('\n')).toHaveLength(1);
    expect(gh.requests).toEqual([]);
    expect(run.outputs).toEqual({});
  });

  // A saved plan is a zip archive; other binaries hold NUL bytes. Neither is a text plan or JSON.
  const binary = (name: string, bytes: Buffer) => {
    const file = tempFile(name, '');
    writeFileSync(file, bytes);
    return file;
  };
  const savedPlan = binary('tfplan', Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0008\u0000', 'latin1'), Buffer.from('tfplan', 'utf8'), Buffer.alloc(64)]));
  const otherBinary = binary('plan.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]));
  it.each([
    ['a saved plan as plan-text', { 'plan-json': planFile({ resources: 1 }), 'plan-text': savedPlan }, `Input 'plan-text' is '${savedPlan}', a saved plan (a binary file), not text; give the output of \`terraform show -no-color <planfile>\` (a saved plan goes to plan-file).`],
    ['a binary file as plan-text', { 'plan-json': planFile({ resources: 1 }), 'plan-text': otherBinary }, `Input 'plan-text' is '${otherBinary}', a binary file, not text; give the output of \`terraform show -no-color <planfile>\`.`],
    ['a saved plan as plan-json', { 'plan-json': savedPlan }, `Input 'plan-json' is '${savedPlan}', a saved plan (a binary file), not text; give the output of \`terraform show -json <planfile>\` (a saved plan goes to plan-file).`],
    ['a binary file as plan-log', { 'plan-outcome': 'failure', 'plan-log': otherBinary }, `Input 'plan-log' is '${otherBinary}', a binary file, not text; give the file the plan step wrote its output to (e.g. \`terraform plan -no-color 2>&1 | tee plan.log\`).`],
  ])('%s: one line that says so', async (_label, inputs, message) => {
    gh.clearRequests();
    const run = await runPlanComment(gh, { name: 'dev', ...inputs }, { pr: 1 });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toEqual([message]);
    expect(gh.requests).toEqual([]);
    expect(run.outputs).toEqual({});
  });

  it('a plan-file terraform refuses: the line says what terraform said', async () => {
    gh.clearRequests();
    const { bin } = fakeTerraform();
    const run = await runPlanComment(gh, { 'plan-file': tempFile('tfplan', 'not a plan'), name: 'dev' }, { pr: 1, env: { PATH: `${bin}:${process.env.PATH}`, FAKE_NOT_A_PLAN: '1' } });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Input 'plan-file' could not be read: `terraform show -json \S+tfplan` exited with 1: Error: Failed to read the given file as a state or plan file; give a plan saved by `terraform plan -out=<file>`/);
    expect(gh.requests).toEqual([]);
  });

  it('a sensitive value in a malformed plan is not echoed in the error', async () => {
    gh.clearRequests();
    const broken = tempFile('plan.json', `{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":["create"],"after":{"password":"${SECRET}"},"after_sensitive":{"password":true}}}`);
    const run = await runPlanComment(gh, { 'plan-json': broken, name: 'dev' }, { pr: 1 });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Input 'plan-json' is not a Terraform JSON plan: it is not valid JSON/);
    expect(everything(run, [])).not.toContain(SECRET);
    expect(gh.requests).toEqual([]);
  });

  it('JSON errors point at a line and column, never quote the input (V8 would quote the secret)', async () => {
    gh.clearRequests();
    const bare = await runPlanComment(gh, { 'plan-json': tempFile('plan.json', SECRET), name: 'dev' }, { pr: 1 });
    expect(bare.errors).toEqual([`Input 'plan-json' is not a Terraform JSON plan: it is not valid JSON (it does not start like JSON); give the output of \`terraform show -json <planfile>\`.`]);
    const inner = await runPlanComment(gh, { 'plan-json': tempFile('plan.json', `{"format_version":"1.2",\n"password": "${SECRET}" x}`), name: 'dev' }, { pr: 1 });
    expect(inner.errors[0]).toMatch(/it is not valid JSON \(error at line 2, column \d+\)/);
    for (const run of [bare, inner]) expect(everything(run, [])).not.toContain(SECRET);
    expect(gh.requests).toEqual([]);
  });
});

// Keeps the generated file helper honest: FIXTURE_SECRETS must not appear in generated plans.
it('generated plans do not contain the fixture secrets', () => {
  const file = planFile({ resources: 3 });
  writeFileSync(file, JSON.stringify(generatePlan({ resources: 3 })));
  for (const secret of FIXTURE_SECRETS) expect(JSON.stringify(generatePlan({ resources: 3 }))).not.toContain(secret);
});

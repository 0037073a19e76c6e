/**
 * api-diff through its built bundle against the GitHub simulator, on pull_request events: a breaking
 * change fails with a sticky comment, the fix updates that comment, an allowed break passes, no change
 * posts nothing, and bad inputs stop it before any GitHub call.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGitHubSimulator } from '../../packages/simulators/github';
import { runAction, type ActionRun } from '../harness/run-action';
import { usersApi, withoutEmail, type Spec } from './specs';

type GitHub = Awaited<ReturnType<typeof startGitHubSimulator>>;
const REPO = 'connect2/connect2-api';
let gh: GitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

function specFile(spec: Spec | string, name = 'openapi.json'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'api-diff-bundle-'));
  writeFileSync(path.join(dir, name), typeof spec === 'string' ? spec : JSON.stringify(spec));
  return path.join(dir, name);
}

async function world(): Promise<{ gh: GitHub; pr: number }> {
  gh = await startGitHubSimulator();
  gh.seed.pull(REPO, { number: 7, head: 'feature/users-v2', base: 'development', title: 'feat: users v2', files: ['app/api/users.py'] });
  return { gh, pr: 7 };
}

function run(github: GitHub, pr: number | undefined, inputs: Record<string, string>, labels: string[] = []): Promise<ActionRun> {
  return runAction('api-diff', {
    token: github.token,
    eventName: pr === undefined ? 'push' : 'pull_request',
    event: pr === undefined ? {} : { action: labels.length ? 'labeled' : 'synchronize', number: pr, pull_request: { number: pr, labels: labels.map((name) => ({ name })) } },
    inputs,
    env: { ...github.env, GITHUB_RUN_ID: '4242' },
  });
}

describe('api-diff bundle', () => {
  it('a field removed from /users fails the step with a sticky comment; the fix updates the comment', async () => {
    const { gh: github, pr } = await world();
    const base = specFile(usersApi());
    const broken = await run(github, pr, { 'base-spec': base, 'head-spec': specFile(withoutEmail()) });
    expect(broken.exitCode).not.toBe(0);
    expect(broken.outputs.breaking).toBe('true');
    expect(broken.outputs.summary).toMatch(/^\d+ breaking, \d+ other changes?$/);
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors[0]).toMatch(/^\d+ breaking API changes \(api\): GET \/api\/v1\/users: .*email.*Label the pull request 'breaking-change' to allow an intended break \(the release is then major\), or set fail-on-breaking: false\.$/);
    const changes = JSON.parse(broken.outputs.changes);
    expect(changes[0]).toEqual({ kind: 'removed', path: '/api/v1/users', method: 'GET', breaking: true, message: expect.stringMatching(/email/) });
    let comments = github.state.comments(REPO, pr);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/API compatibility \(api\): \d+ breaking/);
    expect(comments[0].body).toMatch(/GET \/api\/v1\/users/);
    expect(broken.summary).toMatch(/### Breaking changes/);

    const fixed = await run(github, pr, { 'base-spec': base, 'head-spec': specFile(usersApi()) });
    expect(fixed.errors).toEqual([]);
    expect(fixed.outputs.breaking).toBe('false');
    expect(fixed.outputs.summary).toBe('no changes');
    comments = github.state.comments(REPO, pr);
    expect(comments).toHaveLength(1); // updated in place
    expect(comments[0].body).toMatch(/✅ API compatibility \(api\): no changes/);
  });

  it('fail-on-breaking: false passes with breaking true and says the release must say it', async () => {
    const { gh: github, pr } = await world();
    const result = await run(github, pr, { 'base-spec': specFile(usersApi()), 'head-spec': specFile(withoutEmail()), 'fail-on-breaking': 'false' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.breaking).toBe('true');
    expect(github.state.comments(REPO, pr)[0].body).toMatch(/allowed here \(`fail-on-breaking: false`\)/);
  });

  it('a PR labelled breaking-change (the default breaking-label) passes: the break is intended, reported, and the release will be major', async () => {
    const { gh: github, pr } = await world();
    const inputs = { 'base-spec': specFile(usersApi()), 'head-spec': specFile(withoutEmail()) };
    const unlabelled = await run(github, pr, inputs, ['enhancement']);
    expect(unlabelled.exitCode).not.toBe(0);
    expect(unlabelled.outputs['allowed-by-label']).toBe('false');
    expect(unlabelled.errors[0]).toMatch(/Label the pull request 'breaking-change' to allow an intended break \(the release is then major\)/);
    expect(github.state.comments(REPO, pr)[0].body).toMatch(/label the pull request `breaking-change`/);

    const labelled = await run(github, pr, inputs, ['enhancement', 'Breaking-Change']);
    expect(labelled.errors).toEqual([]);
    expect(labelled.exitCode).toBe(0);
    expect(labelled.outputs).toMatchObject({ breaking: 'true', 'allowed-by-label': 'true' });
    expect(labelled.log).toMatch(/carries the label 'Breaking-Change': the breaking changes below are an intended break/);
    const comments = github.state.comments(REPO, pr);
    expect(comments).toHaveLength(1); // the same sticky comment, now saying the break is allowed
    expect(comments[0].body).toMatch(/⚠️ API compatibility \(api\): \d+ breaking/);
    expect(comments[0].body).toMatch(/carries the label `Breaking-Change`, so the break is intended and allowed: the release that ships it is a major version/);
  });

  it("breaking-label: '' lets no label allow a break; another label name only its own", async () => {
    const { gh: github, pr } = await world();
    const inputs = { 'base-spec': specFile(usersApi()), 'head-spec': specFile(withoutEmail()) };
    const off = await run(github, pr, { ...inputs, 'breaking-label': '' }, ['breaking-change']);
    expect(off.exitCode).not.toBe(0);
    expect(off.errors[0]).toMatch(/Set fail-on-breaking: false to allow an intended break\.$/);
    const own = await run(github, pr, { ...inputs, 'breaking-label': 'api-major' }, ['breaking-change']);
    expect(own.exitCode).not.toBe(0);
    expect(own.errors[0]).toMatch(/Label the pull request 'api-major'/);
    const allowed = await run(github, pr, { ...inputs, 'breaking-label': 'api-major' }, ['api-major']);
    expect(allowed.exitCode).toBe(0);
  });

  it('no API change on a PR posts no comment; outside a PR none either, the summary has the report', async () => {
    const { gh: github, pr } = await world();
    const same = await run(github, pr, { 'base-spec': specFile(usersApi()), 'head-spec': specFile(usersApi()) });
    expect(same.errors).toEqual([]);
    expect(github.state.comments(REPO, pr)).toHaveLength(0);
    const push = await run(github, undefined, { 'base-spec': specFile(usersApi()), 'head-spec': specFile(withoutEmail()), 'fail-on-breaking': 'false' });
    expect(push.outputs.breaking).toBe('true');
    expect(push.log).toMatch(/Not a pull request event: no comment/);
    expect(github.mutatingCalls()).toHaveLength(0);
  });

  it('a read-only token (a fork) is a warning; the verdict stands', async () => {
    const { gh: github, pr } = await world();
    const result = await runAction('api-diff', {
      token: github.readOnlyToken,
      eventName: 'pull_request',
      event: { number: pr, pull_request: { number: pr } },
      inputs: { 'base-spec': specFile(usersApi()), 'head-spec': specFile(withoutEmail()) },
      env: { ...github.env },
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/breaking API change/);
    expect(result.annotations.filter((a) => a.level === 'warning').map((a) => a.message).join('\n')).toMatch(/Could not comment on pull request #7: the token cannot write to it \(HTTP 403\)/);
  });

  it.each([
    ['base-spec', { 'base-spec': '/nonexistent/openapi.json' }, /^Input 'base-spec' is '\/nonexistent\/openapi.json', which cannot be read \(no such file\)/],
    ['head-spec', { 'head-spec': 'SWAGGER' }, /^Input 'head-spec' .* not an OpenAPI 3.0 or 3.1 document \(Swagger 2.0\)/],
    ['fail-on-breaking', { 'fail-on-breaking': 'maybe' }, /^Input 'fail-on-breaking' is 'maybe', not a boolean/],
    ['name', { name: 'my api!' }, /^Input 'name' is 'my api!'/],
    ['breaking-label', { 'breaking-label': 'breaking-change, major' }, /^Input 'breaking-label' is 'breaking-change, major', not one GitHub label name/],
  ])('bad %s: one line naming it, no GitHub call', async (_name, extra, message) => {
    const { gh: github, pr } = await world();
    const inputs: Record<string, string> = { 'base-spec': specFile(usersApi()), 'head-spec': specFile(withoutEmail()), ...extra };
    if (inputs['head-spec'] === 'SWAGGER') inputs['head-spec'] = specFile({ swagger: '2.0', info: {}, paths: {} });
    const result = await run(github, pr, inputs);
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(github.requests).toHaveLength(0);
  });
});

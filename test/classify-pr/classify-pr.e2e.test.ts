/**
 * classify-pr end to end: the built bundle (dist/classify-pr) on Node 24, as the runner starts it,
 * against the local GitHub simulator over real HTTP. What a workflow would see: exit code, outputs,
 * annotations, job summary, and what ended up on the PR (comments, labels) per the simulator's state
 * and request log.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';
import { pullRequestEvent, runAction, type RunActionOptions } from '../harness/run-action';
import { bigPullRepo, commitAll, git, removeTempDirs, tempDir, tempRepo, writeFiles } from './git-fixtures';

const REPO = 'connect2/connect2-api';
let gh: GitHubSimulator;

beforeEach(async () => {
  gh = await startGitHubSimulator();
});
afterEach(async () => {
  await gh.close();
});
afterAll(removeTempDirs);

let shaCounter = 0;
const fakeSha = () => (++shaCounter).toString(16).padStart(40, 'a');

interface Pull {
  number: number;
  head: string;
  base: string;
  headSha: string;
  baseSha: string;
  changedFiles: number;
  headRepository?: string | null;
}

/** Seeds a pull with these files and returns what its pull_request event carries. */
function seedPull(head: string, base: string, files: Parameters<GitHubSimulator['seed']['pull']>[1]['files'] = [], shas: { headSha?: string; baseSha?: string; changedFiles?: number } = {}): Pull {
  const headSha = shas.headSha ?? fakeSha();
  const baseSha = shas.baseSha ?? fakeSha();
  const number = gh.seed.pull(REPO, { head, base, headSha, baseSha, files });
  return { number, head, base, headSha, baseSha, changedFiles: shas.changedFiles ?? files.length };
}

function classify(pull: Pull, inputs: RunActionOptions['inputs'] = {}, options: Partial<RunActionOptions> = {}) {
  return runAction('classify-pr', {
    inputs,
    env: gh.env,
    eventName: 'pull_request',
    event: pullRequestEvent(pull),
    token: gh.token,
    ...options,
  });
}

const json = (value: string | undefined) => JSON.parse(value ?? 'null') as unknown;
const comments = (pull: Pull) => gh.state.comments(REPO, pull.number);
const labels = (pull: Pull) => gh.state.labels(REPO, pull.number).sort();

describe('classify-pr against the GitHub simulator', () => {
  it('an application-only PR passes, is labelled application and gets no comment', async () => {
    const pull = seedPull('feature/users', 'development', ['app/api/routes/users.py', 'app/models/user.py', 'tests/test_users.py']);
    const run = await classify(pull);
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ type: 'application', 'files-count': '3', flow: 'ok' });
    expect(json(run.outputs['application-files'])).toEqual(['app/api/routes/users.py', 'app/models/user.py', 'tests/test_users.py']);
    expect(json(run.outputs['infrastructure-files'])).toEqual([]);
    expect(labels(pull)).toEqual(['application']);
    expect(comments(pull)).toEqual([]);
    expect(run.summary).toContain('classify-pr: application');
    expect(run.summary).toContain('### Application files (3)');
    expect(run.summary).toContain('| `app/models/user.py` | modified |');
    // The files came from the API, 100 per page.
    expect(gh.calls('GET', `/repos/${REPO}/pulls/${pull.number}/files`).length).toBe(1);
  });

  it('an infrastructure-only PR passes and is labelled infrastructure', async () => {
    const pull = seedPull('infra/redis', 'development', [
      'infrastructure/terraform/modules/redis/main.tf',
      'infrastructure/terraform/environments/dev/terraform.tfvars',
      '.github/workflows/deploy.yml',
      { filename: 'app/alembic/versions/0002_sessions.py', status: 'added' },
    ]);
    const run = await classify(pull);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ type: 'infrastructure', 'files-count': '4', flow: 'ok' });
    expect(json(run.outputs['application-files'])).toEqual([]);
    expect(labels(pull)).toEqual(['infrastructure']);
    expect(comments(pull)).toEqual([]);
    expect(run.summary).toContain('| `.github/workflows/deploy.yml` | modified | `.github/workflows/**` |');
  });

  it('a mixed PR fails with an error annotation, one comment listing both kinds, and the mixed label', async () => {
    const pull = seedPull('feature/auth-with-redis', 'development', [
      'app/api/routes/auth.py',
      'infrastructure/terraform/modules/redis/main.tf',
      { filename: 'app/db/migrations/versions/0001_init.py', previous_filename: 'alembic/0001_init.py', status: 'renamed' },
    ]);
    const run = await classify(pull);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^This PR mixes infrastructure \(2 files\) and application \(2 files\) changes/);
    expect(run.outputs.type).toBe('mixed');
    expect(json(run.outputs['infrastructure-files'])).toEqual(['infrastructure/terraform/modules/redis/main.tf', 'app/db/migrations/versions/0001_init.py']);
    expect(json(run.outputs['application-files'])).toEqual(['app/api/routes/auth.py', 'alembic/0001_init.py']);
    expect(labels(pull)).toEqual(['mixed-changes']);
    const [comment, ...others] = comments(pull);
    expect(others).toEqual([]);
    expect(comment.body).toContain('never mix infrastructure changes and application code');
    expect(comment.body).toContain('#### Infrastructure (2 files)\n- `infrastructure/terraform/modules/redis/main.tf`');
    expect(comment.body).toContain('- `alembic/0001_init.py` (renamed to `app/db/migrations/versions/0001_init.py`)');
    expect(comment.body).toMatch(/infrastructure PR first/);
    expect(run.summary).toContain('classify-pr: mixed');

    // A rerun edits nothing and adds nothing.
    const before = gh.mutatingCalls().length;
    const rerun = await classify(pull);
    expect(rerun.exitCode).toBe(1);
    expect(comments(pull)).toHaveLength(1);
    expect(gh.mutatingCalls().length).toBe(before);
  });

  it('fail-on-mixed: false reports a mixed PR without failing', async () => {
    const pull = seedPull('feature/x', 'development', ['app/main.py', 'Dockerfile']);
    const run = await classify(pull, { 'fail-on-mixed': 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.type).toBe('mixed');
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message).join('\n')).toMatch(/mixes infrastructure .* fail-on-mixed is false/);
    expect(comments(pull)).toHaveLength(1);
  });

  it('a mixed promotion PR (staging -> main) is reported, not failed or commented on', async () => {
    const pull = seedPull('staging', 'main', ['app/api/routes/users.py', 'infrastructure/terraform/modules/redis/main.tf']);
    const run = await classify(pull);
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ type: 'mixed', flow: 'ok' });
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      expect.stringMatching(/mixes infrastructure .* \(not failing: a promotion PR from 'staging' \(promotion-branches\)/),
    ]);
    expect(labels(pull)).toEqual(['mixed-changes']);
    expect(comments(pull)).toEqual([]);
    expect(run.summary).toContain("| Type | mixed (allowed: a promotion PR from 'staging'");
    // Passing, it is not presented as a failure.
    expect(run.summary.split('\n')[0]).toBe('## 🔀 classify-pr: mixed (allowed)');
    // With no promotion branches the same PR fails.
    const strict = await classify(pull, { 'promotion-branches': '' });
    expect(strict.exitCode).toBe(1);
    expect(comments(pull)).toHaveLength(1);
  });

  it("a fork's branch named staging is no promotion: the mixed PR fails, and so does the flow", async () => {
    const pull = { ...seedPull('staging', 'main', ['app/api/routes/users.py', 'infrastructure/terraform/modules/redis/main.tf']), headRepository: 'mallory/connect2-api' };
    const run = await classify(pull);
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ type: 'mixed', flow: 'violation' });
    expect(run.errors[0]).toMatch(/^This PR mixes infrastructure \(1 file\) and application \(1 file\) changes/);
    expect(run.log).toContain("Branch 'staging' comes from the fork 'mallory/connect2-api', not from connect2/connect2-api");
    expect(comments(pull)).toHaveLength(1);
    expect(run.summary.split('\n')[0]).toBe('## ❌ classify-pr: mixed');
  });

  it('default globs: an api.Dockerfile next to application code makes the PR mixed', async () => {
    const pull = seedPull('feature/build', 'development', ['app/main.py', 'docker/api.Dockerfile']);
    const run = await classify(pull);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.type).toBe('mixed');
    expect(json(run.outputs['infrastructure-files'])).toEqual(['docker/api.Dockerfile']);
  });

  it('the mixed PR, fixed by a push, gets the same comment updated and its labels swapped', async () => {
    // The simulator cannot change a seeded pull's files, so this PR's list comes from git: the API
    // lists none while the event says how many the head changes (the fallback the 3000-file cap needs).
    const dir = tempRepo();
    writeFiles(dir, { 'README.md': '# api\n' });
    const baseSha = commitAll(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'feature/sessions');
    writeFiles(dir, { 'app/sessions.py': 'x = 1\n', 'infrastructure/terraform/redis.tf': 'resource "x" "y" {}\n' });
    const mixedSha = commitAll(dir, 'sessions with redis');
    git(dir, 'rm', '-q', 'infrastructure/terraform/redis.tf');
    const fixedSha = commitAll(dir, 'move redis to its own PR');

    const pull = seedPull('feature/sessions', 'development', [], { headSha: mixedSha, baseSha, changedFiles: 2 });
    const first = await classify(pull, {}, { cwd: dir });
    expect(first.exitCode).toBe(1);
    expect(first.outputs.type).toBe('mixed');
    expect(labels(pull)).toEqual(['mixed-changes']);
    const [posted] = comments(pull);
    expect(posted.body).toContain('- `infrastructure/terraform/redis.tf`');

    const fixed = await classify({ ...pull, headSha: fixedSha, changedFiles: 1 }, {}, { cwd: dir });
    expect(fixed.errors).toEqual([]);
    expect(fixed.exitCode).toBe(0);
    expect(fixed.outputs).toMatchObject({ type: 'application', 'files-count': '1' });
    const after = comments(pull);
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(posted.id);
    expect(after[0].body).toMatch(/Resolved: this PR no longer mixes/);
    expect(after[0].body).toContain('only application code (1 file)');
    expect(labels(pull)).toEqual(['application']);
    expect(gh.calls('POST', `/repos/${REPO}/issues/${pull.number}/comments`)).toHaveLength(1);
    expect(gh.calls('DELETE', `/repos/${REPO}/issues/${pull.number}/labels/mixed-changes`)).toHaveLength(1);
  });

  it('a PR that was never mixed gets no "fixed" comment', async () => {
    const pull = seedPull('feature/y', 'development', ['app/y.py']);
    await classify(pull);
    expect(gh.calls('POST', `/repos/${REPO}/issues/${pull.number}/comments`)).toEqual([]);
    expect(comments(pull)).toEqual([]);
  });

  it('a feature branch aimed at main violates the flow, naming the allowed base', async () => {
    const pull = seedPull('feature/login', 'main', ['app/login.py']);
    const run = await classify(pull);
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ type: 'application', flow: 'violation' });
    expect(run.errors).toEqual([
      "Branch 'feature/login' may not be merged into 'main': the branch flow allows 'feature/login' only into 'development'. Change the PR's base branch, or rename the branch if it is of another kind.",
    ]);
    expect(run.summary).toContain('❌ violation');
  });

  it('a branch no rule covers fails saying so', async () => {
    const pull = seedPull('experiment/x', 'development', ['app/x.py']);
    const run = await classify(pull);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/no branch-flow rule covers 'experiment\/x'/);
  });

  it('a hotfix to main follows the flow', async () => {
    const pull = seedPull('hotfix/login-500', 'main', ['app/api/routes/login.py']);
    const run = await classify(pull);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ type: 'application', flow: 'ok' });
    expect(run.summary).toContain('rule `hotfix/* -> main`');
  });

  it('an empty branch-flow skips the check', async () => {
    const pull = seedPull('whatever', 'main', ['app/x.py']);
    const run = await classify(pull, { 'branch-flow': '' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.flow).toBe('skipped');
  });

  it('an empty PR is empty, passes and carries no type label', async () => {
    const pull = seedPull('feature/nothing', 'development', []);
    gh.seed.labels(REPO, pull.number, ['application', 'needs-review']);
    const run = await classify(pull);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ type: 'empty', 'files-count': '0', 'infrastructure-files': '[]', 'application-files': '[]' });
    expect(labels(pull)).toEqual(['needs-review']);
    expect(comments(pull)).toEqual([]);
  });

  it('a PR of 3,500 files: the API stops at 3000, the git fallback gives the right answer', async () => {
    // 3,490 application files, then 10 infrastructure files the API never lists.
    const repo = bigPullRepo(3500, 0);
    const infra = Array.from({ length: 10 }, (_, i) => `zz-infrastructure/${i}.tf`);
    writeFiles(repo.dir, Object.fromEntries(infra.map((file) => [file, 'x\n'])));
    const headSha = commitAll(repo.dir, 'and some terraform');
    const files = [...repo.files, ...infra];
    const pull = seedPull('feature/big', 'development', files, { headSha, baseSha: repo.baseSha, changedFiles: 3510 });
    const run = await classify(pull, {}, { cwd: repo.dir });
    expect(run.outputs['files-count']).toBe('3510');
    expect(run.outputs.type).toBe('mixed');
    expect(json(run.outputs['infrastructure-files'])).toEqual(infra);
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('The PR changes 3510 files and the pulls API lists at most 3000 files: listing them with git instead.');
    expect(run.summary).toContain('git diff');
    // The event says 3510: the API cannot list them all, so it is not asked to.
    expect(gh.calls('GET', `/repos/${REPO}/pulls/${pull.number}/files`)).toEqual([]);
    // The comment fits GitHub's limit and says how many more application files there are.
    const [comment] = comments(pull);
    expect(comment.body.length).toBeLessThanOrEqual(65_536);
    expect(comment.body).toMatch(/- … and \d+ more application files/);
    expect(comment.body).toContain('#### Infrastructure (10 files)');
  });

  it('a PR over the cap with no checkout fails saying the file list is incomplete', async () => {
    const files = Array.from({ length: 3100 }, (_, i) => `app/m${i}.py`);
    const pull = seedPull('feature/big', 'development', files);
    const empty = tempDir('classify-no-checkout-');
    const run = await classify(pull, {}, { cwd: empty });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^The PR's file list is incomplete: it changes 3100 files, the pulls API lists at most 3000 files, and git could not list them: .* is not a git checkout/);
    expect(run.outputs.type).toBeUndefined();
    expect(gh.mutatingCalls()).toEqual([]);
  });

  it('a 3,500-file PR in a shallow checkout: the base is fetched and the history deepened to the merge base', async () => {
    const origin = bigPullRepo(3500, 10);
    // development moves on after the branch point: those files are not the PR's.
    git(origin.dir, 'checkout', '-q', 'development');
    for (let i = 0; i < 3; i++) {
      writeFiles(origin.dir, { [`app/later_${i}.py`]: `${i}\n` });
      commitAll(origin.dir, `later ${i}`);
    }
    const baseSha = git(origin.dir, 'rev-parse', 'HEAD');
    // What actions/checkout leaves by default: one commit, origin pointing at the repository.
    const checkout = tempDir('classify-shallow-checkout-');
    git(checkout, 'clone', '-q', '--depth=1', '--branch', 'feature/big', `file://${origin.dir}`, '.');
    const pull = seedPull('feature/big', 'development', origin.files, { headSha: origin.headSha, baseSha });
    const run = await classify(pull, {}, { cwd: checkout });
    expect(run.outputs).toMatchObject({ type: 'mixed', 'files-count': '3500' });
    expect(json(run.outputs['infrastructure-files'])).toHaveLength(10);
    expect(run.log).toContain(`git fetch --depth=1 origin ${baseSha}`);
    expect(run.log).toMatch(/git fetch --deepen=\d+ origin/);
    expect(git(checkout, 'merge-base', baseSha, origin.headSha)).toBe(origin.baseSha);
  });

  it('a PR of exactly 3000 files is complete from the API (the pull confirms its count)', async () => {
    const files = Array.from({ length: 3000 }, (_, i) => `app/m${i}.py`);
    const pull = seedPull('feature/exact', 'development', files);
    const empty = tempDir('classify-no-checkout-');
    const run = await classify(pull, {}, { cwd: empty });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ type: 'application', 'files-count': '3000' });
    expect(gh.calls('GET', `/repos/${REPO}/pulls/${pull.number}/files`)).toHaveLength(30);
    expect(gh.calls('GET', new RegExp(`^/repos/${REPO}/pulls/${pull.number}$`))).toHaveLength(1);
  });

  it("a fork's read-only token: still decides, warns why it could not comment or label", async () => {
    const pull = seedPull('feature/from-fork', 'development', ['app/main.py', 'infrastructure/main.tf']);
    const run = await classify(pull, {}, { token: gh.readOnlyToken });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.type).toBe('mixed');
    expect(run.errors).toHaveLength(1);
    const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([
      expect.stringMatching(/^Could not label the PR 'mixed-changes': the token has no write access to this PR \(HTTP 403/),
      expect.stringMatching(/^Could not comment on the PR: the token has no write access to this PR \(HTTP 403.*The check still decided: mixed\.$/),
    ]);
    expect(comments(pull)).toEqual([]);
    expect(labels(pull)).toEqual([]);
    expect(run.summary).toContain('| Comment | not posted: Could not comment');
  });

  it('labels: false and comment: false leave the PR alone', async () => {
    const pull = seedPull('feature/x', 'development', ['app/main.py', 'infrastructure/main.tf']);
    const run = await classify(pull, { labels: 'false', comment: 'false' });
    expect(run.exitCode).toBe(1);
    expect(gh.mutatingCalls()).toEqual([]);
  });

  it('custom label names follow the type and replace stale ones', async () => {
    const pull = seedPull('feature/x', 'development', ['infrastructure/main.tf']);
    gh.seed.labels(REPO, pull.number, ['type: app', 'keep-me']);
    const run = await classify(pull, { 'infrastructure-label': 'type: infra', 'application-label': 'type: app', 'mixed-label': 'type: mixed' });
    expect(run.exitCode).toBe(0);
    expect(labels(pull)).toEqual(['keep-me', 'type: infra']);
  });

  it('rides out a rate limit and a 5xx', async () => {
    const pull = seedPull('feature/x', 'development', ['app/main.py']);
    gh.faults.rateLimit({ count: 1, kind: 'secondary', retryAfterSeconds: 1 });
    gh.faults.serverError({ count: 1 });
    const run = await classify(pull);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.type).toBe('application');
    expect(labels(pull)).toEqual(['application']);
    // Both faults were met and retried.
    expect(gh.requests.map((r) => r.status)).toEqual(expect.arrayContaining([500]));
    expect(gh.requests.some((r) => r.status === 403 || r.status === 429)).toBe(true);
  });

  describe('bad input fails before any call that changes anything', () => {
    it.each([
      ['branch-flow', 'feature/* development', /^Input 'branch-flow' line 1 'feature\/\* development' has no '->'; write one 'head-glob -> base' rule per line/],
      ['branch-flow', 'feature/* -> ', /^Input 'branch-flow' line 1 'feature\/\* ->' has no base branch after '->'/],
      ['infrastructure-paths', 'infrastructure/**\ninfra/[abc', /^Input 'infrastructure-paths' line 2 'infra\/\[abc' is not a usable glob: a bracket is never closed/],
      ['infrastructure-paths', '!docs/**', /^Input 'infrastructure-paths' line 1 '!docs\/\*\*' is not a usable glob: negation .*; list the paths to leave out in 'ignore-paths' instead/],
      ['ignore-paths', 'docs/{a,b', /^Input 'ignore-paths' line 1 'docs\/\{a,b' is not a usable glob: a '\{' is never closed/],
      ['fail-on-mixed', 'sometimes', /^Input 'fail-on-mixed' is 'sometimes', not a boolean; use 'true' or 'false'/],
    ])('%s: %j', async (input, value, message) => {
      const pull = seedPull('feature/x', 'development', ['app/main.py', 'infrastructure/main.tf']);
      const run = await classify(pull, { [input]: value });
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(message);
      expect(gh.mutatingCalls()).toEqual([]);
      expect(gh.requests).toEqual([]);
      expect(run.outputs).toEqual({});
    });
  });
});

describe('classify-pr outside pull requests', () => {
  it('compares base and head with git on a push', async () => {
    const dir = tempRepo();
    writeFiles(dir, { 'README.md': '# x\n' });
    const base = commitAll(dir, 'base');
    writeFiles(dir, { 'infrastructure/main.tf': 'x\n' });
    commitAll(dir, 'infra');
    const run = await runAction('classify-pr', { inputs: { base }, env: gh.env, eventName: 'push', event: { after: 'x' }, token: gh.token, cwd: dir });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ type: 'infrastructure', flow: 'skipped', 'files-count': '1' });
    expect(gh.requests).toEqual([]);
  });

  it('says which ref it could not find', async () => {
    const dir = tempRepo();
    writeFiles(dir, { 'README.md': '# x\n' });
    commitAll(dir, 'base');
    const run = await runAction('classify-pr', { inputs: { base: 'release/9' }, env: gh.env, eventName: 'workflow_dispatch', token: gh.token, cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^Could not list the files changed between 'release\/9' and 'HEAD': 'release\/9' is not in the checkout and could not be fetched from 'origin'/);
    expect(run.outputs).toEqual({});
  });

  it('asks for base when there is no pull request', async () => {
    const run = await runAction('classify-pr', { env: gh.env, eventName: 'push', token: gh.token });
    expect(run.errors).toEqual(["Input 'base' is empty and the 'push' event is not a pull request; set 'base' (and 'head', default HEAD) to the refs to compare."]);
  });
});

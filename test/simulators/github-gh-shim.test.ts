/**
 * The gh CLI shim as a process against the GitHub simulator: the subcommands the workflow templates
 * use (api with --jq, pr view/list/edit/create/comment, run list/download, auth setup-git with a real
 * `git push`), GitHub's errors on stderr with exit 1, and the refusal of anything else.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

const SHIM = resolve('packages/simulators/github/gh-shim/gh');
const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;
const hasJq = existsSync('/usr/bin/jq');
if (!hasJq) console.warn('SKIPPED: gh shim --jq tests need /usr/bin/jq.');

let gh: GitHubSimulator;
let tmp: string;

beforeEach(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gh-shim-'));
  gh = await startGitHubSimulator({ gitRoot: join(tmp, 'remote') });
});

afterEach(async () => {
  await gh.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function shim(args: string[], env: Record<string, string | undefined> = {}, cwd = tmp): Promise<Result> {
  return new Promise((done) => {
    execFile(
      SHIM,
      args,
      { cwd, env: { PATH: process.env.PATH, HOME: tmp, GH_TOKEN: gh.token, GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: full, ...env } as NodeJS.ProcessEnv, encoding: 'utf8' },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function seedPull() {
  const root = gh.seed.commit(full, { message: 'init', branch: 'main' });
  gh.seed.branch(full, 'development', root);
  gh.seed.commit(full, { message: 'feat: x', branch: 'feature/x', parents: [root], files: ['x.py'] });
  return gh.seed.pull(full, { head: 'feature/x', base: 'development', title: 'feat: users', user: 'alice' });
}

describe('gh shim', () => {
  it('refuses unsupported subcommands and flags, naming what is supported', async () => {
    const sub = await shim(['issue', 'list']);
    expect(sub.code).toBe(1);
    expect(sub.stderr).toContain("gh shim: 'gh issue list' is not supported by the workflow player; supported: gh api, gh pr view, gh pr list");
    const flag = await shim(['pr', 'view', '1', '--web']);
    expect(flag).toMatchObject({ code: 1, stderr: expect.stringContaining("'gh pr view --web' is not supported") });
    const noToken = await shim(['pr', 'list', '--json', 'number'], { GH_TOKEN: undefined });
    expect(noToken).toMatchObject({ code: 4, stderr: expect.stringContaining('set the GH_TOKEN environment variable') });
    expect(gh.requests).toEqual([]);
  });

  it.skipIf(!hasJq)('gh api with --jq, as terraform.yml reads the PR a commit was merged through', async () => {
    const number = seedPull();
    const merge = gh.seed.pull(full, { head: 'feature/y', base: 'development', merged: true });
    const sha = gh.state.pull(full, merge).merge_commit_sha as string;
    const result = await shim(['api', `repos/${full}/commits/${sha}/pulls`, '--jq', '[.[] | select(.merged_at != null)][0] | "\\(.number) \\(.head.sha)"']);
    expect(result).toMatchObject({ code: 0, stdout: `${merge} ${gh.state.pull(full, merge).head.sha}\n` });
    const missing = await shim(['api', 'repos/{owner}/{repo}/pulls/999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('gh: Not Found (HTTP 404)\n');
    const posted = await shim(['api', '-X', 'POST', `repos/${full}/issues/${number}/comments`, '-f', 'body=hi', '--jq', '.body']);
    expect(posted.stdout).toBe('hi\n');
    const noJq = await shim(['api', `repos/${full}`, '--jq', '.name'], { GH_SHIM_JQ: join(tmp, 'no-jq') });
    expect(noJq).toMatchObject({ code: 1, stderr: expect.stringContaining('--jq needs the jq program') });
  });

  it.skipIf(!hasJq)('pr create/list/view/edit/comment as promote.yml and hotfix-backport.yml use them', async () => {
    seedPull();
    gh.seed.commit(full, { message: 'feat: promote', branch: 'staging', parents: [gh.state.refs(full)['refs/heads/development']!] });
    const body = join(tmp, 'body.md');
    writeFileSync(body, '### Pull requests\n- #1\n');
    const none = await shim(['pr', 'list', '--base', 'main', '--head', 'staging', '--state', 'open', '--json', 'number', '--jq', '.[0].number // empty']);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    const created = await shim(['pr', 'create', '--base', 'main', '--head', 'staging', '--title', 'Promote staging to main', '--body-file', body]);
    expect(created).toMatchObject({ code: 0, stdout: expect.stringMatching(/^https:\/\/github\.com\/connect2\/connect2-api\/pull\/\d+\n$/) });
    const number = Number(/(\d+)\n$/.exec(created.stdout)![1]);
    const listed = await shim(['pr', 'list', '--base', 'main', '--head', 'staging', '--state', 'open', '--json', 'number', '--jq', '.[0].number // empty']);
    expect(listed.stdout).toBe(`${number}\n`);
    const url = await shim(['pr', 'view', String(number), '--json', 'url', '--jq', '.url']);
    expect(url.stdout).toBe(created.stdout);
    const line = await shim(['pr', 'view', '1', '--json', 'number,title,author', '--jq', '"- #\\(.number) \\(.title) (@\\(.author.login))"']);
    expect(line.stdout).toBe('- #1 feat: users (@alice)\n');
    const json = await shim(['pr', 'view', '1', '--json', 'number,state,headRefName']);
    expect(JSON.parse(json.stdout)).toEqual({ number: 1, state: 'OPEN', headRefName: 'feature/x' });

    writeFileSync(body, 'updated body\n');
    expect((await shim(['pr', 'edit', String(number), '--body-file', body])).code).toBe(0);
    expect(gh.state.pull(full, number).body).toBe('updated body\n');
    expect((await shim(['pr', 'comment', String(number), '--body-file', body])).stdout).toMatch(/#issuecomment-\d+\n$/);
    expect(gh.state.comments(full, number).map((comment) => comment.body)).toEqual(['updated body\n']);
    const badField = await shim(['pr', 'view', '1', '--json', 'nope']);
    expect(badField).toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown JSON field: "nope"') });
  });

  it("prints GitHub's message and exits 1 when a GITHUB_TOKEN may not open pulls", async () => {
    seedPull();
    const token = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'write', 'pull-requests': 'write' } });
    const result = await shim(['pr', 'create', '--base', 'main', '--head', 'feature/x', '--title', 't', '--body', 'b'], { GH_TOKEN: token });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GitHub Actions is not permitted to create or approve pull requests.');
    expect(gh.state.pulls(full)).toHaveLength(1);
  });

  it.skipIf(!hasJq)('api --input sends a JSON body with nested fields, as deploy.yml records a deployment', async () => {
    const sha = gh.seed.commit(full, { message: 'init', branch: 'main' });
    const body = join(tmp, 'deployment.json');
    writeFileSync(body, JSON.stringify({ ref: sha, environment: 'dev', task: 'deploy:ecs', auto_merge: false, required_contexts: [], payload: { image: 'repo@sha256:1' } }));
    const created = await shim(['api', 'repos/{owner}/{repo}/deployments', '--input', body, '--jq', '.id']);
    expect(created).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\n$/) });
    expect(gh.state.deployments(full)).toEqual([expect.objectContaining({ sha, environment: 'dev', task: 'deploy:ecs' })]);
    writeFileSync(body, 'not json');
    expect(await shim(['api', 'repos/{owner}/{repo}/deployments', '--input', body])).toMatchObject({ code: 1, stderr: expect.stringContaining('--input must hold JSON') });
  });

  it.skipIf(!hasJq)('run list finds the plan run and run download unzips its artifact, as terraform.yml does', async () => {
    const sha = gh.seed.commit(full, { message: 'init', branch: 'main' });
    gh.seed.workflowRun(full, { workflowFile: 'terraform.yml', event: 'push', headSha: sha, headBranch: 'main' });
    const runId = gh.seed.workflowRun(full, { workflowFile: 'terraform.yml', name: 'Terraform', event: 'pull_request', headSha: sha, headBranch: 'feature/x' });
    gh.seed.artifact(full, runId, 'terraform-plan-digest-dev', { 'digest.txt': 'sha256:abc\n' });
    gh.seed.artifact(full, runId, 'other', { 'x.txt': 'x' });
    const listed = await shim(['run', 'list', '--repo', full, '--workflow', 'terraform.yml', '--event', 'pull_request', '--commit', sha, '--limit', '1', '--json', 'databaseId', '--jq', '.[0].databaseId // empty']);
    expect(listed).toMatchObject({ code: 0, stdout: `${runId}\n` });
    const dir = join(tmp, 'reviewed');
    const downloaded = await shim(['run', 'download', String(runId), '--repo', full, '--name', 'terraform-plan-digest-dev', '--dir', dir]);
    expect(downloaded.code).toBe(0);
    expect(readFileSync(join(dir, 'digest.txt'), 'utf8')).toBe('sha256:abc\n');
    expect(existsSync(join(dir, 'x.txt'))).toBe(false);
    const missing = await shim(['run', 'download', String(runId), '--repo', full, '--name', 'terraform-plan-digest-prod', '--dir', dir]);
    expect(missing).toMatchObject({ code: 1, stderr: 'no valid artifacts found to download\n' });
  });

  it('auth setup-git makes a plain `git push` to the simulator use GH_TOKEN (in the step HOME)', async () => {
    const token = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'write' } });
    const home = join(tmp, 'home');
    mkdirSync(home);
    const env = { HOME: home, GH_TOKEN: token, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
    expect((await shim(['auth', 'setup-git'], env)).code).toBe(0);
    const config = readFileSync(join(home, '.gitconfig'), 'utf8');
    expect(config).toContain(`[credential "${gh.url}"]`);
    expect(config).toContain('auth git-credential');

    const work = join(tmp, 'work');
    const git = (args: string[], cwd = tmp) =>
      new Promise<Result>((done) =>
        execFile('git', args, { cwd, env: { PATH: process.env.PATH, ...env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@x' }, encoding: 'utf8' }, (error, stdout, stderr) =>
          done({ code: error ? 1 : 0, stdout, stderr }),
        ),
      );
    expect(await git(['clone', '--quiet', gh.git.url(full), work])).toMatchObject({ code: 0 });
    await git(['commit', '--quiet', '--allow-empty', '-m', 'chore: via gh credentials'], work);
    expect(await git(['push', '--quiet', 'origin', 'HEAD:main'], work)).toMatchObject({ code: 0 });
    expect(gh.state.refs(full)['refs/heads/main']).toBe((await git(['rev-parse', 'HEAD'], work)).stdout.trim());
  });
});

/**
 * Git over smart HTTP against the simulator with the real `git` CLI: clone, push (mirrored into the
 * commit graph with real shas and files), the token rules (401 / 403), push and pull_request events,
 * API ref writes followed by the bare repository, and real merges (merge, squash, conflict).
 */
import { getOctokit } from '@actions/github';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator, type RepoEvent, type TokenGrant } from '../../packages/simulators/github';

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasGit) console.warn('SKIPPED: github-git-http tests need the git CLI on PATH.');

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;

let gh: GitHubSimulator;
let tmp: string;
let events: RepoEvent[];
let writer: string;
const writerGrant: TokenGrant = { kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'write', 'pull-requests': 'write' } };

beforeEach(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gh-git-'));
  gh = await startGitHubSimulator({ gitRoot: join(tmp, 'remote') });
  events = [];
  gh.onEvent((event) => events.push(event));
  writer = gh.tokens.issue(writerGrant);
});

afterEach(async () => {
  await gh.close();
  rmSync(tmp, { recursive: true, force: true });
});

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Alice',
  GIT_AUTHOR_EMAIL: '7+alice@users.noreply.github.com',
  GIT_COMMITTER_NAME: 'Alice',
  GIT_COMMITTER_EMAIL: 'alice@example.com',
};
// Asynchronous: the simulator answers git from this very process, so a synchronous git would deadlock.
const run = promisify(execFile);
async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd, env, encoding: 'utf8' })).stdout.trim();
}
async function gitFails(cwd: string, ...args: string[]): Promise<string> {
  try {
    await run('git', args, { cwd, env, encoding: 'utf8' });
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error(`git ${args.join(' ')} succeeded`);
}
const authUrl = (token: string) => gh.git.url(full).replace('http://', `http://x-access-token:${token}@`);

/** A clone with one commit on main, pushed; returns the work tree. */
async function seededClone(): Promise<string> {
  const work = join(tmp, 'work');
  await git(tmp, 'clone', '--quiet', authUrl(writer), work);
  writeFileSync(join(work, 'app.py'), 'print("hello")\nprint("world")\n');
  writeFileSync(join(work, 'README.md'), '# api\n');
  await git(work, 'add', '.');
  await git(work, 'commit', '--quiet', '-m', 'feat: first');
  await git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  return work;
}

describe.skipIf(!hasGit)('git smart HTTP', () => {
  it('creates the bare repository and mirrors a push: real sha, parents, message, author, files; a push event', async () => {
    expect(gh.git.dir(full)).toBe(join(tmp, 'remote', owner, `${repo}.git`));
    const work = await seededClone();
    const sha = await git(work, 'rev-parse', 'HEAD');
    expect(gh.state.refs(full)['refs/heads/main']).toBe(sha);
    expect(await git(gh.git.dir(full), 'rev-parse', 'refs/heads/main')).toBe(sha);

    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const { data: commit } = await octokit.rest.repos.getCommit({ owner, repo, ref: 'main' });
    expect(commit).toMatchObject({ sha, parents: [], commit: { message: 'feat: first', author: { name: 'Alice', email: '7+alice@users.noreply.github.com' } } });
    expect(commit.files?.map((file) => [file.filename, file.status, file.additions])).toEqual([
      ['README.md', 'added', 1],
      ['app.py', 'added', 2],
    ]);
    expect(commit.author?.login).toBe('alice');

    writeFileSync(join(work, 'app.py'), 'print("hello")\n');
    unlinkSync(join(work, 'README.md'));
    await git(work, 'commit', '--quiet', '-am', 'fix: trim');
    await git(work, 'push', '--quiet', 'origin', 'HEAD:main');
    const second = await git(work, 'rev-parse', 'HEAD');
    const { data: next } = await octokit.rest.repos.getCommit({ owner, repo, ref: second });
    expect(next.parents.map((parent) => parent.sha)).toEqual([sha]);
    expect(next.files?.map((file) => [file.filename, file.status, file.deletions])).toEqual([
      ['README.md', 'removed', 1],
      ['app.py', 'modified', 1],
    ]);

    const pushes = events.filter((event) => event.name === 'push');
    expect(pushes).toHaveLength(2);
    expect(pushes[0]).toMatchObject({ ref: 'refs/heads/main', before: '0'.repeat(40), after: sha, created: true, deleted: false, forced: false, author: writerGrant });
    expect(pushes[0]!.commits.map((c) => c.id)).toEqual([sha]);
    expect(pushes[1]).toMatchObject({ before: sha, after: second, created: false, headCommit: { id: second, message: 'fix: trim', removed: ['README.md'], modified: ['app.py'] } });
    expect(gh.calls('POST', `/${full}.git/git-receive-pack`).map((entry) => entry.status)).toEqual([200, 200]);
  });

  it('asks for credentials (401) to push, refuses a token without contents write (403), lets contents read fetch', async () => {
    const work = await seededClone();
    const anonymous = join(tmp, 'anon');
    // Private repository: even a fetch needs credentials.
    expect(await gitFails(tmp, 'clone', gh.git.url(full), anonymous)).toMatch(/Authentication failed|could not read Username|401/i);

    const reader = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'read' } });
    const readerClone = join(tmp, 'reader');
    await git(tmp, 'clone', '--quiet', authUrl(reader), readerClone);
    expect(await git(readerClone, 'log', '--format=%s')).toBe('feat: first');
    await git(readerClone, 'commit', '--quiet', '--allow-empty', '-m', 'chore: nope');
    expect(await gitFails(readerClone, 'push', 'origin', 'HEAD:main')).toMatch(/Permission to connect2\/connect2-api.git denied to github-actions\[bot\]|403/);

    const prsOnly = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { 'pull-requests': 'write' } });
    expect(await gitFails(tmp, 'clone', authUrl(prsOnly), join(tmp, 'prs'))).toMatch(/403|denied/);

    await git(work, 'commit', '--quiet', '--allow-empty', '-m', 'chore: anon');
    expect(await gitFails(work, 'push', gh.git.url(full), 'HEAD:main')).toMatch(/Authentication failed|could not read Username|401/i);
    expect(gh.calls('GET', `/${full}.git/info/refs`).map((entry) => entry.status)).toContain(401);
    expect(gh.calls('GET', `/${full}.git/info/refs`).map((entry) => entry.status)).toContain(403);
    expect(gh.state.refs(full)['refs/heads/main']).not.toBe(await git(work, 'rev-parse', 'HEAD'));
    expect(events.filter((event) => event.name === 'push')).toHaveLength(1);
  });

  it('synchronizes an open pull when its head branch is pushed; reports forced and deleted pushes', async () => {
    const work = await seededClone();
    await git(work, 'checkout', '--quiet', '-b', 'feature/x');
    writeFileSync(join(work, 'x.py'), 'x = 1\n');
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'feat: x');
    await git(work, 'push', '--quiet', 'origin', 'feature/x');
    const app = getOctokit(gh.token, { baseUrl: gh.url });
    const { data: pull } = await app.rest.pulls.create({ owner, repo, head: 'feature/x', base: 'main', title: 'feat: x' });
    expect(events.at(-1)).toMatchObject({ name: 'pull_request', action: 'opened', number: pull.number });

    writeFileSync(join(work, 'y.py'), 'y = 2\n');
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'feat: y');
    const before = await git(work, 'rev-parse', 'HEAD~1');
    await git(work, 'push', '--quiet', 'origin', 'feature/x');
    const after = await git(work, 'rev-parse', 'HEAD');
    expect(events.slice(-2).map((event) => event.name)).toEqual(['push', 'pull_request']);
    expect(events.at(-1)).toMatchObject({ action: 'synchronize', number: pull.number, before, after, author: writerGrant });
    expect(gh.state.pull(full, pull.number)).toMatchObject({ head: { ref: 'feature/x', sha: after }, changed_files: 2, commits: 2 });

    await git(work, 'reset', '--quiet', '--hard', 'HEAD~1');
    await git(work, 'push', '--quiet', '--force', 'origin', 'feature/x');
    expect(events.filter((event) => event.name === 'push').at(-1)).toMatchObject({ forced: true, after: before });
    await git(work, 'push', '--quiet', 'origin', '--delete', 'feature/x');
    expect(events.filter((event) => event.name === 'push').at(-1)).toMatchObject({ deleted: true, after: '0'.repeat(40), headCommit: null, commits: [] });
    expect(gh.state.refs(full)['refs/heads/feature/x']).toBeUndefined();
  });

  it('keeps the bare repository in step with API ref writes, and emits push for them', async () => {
    const work = await seededClone();
    const sha = await git(work, 'rev-parse', 'HEAD');
    const octokit = getOctokit(writer, { baseUrl: gh.url });
    await octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/release', sha });
    expect(await git(gh.git.dir(full), 'rev-parse', 'refs/heads/release')).toBe(sha);
    expect(events.at(-1)).toMatchObject({ name: 'push', ref: 'refs/heads/release', created: true, after: sha, commits: [], author: writerGrant });
    await octokit.rest.git.deleteRef({ owner, repo, ref: 'heads/release' });
    expect(await gitFails(gh.git.dir(full), 'rev-parse', '--verify', '--quiet', 'refs/heads/release')).toBe('');
  });
});

describe.skipIf(!hasGit)('merging with real git', () => {
  let work: string;
  let pullNumber: number;

  beforeEach(async () => {
    work = await seededClone();
    await git(work, 'checkout', '--quiet', '-b', 'feature/x');
    writeFileSync(join(work, 'x.py'), 'x = 1\n');
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'feat: x');
    await git(work, 'push', '--quiet', 'origin', 'feature/x');
    await git(work, 'checkout', '--quiet', 'main');
    writeFileSync(join(work, 'main.py'), 'm = 1\n');
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'feat: main moves on');
    await git(work, 'push', '--quiet', 'origin', 'main');
    const { data } = await getOctokit(gh.token, { baseUrl: gh.url }).rest.pulls.create({ owner, repo, head: 'feature/x', base: 'main', title: 'feat: x' });
    pullNumber = data.number;
    events.length = 0;
  });

  it('merge: a real two-parent commit in the bare repository, the pull merged, push then closed by the merging token', async () => {
    const merger = gh.tokens.issue({ kind: 'user', login: 'bob', permissions: { contents: 'write' } });
    const baseTip = gh.state.refs(full)['refs/heads/main']!;
    const headTip = gh.state.refs(full)['refs/heads/feature/x']!;
    const { data } = await getOctokit(merger, { baseUrl: gh.url }).rest.pulls.merge({ owner, repo, pull_number: pullNumber, merge_method: 'merge', commit_title: 'Merge feat: x' });
    const bare = gh.git.dir(full);
    expect(await git(bare, 'rev-parse', 'refs/heads/main')).toBe(data.sha);
    expect(await git(bare, 'log', '-1', '--format=%P|%s|%an', data.sha)).toBe(`${baseTip} ${headTip}|Merge feat: x|bob`);
    expect((await git(bare, 'ls-tree', '--name-only', data.sha)).split('\n').sort()).toEqual(['README.md', 'app.py', 'main.py', 'x.py']);
    expect(gh.state.pull(full, pullNumber)).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: data.sha, merged_by: { login: 'bob' }, merged_at: expect.any(String) });
    expect(events.map((event) => [event.name, 'action' in event ? event.action : event.ref, event.author?.login])).toEqual([
      ['push', 'refs/heads/main', 'bob'],
      ['pull_request', 'closed', 'bob'],
    ]);
    // A clone sees the merge.
    await git(work, 'fetch', '--quiet', 'origin');
    expect(await git(work, 'rev-parse', 'origin/main')).toBe(data.sha);
  });

  it('squash: one parent, the pull title as message; a token without contents write gets 403', async () => {
    const prs = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { 'pull-requests': 'write' } });
    const refused = await getOctokit(prs, { baseUrl: gh.url }).rest.pulls.merge({ owner, repo, pull_number: pullNumber }).catch((error: { status: number }) => error);
    expect(refused).toMatchObject({ status: 403 });
    const octokit = getOctokit(writer, { baseUrl: gh.url });
    const baseTip = gh.state.refs(full)['refs/heads/main']!;
    const { data } = await octokit.rest.pulls.merge({ owner, repo, pull_number: pullNumber, merge_method: 'squash' });
    expect(await git(gh.git.dir(full), 'log', '-1', '--format=%P|%s', data.sha)).toBe(`${baseTip}|feat: x (#${pullNumber})`);
    const { data: commit } = await octokit.rest.repos.getCommit({ owner, repo, ref: data.sha });
    expect(commit.files?.map((file) => file.filename)).toEqual(['x.py']);
  });

  it('rebase: the PR\'s commits replayed on the base tip with new SHAs, authors and messages kept, committed by GitHub; the push lists them; merge_commit_sha is the last', async () => {
    await git(work, 'checkout', '--quiet', 'feature/x');
    writeFileSync(join(work, 'y.py'), 'y = 2\n');
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'feat: y');
    await git(work, 'push', '--quiet', 'origin', 'feature/x');
    const baseTip = gh.state.refs(full)['refs/heads/main']!;
    const headTip = gh.state.refs(full)['refs/heads/feature/x']!;
    events.length = 0;
    const { data } = await getOctokit(writer, { baseUrl: gh.url }).rest.pulls.merge({ owner, repo, pull_number: pullNumber, merge_method: 'rebase', commit_title: 'ignored by a rebase' });
    const bare = gh.git.dir(full);
    expect(await git(bare, 'rev-parse', 'refs/heads/main')).toBe(data.sha);
    expect(data.sha).not.toBe(headTip);
    // Two commits, one parent each, on top of main's tip, as the PR wrote them.
    expect((await git(bare, 'log', '--format=%s|%an|%cn|%P', `${baseTip}..${data.sha}`)).split('\n')).toEqual([
      `feat: y|Alice|GitHub|${(await git(bare, 'rev-parse', `${data.sha}~1`))}`,
      `feat: x|Alice|GitHub|${baseTip}`,
    ]);
    expect((await git(bare, 'ls-tree', '--name-only', data.sha)).split('\n').sort()).toEqual(['README.md', 'app.py', 'main.py', 'x.py', 'y.py']);
    expect(gh.state.pull(full, pullNumber)).toMatchObject({ merged: true, merge_commit_sha: data.sha, commits: 2 });
    const push = events.find((event) => event.name === 'push');
    expect(push).toMatchObject({ ref: 'refs/heads/main', before: baseTip, after: data.sha });
    expect((push as { commits: { message: string }[] }).commits.map((commit) => commit.message)).toEqual(['feat: x', 'feat: y']);
    expect(events.map((event) => event.name)).toEqual(['push', 'pull_request']);
  });

  it('rebase: answers 405 when a commit does not apply on the base, changing nothing', async () => {
    await git(work, 'checkout', '--quiet', 'feature/x');
    writeFileSync(join(work, 'app.py'), 'print("feature")\n');
    await git(work, 'commit', '--quiet', '-am', 'feat: feature app');
    await git(work, 'push', '--quiet', 'origin', 'feature/x');
    await git(work, 'checkout', '--quiet', 'main');
    writeFileSync(join(work, 'app.py'), 'print("main")\n');
    await git(work, 'commit', '--quiet', '-am', 'feat: main app');
    await git(work, 'push', '--quiet', 'origin', 'main');
    const main = gh.state.refs(full)['refs/heads/main'];
    events.length = 0;
    const error = await getOctokit(writer, { baseUrl: gh.url }).rest.pulls.merge({ owner, repo, pull_number: pullNumber, merge_method: 'rebase' }).catch((caught: { status: number; message: string }) => caught);
    expect(error).toMatchObject({ status: 405, message: expect.stringContaining("can't be rebased") });
    expect(gh.state.refs(full)['refs/heads/main']).toBe(main);
    expect(events).toEqual([]);
  });

  it('answers 405 Merge conflict when the trees conflict, changing nothing', async () => {
    await git(work, 'checkout', '--quiet', 'feature/x');
    writeFileSync(join(work, 'app.py'), 'print("feature")\n');
    await git(work, 'commit', '--quiet', '-am', 'feat: feature app');
    await git(work, 'push', '--quiet', 'origin', 'feature/x');
    await git(work, 'checkout', '--quiet', 'main');
    writeFileSync(join(work, 'app.py'), 'print("main")\n');
    await git(work, 'commit', '--quiet', '-am', 'feat: main app');
    await git(work, 'push', '--quiet', 'origin', 'main');
    const main = gh.state.refs(full)['refs/heads/main'];
    events.length = 0;
    const error = await getOctokit(writer, { baseUrl: gh.url }).rest.pulls.merge({ owner, repo, pull_number: pullNumber }).catch((caught: { status: number; message: string }) => caught);
    expect(error).toMatchObject({ status: 405, message: expect.stringContaining('Merge conflict') });
    expect(gh.state.refs(full)['refs/heads/main']).toBe(main);
    expect(gh.state.pull(full, pullNumber)).toMatchObject({ state: 'open', merged: false });
    expect(events).toEqual([]);
  });
});

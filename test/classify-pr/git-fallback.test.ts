/** The git side of the changed-file list: name-status parsing, renames, and a shallow checkout deepened. */
import { mkdirSync, renameSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingLogger, silentLogger } from '../../packages/action-kit';
import { ensureMergeBase, fetchAuthArgs, gitRangeFiles, parseNameStatus, GitError } from '../../packages/github';
import { displayArgs } from '../../packages/github/git-command';
import { commitAll, git, removeTempDirs, tempDir, tempRepo, writeFiles } from './git-fixtures';

afterAll(removeTempDirs);

describe('parseNameStatus', () => {
  it('reads -z output with renames, copies, deletions and odd names', () => {
    const output = 'M\0app/main.py\0R087\0old name.tf\0new name.tf\0D\0gone.py\0C100\0a.py\0b.py\0A\0ünïcode/файл.py\0';
    expect(parseNameStatus(output)).toEqual([
      { path: 'app/main.py', status: 'modified' },
      { path: 'new name.tf', status: 'renamed', previousPath: 'old name.tf' },
      { path: 'gone.py', status: 'removed' },
      { path: 'b.py', status: 'copied', previousPath: 'a.py' },
      { path: 'ünïcode/файл.py', status: 'added' },
    ]);
  });
});

/** A repo: base on main, a feature branch that renames, edits, deletes and adds, with main moving on. */
function historyRepo() {
  const dir = tempRepo();
  writeFiles(dir, { 'alembic/script.py.mako': 'x\n'.repeat(20), 'app/main.py': 'a\n', 'app/old.py': 'b\n' });
  const root = commitAll(dir, 'root');
  for (let i = 0; i < 5; i++) {
    writeFiles(dir, { [`docs/${i}.md`]: `${i}\n` });
    commitAll(dir, `docs ${i}`);
  }
  const base = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'feature/x');
  writeFiles(dir, { 'app/main.py': 'a2\n', 'infrastructure/main.tf': 'resource {}\n' });
  renameSync(path.join(dir, 'alembic/script.py.mako'), path.join(dir, 'alembic/renamed.py.mako'));
  git(dir, 'rm', '-q', 'app/old.py');
  for (let i = 0; i < 5; i++) {
    writeFiles(dir, { [`app/f${i}.py`]: `${i}\n` });
    commitAll(dir, `feature ${i}`);
  }
  const head = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', 'main');
  writeFiles(dir, { 'main-only.txt': 'not in the PR\n' });
  commitAll(dir, 'main moves on');
  return { dir, root, base, head };
}

describe('gitRangeFiles', () => {
  it('lists base...head against the merge base, renames with both paths', async () => {
    const repo = historyRepo();
    const { files, source } = await gitRangeFiles({ cwd: repo.dir, log: silentLogger }, 'main', repo.head);
    expect(source).toBe('git');
    const byPath = Object.fromEntries(files.map((f) => [f.path, f]));
    expect(byPath['alembic/renamed.py.mako']).toEqual({ path: 'alembic/renamed.py.mako', status: 'renamed', previousPath: 'alembic/script.py.mako' });
    expect(byPath['app/old.py'].status).toBe('removed');
    expect(byPath['infrastructure/main.tf'].status).toBe('added');
    expect(byPath['main-only.txt']).toBeUndefined();
    expect(files).toHaveLength(9);
  });

  it('fetches missing commits and deepens a shallow clone until the merge base is there', async () => {
    const repo = historyRepo();
    const clone = tempDir('classify-shallow-');
    git(clone, 'clone', '-q', '--depth=1', '--branch', 'feature/x', `file://${repo.dir}`, '.');
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const log = recordingLogger();
    const range = await ensureMergeBase(clone, repo.base, repo.head, { deepenSteps: [2], log });
    expect(range).toEqual({ base: repo.base, head: repo.head, mergeBase: repo.base });
    // Each fetch goes to the engine's logger (the job log in the action), not straight to the runner.
    expect(log.lines.filter((line) => line.level === 'info').length).toBeGreaterThan(0);
    const { files } = await gitRangeFiles({ cwd: clone, log: silentLogger }, repo.base, repo.head);
    expect(files.map((f) => f.path)).toContain('infrastructure/main.tf');
    expect(files).toHaveLength(9);
  });

  it('resolves a branch only the remote has', async () => {
    const repo = historyRepo();
    const clone = tempDir('classify-branch-');
    git(clone, 'clone', '-q', '--depth=1', '--single-branch', '--branch', 'feature/x', `file://${repo.dir}`, '.');
    const { files } = await gitRangeFiles({ cwd: clone, log: silentLogger }, 'main', 'HEAD');
    expect(files).toHaveLength(9);
  });

  it('says so when the directory is not a checkout', async () => {
    const dir = tempDir('classify-nogit-');
    await expect(gitRangeFiles({ cwd: dir, log: silentLogger }, 'a', 'b')).rejects.toThrow(GitError);
    await expect(gitRangeFiles({ cwd: dir, log: silentLogger }, 'a', 'b')).rejects.toThrow(/is not a git checkout/);
  });

  it('says so when a commit cannot be had', async () => {
    const repo = historyRepo();
    await expect(gitRangeFiles({ cwd: repo.dir, log: silentLogger }, 'f'.repeat(40), repo.head)).rejects.toThrow(/is not in the checkout and could not be fetched from 'origin'/);
  });
});

describe('moves in git', () => {
  it('an exact move is a rename; an edited move is removed + added; both paths are there either way', async () => {
    const dir = tempRepo();
    writeFiles(dir, { 'alembic/a.py': 'a\n'.repeat(30), 'alembic/b.py': 'b\n'.repeat(30) });
    const base = commitAll(dir, 'base');
    mkdirSync(path.join(dir, 'migrations'));
    git(dir, 'mv', 'alembic/a.py', 'migrations/a.py');
    git(dir, 'mv', 'alembic/b.py', 'migrations/b.py');
    writeFiles(dir, { 'migrations/b.py': 'b\n'.repeat(29) + 'changed\n' });
    const head = commitAll(dir, 'move');
    const { files } = await gitRangeFiles({ cwd: dir, log: silentLogger }, base, head);
    expect(files).toEqual([
      { path: 'alembic/b.py', status: 'removed' },
      { path: 'migrations/a.py', status: 'renamed', previousPath: 'alembic/a.py' },
      { path: 'migrations/b.py', status: 'added' },
    ]);
  });
});

describe('fetch credentials', () => {
  const auth = { serverUrl: 'https://github.com', token: 'ghs_secret' };
  const header = `AUTHORIZATION: basic ${Buffer.from('x-access-token:ghs_secret').toString('base64')}`;

  it('passes the token as the header actions/checkout would have persisted, unless it did', async () => {
    const dir = tempRepo();
    expect(await fetchAuthArgs(dir, auth)).toEqual(['-c', `http.https://github.com/.extraheader=${header}`]);
    expect(await fetchAuthArgs(dir, undefined)).toEqual([]);
    git(dir, 'config', '--local', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic persisted');
    expect(await fetchAuthArgs(dir, auth)).toEqual([]);
  });

  it('never shows the header in messages', () => {
    expect(displayArgs(['-c', `http.https://github.com/.extraheader=${header}`, '-c', 'core.quotePath=false', 'fetch', 'origin'])).toEqual(['-c', 'core.quotePath=false', 'fetch', 'origin']);
  });

  it('sends it when git fetches over HTTP from the server', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dir = tempRepo();
      writeFiles(dir, { 'a.py': 'a\n' });
      const head = commitAll(dir, 'a');
      git(dir, 'remote', 'add', 'origin', `${serverUrl}/connect2/connect2-api.git`);
      const failure = ensureMergeBase(dir, 'f'.repeat(40), head, { auth: { serverUrl, token: 'ghs_secret' }, log: silentLogger });
      await expect(failure).rejects.toThrow(GitError);
      await expect(failure).rejects.not.toThrow(/ghs_secret|basic /);
      expect(seen[0]).toBe(`basic ${Buffer.from('x-access-token:ghs_secret').toString('base64')}`);
    } finally {
      server.close();
    }
  });
});

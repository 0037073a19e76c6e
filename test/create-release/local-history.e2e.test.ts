/**
 * With a full checkout (actions/checkout `fetch-depth: 0`) the commits and ancestry come from local
 * git instead of the compare API; a shallow checkout falls back to the API. The simulator holds the
 * same commits (same SHAs) because tags, releases and writes still go through GitHub.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, startWorld, type World } from './world';

let world: World;
let dir: string;
let date = 1_700_000_000;

function git(args: string[], cwd = dir, author = 'alice'): string {
  date += 60;
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: author,
      GIT_AUTHOR_EMAIL: `${1000 + author.length}+${author}@users.noreply.github.com`,
      GIT_COMMITTER_NAME: author,
      GIT_COMMITTER_EMAIL: `${author}@example.com`,
      GIT_AUTHOR_DATE: `${date} +0000`,
      GIT_COMMITTER_DATE: `${date} +0000`,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: dir,
    },
  }).trim();
}

/** Commits locally, then seeds the very same commit (SHA, parents, message) into the simulator. */
function commit(message: string, author = 'alice'): string {
  git(['commit', '--allow-empty', '-q', '-m', message], dir, author);
  return mirrorHead(author);
}

function mirrorHead(author: string): string {
  const sha = git(['rev-parse', 'HEAD']);
  const parents = git(['log', '-1', '--format=%P', sha]).split(' ').filter(Boolean);
  const message = git(['log', '-1', '--format=%B', sha]);
  world.gh.seed.commit(REPO, { sha, message, parents, author, branch: 'main' });
  return sha;
}

beforeEach(async () => {
  world = await startWorld();
  dir = mkdtempSync(path.join(tmpdir(), 'create-release-git-'));
  git(['init', '-q', '-b', 'main']);
});
afterEach(async () => {
  await world.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('history from the local checkout', () => {
  it('reads commits and ancestry with git, not the compare API, and links merges to their PR', async () => {
    const base = commit('feat: base');
    world.tag('v1.2.3', base);
    git(['checkout', '-q', '-b', 'feature/export']);
    commit('feat(users): add CSV export', 'carol');
    commit('fix(users): escape quotes', 'carol');
    git(['checkout', '-q', 'main']);
    git(['merge', '--no-ff', '-q', '-m', 'Merge pull request #41 from connect2/feature/export', 'feature/export']);
    mirrorHead('alice');
    const target = commit('perf: faster lookups (#42)', 'bob');

    const run = await world.release(target, {}, { cwd: dir });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.log).toContain('History from the local checkout');
    expect(run.outputs).toMatchObject({ version: '1.3.0', 'previous-tag': 'v1.2.3', created: 'true' });
    expect(run.outputs.notes).toMatch(/- \*\*users:\*\* add CSV export \(\[#41\]\([^)]+\/pull\/41\)\) by @carol/);
    expect(run.outputs.notes).toMatch(/### Performance\n\n- faster lookups \(\[#42\]/);
    expect(world.gh.requests.filter((r) => r.path.includes('/compare/'))).toEqual([]);
  });

  it('a shallow clone is not trusted: the API is used', async () => {
    const base = commit('feat: base');
    world.tag('v1.2.3', base);
    commit('fix: one (#1)');
    const target = commit('fix: two (#2)');
    const shallow = mkdtempSync(path.join(tmpdir(), 'create-release-shallow-'));
    try {
      git(['clone', '-q', '--depth', '1', `file://${dir}`, shallow], tmpdir());
      const run = await world.release(target, {}, { cwd: shallow });
      expect(run.exitCode, run.log).toBe(0);
      expect(run.log).toContain('History from the GitHub API');
      expect(run.outputs).toMatchObject({ version: '1.2.4' });
      expect(world.gh.requests.some((r) => r.path.includes('/compare/'))).toBe(true);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });
});

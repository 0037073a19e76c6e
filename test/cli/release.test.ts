/**
 * `connect2 release --dry-run` through the built CLI in a local clone: the repository from `origin`,
 * the target from HEAD, the history from git, tags and releases read from the GitHub simulator,
 * nothing written.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, startWorld, type World } from '../create-release/world';
import { repositoryFromRemote } from '../../packages/cli/local-clone';
import { printedOutputs, runCli } from './run-cli';

let world: World;
let dir: string;
let date = 1_700_000_000;

function git(args: string[], author = 'alice'): string {
  date += 60;
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: `${author}@example.com`, GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: `${author}@example.com`, GIT_AUTHOR_DATE: `${date} +0000`, GIT_COMMITTER_DATE: `${date} +0000`, GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
  }).trim();
}

/** Commits locally and seeds the same commit into the simulator (as if pushed). */
function commit(message: string, author = 'alice'): string {
  git(['commit', '--allow-empty', '-q', '-m', message], author);
  const sha = git(['rev-parse', 'HEAD']);
  const parents = git(['log', '-1', '--format=%P', sha]).split(' ').filter(Boolean);
  world.gh.seed.commit(REPO, { sha, message: git(['log', '-1', '--format=%B', sha]), parents, author, branch: 'main' });
  return sha;
}

beforeEach(async () => {
  world = await startWorld();
  dir = mkdtempSync(path.join(tmpdir(), 'cli-release-'));
  git(['init', '-q', '-b', 'main']);
  git(['remote', 'add', 'origin', `git@github.com:${REPO}.git`]);
});
afterEach(async () => {
  await world.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ GITHUB_API_URL: world.gh.env.GITHUB_API_URL, GITHUB_GRAPHQL_URL: world.gh.env.GITHUB_GRAPHQL_URL, GITHUB_SERVER_URL: world.gh.env.GITHUB_SERVER_URL });

describe('connect2 release --dry-run', () => {
  it('prints the next version and notes of the clone HEAD, from local history, and writes nothing', async () => {
    world.tag('v1.2.3', commit('feat: base'));
    commit('feat(users): add CSV export', 'carol');
    const head = commit('fix: escape quotes (#42)', 'bob');
    const result = await runCli(['release', '--dry-run', '--tag-prefix', 'v'], { cwd: dir, env: { ...env(), GH_TOKEN: world.gh.token } });
    expect(result.stderr).not.toMatch(/^connect2 release:/m);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('History from the local checkout');
    expect(result.stderr).toContain(`Target: ${head}`);
    expect(printedOutputs(result.stdout)).toMatchObject({ version: '1.3.0', tag: 'v1.3.0', 'previous-tag': 'v1.2.3', bump: 'minor', created: 'false' });
    expect(result.stdout).toMatch(/notes:\n[\s\S]*add CSV export/);
    expect(world.gh.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    expect(world.gh.requests.filter((r) => r.path.includes('/compare/'))).toEqual([]);
  });

  it('without a GitHub token: one line, exit 2, no request', async () => {
    commit('feat: base');
    const result = await runCli(['release', '--dry-run'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual(['connect2 release: No GitHub token: set GITHUB_TOKEN (e.g. GITHUB_TOKEN=$(gh auth token)); tags and releases are read from GitHub.']);
    expect(world.gh.requests).toEqual([]);
  });
});

describe('repositoryFromRemote', () => {
  it.each([
    ['git@github.com:connect2/connect2-api.git', 'connect2/connect2-api'],
    ['https://github.com/connect2/connect2-api', 'connect2/connect2-api'],
    ['https://x-access-token:abc@github.com/connect2/connect2-api.git', 'connect2/connect2-api'],
    ['ssh://git@github.com:22/connect2/connect2-api.git', 'connect2/connect2-api'],
    ['/tmp/not-a-url', undefined],
  ] as [string, string | undefined][])('%s', (url, expected) => expect(repositoryFromRemote(url)).toBe(expected));
});

/**
 * Issue #14 point 11: the script that pins this bundle's own actions to a release commit
 * (scripts/pin-bundle.mjs), run as a user runs it: a real git repository with an annotated release tag,
 * a folder of workflow files, the script as a child process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.resolve('scripts/pin-bundle.mjs');
const OUTSIDE = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';

function bundleRepository(): { repo: string; sha: string } {
  const repo = mkdtempSync(path.join(tmpdir(), 'pin-bundle-repo-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' }).trim();
  git('init', '--quiet', '--initial-branch=main');
  git('commit', '--quiet', '--allow-empty', '-m', 'feat: first release');
  git('tag', '-a', 'v1.4.0', '-m', 'v1.4.0');
  return { repo, sha: git('rev-parse', 'HEAD') };
}

function workflows(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pin-bundle-workflows-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'deploy.yml'), `jobs:
  deploy:
    steps:
      - uses: ${OUTSIDE}
      - name: Roll out
        uses: acme/connect2-actions/ecs-deploy@v1
      - uses: org/connect2-actions/wait-stable@0123456789abcdef0123456789abcdef01234567 # v1.0.0
`);
  writeFileSync(path.join(dir, 'notes.md'), 'uses: acme/connect2-actions/ecs-deploy@v1\n');
  return dir;
}

const run = (args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });

describe('scripts/pin-bundle.mjs', () => {
  it('pins every owner’s bundle actions to the tag’s commit with the version in a comment, and nothing else', () => {
    const { repo, sha } = bundleRepository();
    const dir = workflows();
    expect(run(['v1.4.0', '--dir', dir, '--repo', repo, '--check'])).toMatchObject({ status: 1, stdout: expect.stringContaining('not pinned: deploy.yml: acme/connect2-actions/ecs-deploy: v1 ->') });
    const pinned = run(['v1.4.0', '--dir', dir, '--repo', repo]);
    expect(pinned).toMatchObject({ status: 0, stdout: expect.stringContaining(`2 reference(s) pinned to v1.4.0 (${sha})`) });
    const text = readFileSync(path.join(dir, 'deploy.yml'), 'utf8');
    expect(text).toContain(`uses: acme/connect2-actions/ecs-deploy@${sha} # v1.4.0`);
    expect(text).toContain(`- uses: org/connect2-actions/wait-stable@${sha} # v1.4.0`);
    expect(text).toContain(`- uses: ${OUTSIDE}`);
    expect(readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('uses: acme/connect2-actions/ecs-deploy@v1\n');
    expect(run(['v1.4.0', '--dir', dir, '--repo', repo, '--check'])).toMatchObject({ status: 0, stdout: expect.stringContaining('is pinned to v1.4.0') });
  });

  it('takes the commit from --sha (release.yml knows what it released) without asking git', () => {
    const dir = workflows();
    const sha = 'f'.repeat(40);
    expect(run(['v2.0.0', '--dir', dir, '--sha', sha, '--repo', '/nonexistent'])).toMatchObject({ status: 0 });
    expect(readFileSync(path.join(dir, 'deploy.yml'), 'utf8')).toContain(`ecs-deploy@${sha} # v2.0.0`);
  });

  it('refuses a tag that is not there, and bad arguments in one line, changing nothing', () => {
    const { repo } = bundleRepository();
    const dir = workflows();
    const before = readFileSync(path.join(dir, 'deploy.yml'), 'utf8');
    expect(run(['v9.9.9', '--dir', dir, '--repo', repo])).toMatchObject({ status: 1, stderr: `pin-bundle: there is no tag v9.9.9 in ${repo}\n` });
    expect(run(['latest', '--dir', dir])).toMatchObject({ status: 2, stderr: "pin-bundle: tag: 'latest' is not a release tag: give one such as v1.4.0\n" });
    expect(run(['v1.4.0', '--sha', 'abc123', '--dir', dir])).toMatchObject({ status: 2, stderr: "pin-bundle: --sha: 'abc123' is not a full 40-character commit SHA\n" });
    expect(readFileSync(path.join(dir, 'deploy.yml'), 'utf8')).toBe(before);
  });
});

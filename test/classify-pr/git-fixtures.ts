/** Temporary git repositories for the git fallback tests (real git, no network). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
}

/** Commits everything in the worktree and returns the new SHA. */
export function commitAll(cwd: string, message: string): string {
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '--allow-empty', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

const created: string[] = [];

/** A temporary directory, removed by removeTempDirs(). */
export function tempDir(prefix = 'classify-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function tempRepo(prefix = 'classify-git-'): string {
  const dir = tempDir(prefix);
  git(dir, 'init', '-q');
  return dir;
}

/** Removes every directory made by tempDir/tempRepo (call in afterAll). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface PullRepo {
  dir: string;
  baseSha: string;
  headSha: string;
  files: string[];
}

/**
 * A repository with a base commit on `development` and a head commit on `feature/big` adding
 * `count` files: `infra` of them under infrastructure/ (the rest application).
 */
export function bigPullRepo(count: number, infra = 0): PullRepo {
  const dir = tempRepo('classify-big-');
  writeFiles(dir, { 'README.md': '# app\n' });
  const baseSha = commitAll(dir, 'base');
  git(dir, 'branch', '-q', 'development');
  git(dir, 'checkout', '-q', '-b', 'feature/big');
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    files.push(i < infra ? `infrastructure/modules/m${String(i).padStart(4, '0')}/main.tf` : `app/generated/module_${String(i).padStart(4, '0')}.py`);
  }
  writeFiles(dir, Object.fromEntries(files.map((file, i) => [file, `# ${i}\n`])));
  const headSha = commitAll(dir, 'many files');
  return { dir, baseSha, headSha, files };
}

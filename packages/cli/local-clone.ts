/**
 * What a runner sets for create-release and a terminal does not: the repository (from the clone's
 * `origin`), the target (the clone's HEAD) and the token (GITHUB_TOKEN, or GH_TOKEN as gh uses it).
 * The history itself is read from the clone by the release engine (GITHUB_WORKSPACE = cwd).
 */
import { execFileSync } from 'node:child_process';
import { UsageError } from './errors';

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** `git@github.com:owner/repo.git`, `https://github.com/owner/repo(.git)`, `ssh://git@host/owner/repo` -> owner/repo. */
export function repositoryFromRemote(url: string): string | undefined {
  const match = /^(?:[a-z+]+:\/\/)?(?:[^@/]+@)?[^:/]+(?::\d+)?[:/](.+?)(?:\.git)?\/?$/.exec(url.trim());
  const parts = match?.[1].split('/').filter(Boolean) ?? [];
  return parts.length >= 2 ? parts.slice(-2).join('/') : undefined;
}

/** GITHUB_REPOSITORY as the runner sets it, from the clone's `origin` when the environment does not say. */
export function repositoryFromClone(): void {
  if (process.env.GITHUB_REPOSITORY) return;
  const origin = git(['remote', 'get-url', 'origin']);
  const repository = origin ? repositoryFromRemote(origin) : undefined;
  if (!repository) throw new UsageError(`No repository: run in a clone whose 'origin' is on GitHub, or set GITHUB_REPOSITORY=owner/repo.`);
  process.env.GITHUB_REPOSITORY = repository;
}

export function prepareRelease(given: Record<string, string>): void {
  repositoryFromClone();
  if (!given.target) {
    const head = git(['rev-parse', 'HEAD']);
    if (!head) throw new UsageError(`No target: run in a git clone (its HEAD is released), or pass --target SHA.`);
    process.env.INPUT_TARGET = head;
  }
  if (!process.env['INPUT_GITHUB-TOKEN']) {
    throw new UsageError('No GitHub token: set GITHUB_TOKEN (e.g. GITHUB_TOKEN=$(gh auth token)); tags and releases are read from GitHub.');
  }
}

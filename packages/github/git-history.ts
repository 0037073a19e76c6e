/**
 * Makes sure a checkout holds enough history for `git diff base...head`: both commits and their
 * merge base. actions/checkout fetches one commit by default, so the commits are fetched by SHA
 * and a shallow history is deepened step by step (then unshallowed) until the two sides meet.
 */
import { errorMessage, type Logger } from '../action-kit';
import { fetchAuthArgs, type FetchAuth } from './git-auth';
import { git, GitError } from './git-command';

export interface HistoryOptions {
  /** The remote to fetch from (actions/checkout names it origin). */
  remote?: string;
  /** Successive `--deepen` steps tried before `--unshallow`. */
  deepenSteps?: readonly number[];
  /** The token for fetches, when the checkout did not persist credentials. */
  auth?: FetchAuth;
  /** Where each fetch is logged. */
  log: Logger;
}

const DEFAULT_DEEPEN_STEPS = [100, 1000];

async function isGitCheckout(cwd: string): Promise<boolean> {
  try {
    const result = await git(cwd, ['rev-parse', '--is-inside-work-tree'], { allowFailure: true });
    return result.exitCode === 0 && result.stdout.trim() === 'true';
  } catch {
    return false;
  }
}

/** The commit `rev` names locally (also as a remote-tracking branch), or undefined. */
async function localCommit(cwd: string, rev: string, remote: string): Promise<string | undefined> {
  for (const candidate of [rev, `refs/remotes/${remote}/${rev}`]) {
    const result = await git(cwd, ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`], { allowFailure: true });
    if (result.exitCode === 0) return result.stdout.trim();
  }
  return undefined;
}

async function isShallow(cwd: string): Promise<boolean> {
  return (await git(cwd, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
}

async function mergeBase(cwd: string, base: string, head: string): Promise<string | undefined> {
  const result = await git(cwd, ['merge-base', base, head], { allowFailure: true });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

async function fetch(cwd: string, args: string[], auth: string[], log: Logger): Promise<void> {
  log.info(`git fetch ${args.join(' ')}`);
  await git(cwd, [...auth, 'fetch', '--no-tags', '--no-recurse-submodules', '--quiet', ...args]);
}

export interface CommitRange {
  base: string;
  head: string;
  mergeBase: string;
}

/**
 * Fetches what is missing and returns the commits of `base` and `head` (SHAs, branch names or any
 * revision; a branch only the remote has is fetched) and their merge base. Throws a GitError saying
 * what could not be had (not a checkout, a commit the remote does not give, no common history).
 */
export async function ensureMergeBase(cwd: string, baseRev: string, headRev: string, options: HistoryOptions): Promise<CommitRange> {
  const remote = options.remote ?? 'origin';
  if (!(await isGitCheckout(cwd))) {
    throw new GitError(`${cwd} is not a git checkout (add actions/checkout with fetch-depth: 0 before this step)`);
  }
  let shallow = await isShallow(cwd);
  const auth = await fetchAuthArgs(cwd, options.auth);
  const resolve = async (rev: string): Promise<string> => {
    const local = await localCommit(cwd, rev, remote);
    if (local) return local;
    try {
      // Fetching by SHA works on GitHub; a full clone is not made shallow by it.
      await fetch(cwd, shallow ? ['--depth=1', remote, rev] : [remote, rev], auth, options.log);
      return (await git(cwd, ['rev-parse', '--verify', 'FETCH_HEAD^{commit}'])).stdout.trim();
    } catch (error) {
      throw new GitError(`'${rev}' is not in the checkout and could not be fetched from '${remote}' (${errorMessage(error)})`);
    }
  };
  const base = await resolve(baseRev);
  const head = await resolve(headRev);
  const steps = options.deepenSteps ?? DEFAULT_DEEPEN_STEPS;
  for (let attempt = 0; ; attempt++) {
    const found = await mergeBase(cwd, base, head);
    if (found) return { base, head, mergeBase: found };
    if (!shallow) break;
    const step = steps[attempt];
    await fetch(cwd, step !== undefined ? [`--deepen=${step}`, remote, base, head] : ['--unshallow', remote, base, head], auth, options.log);
    if (step === undefined) shallow = await isShallow(cwd);
  }
  throw new GitError(`'${baseRev}' and '${headRev}' have no common history in the checkout, so 'git diff ${baseRev}...${headRev}' cannot list the changed files`);
}

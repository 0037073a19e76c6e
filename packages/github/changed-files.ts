/**
 * The files a pull request changes, complete or not at all. The pulls API lists at most 3000 files
 * (actions/labeler, dorny/paths-filter and tj-actions/changed-files silently stop there): when its
 * list is short of the pull's `changed_files`, the list comes from `git diff base...head` in the
 * checkout instead, and when git cannot give it either, the caller gets an error saying so.
 */
import { ActionError, errorMessage } from '../action-kit';
import { httpStatus, type GitHubClient } from './client';
import { GitError } from './git-command';
import { gitDiffFiles } from './git-diff';
import { ensureMergeBase, type HistoryOptions } from './git-history';

/** The pulls "list files" endpoint stops here, whatever the PR holds. */
const PULL_FILES_CAP = 3000;

export interface ChangedFile {
  path: string;
  /** The pulls API's status: added, modified, removed, renamed, copied, changed, unchanged. */
  status: string;
  /** The old path of a rename or copy. */
  previousPath?: string;
}

export interface ChangedFiles {
  files: ChangedFile[];
  source: 'api' | 'git';
  /** One line for logs and summaries, e.g. "git diff abc1234...def5678 (the pulls API lists at most 3000 files)". */
  description: string;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  /** `pull_request.changed_files` from the event; read from the API when absent. */
  changedFiles?: number;
  baseSha?: string;
  headSha?: string;
}

export interface GitCheckout extends HistoryOptions {
  /** The checkout (GITHUB_WORKSPACE). */
  cwd: string;
}

/** Every file of the pull as the API lists it (100 per page; at most 3000). */
async function listPullRequestFiles(client: GitHubClient, pull: PullRequestRef): Promise<ChangedFile[]> {
  const files = await client.paginate(client.rest.pulls.listFiles, { owner: pull.owner, repo: pull.repo, pull_number: pull.number, per_page: 100 });
  return files.map((file) => ({ path: file.filename, status: file.status, ...(file.previous_filename ? { previousPath: file.previous_filename } : {}) }));
}

/** Files changed between two commits of the checkout, fetching and deepening history as needed. */
export async function gitRangeFiles(checkout: GitCheckout, base: string, head: string): Promise<ChangedFiles> {
  const range = await ensureMergeBase(checkout.cwd, base, head, checkout);
  const files = await gitDiffFiles(checkout.cwd, range.base, range.head);
  return { files, source: 'git', description: `git diff ${short(base)}...${short(head)} (${files.length} files)` };
}

/**
 * The pull's complete file list: from the API when it is complete, else from git. A GitHub answer
 * that is not data (401, 404, 5xx after the retries) fails with what was asked and what GitHub said.
 */
export async function pullRequestFiles(client: GitHubClient, pull: PullRequestRef, checkout: GitCheckout): Promise<ChangedFiles> {
  try {
    return await completeFiles(client, pull, checkout);
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined) throw error;
    const said = errorMessage(error).split('\n')[0];
    throw new ActionError(`Could not list the files of pull request #${pull.number} in ${pull.owner}/${pull.repo}: GitHub answered HTTP ${status} (${said}).`, { cause: error });
  }
}

async function completeFiles(client: GitHubClient, pull: PullRequestRef, checkout: GitCheckout): Promise<ChangedFiles> {
  let { changedFiles: expected, baseSha, headSha } = pull;
  if (expected === undefined || !baseSha || !headSha) {
    const { data } = await client.rest.pulls.get({ owner: pull.owner, repo: pull.repo, pull_number: pull.number });
    expected ??= data.changed_files;
    baseSha ||= data.base.sha;
    headSha ||= data.head.sha;
  }
  // Over the cap the API cannot give the whole list: go straight to git and spare 30 requests.
  const listed = expected > PULL_FILES_CAP ? undefined : await listPullRequestFiles(client, pull);
  if (!listed) return gitFallback(checkout, baseSha, headSha, expected, `the pulls API lists at most ${PULL_FILES_CAP} files`);
  // More than expected means a push landed after the event: the API's list is the newer truth.
  if (listed.length >= expected && listed.length < PULL_FILES_CAP) {
    return { files: listed, source: 'api', description: `pulls API (${listed.length} files)` };
  }
  // Exactly at the cap the list may be whole or cut: only the pull's current count can tell.
  if (listed.length === PULL_FILES_CAP && expected === PULL_FILES_CAP) {
    const { data } = await client.rest.pulls.get({ owner: pull.owner, repo: pull.repo, pull_number: pull.number });
    if (data.changed_files === PULL_FILES_CAP) return { files: listed, source: 'api', description: `pulls API (${listed.length} files, all of them)` };
    expected = data.changed_files;
  }
  const why = listed.length >= PULL_FILES_CAP ? `the pulls API lists at most ${PULL_FILES_CAP} files` : `the pulls API listed ${listed.length} of ${expected} files`;
  return gitFallback(checkout, baseSha, headSha, expected, why);
}

/** The list from git, or an error saying the list is incomplete and why. */
async function gitFallback(checkout: GitCheckout, baseSha: string, headSha: string, expected: number, why: string): Promise<ChangedFiles> {
  checkout.log.info(`The PR changes ${expected} files and ${why}: listing them with git instead.`);
  try {
    const fromGit = await checkout.log.group('git history for the file list', () => gitRangeFiles(checkout, baseSha, headSha));
    return { ...fromGit, description: `${fromGit.description}, because ${why}` };
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new ActionError(
      `The PR's file list is incomplete: it changes ${expected} files, ${why}, and git could not list them: ${error.message}.`,
      { details: ['Check the repository out before this step with actions/checkout and fetch-depth: 0, so the full list comes from git.'] },
    );
  }
}

function short(rev: string): string {
  return /^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 7) : rev;
}

/**
 * Commits through the REST API: resolve a ref to a SHA, compare two commits with every page of
 * the comparison (the API's first answer stops at 250 commits), list the history of a commit.
 */
import type { GitHubClient } from './client';
import { httpStatus } from './client';
import type { RepositoryRef } from './repository';

export interface ApiCommit {
  sha: string;
  message: string;
  parents: string[];
  /** GitHub login of the author, when the commit's email belongs to an account. */
  login?: string;
  /** The git author name. */
  name?: string;
}

type RawCommit = {
  sha: string;
  commit: { message: string; author?: { name?: string | null } | null };
  author?: { login?: string | null } | null;
  parents: { sha: string }[];
};

function toCommit(raw: RawCommit): ApiCommit {
  return {
    sha: raw.sha,
    message: raw.commit.message,
    parents: raw.parents.map((parent) => parent.sha),
    login: raw.author?.login ?? undefined,
    name: raw.commit.author?.name ?? undefined,
  };
}

/** The commit SHA a ref (SHA, short SHA, branch, tag, `refs/...`) names, or undefined when none. */
export async function resolveCommit(client: GitHubClient, repository: RepositoryRef, ref: string): Promise<string | undefined> {
  try {
    const { data } = await client.rest.repos.getCommit({ ...repository, ref, per_page: 1 });
    return data.sha;
  } catch (error) {
    const status = httpStatus(error);
    // 404: no such ref; 422: "No commit found for SHA" (malformed or unknown SHA).
    if (status === 404 || status === 422) return undefined;
    throw error;
  }
}

export type CompareStatus = 'ahead' | 'behind' | 'identical' | 'diverged';

/**
 * How `head` relates to `base` (one commit page only: the status is all that is read). GitHub
 * answers 404 when the two share no history at all (an orphan branch): that is 'diverged' too.
 */
export async function compareStatus(client: GitHubClient, repository: RepositoryRef, base: string, head: string): Promise<CompareStatus> {
  try {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({ ...repository, basehead: `${base}...${head}`, per_page: 1 });
    return data.status as CompareStatus;
  } catch (error) {
    if (httpStatus(error) === 404) return 'diverged';
    throw error;
  }
}

export interface Comparison {
  status: CompareStatus;
  totalCommits: number;
  commits: ApiCommit[];
}

/**
 * Every commit reachable from `head` and not from `base`, oldest first as GitHub lists them.
 * Without `page` the compare API returns at most 250 commits; with `page`/`per_page` it pages
 * through all of them. The first page says how many there are (`total_commits`); the rest are read
 * a few at a time in parallel (a 5,000-commit range is 50 pages) and put back in page order.
 */
export async function compareCommits(
  client: GitHubClient,
  repository: RepositoryRef,
  base: string,
  head: string,
  options: { perPage?: number; concurrency?: number; onPage?: (received: number, total: number) => void } = {},
): Promise<Comparison> {
  const perPage = options.perPage ?? 100;
  const concurrency = options.concurrency ?? 4;
  const fetchPage = async (page: number) => {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({ ...repository, basehead: `${base}...${head}`, per_page: perPage, page });
    return data;
  };
  const first = await fetchPage(1);
  const total = first.total_commits;
  const pages: ApiCommit[][] = [first.commits.map((raw) => toCommit(raw as RawCommit))];
  let received = pages[0].length;
  options.onPage?.(received, total);
  const lastPage = Math.ceil(total / perPage);
  let next = 2;
  const worker = async () => {
    for (let page = next++; page <= lastPage; page = next++) {
      const data = await fetchPage(page);
      pages[page - 1] = data.commits.map((raw) => toCommit(raw as RawCommit));
      received += data.commits.length;
      options.onPage?.(received, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(0, lastPage - 1)) }, worker));
  const commits = pages.flat();
  // A short listing (history rewritten between pages, or a server-side cap) would release from a
  // partial range: say so rather than write notes that silently miss commits.
  if (commits.length !== total) {
    throw new Error(
      `compare ${base.slice(0, 7)}...${head.slice(0, 7)} listed ${commits.length} of the ${total} commits it counts; run again, or check out the full history (fetch-depth: 0) so git answers`,
    );
  }
  return { status: first.status as CompareStatus, totalCommits: total, commits };
}

/** The history of `sha` (newest first, as the API lists it), at most `limit` commits. */
export async function listHistory(client: GitHubClient, repository: RepositoryRef, sha: string, limit: number): Promise<{ commits: ApiCommit[]; complete: boolean }> {
  const commits: ApiCommit[] = [];
  for await (const { data } of client.paginate.iterator(client.rest.repos.listCommits, { ...repository, sha, per_page: 100 })) {
    for (const raw of data) {
      if (commits.length >= limit) return { commits, complete: false };
      commits.push(toCommit(raw as RawCommit));
    }
  }
  return { commits, complete: true };
}

export interface CommitFileChange {
  filename: string;
  /** The blob SHA after the change (a removed file: the SHA before). */
  sha: string;
  /** The unified diff of the file; absent for a binary or very large file. */
  patch?: string;
}

/** The files one commit changes (a merge: against its first parent, as GitHub shows it). */
export async function commitFiles(client: GitHubClient, repository: RepositoryRef, sha: string): Promise<CommitFileChange[]> {
  const { data } = await client.rest.repos.getCommit({ ...repository, ref: sha, per_page: 300 });
  return (data.files ?? []).map((file) => ({ filename: file.filename, sha: file.sha ?? '', patch: file.patch ?? undefined }));
}

/** The paths `head` changes since `base` (both sides of a rename), or undefined past the compare API's 300-file listing. */
export async function comparedPaths(client: GitHubClient, repository: RepositoryRef, base: string, head: string): Promise<{ status: CompareStatus; paths?: string[] }> {
  const { data } = await client.rest.repos.compareCommitsWithBasehead({ ...repository, basehead: `${base}...${head}`, per_page: 1 });
  const files = data.files ?? [];
  if (files.length >= 300) return { status: data.status as CompareStatus };
  return { status: data.status as CompareStatus, paths: files.flatMap((file) => (file.previous_filename ? [file.previous_filename, file.filename] : [file.filename])) };
}

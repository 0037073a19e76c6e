/**
 * Commits over the commit graph: single commits, history (`git log` newest first), compare
 * (`base...head`: what head has that base lacks, oldest first, with ahead/behind counts and the merge
 * base), the pulls a commit belongs to, and git/commits objects.
 */
import type { CommitRecord } from './commit-graph';
import { resolveCommitish } from './git-refs';
import { HttpError, isoTime, notFound, ok } from './http';
import type { Reply } from './http';
import type { FileChange, RepoRecord } from './model';
import { linkHeader, pagedReply, readPage } from './pagination';
import { renderPull } from './pulls';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';

/** Compare lists at most this many commits when no page is asked for, as GitHub does. */
const COMPARE_UNPAGED_LIMIT = 250;
/** Compare and single-commit responses list at most this many files. */
const COMMIT_FILES_LIMIT = 300;

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

function signature(s: CommitRecord['author']): Record<string, unknown> {
  return { name: s.name, email: s.email, date: isoTime(s.date) };
}

export function renderCommit(store: GitHubStore, repo: RepoRecord, commit: CommitRecord, options: { files?: boolean } = {}): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  const html = store.repoHtmlUrl(repo);
  const account = commit.login ? store.renderUser(store.user(commit.login)) : null;
  const rendered: Record<string, unknown> = {
    sha: commit.sha,
    node_id: `C_kwDO${Buffer.from(`${repo.fullName}:${commit.sha}`).toString('base64url')}`,
    url: `${api}/commits/${commit.sha}`,
    html_url: `${html}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: signature(commit.author),
      committer: signature(commit.committer),
      message: commit.message,
      tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: account,
    committer: account,
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${html}/commit/${sha}` })),
  };
  if (options.files) {
    const additions = commit.files.reduce((sum, file) => sum + file.additions, 0);
    const deletions = commit.files.reduce((sum, file) => sum + file.deletions, 0);
    rendered.stats = { total: additions + deletions, additions, deletions };
    rendered.files = commit.files.slice(0, COMMIT_FILES_LIMIT).map((file) => renderFile(store, repo, commit.sha, file));
  }
  return rendered;
}

export function renderFile(store: GitHubStore, repo: RepoRecord, ref: string, file: FileChange): Record<string, unknown> {
  const html = store.repoHtmlUrl(repo);
  const path = file.filename.split('/').map(encodeURIComponent).join('/');
  return {
    ...file,
    blob_url: `${html}/blob/${ref}/${path}`,
    raw_url: `${html}/raw/${ref}/${path}`,
    contents_url: `${store.repoApiUrl(repo)}/contents/${path}?ref=${ref}`,
  };
}

/** The files a range of commits changes, the last change of each path winning. */
export function filesOf(commits: readonly CommitRecord[]): FileChange[] {
  const byName = new Map<string, FileChange>();
  for (const commit of commits) for (const file of commit.files) byName.set(file.filename, file);
  return [...byName.values()];
}

function commitOr404(repo: RepoRecord, commitish: string): CommitRecord {
  const sha = resolveCommitish(repo, commitish);
  const commit = sha ? repo.graph.get(sha) : undefined;
  if (!commit) throw new HttpError(422, `No commit found for SHA: ${commitish}`);
  return commit;
}

export function registerCommitRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo/commits', listCommits);
  router.on('GET', '/repos/:owner/:repo/commits/:ref/pulls', listPullsOfCommit);
  router.on('GET', '/repos/:owner/:repo/commits/*ref', getCommit);
  router.on('GET', '/repos/:owner/:repo/git/commits/:sha', getGitCommit);
  router.on('GET', '/repos/:owner/:repo/compare/*basehead', compareCommits);
}

function listCommits(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const start = context.query.get('sha') ?? repo.defaultBranch;
  const sha = resolveCommitish(repo, start);
  if (!sha) {
    // An empty repository has no history; an unknown ref is a 404.
    if (repo.graph.size === 0) throw new HttpError(409, 'Git Repository is empty.');
    throw notFound(`No commit found for SHA: ${start}`);
  }
  let history = repo.graph.history(sha);
  const path = context.query.get('path');
  const since = context.query.get('since');
  const until = context.query.get('until');
  if (path || since || until) {
    const from = since ? Date.parse(since) : -Infinity;
    const to = until ? Date.parse(until) : Infinity;
    history = history.filter(
      (commit) =>
        commit.committer.date >= from &&
        commit.committer.date <= to &&
        (!path || commit.files.some((file) => file.filename === path || file.filename.startsWith(`${path.replace(/\/$/, '')}/`))),
    );
  }
  return pagedReply(context.url, context.query, history, (commit) => renderCommit(context.state, repo, commit));
}

function listPullsOfCommit(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const commit = commitOr404(repo, context.params.ref!);
  const pulls = [...repo.issues.values()].filter((issue) => issue.pull && (issue.pull.mergeCommitSha === commit.sha || issue.pull.head.sha === commit.sha));
  return pagedReply(context.url, context.query, pulls, (issue) => renderPull(context.state, repo, issue));
}

function getCommit(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  return ok(renderCommit(context.state, repo, commitOr404(repo, context.params.ref!), { files: true }));
}

function getGitCommit(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const commit = repo.graph.get(context.params.sha!.toLowerCase());
  if (!commit) throw notFound();
  const api = context.state.repoApiUrl(repo);
  return ok({
    sha: commit.sha,
    node_id: `C_kwDO${Buffer.from(`${repo.fullName}:${commit.sha}`).toString('base64url')}`,
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${context.state.repoHtmlUrl(repo)}/commit/${commit.sha}`,
    author: signature(commit.author),
    committer: signature(commit.committer),
    message: commit.message,
    tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/git/commits/${sha}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  });
}

function compareCommits(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const basehead = context.params.basehead!;
  const split = basehead.indexOf('...');
  if (split <= 0) throw notFound();
  const baseName = basehead.slice(0, split);
  const headName = basehead.slice(split + 3);
  const baseSha = resolveCommitish(repo, baseName);
  const headSha = resolveCommitish(repo, headName);
  if (!baseSha || !headSha) throw notFound();
  const { ahead, behindBy, mergeBase } = repo.graph.compare(baseSha, headSha);
  if (!mergeBase) throw notFound(`No common ancestor between ${baseName} and ${headName}.`);

  const paged = context.query.has('page') || context.query.has('per_page');
  let commits: CommitRecord[];
  let headers: Record<string, string> = {};
  if (paged) {
    const { page, perPage } = readPage(context.query);
    const start = (page - 1) * perPage;
    commits = ahead.slice(start, start + perPage);
    headers = linkHeader(context.url, page, perPage, Math.max(1, Math.ceil(ahead.length / perPage)));
  } else {
    // GitHub lists the first 250 commits of an unpaged comparison.
    commits = ahead.slice(0, COMPARE_UNPAGED_LIMIT);
  }

  const aheadBy = ahead.length;
  const status = aheadBy === 0 && behindBy === 0 ? 'identical' : behindBy === 0 ? 'ahead' : aheadBy === 0 ? 'behind' : 'diverged';
  const api = context.state.repoApiUrl(repo);
  const html = context.state.repoHtmlUrl(repo);
  const store = context.state;
  return ok(
    {
      url: `${api}/compare/${baseName}...${headName}`,
      html_url: `${html}/compare/${baseName}...${headName}`,
      permalink_url: `${html}/compare/${repo.owner}:${baseSha.slice(0, 7)}...${repo.owner}:${headSha.slice(0, 7)}`,
      diff_url: `${html}/compare/${baseName}...${headName}.diff`,
      patch_url: `${html}/compare/${baseName}...${headName}.patch`,
      base_commit: renderCommit(store, repo, repo.graph.get(baseSha)!),
      merge_base_commit: renderCommit(store, repo, mergeBase),
      status,
      ahead_by: aheadBy,
      behind_by: behindBy,
      total_commits: aheadBy,
      commits: commits.map((commit) => renderCommit(store, repo, commit)),
      files: filesOf(ahead)
        .slice(0, COMMIT_FILES_LIMIT)
        .map((file) => renderFile(store, repo, headSha, file)),
    },
    200,
    headers,
  );
}

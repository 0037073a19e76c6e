/**
 * Pull requests: get, list (state/head/base filters), create (promotion PRs; one open PR per
 * head/base), update, merge, and the files list with GitHub's hard cap of 3000 files while
 * `changed_files` keeps the true count. List items omit the fields GitHub only returns for a single
 * pull (changed_files, merged, commits...), so code that reads them from a list fails here as it would
 * on GitHub.
 */
import type { CommitRecord } from './commit-graph';
import { filesOf, renderCommit, renderFile } from './commits';
import { branchSha, resolveCommitish } from './git-refs';
import { HttpError, created, isoTime, notFound, ok, optionalBoolean, optionalString, requireString, validationFailed } from './http';
import type { Reply } from './http';
import { createIssue, issueOr404, issueHtmlUrl } from './issues';
import { issueLabels } from './labels';
import type { Actor, FileChange, IssueRecord, PullRecord, RepoRecord } from './model';
import { pagedReply } from './pagination';
import { mergeRefusal } from './protection';
import type { PullRequestEvent } from './events';
import type { TokenGrant } from './permissions';
import { updateRef } from './ref-updates';
import { renderRepo } from './repos';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';

/** The pulls files API never lists more than this many files. */
const PULL_FILES_LIMIT = 3000;

export interface NewPull {
  number?: number;
  title: string;
  body?: string | null;
  user: Actor;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  draft?: boolean;
  files: FileChange[];
}

export function createPull(store: GitHubStore, repo: RepoRecord, input: NewPull): IssueRecord {
  const issue = createIssue(store, repo, { number: input.number, title: input.title, body: input.body, user: input.user });
  const id = store.nextId('pull');
  const pull: PullRecord = {
    id,
    nodeId: store.nodeId('pull', id),
    number: issue.number,
    head: { ...input.head },
    base: { ...input.base },
    draft: input.draft ?? false,
    merged: false,
    mergedAt: null,
    mergeCommitSha: null,
    files: input.files,
  };
  issue.pull = pull;
  return issue;
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface MergeOptions {
  /** The whole message (commit_title [+ blank line + commit_message]); default GitHub's. Not for rebase. */
  message?: string;
  /** Record the merge as this existing commit (seeding) instead of making one. */
  mergeCommitSha?: string;
  method?: MergeMethod;
  /** The grant of the merging token (events), and the account merging. */
  author?: TokenGrant;
  merger?: Actor;
}

/** The commit the base branch moves to: made by real git when the bare repository has both sides, else in the graph only. */
function mergeCommit(store: GitHubStore, repo: RepoRecord, issue: IssueRecord, method: MergeMethod, options: MergeOptions): string {
  const pull = issue.pull!;
  const merger = options.merger ?? store.actor;
  const baseTip = branchSha(repo, pull.base.ref) ?? pull.base.sha;
  if (method === 'rebase') {
    const made = store.git?.commitRebase(repo, { base: baseTip, head: pull.head.sha, date: store.now() });
    if (made === 'conflict') throw new HttpError(405, 'This branch can\'t be rebased');
    if (made) return made;
  }
  const message =
    (method === 'rebase' ? repo.graph.get(pull.head.sha)?.message : options.message) ??
    (method !== 'merge' ? `${issue.title} (#${pull.number})` : `Merge pull request #${pull.number} from ${repo.owner}/${pull.head.ref}\n\n${issue.title}`);
  const parents = method === 'merge' ? [baseTip, pull.head.sha] : [baseTip];
  const signature = { name: merger.login, email: `${merger.id}+${merger.login}@users.noreply.github.com`, date: store.now() };
  const made = method === 'rebase' ? undefined : store.git?.commitMerge(repo, { base: baseTip, head: pull.head.sha, parents, message, author: signature });
  if (made === 'conflict') throw new HttpError(405, 'Merge conflict');
  if (made) return made;
  // Graph-only (no git, or seeded history): as before, the pull's author authors it and it changes the pull's files.
  return repo.graph.add({
    message,
    parents,
    author: { name: issue.user.login, email: `${issue.user.id}+${issue.user.login}@users.noreply.github.com`, date: store.now() },
    login: issue.user.login,
    files: pull.files,
  }).sha;
}

/**
 * Records a merge as GitHub's three buttons do: a merge commit (parents: base tip, head), a squash
 * commit (parent: base tip), or the PR's commits rebased onto the base tip (new SHAs; the last one is
 * `merge_commit_sha`), made by real git when the bare repository has both commits, then the pull closed.
 * Emits push (the base branch) then pull_request closed. Throws 405 when git cannot merge or rebase.
 */
export function mergePull(store: GitHubStore, repo: RepoRecord, issue: IssueRecord, options: MergeOptions = {}): string {
  const pull = issue.pull!;
  const merger = options.merger ?? store.actor;
  let sha = options.mergeCommitSha;
  if (!sha) {
    sha = mergeCommit(store, repo, issue, options.method ?? 'merge', options);
    updateRef(store, repo, `refs/heads/${pull.base.ref}`, sha, { author: options.author });
  }
  const now = store.now();
  pull.merged = true;
  pull.mergedAt = now;
  pull.mergeCommitSha = sha;
  pull.mergedBy = merger;
  issue.state = 'closed';
  issue.closedAt = now;
  issue.updatedAt = now;
  store.events.emit({ name: 'pull_request', action: 'closed', repo: repo.fullName, number: pull.number, ...(options.author ? { author: options.author } : {}) });
  return sha;
}

function renderSide(store: GitHubStore, repo: RepoRecord, side: { ref: string; sha: string }): Record<string, unknown> {
  return {
    label: `${repo.owner}:${side.ref}`,
    ref: side.ref,
    sha: side.sha,
    user: { ...store.renderUser(store.user(repo.owner)), type: 'Organization' },
    // The whole repository, as GitHub shows it (owner and fork included: webhooks and forks read them).
    repo: renderRepo(store, repo),
  };
}

function commitsBetween(repo: RepoRecord, pull: PullRecord): CommitRecord[] {
  if (!repo.graph.get(pull.base.sha) || !repo.graph.get(pull.head.sha)) return [];
  return repo.graph.compare(pull.base.sha, pull.head.sha).ahead;
}

/** A pull as the single-pull endpoint returns it (`full`) or as list items show it. */
export function renderPull(store: GitHubStore, repo: RepoRecord, issue: IssueRecord, full = false): Record<string, unknown> {
  const pull = issue.pull!;
  const api = store.repoApiUrl(repo);
  const html = issueHtmlUrl(store, repo, issue);
  const rendered: Record<string, unknown> = {
    url: `${api}/pulls/${pull.number}`,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    number: pull.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: store.renderUser(issue.user),
    body: issue.body,
    labels: issueLabels(store, repo, issue),
    created_at: isoTime(issue.createdAt),
    updated_at: isoTime(issue.updatedAt),
    closed_at: issue.closedAt === null ? null : isoTime(issue.closedAt),
    merged_at: pull.mergedAt === null ? null : isoTime(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha,
    draft: pull.draft,
    head: renderSide(store, repo, pull.head),
    base: renderSide(store, repo, pull.base),
    author_association: 'MEMBER',
  };
  if (full) {
    const additions = pull.files.reduce((sum, file) => sum + file.additions, 0);
    const deletions = pull.files.reduce((sum, file) => sum + file.deletions, 0);
    Object.assign(rendered, {
      merged: pull.merged,
      mergeable: issue.state === 'open' ? true : null,
      mergeable_state: issue.state === 'open' ? 'clean' : 'unknown',
      merged_by: pull.merged ? store.renderUser(pull.mergedBy ?? store.actor) : null,
      comments: [...repo.comments.values()].filter((comment) => comment.issueNumber === pull.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: commitsBetween(repo, pull).length,
      additions,
      deletions,
      changed_files: pull.files.length,
    });
  }
  return rendered;
}

function pullOr404(repo: RepoRecord, number: string): IssueRecord {
  const issue = issueOr404(repo, number);
  if (!issue.pull) throw notFound();
  return issue;
}

/** `owner:branch` or `branch` -> branch (the head filter and the create body use both forms). */
function branchName(repo: RepoRecord, value: string): string {
  const colon = value.indexOf(':');
  return colon > 0 && value.slice(0, colon).toLowerCase() === repo.owner.toLowerCase() ? value.slice(colon + 1) : value;
}

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

export function registerPullRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo/pulls', listPulls);
  router.on('POST', '/repos/:owner/:repo/pulls', postPull);
  router.on('GET', '/repos/:owner/:repo/pulls/:number', getPull);
  router.on('PATCH', '/repos/:owner/:repo/pulls/:number', patchPull);
  router.on('PUT', '/repos/:owner/:repo/pulls/:number/merge', putMerge);
  router.on('GET', '/repos/:owner/:repo/pulls/:number/merge', getMerged);
  router.on('GET', '/repos/:owner/:repo/pulls/:number/files', listPullFiles);
  router.on('GET', '/repos/:owner/:repo/pulls/:number/commits', listPullCommits);
}

function listPulls(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const state = context.query.get('state') ?? 'open';
  const head = context.query.get('head');
  const base = context.query.get('base');
  const direction = context.query.get('direction') ?? 'desc';
  const pulls = [...repo.issues.values()]
    .filter((issue) => issue.pull)
    .filter((issue) => state === 'all' || issue.state === state)
    .filter((issue) => !head || (head.includes(':') ? `${repo.owner}:${issue.pull!.head.ref}`.toLowerCase() === head.toLowerCase() : issue.pull!.head.ref === head))
    .filter((issue) => !base || issue.pull!.base.ref === base)
    .sort((a, b) => (direction === 'asc' ? a.number - b.number : b.number - a.number));
  return pagedReply(context.url, context.query, pulls, (issue) => renderPull(context.state, repo, issue));
}

function postPull(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  if (context.grant.kind === 'github-token' && !repo.settings.actionsCanCreatePullRequests) {
    throw new HttpError(403, 'GitHub Actions is not permitted to create or approve pull requests.');
  }
  const body = context.body as Record<string, unknown>;
  const title = requireString(body, 'title', 'PullRequest');
  const head = branchName(repo, requireString(body, 'head', 'PullRequest'));
  const base = requireString(body, 'base', 'PullRequest');
  const baseSha = branchSha(repo, base);
  const headSha = branchSha(repo, head) ?? resolveCommitish(repo, head);
  if (!baseSha) throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'base' });
  if (!headSha) throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'head' });
  const existing = [...repo.issues.values()].find((issue) => issue.pull && issue.state === 'open' && issue.pull.head.ref === head && issue.pull.base.ref === base);
  if (existing) throw validationFailed({ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${head}.` });
  const ahead = repo.graph.compare(baseSha, headSha).ahead;
  if (ahead.length === 0) throw validationFailed({ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` });
  const issue = createPull(context.state, repo, {
    title,
    body: optionalString(body, 'body', 'PullRequest') ?? null,
    user: context.actor,
    head: { ref: head, sha: headSha },
    base: { ref: base, sha: baseSha },
    draft: optionalBoolean(body, 'draft', 'PullRequest'),
    files: filesOf(ahead),
  });
  context.state.events.emit({ name: 'pull_request', action: 'opened', repo: repo.fullName, number: issue.number, author: context.grant });
  return created(renderPull(context.state, repo, issue, true));
}

function getPull(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  return ok(renderPull(context.state, repo, pullOr404(repo, context.params.number!), true));
}

function patchPull(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const issue = pullOr404(repo, context.params.number!);
  const body = context.body as Record<string, unknown>;
  const title = optionalString(body, 'title', 'PullRequest');
  const text = optionalString(body, 'body', 'PullRequest');
  const state = optionalString(body, 'state', 'PullRequest');
  const base = optionalString(body, 'base', 'PullRequest');
  if (state !== undefined && state !== 'open' && state !== 'closed') throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'state' });
  const changes: NonNullable<PullRequestEvent['changes']> = {};
  if (base !== undefined && base !== issue.pull!.base.ref) {
    const sha = branchSha(repo, base);
    if (!sha) throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'base' });
    changes.base = { ref: { from: issue.pull!.base.ref }, sha: { from: issue.pull!.base.sha } };
    issue.pull!.base = { ref: base, sha };
    if (repo.graph.get(sha) && repo.graph.get(issue.pull!.head.sha)) issue.pull!.files = filesOf(repo.graph.compare(sha, issue.pull!.head.sha).ahead);
  }
  if (title !== undefined && title !== issue.title) {
    changes.title = { from: issue.title };
    issue.title = title;
  }
  if (text !== undefined && text !== issue.body) {
    changes.body = { from: issue.body };
    issue.body = text;
  }
  let action: 'closed' | 'reopened' | undefined;
  if (state && state !== issue.state) {
    if (issue.pull!.merged) throw validationFailed({ resource: 'PullRequest', code: 'custom', field: 'state', message: 'Cannot change the state of a merged pull request.' });
    issue.state = state;
    issue.closedAt = state === 'closed' ? context.state.now() : null;
    action = state === 'closed' ? 'closed' : 'reopened';
  }
  issue.updatedAt = context.state.now();
  const event = { name: 'pull_request', repo: repo.fullName, number: issue.number, author: context.grant } as const;
  if (Object.keys(changes).length > 0) context.state.events.emit({ ...event, action: 'edited', changes });
  if (action) context.state.events.emit({ ...event, action });
  return ok(renderPull(context.state, repo, issue, true));
}

function putMerge(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const issue = pullOr404(repo, context.params.number!);
  if (issue.state !== 'open') throw new HttpError(405, 'Pull Request is not mergeable');
  const expected = optionalString(context.body as Record<string, unknown>, 'sha', 'PullRequest');
  if (expected && expected !== issue.pull!.head.sha) throw new HttpError(409, 'Head branch was modified. Review and try the merge again.');
  const body = context.body as Record<string, unknown>;
  const method = optionalString(body, 'merge_method', 'PullRequest') ?? 'merge';
  if (method !== 'merge' && method !== 'squash' && method !== 'rebase') throw validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'merge_method' });
  const title = optionalString(body, 'commit_title', 'PullRequest');
  const extra = optionalString(body, 'commit_message', 'PullRequest');
  const message = title !== undefined ? (extra ? `${title}\n\n${extra}` : title) : undefined;
  const refusal = mergeRefusal(repo, issue);
  if (refusal) throw new HttpError(405, refusal);
  const sha = mergePull(context.state, repo, issue, { message, method: method as MergeMethod, author: context.grant, merger: context.actor });
  return ok({ sha, merged: true, message: 'Pull Request successfully merged' });
}

function getMerged(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  if (!pullOr404(repo, context.params.number!).pull!.merged) throw notFound();
  return { status: 204 };
}

function listPullFiles(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const pull = pullOr404(repo, context.params.number!).pull!;
  return pagedReply(context.url, context.query, pull.files, (file) => renderFile(context.state, repo, pull.head.sha, file), { cap: PULL_FILES_LIMIT });
}

function listPullCommits(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const pull = pullOr404(repo, context.params.number!).pull!;
  // GitHub lists at most 250 commits of a pull.
  return pagedReply(context.url, context.query, commitsBetween(repo, pull), (commit) => renderCommit(context.state, repo, commit), { cap: 250 });
}


/**
 * Issues: the number space pulls share, and GET/PATCH of an issue (a pull is an issue too, which is
 * why comments and labels on a pull go through /issues/{number}).
 */
import { HttpError, isoTime, notFound, ok, optionalString } from './http';
import { issueLabels } from './labels';
import type { Actor, IssueRecord, RepoRecord } from './model';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';

export function issueOr404(repo: RepoRecord, number: string | number): IssueRecord {
  const issue = repo.issues.get(Number(number));
  if (!issue) throw notFound();
  return issue;
}

export interface NewIssue {
  number?: number;
  title: string;
  body?: string | null;
  user: Actor;
  state?: 'open' | 'closed';
}

/** Takes the next number (or the one asked for, moving the sequence past it). */
export function createIssue(store: GitHubStore, repo: RepoRecord, input: NewIssue): IssueRecord {
  const number = input.number ?? repo.nextNumber;
  if (repo.issues.has(number)) throw new Error(`Issue or pull #${number} already exists in ${repo.fullName}.`);
  repo.nextNumber = Math.max(repo.nextNumber, number + 1);
  const id = store.nextId('issue');
  const now = store.now();
  const issue: IssueRecord = {
    id,
    nodeId: store.nodeId('issue', id),
    number,
    title: input.title,
    body: input.body ?? null,
    state: input.state ?? 'open',
    user: input.user,
    labels: [],
    createdAt: now,
    updatedAt: now,
    closedAt: input.state === 'closed' ? now : null,
  };
  repo.issues.set(number, issue);
  return issue;
}

export function issueHtmlUrl(store: GitHubStore, repo: RepoRecord, issue: IssueRecord): string {
  return `${store.repoHtmlUrl(repo)}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`;
}

function renderIssue(store: GitHubStore, repo: RepoRecord, issue: IssueRecord): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  const comments = [...repo.comments.values()].filter((comment) => comment.issueNumber === issue.number).length;
  return {
    id: issue.id,
    node_id: issue.nodeId,
    url: `${api}/issues/${issue.number}`,
    repository_url: api,
    labels_url: `${api}/issues/${issue.number}/labels{/name}`,
    comments_url: `${api}/issues/${issue.number}/comments`,
    html_url: issueHtmlUrl(store, repo, issue),
    number: issue.number,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    user: store.renderUser(issue.user),
    labels: issueLabels(store, repo, issue),
    locked: false,
    comments,
    created_at: isoTime(issue.createdAt),
    updated_at: isoTime(issue.updatedAt),
    closed_at: issue.closedAt === null ? null : isoTime(issue.closedAt),
    author_association: 'MEMBER',
    ...(issue.pull ? { pull_request: { url: `${api}/pulls/${issue.number}`, html_url: issueHtmlUrl(store, repo, issue), merged_at: issue.pull.mergedAt === null ? null : isoTime(issue.pull.mergedAt) } } : {}),
  };
}

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

export function registerIssueRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo/issues/:number', (context) => {
    const repo = repoOf(context);
    return ok(renderIssue(context.state, repo, issueOr404(repo, context.params.number!)));
  });

  router.on('PATCH', '/repos/:owner/:repo/issues/:number', (context) => {
    const repo = repoOf(context);
    const issue = issueOr404(repo, context.params.number!);
    const body = context.body as Record<string, unknown>;
    const title = optionalString(body, 'title', 'Issue');
    const text = optionalString(body, 'body', 'Issue');
    const state = optionalString(body, 'state', 'Issue');
    if (state !== undefined && state !== 'open' && state !== 'closed') throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Issue', code: 'invalid', field: 'state' }] });
    if (title !== undefined) issue.title = title;
    if (text !== undefined) issue.body = text;
    if (state && state !== issue.state) {
      issue.state = state;
      issue.closedAt = state === 'closed' ? context.state.now() : null;
    }
    issue.updatedAt = context.state.now();
    return ok(renderIssue(context.state, repo, issue));
  });
}

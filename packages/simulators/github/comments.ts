/**
 * Issue (and pull request conversation) comments: list, create, get, edit, delete, with GitHub's
 * 65,536-character body limit. Minimizing is GraphQL-only on GitHub (see graphql-resolvers.ts); the
 * REST shape does not show it, so `state.comments()` is where tests read it.
 */
import { created, isoTime, noContent, notFound, ok, validationFailed } from './http';
import { issueHtmlUrl, issueOr404 } from './issues';
import type { Actor, CommentRecord, IssueRecord, RepoRecord } from './model';
import { pagedReply } from './pagination';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';

/** GitHub refuses longer comment bodies. */
const COMMENT_BODY_LIMIT = 65_536;

function validBody(body: unknown): string {
  if (typeof body !== 'string' || body.length === 0) throw validationFailed({ resource: 'IssueComment', code: 'missing_field', field: 'body' });
  if (body.length > COMMENT_BODY_LIMIT) {
    throw validationFailed({ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)` });
  }
  return body;
}

export function addComment(store: GitHubStore, repo: RepoRecord, issue: IssueRecord, body: string, user: Actor): CommentRecord {
  const id = store.nextId('comment');
  const now = store.now();
  const comment: CommentRecord = { id, nodeId: store.nodeId('comment', id), issueNumber: issue.number, body, user, createdAt: now, updatedAt: now, minimized: false, minimizedReason: null };
  repo.comments.set(id, comment);
  store.registerNode(comment.nodeId, { kind: 'comment', repo, comment });
  issue.updatedAt = now;
  return comment;
}

function renderComment(store: GitHubStore, repo: RepoRecord, comment: CommentRecord): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  const issue = repo.issues.get(comment.issueNumber);
  const issuePage = issue ? issueHtmlUrl(store, repo, issue) : `${store.repoHtmlUrl(repo)}/issues/${comment.issueNumber}`;
  return {
    id: comment.id,
    node_id: comment.nodeId,
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${issuePage}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: store.renderUser(comment.user),
    created_at: isoTime(comment.createdAt),
    updated_at: isoTime(comment.updatedAt),
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    performed_via_github_app: null,
    reactions: { url: `${api}/issues/comments/${comment.id}/reactions`, total_count: 0 },
  };
}

export function commentsOf(repo: RepoRecord, issueNumber: number): CommentRecord[] {
  // Map iteration is insertion order, which is id order: the API lists oldest first.
  return [...repo.comments.values()].filter((comment) => comment.issueNumber === issueNumber);
}

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

function commentOr404(repo: RepoRecord, id: string): CommentRecord {
  const comment = repo.comments.get(Number(id));
  if (!comment) throw notFound();
  return comment;
}

export function registerCommentRoutes(router: Router<GitHubStore>): void {
  // Registered before /issues/:number routes would see "comments" as a number.
  router.on('GET', '/repos/:owner/:repo/issues/comments', (context) => {
    const repo = repoOf(context);
    return pagedReply(context.url, context.query, [...repo.comments.values()], (comment) => renderComment(context.state, repo, comment));
  });

  router.on('GET', '/repos/:owner/:repo/issues/comments/:id', (context) => {
    const repo = repoOf(context);
    return ok(renderComment(context.state, repo, commentOr404(repo, context.params.id!)));
  });

  router.on('PATCH', '/repos/:owner/:repo/issues/comments/:id', (context) => {
    const repo = repoOf(context);
    const comment = commentOr404(repo, context.params.id!);
    comment.body = validBody((context.body as { body?: unknown }).body);
    comment.updatedAt = context.state.now();
    return ok(renderComment(context.state, repo, comment));
  });

  router.on('DELETE', '/repos/:owner/:repo/issues/comments/:id', (context) => {
    const repo = repoOf(context);
    const comment = commentOr404(repo, context.params.id!);
    repo.comments.delete(comment.id);
    return noContent();
  });

  router.on('GET', '/repos/:owner/:repo/issues/:number/comments', (context) => {
    const repo = repoOf(context);
    const issue = issueOr404(repo, context.params.number!);
    return pagedReply(context.url, context.query, commentsOf(repo, issue.number), (comment) => renderComment(context.state, repo, comment));
  });

  router.on('POST', '/repos/:owner/:repo/issues/:number/comments', (context) => {
    const repo = repoOf(context);
    const issue = issueOr404(repo, context.params.number!);
    const comment = addComment(context.state, repo, issue, validBody((context.body as { body?: unknown }).body), context.actor);
    return created(renderComment(context.state, repo, comment));
  });
}

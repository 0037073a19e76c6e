/**
 * Sticky PR comments: one comment per identity, found by a hidden marker, edited in place or
 * replaced (the old one minimized as OUTDATED). Matrix jobs give each environment its own identity,
 * so they never edit each other's comment.
 */
import { ActionError, errorMessage, type Logger } from '../action-kit';
import { graphqlUrl, type GitHubClient } from './client';

/** GitHub refuses comment bodies longer than this. */
export const COMMENT_LIMIT = 65_536;

export type StickyMode = 'update' | 'recreate';

export interface StickyCommentTarget {
  client: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  /** Identity of the comment, e.g. `classify-pr` or `terraform-plan:dev`. */
  identity: string;
  /** Where a previous comment that could not be minimized is reported. */
  log: Logger;
}

export interface StickyComment {
  id: number;
  url: string;
  body: string;
  nodeId: string;
}

export interface StickyResult extends StickyComment {
  action: 'created' | 'updated' | 'recreated' | 'unchanged';
}

/** The hidden HTML comment that identifies a sticky comment. */
export function stickyMarker(identity: string): string {
  return `<!-- connect2-actions:${identity.replace(/-->/g, '')} -->`;
}

/** Finds the comments carrying the marker, oldest first. */
async function findStickyComments(target: StickyCommentTarget): Promise<StickyComment[]> {
  const marker = stickyMarker(target.identity);
  const comments = await target.client.paginate(target.client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  return comments
    .filter((comment) => comment.body?.includes(marker))
    .map((comment) => ({ id: comment.id, url: comment.html_url, body: comment.body ?? '', nodeId: comment.node_id }));
}

/**
 * Creates or updates the sticky comment. `onlyIfExists` edits an existing comment but creates none
 * (e.g. "fixed" notices on a PR that never failed).
 */
export async function upsertStickyComment(
  target: StickyCommentTarget,
  body: string,
  options: { mode?: StickyMode; onlyIfExists?: boolean } = {},
): Promise<StickyResult | undefined> {
  const marker = stickyMarker(target.identity);
  const fullBody = body.includes(marker) ? body : `${marker}\n${body}`;
  if (fullBody.length > COMMENT_LIMIT) {
    throw new ActionError(`The comment is ${fullBody.length} characters, over GitHub's limit of ${COMMENT_LIMIT}; it must be shortened before posting.`);
  }
  const existing = await findStickyComments(target);
  const latest = existing.at(-1);
  if (!latest && options.onlyIfExists) return undefined;
  const { client, owner, repo } = target;

  if (latest && (options.mode ?? 'update') === 'update') {
    if (latest.body === fullBody) return { ...latest, action: 'unchanged' };
    const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: latest.id, body: fullBody });
    return { id: data.id, url: data.html_url, body: data.body ?? '', nodeId: data.node_id, action: 'updated' };
  }

  const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: target.issueNumber, body: fullBody });
  for (const old of existing) {
    try {
      await minimizeComment(client, old.nodeId);
    } catch (error) {
      // The new comment is up; an old one left visible is untidy, not wrong.
      target.log.warning(`Could not minimize the previous comment ${old.url}: ${errorMessage(error)}`);
    }
  }
  return {
    id: data.id,
    url: data.html_url,
    body: data.body ?? '',
    nodeId: data.node_id,
    action: existing.length > 0 ? 'recreated' : 'created',
  };
}

/** Hides a comment as OUTDATED (GraphQL minimizeComment). */
async function minimizeComment(client: GitHubClient, nodeId: string): Promise<void> {
  // The object form: @octokit/graphql refuses `url` among the variables of the (query, variables) form.
  await client.graphql({
    query: `mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }`,
    id: nodeId,
    url: graphqlUrl(),
  });
}

/**
 * Posting the plan comment. `update` is action-kit's sticky comment as is. `recreate` posts anew
 * and minimizes the old ones itself: action-kit's minimizeComment passes `url` as a GraphQL
 * variable, which @octokit/graphql rejects ("url" cannot be used as variable name); the request
 * object form below carries it as a request option. Drop this when action-kit is fixed.
 */
import * as core from '@actions/core';
import { findStickyComments, stickyMarker, upsertStickyComment, type StickyResult } from '../../packages/action-kit';
import { graphqlUrl, type GitHubClient } from '../../packages/github';

const MINIMIZE = `mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }`;

export interface CommentTarget {
  client: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  identity: string;
}

export async function postComment(target: CommentTarget, body: string, mode: 'update' | 'recreate'): Promise<StickyResult | undefined> {
  if (mode === 'update') return upsertStickyComment(target, body, { mode });
  const marker = stickyMarker(target.identity);
  const fullBody = body.includes(marker) ? body : `${marker}\n${body}`;
  const existing = await findStickyComments(target);
  const { client, owner, repo, issueNumber } = target;
  const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: fullBody });
  for (const old of existing) {
    try {
      await client.graphql({ query: MINIMIZE, id: old.nodeId, url: graphqlUrl() });
    } catch (error) {
      // The new comment is up; an old one left visible is untidy, not wrong.
      core.warning(`Could not minimize the previous plan comment ${old.url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { id: data.id, url: data.html_url, body: data.body ?? '', nodeId: data.node_id, action: existing.length > 0 ? 'recreated' : 'created' };
}

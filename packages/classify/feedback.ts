/**
 * What classify-pr leaves on the PR: the type label (stale type labels removed) and the sticky
 * comment. A fork's token cannot write; then the check still decides, and the log says why the PR
 * was not labelled or commented on, instead of failing a PR for its author's permissions.
 */
import { ActionError, errorMessage, type Logger } from '../action-kit';
import { httpStatus, upsertStickyComment, type GitHubClient, type StickyCommentTarget } from '../github';
import type { Classification } from './classify';
import { COMMENT_IDENTITY, mixedComment, resolvedComment, type CommentContext } from './comment';
import { planLabels, type LabelNames } from './labels';
import type { MixedPolicy } from './mixed-policy';

export interface PullTarget {
  client: GitHubClient;
  owner: string;
  repo: string;
  number: number;
  /** Where a refusal to write (a fork's token) is reported as a warning. */
  log: Logger;
}

/** True for answers that mean "this token may not write here" (a fork's read-only token). */
function writeDenied(error: unknown): boolean {
  const status = httpStatus(error);
  const message = error instanceof Error ? error.message : '';
  return (status === 403 || status === 404) && !/rate limit/i.test(message);
}

function denial(what: string, error: unknown, type: string): string {
  const reason = errorMessage(error).split('\n')[0];
  return `Could not ${what}: the token has no write access to this PR (HTTP ${httpStatus(error)}: ${reason}), as for pull requests from forks. The check still decided: ${type}.`;
}

/** Any other failure: what could not be done and GitHub's answer, as the step's error. */
function failure(what: string, error: unknown): unknown {
  const status = httpStatus(error);
  if (status === undefined) return error;
  const reason = errorMessage(error).split('\n')[0];
  return new ActionError(`Could not ${what}: GitHub answered HTTP ${status} (${reason}).`, { cause: error });
}

/** Sets the type label and removes stale ones; returns one line saying what happened. */
export async function applyLabels(target: PullTarget, result: Classification, names: LabelNames): Promise<string> {
  const { client, owner, repo, number } = target;
  let current: string[];
  try {
    current = (await client.paginate(client.rest.issues.listLabelsOnIssue, { owner, repo, issue_number: number, per_page: 100 })).map((label) => label.name);
  } catch (error) {
    throw failure(`read the labels of PR #${number}`, error);
  }
  const plan = planLabels(result.type, current, names);
  try {
    if (plan.add.length > 0) await client.rest.issues.addLabels({ owner, repo, issue_number: number, labels: plan.add });
    for (const name of plan.remove) {
      try {
        await client.rest.issues.removeLabel({ owner, repo, issue_number: number, name });
      } catch (error) {
        // 404 on remove: somebody removed it in the meantime, which is what we wanted.
        if (httpStatus(error) !== 404) throw error;
      }
    }
  } catch (error) {
    if (!writeDenied(error)) throw failure(`update the labels of PR #${number}`, error);
    const line = denial(`label the PR '${plan.wanted ?? '(none)'}'`, error, result.type);
    target.log.warning(line);
    return `not set: ${line}`;
  }
  const changes = [...plan.add.map((name) => `added '${name}'`), ...plan.remove.map((name) => `removed '${name}'`)];
  return changes.length > 0 ? changes.join(', ') : `unchanged (${plan.wanted ? `'${plan.wanted}'` : 'no type label'})`;
}

/**
 * A mixed PR gets the sticky comment; any other PR only updates an existing one to say it is fixed
 * (never a new comment on a PR that was never mixed).
 */
export async function updateComment(target: PullTarget, result: Classification, context: CommentContext): Promise<string> {
  const sticky: StickyCommentTarget = { client: target.client, owner: target.owner, repo: target.repo, issueNumber: target.number, identity: COMMENT_IDENTITY, log: target.log };
  try {
    if (result.type === 'mixed') {
      const posted = await upsertStickyComment(sticky, mixedComment(result, context));
      return posted ? `${posted.action}: ${posted.url}` : 'none';
    }
    const posted = await upsertStickyComment(sticky, resolvedComment(result, context), { onlyIfExists: true });
    return posted ? `${posted.action === 'unchanged' ? 'unchanged' : 'updated'} to say the PR is fixed: ${posted.url}` : 'none needed';
  } catch (error) {
    if (!writeDenied(error)) throw failure(`comment on PR #${target.number}`, error);
    const line = denial('comment on the PR', error, result.type);
    target.log.warning(line);
    return `not posted: ${line}`;
  }
}

export interface Feedback {
  /** Summary rows: what happened to the labels and the comment. */
  rows: string[][];
  /** Messages of what failed (beyond a fork's refusal, which only warns). */
  failures: string[];
}

/** Labels, then the comment: both attempted even when the first fails, each as configured. */
export async function publishFeedback(
  target: PullTarget,
  result: Classification,
  config: { labels: boolean; comment: boolean; labelNames: LabelNames },
  context: CommentContext,
  policy: MixedPolicy,
): Promise<Feedback> {
  const feedback: Feedback = { rows: [], failures: [] };
  const attempt = async (name: string, enabled: boolean, off: string, work: () => Promise<string>) => {
    if (!enabled) return void feedback.rows.push([name, off]);
    try {
      feedback.rows.push([name, await work()]);
    } catch (error) {
      const message = errorMessage(error);
      feedback.failures.push(message);
      feedback.rows.push([name, `failed: ${message}`]);
    }
  };
  await attempt('Labels', config.labels, "off ('labels: false')", () => applyLabels(target, result, config.labelNames));
  if (result.type === 'mixed' && config.comment && !policy.comment) feedback.rows.push(['Comment', `none: ${policy.allowedBecause ?? 'not needed'}`]);
  else await attempt('Comment', config.comment, "off ('comment: false')", () => updateComment(target, result, context));
  return feedback;
}

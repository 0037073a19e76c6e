/**
 * Classic branch protection and pull request reviews, as a merge meets them: required status checks
 * by name (a check run on the pull's head that succeeded, was neutral or skipped), "require branches to
 * be up to date before merging" and required approving reviews. `PUT /pulls/{n}/merge` asks
 * `mergeRefusal` first and answers GitHub's 405 with its message; nothing changes.
 */
import { HttpError, isoTime, noContent, notFound, ok, optionalBoolean, optionalString, validationFailed } from './http';
import type { Reply } from './http';
import type { BranchProtectionRecord, IssueRecord, RepoRecord, ReviewRecord } from './model';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';

export interface BranchProtectionInput {
  requiredChecks?: string[];
  strict?: boolean;
  requiredApprovingReviews?: number;
}

export function protectBranch(repo: RepoRecord, branch: string, input: BranchProtectionInput): BranchProtectionRecord {
  const record: BranchProtectionRecord = { requiredChecks: [...(input.requiredChecks ?? [])], strict: input.strict ?? false, requiredApprovingReviews: input.requiredApprovingReviews ?? 0 };
  repo.protections.set(branch, record);
  return record;
}

/** Conclusions that satisfy a required check, as GitHub counts them. */
const PASSING = new Set(['success', 'neutral', 'skipped']);

function checkRefusal(repo: RepoRecord, headSha: string, name: string): string | undefined {
  const run = repo.checkRuns.filter((entry) => entry.headSha === headSha && entry.name === name).at(-1);
  if (!run) return `Required status check "${name}" is expected.`;
  if (run.status !== 'completed') return `Required status check "${name}" is in progress.`;
  return PASSING.has(run.conclusion ?? '') ? undefined : `Required status check "${name}" is failing.`;
}

/** The newest APPROVED / CHANGES_REQUESTED review of each reviewer decides; comments do not count. */
function approvals(repo: RepoRecord, issue: IssueRecord): number {
  const latest = new Map<string, ReviewRecord['state']>();
  for (const review of repo.reviews) {
    if (review.number === issue.number && review.state !== 'COMMENTED') latest.set(review.user.login, review.state);
  }
  return [...latest.values()].filter((state) => state === 'APPROVED').length;
}

/** Why branch protection refuses to merge the pull now (GitHub's 405 message), or undefined. */
export function mergeRefusal(repo: RepoRecord, issue: IssueRecord): string | undefined {
  const pull = issue.pull!;
  const protection = repo.protections.get(pull.base.ref);
  if (!protection) return undefined;
  const required = protection.requiredApprovingReviews;
  if (required > 0 && approvals(repo, issue) < required) {
    return `At least ${required} approving review${required === 1 ? ' is' : 's are'} required by reviewers with write access.`;
  }
  for (const name of protection.requiredChecks) {
    const refusal = checkRefusal(repo, pull.head.sha, name);
    if (refusal) return refusal;
  }
  const baseTip = repo.refs.get(`refs/heads/${pull.base.ref}`);
  if (protection.strict && baseTip && baseTip !== pull.head.sha && !repo.graph.isAncestor(baseTip, pull.head.sha)) {
    return 'Head branch is out of date. Review and try the merge again.';
  }
  return undefined;
}

function renderProtection(store: GitHubStore, repo: RepoRecord, branch: string, protection: BranchProtectionRecord): Record<string, unknown> {
  const url = `${store.repoApiUrl(repo)}/branches/${encodeURIComponent(branch)}/protection`;
  return {
    url,
    required_status_checks: {
      url: `${url}/required_status_checks`,
      strict: protection.strict,
      contexts: [...protection.requiredChecks],
      contexts_url: `${url}/required_status_checks/contexts`,
      checks: protection.requiredChecks.map((context) => ({ context, app_id: null })),
    },
    ...(protection.requiredApprovingReviews > 0
      ? { required_pull_request_reviews: { url: `${url}/required_pull_request_reviews`, dismiss_stale_reviews: false, require_code_owner_reviews: false, required_approving_review_count: protection.requiredApprovingReviews } }
      : {}),
    enforce_admins: { url: `${url}/enforce_admins`, enabled: false },
  };
}

function renderReview(store: GitHubStore, repo: RepoRecord, review: ReviewRecord): Record<string, unknown> {
  return {
    id: review.id,
    node_id: store.nodeId('review', review.id),
    user: store.renderUser(review.user),
    body: review.body,
    state: review.state,
    html_url: `${store.repoHtmlUrl(repo)}/pull/${review.number}#pullrequestreview-${review.id}`,
    pull_request_url: `${store.repoApiUrl(repo)}/pulls/${review.number}`,
    author_association: 'MEMBER',
    submitted_at: isoTime(review.submittedAt),
    commit_id: review.commitId,
  };
}

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

function pullOr404(repo: RepoRecord, number: string): IssueRecord {
  const issue = repo.issues.get(Number(number));
  if (!issue?.pull) throw notFound();
  return issue;
}

export function registerProtectionRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo/branches/:branch/protection', getProtection);
  router.on('PUT', '/repos/:owner/:repo/branches/:branch/protection', putProtection);
  router.on('DELETE', '/repos/:owner/:repo/branches/:branch/protection', deleteProtection);
  router.on('GET', '/repos/:owner/:repo/pulls/:number/reviews', listReviews);
  router.on('POST', '/repos/:owner/:repo/pulls/:number/reviews', postReview);
}

function getProtection(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const protection = repo.protections.get(context.params.branch!);
  if (!protection) throw new HttpError(404, 'Branch not protected');
  return ok(renderProtection(context.state, repo, context.params.branch!, protection));
}

/** GitHub's body: required_status_checks {strict, contexts | checks}, required_pull_request_reviews, enforce_admins, restrictions. */
function putProtection(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const branch = context.params.branch!;
  if (!repo.refs.has(`refs/heads/${branch}`)) throw new HttpError(404, 'Branch not found');
  const body = context.body as Record<string, unknown>;
  const checks = (body.required_status_checks ?? null) as { strict?: unknown; contexts?: unknown; checks?: { context?: unknown }[] } | null;
  const reviews = (body.required_pull_request_reviews ?? null) as { required_approving_review_count?: unknown } | null;
  const names = checks ? [...(Array.isArray(checks.contexts) ? checks.contexts : []), ...(checks.checks ?? []).map((entry) => entry.context)] : [];
  if (names.some((name) => typeof name !== 'string' || name === '')) throw validationFailed({ resource: 'ProtectedBranch', code: 'invalid', field: 'required_status_checks' });
  const count = reviews ? (reviews.required_approving_review_count ?? 1) : 0;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 6) throw validationFailed({ resource: 'ProtectedBranch', code: 'invalid', field: 'required_approving_review_count' });
  const strict = checks ? (optionalBoolean(checks as Record<string, unknown>, 'strict', 'ProtectedBranch') ?? false) : false;
  const protection = protectBranch(repo, branch, { requiredChecks: names as string[], strict, requiredApprovingReviews: count });
  return ok(renderProtection(context.state, repo, branch, protection));
}

function deleteProtection(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  if (!repo.protections.delete(context.params.branch!)) throw new HttpError(404, 'Branch not protected');
  return noContent();
}

function listReviews(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const issue = pullOr404(repo, context.params.number!);
  return ok(repo.reviews.filter((review) => review.number === issue.number).map((review) => renderReview(context.state, repo, review)));
}

const REVIEW_EVENTS: Record<string, ReviewRecord['state']> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };

function postReview(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const issue = pullOr404(repo, context.params.number!);
  const body = context.body as Record<string, unknown>;
  const event = optionalString(body, 'event', 'PullRequestReview');
  const state = event ? REVIEW_EVENTS[event] : undefined;
  if (!state) throw validationFailed({ resource: 'PullRequestReview', code: 'invalid', field: 'event' });
  if (state !== 'COMMENTED' && context.actor.login === issue.user.login) {
    throw new HttpError(422, 'Unprocessable Entity', { errors: [`Can not ${state === 'APPROVED' ? 'approve' : 'request changes on'} your own pull request`] });
  }
  const review: ReviewRecord = {
    id: context.state.nextId('review'),
    number: issue.number,
    user: context.actor,
    state,
    body: optionalString(body, 'body', 'PullRequestReview') ?? '',
    commitId: optionalString(body, 'commit_id', 'PullRequestReview') ?? issue.pull!.head.sha,
    submittedAt: context.state.now(),
  };
  repo.reviews.push(review);
  return ok(renderReview(context.state, repo, review));
}

/**
 * What a mixed PR leads to. A promotion PR (`development` -> `staging`, `staging` -> `main`) carries
 * infrastructure and application PRs that were each checked on their own, so mixing is expected
 * there: it is reported (type, label, summary), not failed and not commented on. Only this
 * repository's own branches promote: a fork's branch named `staging` is an ordinary head.
 */
import type { GlobSet } from './globs';
import { branchName, forkOf, type PullRepositories } from './branch-flow';

export interface MixedPolicy {
  /** Whether a mixed PR fails the step. */
  fail: boolean;
  /** Whether a mixed PR gets the sticky comment. */
  comment: boolean;
  /** Why a mixed PR is tolerated, for the summary and the warning. */
  allowedBecause?: string;
}

/**
 * `repositories` is where the PR's head and base live; omitted, the head is taken to be a branch of
 * this repository (a caller outside pull_request events).
 */
export function mixedPolicy(
  options: { failOnMixed: boolean; comment: boolean; promotionBranches: GlobSet },
  headRef: string | undefined,
  repositories?: PullRepositories,
): MixedPolicy {
  const head = headRef ? branchName(headRef) : undefined;
  if (head && options.promotionBranches.matches(head) && !forkOf(repositories)) {
    return { fail: false, comment: false, allowedBecause: `a promotion PR from '${head}' (promotion-branches) carries PRs already checked one by one` };
  }
  if (!options.failOnMixed) return { fail: false, comment: options.comment, allowedBecause: 'fail-on-mixed is false' };
  return { fail: true, comment: options.comment };
}

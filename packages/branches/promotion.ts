/**
 * Promotion branches: the long-lived environment branches (`development` -> `staging` -> `main`)
 * and release branches, whose PRs and merges carry work that was already reviewed PR by PR.
 * One definition for every action: classify-pr tolerates a mixed PR from one (and only from this
 * repository's own branch, never a fork's branch of the same name); create-release looks through a
 * merge from one without counting its title. Branch names are matched with picomatch the way GitHub
 * matches branch filters: `*` stops at `/`, `**` crosses it.
 */
import picomatch from 'picomatch';

/** Environment and release branch names, as globs. classify-pr's `promotion-branches` default repeats them. */
export const PROMOTION_BRANCHES: readonly string[] = [
  'development',
  'develop',
  'dev',
  'staging',
  'stage',
  'main',
  'master',
  'production',
  'prod',
  'release/**',
  'releases/**',
];

const matchesDefault = picomatch([...PROMOTION_BRANCHES], { dot: true });

/** Strips `refs/heads/` so a full ref and a branch name compare the same. */
export function branchName(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}

/** Whether `ref` (a branch name or `refs/heads/...`) is one of the default promotion branches. */
export function isPromotionBranch(ref: string): boolean {
  return matchesDefault(branchName(ref));
}

/** GitHub's "Revert" button names the branch `revert-<pr number>-<head branch of that PR>`. */
const REVERT_BRANCH = /^revert-\d+-(.+)$/;

/** The head branch of the PR that a GitHub revert branch reverts, or undefined for another branch. */
export function revertedBranch(ref: string): string | undefined {
  return REVERT_BRANCH.exec(branchName(ref))?.[1];
}

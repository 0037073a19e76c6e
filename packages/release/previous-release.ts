/**
 * The previous release of a target: the highest semver release tag that is an ancestor of it.
 * Semver order, not dates: a hotfix tagged v1.2.4 after v1.3.0 does not make v1.2.4 "latest", and a
 * tag on another branch (not an ancestor) is skipped however high it is. Tags are tried from the
 * highest version down and the first ancestor wins, so most runs need one ancestry check.
 */
import type { History } from './history';
import type { ReleaseTag } from './tags';

export async function findPreviousRelease(releases: readonly ReleaseTag[], target: string, history: History): Promise<ReleaseTag | undefined> {
  const verdicts = new Map<string, boolean>();
  for (const tag of releases) {
    if (tag.sha === target) continue;
    let ancestor = verdicts.get(tag.sha);
    if (ancestor === undefined) {
      ancestor = await history.isAncestor(tag.sha, target);
      verdicts.set(tag.sha, ancestor);
    }
    if (ancestor) return tag;
  }
  return undefined;
}

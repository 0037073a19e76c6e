/**
 * The same change arriving twice in one release range: a hotfix merged to `main` and its backport
 * promoted from `staging` in the same release, a merge and its `git cherry-pick -x` copy. Listed
 * twice, a reader would count two changes. A later commit is the copy of an earlier one when
 *  - its `(cherry picked from commit <sha>)` trailer names a commit of the range (or a copy of one),
 *  - it carries the same squash-merge `(#N)` as its own pull request, or
 *  - it has the same message and the same author (a plain `git cherry-pick` keeps both).
 * Copies of changes released before are already-released.ts's concern.
 */
import type { ParsedCommit } from './conventional';
import type { SourceCommit } from './history';

/** Copy sha -> the sha of the commit it repeats (the first one in the range). */
export function findDuplicates(range: readonly SourceCommit[], changes: ReadonlyMap<string, ParsedCommit>): Map<string, string> {
  const copies = new Map<string, string>();
  const inRange = new Set(range.map((commit) => commit.sha));
  const byPull = new Map<number, string>();
  const byMessage = new Map<string, string>();
  for (const commit of range) {
    const change = changes.get(commit.sha);
    if (!change) continue;
    const original = (change.cherryPickOf && inRange.has(change.cherryPickOf) ? change.cherryPickOf : undefined) ??
      (change.ownPullRequest ? byPull.get(change.pullRequest as number) : undefined) ??
      byMessage.get(messageKey(commit));
    if (original && original !== commit.sha) {
      copies.set(commit.sha, copies.get(original) ?? original);
      continue;
    }
    if (change.ownPullRequest && !byPull.has(change.pullRequest as number)) byPull.set(change.pullRequest as number, commit.sha);
    if (!byMessage.has(messageKey(commit))) byMessage.set(messageKey(commit), commit.sha);
  }
  return copies;
}

function messageKey(commit: SourceCommit): string {
  const message = commit.message.replace(/\r\n/g, '\n').replace(/\n*\(cherry picked from commit [0-9a-fA-F]{40}\)\s*$/, '').trim();
  return `${(commit.login ?? commit.name ?? '').toLowerCase()}\u0000${message}`;
}

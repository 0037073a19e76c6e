/**
 * Reverts inside one release range cancel out, as semantic-release does
 * (conventional-commits-filter): a feature and its revert in the same range are neither listed nor
 * counted, so feature + its revert + a fix is a patch.
 *
 * A revert is paired with the commit its "This reverts commit <sha>." line names, by SHA only:
 * GitHub's Revert button and `git revert` both write that line, and the subject is no identity (a
 * revert of a fix released earlier must not cancel a new fix with the same subject). Only a revert
 * that names no commit (`revert: feat: x`, a squashed revert PR that dropped the body) is paired by
 * the reverted header. A revert naming a merge (GitHub's Revert button on a PR merged with a merge
 * commit: "This reverts commit <merge>, reversing changes made to ...") cancels what that merge
 * brought.
 *
 * Like conventional-commits-filter the range is read newest first, so a revert of a revert
 * consumes the revert it names and the original stays: it is re-applied and released. A revert
 * whose original is not in the range (it was released before) stays: it is listed under "Reverts"
 * and bumps the patch.
 */
import type { ParsedCommit } from './conventional';

export interface RevertResult {
  /** The changes left: neither a cancelled revert nor what it reverted. */
  changes: ParsedCommit[];
  /** Revert sha -> the sha of the change (or merge) it cancelled. */
  cancelled: Map<string, string>;
}

export interface RevertContext {
  /** Copy sha -> original sha (duplicates.ts): a revert naming a copy cancels the original listed. */
  duplicates?: ReadonlyMap<string, string>;
  /** Merge sha -> the shas of the range that merge brought (its PR's own commits). */
  brought?: ReadonlyMap<string, ReadonlySet<string>>;
}

interface Held {
  revert: ParsedCommit;
  /** Full SHAs this revert undoes (the named commit, its listed original, a merge's commits). */
  targets: string[];
  /** The abbreviated or full SHA the body names, or undefined: paired by header. */
  named?: string;
  matched: boolean;
}

/** `changes` oldest first; the result keeps that order. */
export function cancelReverts(changes: readonly ParsedCommit[], context: RevertContext = {}): RevertResult {
  const cancelled = new Map<string, string>();
  const gone = new Set<ParsedCommit>();
  const held: Held[] = [];
  for (const change of [...changes].reverse()) {
    const holder = held.find((candidate) => undoes(candidate, change));
    if (holder) {
      gone.add(change);
      gone.add(holder.revert);
      if (!holder.matched) cancelled.set(holder.revert.sha, holder.named ? expand(holder, change) : change.sha);
      holder.matched = true;
      // Paired by header: one original. By SHA: every change carrying it (body lines, a merge's commits).
      if (!holder.named) held.splice(held.indexOf(holder), 1);
      continue;
    }
    if (change.reverts) held.push(holdOf(change, context));
  }
  return { changes: changes.filter((change) => !gone.has(change)), cancelled };
}

function holdOf(revert: ParsedCommit, context: RevertContext): Held {
  const named = revert.reverts?.sha;
  if (!named) return { revert, targets: [], matched: false };
  const targets = [named];
  for (const [copy, original] of context.duplicates ?? []) if (matchesSha(copy, named)) targets.push(original);
  for (const [merge, shas] of context.brought ?? []) if (matchesSha(merge, named)) targets.push(merge, ...shas);
  return { revert, targets, named, matched: false };
}

function undoes(held: Held, change: ParsedCommit): boolean {
  if (change === held.revert) return false;
  if (held.named) return held.targets.some((sha) => matchesSha(change.sha, sha));
  return !held.matched && sameHeader(change, held.revert.reverts?.header ?? '');
}

/** The full SHA of what a revert named: the merge when it named one, else the change itself. */
function expand(held: Held, change: ParsedCommit): string {
  return held.targets.find((sha) => sha.length === 40 && matchesSha(sha, held.named as string)) ?? change.sha;
}

function matchesSha(full: string, given: string): boolean {
  return full !== '' && given !== '' && (full.startsWith(given) || given.startsWith(full));
}

const PR_SUFFIX = /\s*\(#\d+\)\s*$/;

function sameHeader(change: ParsedCommit, header: string): boolean {
  if (!change.header || change.fromBody) return false;
  return change.header === header || change.header.replace(PR_SUFFIX, '') === header.replace(PR_SUFFIX, '');
}

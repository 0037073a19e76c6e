/**
 * Reverts inside one release range cancel out, as semantic-release does
 * (conventional-commits-filter): a feature and its revert in the same range are neither listed nor
 * counted, so feature + its revert + a fix is a patch. A revert is matched to the commit it reverts
 * by the SHA of its "This reverts commit <sha>." line, else by the reverted header (`Revert "feat: x"`,
 * `revert: feat: x`). A revert whose original is not in the range (it was released before) stays:
 * it is listed under "Reverts" and bumps the patch.
 */
import type { ParsedCommit } from './conventional';

export interface RevertResult {
  /** The changes left: neither a cancelled revert nor what it reverted. */
  changes: ParsedCommit[];
  /** Revert sha -> the sha of the change it cancelled. */
  cancelled: Map<string, string>;
}

/** `changes` oldest first. */
export function cancelReverts(changes: readonly ParsedCommit[], duplicates: ReadonlyMap<string, string> = new Map()): RevertResult {
  const cancelled = new Map<string, string>();
  const gone = new Set<ParsedCommit>();
  changes.forEach((revert, index) => {
    if (!revert.reverts || gone.has(revert)) return;
    const { sha, header } = revert.reverts;
    const earlier = changes.slice(0, index).filter((change) => !gone.has(change) && change !== revert);
    const original =
      (sha ? earlier.find((change) => matchesSha(change.sha, sha) || matchesSha(duplicates.get(sha) ?? '', change.sha)) : undefined) ??
      [...earlier].reverse().find((change) => sameHeader(change, header));
    if (!original) return;
    gone.add(original);
    gone.add(revert);
    cancelled.set(revert.sha, original.sha);
  });
  return { changes: changes.filter((change) => !gone.has(change)), cancelled };
}

function matchesSha(full: string, given: string): boolean {
  return full !== '' && given !== '' && (full.startsWith(given) || given.startsWith(full));
}

const PR_SUFFIX = /\s*\(#\d+\)\s*$/;

function sameHeader(change: ParsedCommit, header: string): boolean {
  if (!change.header || change.fromBody) return false;
  return change.header === header || change.header.replace(PR_SUFFIX, '') === header.replace(PR_SUFFIX, '');
}

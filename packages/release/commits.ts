/**
 * From the commits between two releases to the changes a release is made of. Merge commits are
 * looked through: a promotion merge ("Merge pull request #40 from org/staging", "Merge branch
 * 'staging'") says nothing about what changed; the commits it brings do, and the range lists them.
 * A commit with no `(#123)` of its own is linked to the smallest pull-request merge that brought it
 * (the feature PR, not the promotion PR that carried it further).
 */
import { parseCommit, type ParsedCommit } from './conventional';
import type { SourceCommit } from './history';

/** "Merge pull request #41 from org/feature-x" as GitHub writes a merge commit. */
const MERGE_PR = /^Merge pull request #(\d+) from /;

export interface Changes {
  commits: ParsedCommit[];
  /** Merge commits looked through. */
  merges: number;
}

export function changesOf(range: readonly SourceCommit[]): Changes {
  const bySha = new Map(range.map((commit) => [commit.sha, commit]));
  const merges = range.filter((commit) => commit.parents.length > 1);
  const viaMerge = pullRequestsFromMerges(merges, bySha);
  const commits = range
    .filter((commit) => commit.parents.length <= 1)
    .map((commit) => {
      const parsed = parseCommit(commit);
      if (parsed.pullRequest === undefined && viaMerge.has(commit.sha)) parsed.pullRequest = viaMerge.get(commit.sha);
      return parsed;
    });
  return { commits, merges: merges.length };
}

/** sha -> PR number of the smallest PR merge (within the range) that brought the commit. */
function pullRequestsFromMerges(merges: readonly SourceCommit[], bySha: ReadonlyMap<string, SourceCommit>): Map<string, number> {
  const brought: { pr: number; shas: Set<string> }[] = [];
  for (const merge of merges) {
    const match = MERGE_PR.exec(merge.message);
    if (!match) continue;
    const mainline = reachable([merge.parents[0]], bySha);
    const shas = reachable(merge.parents.slice(1), bySha);
    for (const sha of mainline) shas.delete(sha);
    brought.push({ pr: Number(match[1]), shas });
  }
  brought.sort((a, b) => a.shas.size - b.shas.size);
  const result = new Map<string, number>();
  for (const { pr, shas } of brought) {
    for (const sha of shas) if (!result.has(sha)) result.set(sha, pr);
  }
  return result;
}

/** Commits of the range reachable from `starts` (walking parents, staying inside the range). */
function reachable(starts: readonly string[], bySha: ReadonlyMap<string, SourceCommit>): Set<string> {
  const seen = new Set<string>();
  const stack = starts.filter((sha) => bySha.has(sha));
  while (stack.length > 0) {
    const sha = stack.pop() as string;
    if (seen.has(sha)) continue;
    seen.add(sha);
    for (const parent of bySha.get(sha)?.parents ?? []) if (bySha.has(parent) && !seen.has(parent)) stack.push(parent);
  }
  return seen;
}

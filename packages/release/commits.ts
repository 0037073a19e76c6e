/**
 * From the commits between two releases to the changes a release is made of. Merge commits are
 * looked through: a promotion merge ("Merge pull request #40 from org/staging", "Merge branch
 * 'staging'") says nothing about what changed; the commits it brings do, and the range lists them.
 * A commit with no `(#123)` of its own is linked to the smallest pull-request merge that brought it
 * (the feature PR, not the promotion PR that carried it further). A feature PR merged with a merge
 * commit counts by its conventional title when none of its own commits is conventional. A merge
 * from a promotion branch (packages/branches, the definition classify-pr uses) never counts by its
 * title. The same change twice in the range is listed once (duplicates.ts); a revert and what it
 * reverts cancel out (reverts.ts).
 */
import { isPromotionBranch } from '../branches';
import { bodyChanges, parseCommit, type BodyChanges, type ParsedCommit } from './conventional';
import { findDuplicates } from './duplicates';
import type { SourceCommit } from './history';
import { cancelReverts } from './reverts';

/** "Merge pull request #41 from org/feature-x" as GitHub writes a merge commit. */
const MERGE_PR = /^Merge pull request #(\d+) from [^/\s]+\/(\S+)/;

export interface Changes {
  commits: ParsedCommit[];
  /** Merge commits looked through. */
  merges: number;
  /** Copies of a change of the same range (cherry-picks, backports) listed once: copy -> original. */
  duplicates: Map<string, string>;
  /** Reverts that cancelled a change of the same range: revert -> reverted. */
  reverted: Map<string, string>;
}

export interface ChangesOptions {
  bodyChanges?: BodyChanges;
}

interface PullMerge {
  merge: SourceCommit;
  pr: number;
  promotion: boolean;
  /** Commits of the range the merge brought (reachable from its other parents, not its first). */
  shas: Set<string>;
}

export function changesOf(range: readonly SourceCommit[], options: ChangesOptions = {}): Changes {
  const bySha = new Map(range.map((commit) => [commit.sha, commit]));
  const merges = range.filter((commit) => commit.parents.length > 1);
  const pulls = pullMerges(merges, bySha);
  // Each commit belongs to the smallest PR merge that brought it: the feature PR, not the promotion.
  const owner = new Map<string, PullMerge>();
  for (const pull of [...pulls].sort((a, b) => a.shas.size - b.shas.size)) {
    for (const sha of pull.shas) if (!owner.has(sha)) owner.set(sha, pull);
  }
  const parsed = new Map<string, ParsedCommit>();
  for (const commit of range) {
    if (commit.parents.length > 1) continue;
    const change = parseCommit(commit);
    if (change.pullRequest === undefined) change.pullRequest = owner.get(commit.sha)?.pr;
    parsed.set(commit.sha, change);
  }
  const duplicates = findDuplicates(range, parsed);
  const { titles, covered } = titledPulls(pulls, owner, parsed);
  const commits: ParsedCommit[] = [];
  for (const commit of range) {
    const title = titles.get(commit.sha);
    if (title) commits.push(title);
    const change = parsed.get(commit.sha);
    if (!change || covered.has(commit.sha) || duplicates.has(commit.sha)) continue;
    commits.push(change);
    if (options.bodyChanges === 'split') commits.push(...bodyChanges(change, commit.message));
  }
  const brought = new Map(pulls.map((pull) => [pull.merge.sha, pull.shas]));
  const { changes, cancelled } = cancelReverts(commits, { duplicates, brought });
  return { commits: changes, merges: merges.length, duplicates, reverted: cancelled };
}

function pullMerges(merges: readonly SourceCommit[], bySha: ReadonlyMap<string, SourceCommit>): PullMerge[] {
  const pulls: PullMerge[] = [];
  for (const merge of merges) {
    const match = MERGE_PR.exec(merge.message);
    if (!match) continue;
    const mainline = reachable([merge.parents[0]], bySha);
    const shas = reachable(merge.parents.slice(1), bySha);
    for (const sha of mainline) shas.delete(sha);
    pulls.push({ merge, pr: Number(match[1]), promotion: isPromotionBranch(match[2]), shas });
  }
  return pulls;
}

/**
 * A feature PR merged with a merge commit whose own commits are all free-form ("wip", "address
 * review") but whose title is conventional ("feat: export users"): the title is the change. The
 * entry takes the merge's place and the free-form commits are covered by it. Promotion PRs never
 * qualify: their title says nothing about the changes they carry.
 */
function titledPulls(
  pulls: readonly PullMerge[],
  owner: ReadonlyMap<string, PullMerge>,
  parsed: ReadonlyMap<string, ParsedCommit>,
): { titles: Map<string, ParsedCommit>; covered: Set<string> } {
  const titles = new Map<string, ParsedCommit>();
  const covered = new Set<string>();
  for (const pull of pulls) {
    if (pull.promotion) continue;
    const own = [...pull.shas].filter((sha) => owner.get(sha) === pull).map((sha) => parsed.get(sha)).filter((change): change is ParsedCommit => change !== undefined);
    if (own.length === 0 || own.some((change) => change.type !== undefined)) continue;
    const title = pull.merge.message.split('\n').slice(1).find((line) => line.trim() !== '');
    if (!title) continue;
    const entry = parseCommit({ sha: pull.merge.sha, message: title.trim(), login: own[0].login, name: own[0].authorName });
    if (entry.type === undefined) continue;
    entry.pullRequest ??= pull.pr;
    titles.set(pull.merge.sha, entry);
    for (const change of own) covered.add(change.sha);
  }
  return { titles, covered };
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

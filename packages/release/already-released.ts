/**
 * Changes that arrive again as copies of something already released. The runbook backports a
 * hotfix to `staging` and `development` with `git cherry-pick`, so the next promotion to `main`
 * brings a second commit for a fix that `main` released already (say v1.0.1): left in, the fix
 * would be listed twice, and a promotion of chores plus that copy would become a patch release of
 * nothing. A copy is recognised by
 *  - its pull request number, linked in the notes of an earlier release (a squash merge's `(#50)`
 *    survives the cherry-pick), or
 *  - its `git cherry-pick -x` trailer, naming a commit in the previous release's history, or
 *  - for a commit with no `(#N)` of its own (a plain cherry-pick of a hotfix branch commit), the same
 *    scope, subject and author as a line of an earlier release's notes.
 */
import { listRecentReleases, type GitHubClient, type RepositoryRef } from '../github';
import type { ParsedCommit } from './conventional';
import type { History } from './history';
import { safeText } from './notes';
import type { ReleaseTag } from './tags';
import { greaterThan } from './version';

/** Ancestry checks for `-x` trailers are one API call each: bounded. */
const MAX_TRAILER_CHECKS = 50;

export interface AlreadyReleasedQuery {
  changes: readonly ParsedCommit[];
  /** SHAs of the range itself: a trailer naming one of them is a copy within the range, not a released one. */
  rangeShas: ReadonlySet<string>;
  previous: ReleaseTag;
  /** Release tags (any branch); those up to the previous version are the earlier releases. */
  releases: readonly ReleaseTag[];
  history: History;
}

/** sha of each change already released -> where it was released. */
export async function findAlreadyReleased(client: GitHubClient, repository: RepositoryRef, query: AlreadyReleasedQuery): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const { changes, previous } = query;

  if (changes.length > 0) {
    const earlier = new Set(query.releases.filter((tag) => !greaterThan(tag.version, previous.version)).map((tag) => tag.name));
    const releasedPulls = new Map<number, string>();
    const releasedLines = new Map<string, string>();
    const link = new RegExp(`/${escape(repository.owner)}/${escape(repository.repo)}/pull/(\\d+)\\b`, 'gi');
    // Newest first: a change is attributed to the latest release that lists it.
    for (const release of await listRecentReleases(client, repository)) {
      if (!earlier.has(release.tagName)) continue;
      for (const match of release.body.matchAll(link)) if (!releasedPulls.has(Number(match[1]))) releasedPulls.set(Number(match[1]), release.tagName);
      for (const line of release.body.split('\n')) {
        const key = lineKey(line);
        if (key && !releasedLines.has(key)) releasedLines.set(key, release.tagName);
      }
    }
    for (const change of changes) {
      const tag =
        (change.ownPullRequest ? releasedPulls.get(change.pullRequest as number) : undefined) ??
        (!change.ownPullRequest && change.login ? releasedLine(releasedLines, change) : undefined);
      if (tag) found.set(change.sha, tag);
    }
  }

  let checks = 0;
  for (const change of changes) {
    const original = change.cherryPickOf;
    if (!original || found.has(change.sha) || query.rangeShas.has(original) || checks >= MAX_TRAILER_CHECKS) continue;
    checks++;
    if (await query.history.isAncestor(original, previous.sha)) found.set(change.sha, previous.name);
  }
  return found;
}

/** The identity of a notes line as notes.ts renders it: `- **scope:** subject ([link](url)) by @login`. */
const NOTES_LINE = /^- (?:\*\*([^*]+):\*\* )?(.+) \(\[[^\]]+\]\([^)]+\)\) by @(\S+)$/;

function lineKey(line: string): string | undefined {
  const match = NOTES_LINE.exec(line.trim());
  return match ? key(match[1], match[2], match[3]) : undefined;
}

/** Notes written since mentions and HTML are made inert (safeText) hold the escaped text; older ones the raw text. */
function releasedLine(lines: ReadonlyMap<string, string>, change: ParsedCommit): string | undefined {
  const login = change.login as string;
  return lines.get(key(change.scope && safeText(change.scope), safeText(change.subject), login)) ?? lines.get(key(change.scope, change.subject, login));
}

function key(scope: string | undefined, subject: string, login: string): string {
  return `${scope ?? ''}\u0000${subject}\u0000${login.toLowerCase()}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

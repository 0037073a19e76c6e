/**
 * Conventional commits: a commit message becomes a kind (breaking, feature, fix, performance,
 * other), a scope, a subject and the pull request a squash merge names in its subject.
 * Parsing is conventional-commits-parser's, with the Conventional Commits 1.0 header (`type(scope)!:`)
 * and both footer spellings of a breaking change.
 */
import { CommitParser, type ParserOptions } from 'conventional-commits-parser';
import { maxBump, type BumpOrNone } from './version';

export type CommitKind = 'breaking' | 'feature' | 'fix' | 'performance' | 'revert' | 'other';

/**
 * Conventional lines in a commit body (a squash merge's "* feat: ..." list): `ignore` them, as
 * semantic-release does (the default), or `split` each into a change of its own, as release-please
 * does with the extra messages at the bottom of a commit.
 */
export type BodyChanges = 'ignore' | 'split';

export interface ParsedCommit {
  sha: string;
  kind: CommitKind;
  /** Conventional type, lower-cased (`feat`), or undefined for a free-form message. */
  type?: string;
  scope?: string;
  /** The subject without the conventional prefix and without the `(#123)` suffix. */
  subject: string;
  /** Texts of `BREAKING CHANGE:` footers (or the subject of a `!` header). */
  breakingNotes: string[];
  /** The pull request: the `(#123)` a squash merge appends, or the merge that brought the commit. */
  pullRequest?: number;
  /** True when the PR number is the commit's own `(#123)` (a squash merge), not the merge that brought it. */
  ownPullRequest?: boolean;
  /** The original of a `git cherry-pick -x` copy ("(cherry picked from commit <sha>)"). */
  cherryPickOf?: string;
  /** A revert: the header of the commit it reverts and, when the body says, its SHA (full or abbreviated). */
  reverts?: { header: string; sha?: string };
  /** The message's first line as written (a revert names its original by it). */
  header?: string;
  /** True for a change read from a body line (body-changes: split), not from the header. */
  fromBody?: boolean;
  /** GitHub login of the author, or undefined when only a name is known. */
  login?: string;
  authorName?: string;
}

export interface RawCommit {
  sha: string;
  message: string;
  login?: string;
  name?: string;
}

const OPTIONS: ParserOptions = {
  headerPattern: /^(\w*)(?:\(([^()]*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\(([^()]*)\))?!: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  // Issue references (Closes #5) are not what the notes link; only the subject's PR number is.
  issuePrefixes: ['#'],
};

const parser = new CommitParser(OPTIONS);

/** The trailer `git cherry-pick -x` appends. */
const CHERRY_PICK = /\(cherry picked from commit ([0-9a-fA-F]{40})\)/;

/** `(#123)` at the end of a subject, as GitHub's squash merge writes it. */
const SQUASH_PR = /\s*\(#(\d+)\)\s*$/;

/** `Revert "feat: x (#12)"` as git and GitHub's revert button write it (the squash merge may append ` (#13)`). */
const REVERT_QUOTED = /^Revert "(.+)"$/;
/** "This reverts commit <sha>." (git revert; for a merge ", reversing changes made to ..."). */
const REVERTS_COMMIT = /This reverts commit ([0-9a-fA-F]{7,40})\b/;

export function parseCommit(raw: RawCommit): ParsedCommit {
  const base = { sha: raw.sha, login: raw.login, authorName: raw.name };
  const message = raw.message.replace(/\r\n/g, '\n').trim();
  const firstLine = message.split('\n', 1)[0] ?? '';
  if (message === '') return { ...base, kind: 'other', subject: '(empty message)', breakingNotes: [] };

  const parsed = parser.parse(message);
  const type = parsed.type ? parsed.type.toLowerCase() : undefined;
  const header = type ? (parsed.subject ?? firstLine) : firstLine;
  const pr = SQUASH_PR.exec(header);
  const subject = header.replace(SQUASH_PR, '').trim();
  // A BREAKING CHANGE footer counts under a free-form subject too, as semantic-release counts it
  // (its parser reads notes whatever the header): a breaking change is never released as a patch.
  const breakingNotes = parsed.notes.filter((note) => /^BREAKING[ -]CHANGE$/i.test(note.title)).map((note) => note.text.trim());
  const reverts = revertOf(type, subject, message);

  return {
    ...base,
    kind: reverts ? 'revert' : type || breakingNotes.length > 0 ? kindOf(type ?? '', breakingNotes.length > 0) : 'other',
    type,
    scope: parsed.scope ?? undefined,
    subject: reverts ? reverts.header.replace(SQUASH_PR, '').trim() : subject === '' ? firstLine : subject,
    breakingNotes,
    pullRequest: pr ? Number(pr[1]) : undefined,
    ownPullRequest: pr ? true : undefined,
    cherryPickOf: CHERRY_PICK.exec(message)?.[1]?.toLowerCase(),
    reverts,
    header: firstLine,
  };
}

/** `Revert "<header>"` or `revert: <header>`, with the SHA the body names; undefined for other commits. */
function revertOf(type: string | undefined, subject: string, message: string): ParsedCommit['reverts'] {
  const header = type === 'revert' ? subject : REVERT_QUOTED.exec(subject)?.[1];
  if (!header) return undefined;
  return { header: header.trim(), sha: REVERTS_COMMIT.exec(message)?.[1]?.toLowerCase() };
}

/** A conventional line of a body: `feat(api): x`, optionally a list item (`* fix: y`, as GitHub's squash body lists commits). */
const BODY_LINE = /^(?:[*-] +)?(feat|feature|fix|perf|refactor|revert|docs|style|test|build|ci|chore)(?:\(([^()]*)\))?(!)?: (\S.*)$/i;

/**
 * The extra changes of a commit body, for `body-changes: split`: every body line that is a
 * conventional header becomes a change with the commit's SHA, PR and author. A line repeating the
 * commit's own header is not a second change; a free-form line ("* wip") is not one either.
 */
export function bodyChanges(commit: ParsedCommit, message: string): ParsedCommit[] {
  const lines = message.replace(/\r\n/g, '\n').trim().split('\n').slice(1);
  const seen = new Set([`${commit.type ?? ''}\u0000${commit.scope ?? ''}\u0000${commit.subject}`]);
  const extra: ParsedCommit[] = [];
  for (const line of lines) {
    const match = BODY_LINE.exec(line.trim());
    if (!match) continue;
    const [, rawType, scope, bang, text] = match;
    const type = rawType.toLowerCase();
    const subject = text.replace(SQUASH_PR, '').trim();
    const key = `${type}\u0000${scope ?? ''}\u0000${subject}`;
    if (seen.has(key)) continue;
    seen.add(key);
    extra.push({
      sha: commit.sha,
      kind: kindOf(type, bang === '!'),
      type,
      scope: scope || undefined,
      subject,
      breakingNotes: [],
      pullRequest: commit.pullRequest,
      ownPullRequest: commit.ownPullRequest,
      login: commit.login,
      authorName: commit.authorName,
      fromBody: true,
    });
  }
  return extra;
}

function kindOf(type: string, breaking: boolean): CommitKind {
  if (breaking) return 'breaking';
  if (type === 'feat' || type === 'feature') return 'feature';
  if (type === 'fix') return 'fix';
  if (type === 'perf') return 'performance';
  return 'other';
}

/** The bump a commit asks for (before the 0.x rules). */
function bumpOf(kind: CommitKind): BumpOrNone {
  switch (kind) {
    case 'breaking':
      return 'major';
    case 'feature':
      return 'minor';
    // A revert of a change released before bumps the patch (semantic-release's rule).
    case 'fix':
    case 'performance':
    case 'revert':
      return 'patch';
    default:
      return 'none';
  }
}

/** The largest bump any commit asks for; 'none' when nothing is releasable. */
export function releaseLevel(commits: readonly ParsedCommit[]): BumpOrNone {
  let level: BumpOrNone = 'none';
  for (const commit of commits) {
    level = maxBump(level, bumpOf(commit.kind));
    if (level === 'major') break;
  }
  return level;
}

/**
 * Conventional commits: a commit message becomes a kind (breaking, feature, fix, performance,
 * other), a scope, a subject and the pull request a squash merge names in its subject.
 * Parsing is conventional-commits-parser's, with the Conventional Commits 1.0 header (`type(scope)!:`)
 * and both footer spellings of a breaking change.
 */
import { CommitParser, type ParserOptions } from 'conventional-commits-parser';
import { maxBump, type BumpOrNone } from './version';

export type CommitKind = 'breaking' | 'feature' | 'fix' | 'performance' | 'other';

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
  const breakingNotes = type ? parsed.notes.filter((note) => /^BREAKING[ -]CHANGE$/i.test(note.title)).map((note) => note.text.trim()) : [];

  return {
    ...base,
    kind: type ? kindOf(type, breakingNotes.length > 0) : 'other',
    type,
    scope: parsed.scope ?? undefined,
    subject: subject === '' ? firstLine : subject,
    breakingNotes,
    pullRequest: pr ? Number(pr[1]) : undefined,
    ownPullRequest: pr ? true : undefined,
    cherryPickOf: CHERRY_PICK.exec(message)?.[1]?.toLowerCase(),
  };
}

function kindOf(type: string, breaking: boolean): CommitKind {
  if (breaking) return 'breaking';
  if (type === 'feat' || type === 'feature') return 'feature';
  if (type === 'fix') return 'fix';
  if (type === 'perf') return 'performance';
  return 'other';
}

/** The bump a commit asks for (before the 0.x rules). */
export function bumpOf(kind: CommitKind): BumpOrNone {
  switch (kind) {
    case 'breaking':
      return 'major';
    case 'feature':
      return 'minor';
    case 'fix':
    case 'performance':
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

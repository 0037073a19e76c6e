/**
 * Glob validation and compilation. picomatch accepts almost any string and quietly turns a typo
 * into a glob that matches nothing (or the literal text), so a PR would pass as "application"
 * because `infrastructure/[**` never matched. We reject those up front, naming the input.
 */
import picomatch from 'picomatch';
import { InputError, errorMessage } from '../action-kit';

export interface GlobOptions {
  /** Whether a leading `!` (negation) is allowed; it is not in lists where it would be ambiguous. */
  allowNegation?: boolean;
  /** Globs over branch names rather than paths (changes the hints). */
  kind?: 'path' | 'branch';
}

/** A compiled glob list: tells which glob (if any) matches a path. */
export interface GlobSet {
  readonly globs: readonly string[];
  /** Index of the first glob matching `path`, or -1. */
  firstMatch(path: string): number;
  matches(path: string): boolean;
}

/** picomatch options used everywhere: dot files count (`.github/`, `.dockerignore`). */
const MATCH_OPTIONS = { dot: true } as const;

/** What is wrong with a glob and what would be right. */
export interface GlobProblem {
  wrong: string;
  right: string;
}

/** Why `glob` is unusable, with what would be right; undefined when it is fine. */
export function globProblem(glob: string, options: GlobOptions = {}): GlobProblem | undefined {
  const kind = options.kind ?? 'path';
  if (glob.startsWith('!') && !options.allowNegation) {
    return kind === 'path'
      ? { wrong: 'negation (a leading !) is not supported here', right: `list the paths to leave out in 'ignore-paths' instead` }
      : { wrong: 'negation (a leading !) is not supported', right: 'list the branches that are allowed instead' };
  }
  if (kind === 'path' && glob.startsWith('/')) {
    return { wrong: 'changed paths are relative to the repository root', right: `drop the leading '/' (e.g. '${glob.replace(/^\/+/, '')}')` };
  }
  if (glob.endsWith('\\')) return { wrong: `it ends with an escaping '\\'`, right: `use '/' as the path separator and '\\' only before a glob character` };
  const braces = unbalancedBraces(glob);
  if (braces) return braces;
  try {
    // strictBrackets makes picomatch throw on unbalanced [ ] and ( ) instead of matching them literally.
    const source = picomatch.makeRe(glob, { ...MATCH_OPTIONS, strictBrackets: true }).source;
    // `$^` is picomatch's "matches nothing" for input it cannot make sense of.
    if (source === '$^') return { wrong: 'it can never match anything', right: 'check its brackets and braces' };
  } catch (error) {
    const reason = errorMessage(error);
    const missing = /Missing (opening|closing): "(.)"/.exec(reason);
    const wrong = missing ? `a bracket is never ${missing[1] === 'closing' ? 'closed' : 'opened'} (no '${missing[2]}')` : reason;
    return { wrong, right: `close the group, or escape a literal character with '\\' (e.g. '\\[')` };
  }
  return undefined;
}

/** Unbalanced braces (picomatch treats a lone `}` as a literal and `{a,b` as nothing); escaped ones are ignored. */
function unbalancedBraces(glob: string): GlobProblem | undefined {
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '\\') {
      i++;
      continue;
    }
    if (char === '{') depth++;
    if (char === '}' && --depth < 0) return { wrong: `a '}' has no opening '{'`, right: `write alternatives as '{a,b}' or escape it as '\\}'` };
  }
  return depth > 0 ? { wrong: `a '{' is never closed`, right: `write alternatives as '{a,b}' or escape it as '\\{'` } : undefined;
}

/**
 * Docker and Containerfile names are spelled every way in the wild (`Dockerfile`, `dockerfile`,
 * `api.Dockerfile`, `Containerfile.prod`): a glob whose last segment names one matches
 * case-insensitively. Other globs keep git's case-sensitive paths.
 */
const CASE_INSENSITIVE_NAME = /dockerfile|containerfile/i;

function caseInsensitive(glob: string): boolean {
  return CASE_INSENSITIVE_NAME.test(glob.slice(glob.lastIndexOf('/') + 1));
}

/** Normalises one path glob: `./infra/**` means `infra/**` (changed paths never start with `./`). */
function normalise(glob: string): string {
  return glob.replace(/^(\.\/)+/, '');
}

/**
 * Validates and compiles the globs of one input. Throws an InputError naming the input and the
 * offending line when a glob is unusable.
 */
export function compileGlobs(input: string, globs: readonly string[], options: GlobOptions = {}): GlobSet {
  const normalised = globs.map(normalise);
  normalised.forEach((glob, index) => {
    const problem = globProblem(glob, options);
    if (problem) throw new InputError(input, `line ${index + 1} '${globs[index]}' is not a usable glob: ${problem.wrong}`, problem.right);
  });
  // One regex per glob, plus all of them in one alternation: most paths match no glob, and one
  // regex test per path is what keeps 10,000 paths in a few milliseconds.
  const regexes = normalised.map((glob) => picomatch.makeRe(glob, { ...MATCH_OPTIONS, nocase: options.kind !== 'branch' && caseInsensitive(glob) }));
  // (Case-insensitive globs are alternated in a regex of their own: a regex has one set of flags.)
  const alternation = (flags: string) => {
    const sources = regexes.filter((regex) => regex.flags === flags).map((regex) => `(?:${regex.source})`);
    return sources.length > 0 ? new RegExp(sources.join('|'), flags) : undefined;
  };
  const anyOf = [alternation(''), alternation('i')].filter((regex): regex is RegExp => regex !== undefined);
  const firstMatch = (path: string) => {
    const candidate = path.startsWith('./') ? path.slice(2) : path;
    if (!anyOf.some((regex) => regex.test(candidate))) return -1;
    return regexes.findIndex((regex) => regex.test(candidate));
  };
  return { globs: normalised, firstMatch, matches: (path) => firstMatch(path) !== -1 };
}

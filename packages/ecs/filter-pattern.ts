/**
 * CloudWatch Logs filter patterns for unstructured log lines, as FilterLogEvents reads them:
 * - terms are case-sensitive and every plain term must appear (`ERROR Exception`);
 * - `?term` terms: at least one of them must appear (`?ERROR ?CRITICAL ?Traceback`);
 * - `-term` terms: none of them may appear (`ERROR -HealthCheck`);
 * - `"a phrase"` quotes a term with spaces or other characters than letters, digits and `_`
 *   (CloudWatch answers `Invalid character(s) in term` for such a term unquoted);
 * - `%regex%` a regular expression of CloudWatch's subset (no groups, at most two per pattern);
 * - an empty pattern matches every line.
 * JSON (`{ $.level = ... }`) and space-delimited (`[ip, user, ...]`) patterns are structured: they are
 * accepted as CloudWatch accepts them when their brackets balance, and read by CloudWatch itself.
 *
 * wait-stable parses `log-error-pattern` with this before any call, so a pattern CloudWatch would
 * reject is one line naming the input; the AWS simulator answers FilterLogEvents with the same rules.
 */

export type FilterPattern =
  | { kind: 'all' }
  | { kind: 'terms'; all: Term[]; any: Term[]; none: Term[] }
  | { kind: 'structured'; text: string };

export type Term = { text: string } | { regex: RegExp; source: string };

/** A pattern CloudWatch rejects: the message is CloudWatch's InvalidParameterException message. */
export class FilterPatternError extends Error {}

/** FilterLogEvents' limit on filterPattern. */
const FILTER_PATTERN_MAX_LENGTH = 1024;
const MAX_REGEXES = 2;
/** CloudWatch's regex subset: letters, digits, `:_#=@/;,-`, the operators `^$?[]{}|\*+.`; no groups. */
const REGEX_CHARACTERS = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]+$/;
const PLAIN_TERM = /^[A-Za-z0-9_]+$/;

export function parseFilterPattern(pattern: string): FilterPattern {
  if (pattern.length > FILTER_PATTERN_MAX_LENGTH) throw new FilterPatternError(`filterPattern is ${pattern.length} characters long; the limit is ${FILTER_PATTERN_MAX_LENGTH}.`);
  const text = pattern.trim();
  if (text === '') return { kind: 'all' };
  if (text.startsWith('{') || text.startsWith('[')) return structured(text);
  const parsed: { kind: 'terms'; all: Term[]; any: Term[]; none: Term[] } = { kind: 'terms', all: [], any: [], none: [] };
  let regexes = 0;
  for (const token of tokenize(text)) {
    const target = token.operator === '?' ? parsed.any : token.operator === '-' ? parsed.none : parsed.all;
    if (token.regex) {
      if (++regexes > MAX_REGEXES) throw new FilterPatternError(`Invalid filter pattern: at most ${MAX_REGEXES} regular expressions are allowed in one pattern.`);
      target.push(regexTerm(token.value));
    } else {
      if (!token.quoted && !PLAIN_TERM.test(token.value)) throw new FilterPatternError(`Invalid character(s) in term '${token.value}'`);
      target.push({ text: token.value });
    }
  }
  return parsed;
}

/** True when `message` matches a parsed term pattern (structured patterns are CloudWatch's to read). */
export function matchesFilterPattern(pattern: FilterPattern, message: string): boolean {
  if (pattern.kind === 'all') return true;
  if (pattern.kind === 'structured') throw new Error('structured filter patterns are evaluated by CloudWatch, not here');
  const has = (term: Term) => ('text' in term ? message.includes(term.text) : term.regex.test(message));
  return pattern.all.every(has) && (pattern.any.length === 0 || pattern.any.some(has)) && !pattern.none.some(has);
}

interface Token {
  operator?: '?' | '-';
  value: string;
  quoted: boolean;
  regex: boolean;
}

/** Splits on spaces outside quotes and `%...%`; `?` or `-` before a term is its operator. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    let operator: Token['operator'];
    if ((text[i] === '?' || text[i] === '-') && i + 1 < text.length && !/\s/.test(text[i + 1])) operator = text[i++] as '?' | '-';
    const quote = text[i] === '"' ? '"' : text[i] === '%' ? '%' : undefined;
    if (quote) {
      const end = text.indexOf(quote, i + 1);
      if (end < 0) throw new FilterPatternError(quote === '"' ? `Invalid filter pattern: unterminated quoted term starting at ${text.slice(i, i + 20)}` : `Invalid filter pattern: unterminated regular expression starting at ${text.slice(i, i + 20)}`);
      tokens.push({ operator, value: text.slice(i + 1, end), quoted: quote === '"', regex: quote === '%' });
      i = end + 1;
      continue;
    }
    const end = text.slice(i).search(/\s/);
    const value = end < 0 ? text.slice(i) : text.slice(i, i + end);
    if (value === '?' || value === '-') throw new FilterPatternError(`Invalid filter pattern: '${value}' must be followed by a term.`);
    tokens.push({ operator, value, quoted: false, regex: false });
    i += value.length;
  }
  return tokens;
}

function regexTerm(source: string): Term {
  if (source === '' || !REGEX_CHARACTERS.test(source)) {
    throw new FilterPatternError(`Invalid regular expression %${source}%: only letters, digits, the symbols :_#=@/;,- and the operators ^$?[]{}|\\*+. are supported (no groups, no spaces).`);
  }
  try {
    return { regex: new RegExp(source), source };
  } catch (error) {
    throw new FilterPatternError(`Invalid regular expression %${source}%: ${(error as Error).message}`);
  }
}

/** `{ ... }` and `[ ... ]`: CloudWatch reads them; here only the brackets and quotes must balance. */
function structured(text: string): FilterPattern {
  const close = text.startsWith('{') ? '}' : ']';
  let depth = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (quoted) continue;
    if (char === text[0]) depth++;
    if (char === close) depth--;
  }
  if (quoted || depth !== 0 || !text.endsWith(close)) throw new FilterPatternError(`Invalid filter pattern: unbalanced ${text[0]}${close} or quotes in ${text.slice(0, 40)}`);
  return { kind: 'structured', text };
}

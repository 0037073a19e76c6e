/**
 * The command of a one-off task, from the `command` input: shell words or a JSON array of strings.
 *
 * ECS runs a command override in exec form: there is no shell in between, so `&&`, pipes,
 * redirections, globs and `$VARIABLES` would reach the program as literal words, or be silently
 * dropped by a parser that "helps". Such a command is refused before anything starts, with the JSON
 * array form that does what the user meant (`["sh","-c","..."]`).
 *
 * An explicit shell is the exception: in `sh -c "alembic upgrade head; echo $DATABASE_URL"` the
 * script after `-c` is the user's intent and the shell in the container runs it, so its operators
 * and variables are kept as written. Shell syntax outside that script is still refused.
 */
import { parse, quote, type ParseEntry } from 'shell-quote';
import { InputError, errorMessage } from '../action-kit';

/** Parses the command; throws an InputError naming `input` when it is malformed. */
export function parseTaskCommand(raw: string, input = 'command'): string[] {
  const text = raw.trim();
  if (text === '') throw new InputError(input, 'is empty', `give the command as words (e.g. 'alembic upgrade head') or a JSON array`);
  if (text.startsWith('[')) return parseJsonCommand(text, input);

  const explicit = explicitShellCommand(text, input);
  if (explicit) return explicit;

  const variables: string[] = [];
  // A function env keeps `$NAME` visible: shell-quote would otherwise replace it with ''.
  const entries = parse(text, (name) => {
    variables.push(name);
    return { op: 'variable' as const, name };
  }) as Array<ParseEntry | { op: 'variable'; name: string }>;

  const shellOnly = entries.filter((entry) => typeof entry !== 'string').map(describeShellSyntax);
  if (variables.length > 0 || shellOnly.length > 0) {
    const found = [...new Set(shellOnly)].join(', ');
    const suggestion = JSON.stringify(['sh', '-c', text]);
    throw new InputError(
      input,
      `uses shell syntax (${found}) but ECS runs the command without a shell`,
      `pass a JSON array, e.g. ${suggestion}`,
    );
  }
  const words = entries as string[];
  if (words.length === 0) throw new InputError(input, 'has no words', `give the command as words or a JSON array`);
  return words;
}

/** Shells whose `-c` script is kept as written (by name or path, e.g. /bin/sh). */
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);
/** Markers around a variable inside a word, so it can be put back as `${NAME}` for the shell. */
const VAR_START = '\u0000';
const VAR_END = '\u0001';
const VARIABLE = new RegExp(`${VAR_START}([^${VAR_END}]*)${VAR_END}`, 'g');

/**
 * `sh -c SCRIPT [ARG...]` (or bash, with option clusters such as `-ec`): the words, with SCRIPT as
 * the user wrote it; undefined when the command does not start with a shell and a `-c` option.
 * Operators or variables outside SCRIPT are left to the general check (they would reach no shell).
 */
function explicitShellCommand(text: string, input: string): string[] | undefined {
  const entries = parse(text, (name) => `${VAR_START}${name}${VAR_END}`);
  const first = entries[0];
  if (typeof first !== 'string' || !SHELLS.has(first.slice(first.lastIndexOf('/') + 1))) return undefined;
  let index = 1;
  let hasC = false;
  while (index < entries.length && !hasC) {
    const word = entries[index];
    if (typeof word !== 'string' || !/^-[a-zA-Z]+$/.test(word)) break;
    hasC = word.includes('c');
    index++;
  }
  if (!hasC) return undefined;
  const script = entries[index];
  if (typeof script !== 'string') {
    throw new InputError(input, `has no script after ${entries[index - 1] as string}`, `give the script as one quoted word, e.g. ${first} -c "alembic upgrade head"`);
  }
  // Variables in the script are the shell's to expand ($(...) reaches us as an empty name); outside it
  // they, like operators, would reach no shell.
  const outside = entries.flatMap((entry, i) => {
    if (i === index) return [];
    if (typeof entry !== 'string') return [describeShellSyntax(entry)];
    return [...entry.matchAll(VARIABLE)].map((m) => `variable '$${m[1]}'`);
  });
  if (outside.length > 0) {
    throw new InputError(
      input,
      `uses shell syntax outside the ${first} -c script (${[...new Set(outside)].join(', ')}) but ECS runs the command without a shell`,
      `put it inside the quoted script, e.g. ${first} -c "alembic upgrade head && alembic current"`,
    );
  }
  const words = entries as string[];
  return words.map((word, i) => (i === index ? word.replace(VARIABLE, (_, name: string) => (name === '' ? '$' : `\${${name}}`)) : word));
}

function parseJsonCommand(text: string, input: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = errorMessage(error);
    throw new InputError(input, `starts with '[' but is not valid JSON (${reason})`, `use a JSON array of strings, e.g. ["alembic","upgrade","head"]`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((word) => typeof word === 'string')) {
    throw new InputError(input, 'is not a non-empty JSON array of strings', `use e.g. ["alembic","upgrade","head"]`);
  }
  return parsed as string[];
}

function describeShellSyntax(entry: ParseEntry | { op: 'variable'; name: string }): string {
  if (typeof entry === 'string') return entry;
  if ('comment' in entry) return `comment '#${entry.comment}'`;
  if (entry.op === 'glob') return `glob '${entry.pattern}'`;
  if (entry.op === 'variable') return `variable '$${entry.name}'`;
  return `operator '${entry.op}'`;
}

/** The command as a person would type it (for logs and the summary). */
export function formatTaskCommand(words: readonly string[]): string {
  return quote(words);
}

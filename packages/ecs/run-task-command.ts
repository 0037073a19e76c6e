/**
 * The command of a one-off task, from the `command` input: shell words or a JSON array of strings.
 *
 * ECS runs a command override in exec form: there is no shell in between, so `&&`, pipes,
 * redirections, globs and `$VARIABLES` would reach the program as literal words, or be silently
 * dropped by a parser that "helps". Such a command is refused before anything starts, with the JSON
 * array form that does what the user meant (`["sh","-c","..."]`).
 */
import { parse, quote, type ParseEntry } from 'shell-quote';
import { InputError } from '../action-kit/errors';

/** Parses the command; throws an InputError naming `input` when it is malformed. */
export function parseTaskCommand(raw: string, input = 'command'): string[] {
  const text = raw.trim();
  if (text === '') throw new InputError(input, 'is empty', `give the command as words (e.g. 'alembic upgrade head') or a JSON array`);
  if (text.startsWith('[')) return parseJsonCommand(text, input);

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

function parseJsonCommand(text: string, input: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
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

/**
 * Flags -> the action's input record. `--name value`, `--name=value`; boolean inputs (action.yml
 * default 'true'/'false') also as `--name` and `--no-name`. Every mistake is one line naming the flag,
 * what was wrong and what would be right, raised before anything runs.
 */
import { ACTION_SPECS, type ActionSpec } from './action-inputs.generated';
import type { Command } from './commands';

import { UsageError } from './errors';
import { EXIT_CODES } from './exit-codes';

export interface ParsedArgs {
  inputs: Record<string, string>;
  json: boolean;
  help: boolean;
  extra: Set<string>;
}

export function specOf(command: Command): ActionSpec {
  const spec = ACTION_SPECS[command.action];
  if (!spec) throw new Error(`No action.yml spec for ${command.action}`);
  return spec;
}

/** The inputs offered as flags. */
function flagNames(command: Command): string[] {
  const inputs = Object.keys(specOf(command).inputs).filter((name) => !command.hidden?.includes(name) && (!command.only || command.only.includes(name)));
  return [...inputs, ...Object.keys(command.valueFlags ?? {})];
}

/** What a flag is for: its input's description in action.yml, or the command's own flag's. */
function describeFlag(command: Command, name: string): string {
  return command.valueFlags?.[name]?.description ?? specOf(command).inputs[name]?.description ?? '';
}

function isBooleanInput(command: Command, name: string): boolean {
  const value = specOf(command).inputs[name]?.default;
  return value === 'true' || value === 'false';
}

/** The flag a typo most likely meant: at most two edits away. */
function closest(name: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length];
  };
  const best = candidates.map((c) => ({ c, d: distance(name, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? best.c : undefined;
}

export function parseArgs(command: Command, argv: string[]): ParsedArgs {
  const names = flagNames(command);
  const extraNames = Object.keys(command.extraFlags ?? {});
  const values: Record<string, string[]> = {};
  const extra = new Set<string>();
  let json = false;
  let help = false;
  const where = `connect2 ${command.name}`;
  const known = () => `see \`${where} --help\``;

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--help' || token === '-h') { help = true; continue; }
    if (token === '--json') { json = true; continue; }
    if (!token.startsWith('--')) {
      throw new UsageError(`Unexpected argument '${token}' for ${where}: values follow a flag (e.g. --cluster NAME); ${known()}.`);
    }
    const eq = token.indexOf('=');
    let name = token.slice(2, eq < 0 ? undefined : eq);
    let value: string | undefined = eq < 0 ? undefined : token.slice(eq + 1);
    if (extraNames.includes(name)) {
      if (value !== undefined) throw new UsageError(`Flag --${name} takes no value; write --${name} alone.`);
      extra.add(name);
      continue;
    }
    if (name.startsWith('no-') && !names.includes(name) && names.includes(name.slice(3)) && isBooleanInput(command, name.slice(3))) {
      if (value !== undefined) throw new UsageError(`Flag ${token.slice(0, eq)} takes no value; write --${name} alone, or --${name.slice(3)}=false.`);
      name = name.slice(3);
      value = 'false';
    }
    if (!names.includes(name)) {
      const hint = closest(name, names);
      throw new UsageError(`Unknown flag --${name} for ${where}; ${hint ? `did you mean --${hint}? ` : ''}flags: ${names.map((n) => `--${n}`).join(', ')}.`);
    }
    if (values[name] && !command.lists?.includes(name)) throw new UsageError(`Flag --${name} is given twice; give it once.`);
    const given: string[] = [];
    if (value === undefined) {
      const next = argv[i + 1];
      if (isBooleanInput(command, name)) {
        if (next !== undefined && /^(true|false)$/i.test(next)) { value = next; i++; } else value = 'true';
      } else {
        if (next === undefined || next.startsWith('--')) throw new UsageError(`Flag --${name} needs a value; e.g. --${name} VALUE (${describeFlag(command, name).split('\n')[0]})`);
        value = next;
        i++;
        // A list input takes the following bare words too: --services api worker
        if (command.lists?.includes(name)) while (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) given.push(argv[++i]);
      }
    }
    // `--task-definition "$TD"` with TD unset or empty must not quietly mean "the default".
    if (value.trim() === '') throw new UsageError(`Flag --${name} is empty (an unset or empty shell variable?); give it a value, or leave the flag out for its default.`);
    values[name] = [...(values[name] ?? []), value, ...given];
  }

  const inputs: Record<string, string> = {};
  for (const [name, list] of Object.entries(values)) inputs[name] = list.join('\n');
  return { inputs, json, help, extra };
}

/** `--help`: the command's summary, then its flags with action.yml's descriptions and defaults. */
export function renderHelp(command: Command): string {
  const spec = specOf(command);
  const lines = [`Usage: ${command.usage}`, '', command.summary, '', `Flags (the inputs of the ${command.action} action, same names):`];
  for (const name of flagNames(command)) {
    const input = spec.inputs[name] ?? { description: describeFlag(command, name), default: command.valueFlags?.[name]?.default ?? '', required: false };
    const fallback = command.defaults?.[name] ?? input.default;
    const flag = isBooleanInput(command, name) ? `--${name} / --no-${name}` : `--${name} VALUE${command.lists?.includes(name) ? ' ...' : ''}`;
    const notes = [input.required ? 'required' : '', fallback && !fallback.includes('${{') ? `default: ${fallback.replace(/\n/g, ' ')}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${flag}`, `      ${input.description.replace(/\s*\n\s*/g, ' ')}${notes ? ` (${notes})` : ''}`);
  }
  for (const [name, text] of Object.entries(command.extraFlags ?? {})) lines.push(`  --${name}`, `      ${text}`);
  lines.push('  --json', '      Print the outputs as one JSON object on stdout (logs go to stderr).', '  --help', '      This help.');
  if (command.aws) lines.push('', 'AWS credentials and region come from the standard chain (AWS_PROFILE, SSO, environment, instance role), never from flags.');
  lines.push('', EXIT_CODES);
  lines.push(`Outputs: ${Object.keys(spec.outputs).join(', ')}.`);
  return lines.join('\n');
}

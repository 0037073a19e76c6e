/**
 * Typed action inputs. Every reader names the input in its error, says what was wrong and what would
 * be right, and never touches AWS or GitHub: inputs are validated before the first call that changes
 * anything.
 */
import * as core from '@actions/core';
import { InputError, errorMessage } from './errors';

/** Reads the raw value of an input ('' when unset). Injected so engines and tests need no env. */
export type InputSource = (name: string) => string;

/** The runner's way: `INPUT_<NAME>` environment variables, hyphens kept. */
const runnerInputs: InputSource = (name) => core.getInput(name, { trimWhitespace: false });

/** Inputs from a plain record, for tests and scripts. */
export function recordInputs(values: Record<string, string | undefined>): InputSource {
  return (name) => values[name] ?? '';
}

const TRUE = ['true', 'True', 'TRUE', 'yes', 'on', '1'];
const FALSE = ['false', 'False', 'FALSE', 'no', 'off', '0'];

export interface Inputs {
  /** The trimmed value, or undefined when empty. */
  optional(name: string): string | undefined;
  /** The trimmed value; empty is an error. */
  required(name: string): string;
  /** `true`/`false` (YAML 1.2 core schema spellings); empty gives the fallback. */
  boolean(name: string, fallback: boolean): boolean;
  /** A whole number within [min, max]; empty gives the fallback. */
  integer(name: string, fallback: number, range?: { min?: number; max?: number }): number;
  /** A whole number within [min, max], or undefined when empty. */
  optionalInteger(name: string, range?: { min?: number; max?: number }): number | undefined;
  /** One of the allowed values; empty gives the fallback. */
  enumeration<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  /** Lines, trimmed, without blanks and `#` comments. */
  multiline(name: string): string[];
  /** Items separated by newlines or commas, trimmed, without blanks. */
  list(name: string): string[];
  /** Parsed JSON, or undefined when empty. */
  json<T = unknown>(name: string, describe?: string): T | undefined;
  /** A duration such as `90`, `90s`, `15m`, `1h30m`, in milliseconds; `unit` is the unit of a bare number. */
  duration(name: string, fallbackMs: number, unit?: 'seconds' | 'minutes', range?: { minMs?: number; maxMs?: number }): number;
}

export function readInputs(source: InputSource = runnerInputs): Inputs {
  const value = (name: string): string | undefined => {
    const raw = source(name).trim();
    return raw === '' ? undefined : raw;
  };
  const optionalInteger = (name: string, range: IntegerRange = {}) => parseInteger(name, value(name), range);
  return {
    optional: value,
    required: (name) => requiredValue(name, value(name)),
    boolean: (name, fallback) => parseBoolean(name, value(name), fallback),
    integer: (name, fallback, range) => optionalInteger(name, range) ?? fallback,
    optionalInteger,
    enumeration: (name, allowed, fallback) => parseEnumeration(name, value(name), allowed, fallback),
    multiline: (name) => splitItems(source(name), /\r?\n/).filter((line) => !line.startsWith('#')),
    list: (name) => splitItems(source(name), /[\n,]/),
    json: (name, describe) => parseJson(name, value(name), describe),
    duration: (name, fallbackMs, unit, range) => parseDurationInput(name, value(name), fallbackMs, unit, range),
  };
}

interface IntegerRange {
  min?: number;
  max?: number;
}

function requiredValue(name: string, raw: string | undefined): string {
  if (raw === undefined) throw new InputError(name, 'is required but was empty', `set '${name}' in the step's 'with:'`);
  return raw;
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (TRUE.includes(raw)) return true;
  if (FALSE.includes(raw)) return false;
  throw new InputError(name, `is '${raw}', not a boolean`, `use 'true' or 'false'`);
}

function parseInteger(name: string, raw: string | undefined, range: IntegerRange): number | undefined {
  if (raw === undefined) return undefined;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  const bounds = describeRange(min, max);
  if (!/^-?\d+$/.test(raw)) throw new InputError(name, `is '${raw}', not a whole number`, `use a whole number ${bounds}`);
  const parsed = Number(raw);
  if (parsed < min || parsed > max) throw new InputError(name, `is ${parsed}, out of range`, `use a whole number ${bounds}`);
  return parsed;
}

function parseEnumeration<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  const match = allowed.find((candidate) => candidate === raw);
  if (match === undefined) throw new InputError(name, `is '${raw}'`, `use one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return match;
}

/** Items split by `separator`, trimmed, without blanks. */
function splitItems(raw: string, separator: RegExp): string[] {
  return raw
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseJson<T>(name: string, raw: string | undefined, describe = 'valid JSON'): T | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch (error) {
    throw new InputError(name, `is not valid JSON (${errorMessage(error)})`, `use ${describe}`);
  }
}

function parseDurationInput(name: string, raw: string | undefined, fallbackMs: number, unit: 'seconds' | 'minutes' = 'seconds', range: { minMs?: number; maxMs?: number } = {}): number {
  if (raw === undefined) return fallbackMs;
  const parsed = parseDuration(raw, unit);
  const example = unit === 'minutes' ? `'30' (minutes), '90s' or '1h30m'` : `'30' (seconds), '90s' or '15m'`;
  if (parsed === undefined) throw new InputError(name, `is '${raw}', not a duration`, `use a number like ${example}`);
  const { minMs = 0, maxMs = Number.MAX_SAFE_INTEGER } = range;
  if (parsed < minMs || parsed > maxMs) {
    throw new InputError(name, `is ${raw}, out of range`, `use a duration ${describeRange(minMs / 1000, maxMs / 1000)} seconds`);
  }
  return parsed;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `90` (in `unit`), `1.5` , `90s`, `15m`, `1h30m`, `500ms` -> milliseconds; undefined when malformed. */
export function parseDuration(raw: string, unit: 'seconds' | 'minutes' = 'seconds'): number | undefined {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * (unit === 'minutes' ? 60_000 : 1000));
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return Math.round(parts.reduce((total, [, amount, suffix]) => total + Number(amount) * UNIT_MS[suffix as keyof typeof UNIT_MS], 0));
}

function describeRange(min: number, max: number): string {
  if (min > Number.MIN_SAFE_INTEGER && max < Number.MAX_SAFE_INTEGER) return `from ${min} to ${max}`;
  if (min > Number.MIN_SAFE_INTEGER) return `of at least ${min}`;
  if (max < Number.MAX_SAFE_INTEGER) return `of at most ${max}`;
  return '';
}

/**
 * `${{ }}` evaluation with GitHub's own expression engine (@actions/expressions): its lexer, parser and
 * evaluator, with the functions the runner adds (status functions, hashFiles). Token trees from the
 * workflow parser (where `a-${{ x }}` is already `format('a-{0}', x)`) evaluate to plain values.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import picomatch from 'picomatch';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { TokenKind, scalarValue } from './workflow-file';
import { listFiles } from './workspace-files';
import { errorMessage } from '../action-kit';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The contexts a `${{ }}` may read; absent ones are simply not available (as GitHub's allowed contexts). */
export type Contexts = Partial<Record<'github' | 'env' | 'vars' | 'secrets' | 'inputs' | 'needs' | 'steps' | 'jobs' | 'job' | 'matrix' | 'strategy' | 'runner', unknown>>;

/**
 * What the status functions answer. For a step: success() = no earlier step failed and not cancelled;
 * failure() = an earlier step failed. For a job: success() = every needed job (transitively) succeeded,
 * so a skipped need makes it false; failure() = a needed job failed. cancelled() = the run was cancelled.
 */
export interface StatusState {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

/** The status of a step after the earlier steps of its job. */
export function stepStatus(failed: boolean, cancelled: boolean): StatusState {
  return { success: !failed && !cancelled, failure: failed, cancelled };
}

export interface EvaluationScope {
  contexts: Contexts;
  status?: StatusState;
  /** Workspace for hashFiles(). */
  workspace?: string;
}

class ExpressionFailure extends Error {}

const fn = (name: string, minArgs: number, maxArgs: number, call: (...args: data.ExpressionData[]) => data.ExpressionData) => ({ name, minArgs, maxArgs, call });

function runnerFunctions(scope: EvaluationScope) {
  const status = scope.status ?? stepStatus(false, false);
  const functions = [
    fn('success', 0, 0, () => new data.BooleanData(status.success)),
    fn('failure', 0, 0, () => new data.BooleanData(status.failure)),
    fn('always', 0, 0, () => new data.BooleanData(true)),
    fn('cancelled', 0, 0, () => new data.BooleanData(status.cancelled)),
    fn('hashFiles', 1, 255, (...patterns) => new data.StringData(hashFiles(scope.workspace, patterns.map((p) => p.coerceString())))),
  ];
  return functions;
}

/** hashFiles() as the runner computes it: sha256 over the sha256 of each matching file, in path order; '' when none. */
export function hashFiles(workspace: string | undefined, patterns: string[]): string {
  if (!workspace) throw new ExpressionFailure('hashFiles() needs a workspace (it is only available in steps)');
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const matchInclude = picomatch(include, { dot: true });
  const matchExclude = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  const files = listFiles(workspace).filter((file) => matchInclude(file) && !matchExclude(file)).sort();
  if (files.length === 0) return '';
  const outer = createHash('sha256');
  for (const file of files) {
    const full = path.join(workspace, file);
    if (!statSync(full).isFile()) continue;
    outer.update(createHash('sha256').update(readFileSync(full)).digest());
  }
  return outer.digest('hex');
}

function toExpressionData(contexts: Contexts): data.Dictionary {
  return JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
}

function fromExpressionData(value: data.ExpressionData): Json {
  return JSON.parse(JSON.stringify(value, data.replacer) ?? 'null') as Json;
}

/** Evaluates one expression (without `${{ }}`) to GitHub's data, then to plain JSON. */
export function evaluateExpression(expression: string, scope: EvaluationScope): Json {
  return fromExpressionData(evaluateRaw(expression, scope));
}

function evaluateRaw(expression: string, scope: EvaluationScope): data.ExpressionData {
  const functions = runnerFunctions(scope);
  const contextNames = Object.keys(scope.contexts);
  try {
    const lexed = new Lexer(expression).lex();
    const tree = new Parser(lexed.tokens, contextNames, functions).parse();
    const map = new Map(functions.map((f) => [f.name.toLowerCase(), f]));
    return new Evaluator(tree, toExpressionData(scope.contexts), map).evaluate();
  } catch (error) {
    throw new ExpressionFailure(`\${{ ${expression} }}: ${errorMessage(error)}`);
  }
}

/** An `if:` condition (already wrapped in `success() && (...)` by the parser when it has no status function). */
export function evaluateCondition(expression: string, scope: EvaluationScope): boolean {
  return truthy(evaluateRaw(expression, scope));
}

/** A token tree (a `with:` mapping, `env:`, `outputs:`, a scalar...) to plain values. */
export function evaluateToken(token: TemplateToken | undefined, scope: EvaluationScope): Json {
  if (!token) return null;
  switch (token.templateTokenType) {
    case TokenKind.String:
    case TokenKind.Number:
    case TokenKind.Boolean:
      return (token as unknown as { value: string | number | boolean }).value;
    case TokenKind.Null:
      return null;
    case TokenKind.BasicExpression:
      return evaluateExpression((token as unknown as { expression: string }).expression, scope);
    case TokenKind.Sequence: {
      const items: Json[] = [];
      for (const item of token as unknown as Iterable<TemplateToken>) items.push(evaluateToken(item, scope));
      return items;
    }
    case TokenKind.Mapping: {
      const result: Record<string, Json> = {};
      for (const pair of token as unknown as Iterable<{ key: TemplateToken; value: TemplateToken }>) {
        result[String(evaluateToken(pair.key, scope))] = evaluateToken(pair.value, scope);
      }
      return result;
    }
    default:
      throw new ExpressionFailure(`${scalarValue(token) ?? 'a value'}: \${{ insert }} and other template directives are not played`);
  }
}

/** A value as the runner writes it into `with:`, `env:` and `run:`: strings as they are, the rest as JSON. */
export function asText(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

/** Evaluates a mapping token to name -> text (env, with, outputs). */
export function evaluateTextMap(token: TemplateToken | undefined, scope: EvaluationScope): Record<string, string> {
  const value = evaluateToken(token, scope);
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ExpressionFailure(`expected a mapping, got ${JSON.stringify(value)}`);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asText(item)]));
}

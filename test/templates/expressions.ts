// Finds the expressions of a workflow node and the context references in them. `if:` values are
// expressions even without `${{ }}`; everything else only inside `${{ }}`, so shell text in `run:` that
// merely looks like `steps.x` is not taken for a reference.
import { isObject, type Json } from './workflow';

const WRAPPED = /\$\{\{([\s\S]*?)\}\}/g;

export function expressionsIn(value: Json | undefined, key?: string): string[] {
  if (typeof value === 'string') {
    const wrapped = [...value.matchAll(WRAPPED)].map((match) => match[1]);
    if (key === 'if' && wrapped.length === 0) return [value];
    return wrapped;
  }
  if (Array.isArray(value)) return value.flatMap((item) => expressionsIn(item));
  if (isObject(value)) return Object.entries(value).flatMap(([name, item]) => expressionsIn(item, name));
  return [];
}

export interface StepReference {
  step: string;
  /** `outputs`, `outcome` or `conclusion`. */
  property: string;
  output?: string;
}

export function stepReferences(expression: string): StepReference[] {
  return [...expression.matchAll(/\bsteps\.([A-Za-z_][\w-]*)\.(outputs\.([A-Za-z_][\w-]*)|outcome|conclusion)/g)].map((m) => ({
    step: m[1],
    property: m[3] === undefined ? m[2] : 'outputs',
    output: m[3],
  }));
}

export function needsReferences(expression: string): { job: string; output?: string }[] {
  return [...expression.matchAll(/\bneeds\.([A-Za-z_][\w-]*)(?:\.outputs\.([A-Za-z_][\w-]*))?/g)].map((m) => ({ job: m[1], output: m[2] }));
}

export function inputReferences(expression: string): string[] {
  // `github.event.inputs.x` is the same value as `inputs.x` on workflow_dispatch.
  return [...expression.matchAll(/(?<![\w.-])(?:github\.event\.)?inputs\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]);
}

// Loading and walking workflow files. Rules and contract checks read workflows only through this module,
// so "what is a job, a step, a string inside them" is decided once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Workflow {
  /** File name, e.g. `deploy.yml`; used in messages and to resolve reusable-workflow calls. */
  name: string;
  text: string;
  /** The YAML document, kept for what plain data loses (the `# v4.2.2` comment after a pin). */
  doc: Document;
  data: JsonObject;
}

export interface Step {
  index: number;
  /** `id:` when given; messages fall back to the step's name or index. */
  id?: string;
  label: string;
  data: JsonObject;
}

export interface Job {
  id: string;
  data: JsonObject;
  steps: Step[];
  /** `uses:` of a job that calls a reusable workflow. */
  uses?: string;
}

export const TEMPLATES_DIR = new URL('../../workflows-templates/', import.meta.url).pathname;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseWorkflowText(name: string, text: string): Workflow {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${name}: ${doc.errors.map((e) => e.message).join('; ')}`);
  const data = doc.toJS() as unknown;
  if (!isObject(data)) throw new Error(`${name}: a workflow is a mapping`);
  return { name, text, doc, data };
}

/** The templates shipped in workflows-templates/, read from disk at test time. */
export function loadTemplates(dir = TEMPLATES_DIR): Workflow[] {
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => parseWorkflowText(file, readFileSync(join(dir, file), 'utf8')));
}

/** Event names of `on:`, whichever of its three shapes (string, list, mapping) is used. */
export function events(workflow: Workflow): Record<string, Json> {
  const on = workflow.data.on;
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((event) => [String(event), null]));
  return isObject(on) ? on : {};
}

export function jobs(workflow: Workflow): Job[] {
  const all = workflow.data.jobs;
  if (!isObject(all)) return [];
  return Object.entries(all).map(([id, value]) => {
    const data = isObject(value) ? value : {};
    const rawSteps = Array.isArray(data.steps) ? data.steps : [];
    const steps = rawSteps.map((step, index): Step => {
      const stepData = isObject(step) ? step : {};
      const stepId = typeof stepData.id === 'string' ? stepData.id : undefined;
      const name = typeof stepData.name === 'string' ? stepData.name : undefined;
      return { index, id: stepId, label: stepId ?? name ?? `#${index + 1}`, data: stepData };
    });
    return { id, data, steps, uses: typeof data.uses === 'string' ? data.uses : undefined };
  });
}

/** `with:` of a step or a reusable-workflow call. */
export function withOf(node: JsonObject): JsonObject {
  return isObject(node.with) ? node.with : {};
}

/** `needs:` as a list. */
export function needsOf(job: Job): string[] {
  const needs = job.data.needs;
  if (typeof needs === 'string') return [needs];
  return Array.isArray(needs) ? needs.map(String) : [];
}

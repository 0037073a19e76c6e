/**
 * Task definitions as a user thinks of them: the registrable part of a revision (read-only fields
 * stripped), the container image swapped in, and "what changed" between two revisions. Comparing the
 * normalised forms is what lets ecs-deploy skip registering a revision identical to the running one
 * (the anchor action registers a new revision on every run).
 */
import { readFile } from 'node:fs/promises';
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';
import { ActionError, InputError } from '../action-kit';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition refuses. */
const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

export type TaskDefinitionInput = RegisterTaskDefinitionCommandInput;

/**
 * The registrable form of a task definition: read-only fields removed, everything the user set kept,
 * including empty strings and empty lists (an explicit `"command": []` is a choice, not noise).
 * Only `undefined`/`null` members (SDK artefacts) are dropped.
 */
export function normalizeTaskDefinition(source: TaskDefinition | Record<string, unknown>): TaskDefinitionInput {
  // `aws ecs describe-task-definition > file.json` wraps the definition; accept that file as it is.
  const raw = (isRecord(source) && isRecord(source.taskDefinition) ? source.taskDefinition : source) as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((READ_ONLY_FIELDS as readonly string[]).includes(key)) continue;
    if (value === undefined || value === null) continue;
    result[key] = dropNullish(value);
  }
  return result as unknown as TaskDefinitionInput;
}

/** Reads and validates a task definition JSON file (the `task-definition` input). */
export async function readTaskDefinitionFile(path: string, inputName = 'task-definition'): Promise<TaskDefinitionInput> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InputError(inputName, `names '${path}', which cannot be read (${code})`, 'give the path of a task definition JSON file relative to the workspace');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(inputName, `file '${path}' is not valid JSON (${(error as Error).message})`, 'give a task definition as written by `aws ecs describe-task-definition` or for RegisterTaskDefinition');
  }
  if (!isRecord(parsed)) throw new InputError(inputName, `file '${path}' is not a JSON object`, 'give a task definition object with family and containerDefinitions');
  const definition = normalizeTaskDefinition(parsed);
  if (typeof definition.family !== 'string' || definition.family === '') {
    throw new InputError(inputName, `file '${path}' has no 'family'`, 'add the task definition family, e.g. "family": "connect2-api-dev"');
  }
  if (!Array.isArray(definition.containerDefinitions) || definition.containerDefinitions.length === 0) {
    throw new InputError(inputName, `file '${path}' has no 'containerDefinitions'`, 'list at least one container');
  }
  return definition;
}

/**
 * Picks the container to update: the named one, or the only one. Errors name the `container` input
 * and list what exists, before anything is changed.
 */
export function selectContainer(definition: TaskDefinitionInput, name: string | undefined, inputName = 'container'): ContainerDefinition {
  const containers = definition.containerDefinitions ?? [];
  const names = containers.map((c) => c.name ?? '(unnamed)');
  if (name) {
    const found = containers.find((c) => c.name === name);
    if (!found) {
      throw new InputError(inputName, `is '${name}', which is not a container of task definition family '${definition.family}'`, `use one of ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    return found;
  }
  if (containers.length === 1) return containers[0];
  if (containers.length === 0) throw new ActionError(`Task definition family '${definition.family}' has no containers.`);
  throw new InputError(inputName, `is required because task definition family '${definition.family}' has ${containers.length} containers`, `set it to one of ${names.map((n) => `'${n}'`).join(', ')}`);
}

/** A copy of the definition with one container's image replaced. */
export function withContainerImage(definition: TaskDefinitionInput, container: string, image: string): TaskDefinitionInput {
  return {
    ...definition,
    containerDefinitions: (definition.containerDefinitions ?? []).map((c) => (c.name === container ? { ...c, image } : c)),
  };
}

/**
 * A canonical form for comparison only (never registered): keys sorted, empty lists/objects and
 * nullish dropped (ECS answers `[]` for lists a file leaves out), tags left out, task cpu/memory as strings
 * (ECS answers "256" for 256), environment and secrets ordered by name (their order carries no meaning).
 */
function canonicalTaskDefinition(definition: TaskDefinitionInput): unknown {
  const copy = { ...definition } as Record<string, unknown>;
  // Tags label a revision but are not part of it (DescribeTaskDefinition returns them apart, on request).
  delete copy.tags;
  if (copy.cpu !== undefined) copy.cpu = String(copy.cpu);
  if (copy.memory !== undefined) copy.memory = String(copy.memory);
  copy.containerDefinitions = (definition.containerDefinitions ?? []).map((c) => ({
    ...c,
    environment: c.environment ? [...c.environment].sort(byName) : undefined,
    secrets: c.secrets ? [...c.secrets].sort(byName) : undefined,
  }));
  return canonical(copy);
}

/** True when registering `next` would create a revision identical to `current`. */
export function sameTaskDefinition(current: TaskDefinitionInput, next: TaskDefinitionInput): boolean {
  return JSON.stringify(canonicalTaskDefinition(current)) === JSON.stringify(canonicalTaskDefinition(next));
}

export interface TaskDefinitionChange {
  /** `task`, or the container name. */
  scope: string;
  /** `image`, `cpu`, `memory`, `memoryReservation`, `environment`, `container`, `other`. */
  field: string;
  before: string;
  after: string;
}

/**
 * What a reviewer wants to know about a new revision: images, environment variable names (added,
 * removed, value changed: names only, values may be secret), cpu/memory, containers added or removed,
 * and the names of any other top-level fields that differ.
 */
export function diffTaskDefinitions(before: TaskDefinitionInput, after: TaskDefinitionInput): TaskDefinitionChange[] {
  const changes: TaskDefinitionChange[] = [];
  for (const field of ['cpu', 'memory'] as const) {
    const a = before[field] === undefined ? '' : String(before[field]);
    const b = after[field] === undefined ? '' : String(after[field]);
    if (a !== b) changes.push({ scope: 'task', field, before: a || '(unset)', after: b || '(unset)' });
  }
  const oldContainers = new Map((before.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  const newContainers = new Map((after.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  for (const [name, oldC] of oldContainers) {
    const newC = newContainers.get(name);
    if (!newC) {
      changes.push({ scope: name, field: 'container', before: 'present', after: 'removed' });
      continue;
    }
    if ((oldC.image ?? '') !== (newC.image ?? '')) changes.push({ scope: name, field: 'image', before: oldC.image ?? '', after: newC.image ?? '' });
    for (const field of ['cpu', 'memory', 'memoryReservation'] as const) {
      const a = oldC[field] === undefined ? '' : String(oldC[field]);
      const b = newC[field] === undefined ? '' : String(newC[field]);
      if (a !== b) changes.push({ scope: name, field, before: a || '(unset)', after: b || '(unset)' });
    }
    const envBefore = new Map((oldC.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
    const envAfter = new Map((newC.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
    const added = [...envAfter.keys()].filter((k) => !envBefore.has(k));
    const removed = [...envBefore.keys()].filter((k) => !envAfter.has(k));
    const changed = [...envAfter.keys()].filter((k) => envBefore.has(k) && envBefore.get(k) !== envAfter.get(k));
    if (added.length) changes.push({ scope: name, field: 'environment', before: '', after: `added ${added.join(', ')}` });
    if (removed.length) changes.push({ scope: name, field: 'environment', before: `removed ${removed.join(', ')}`, after: '' });
    if (changed.length) changes.push({ scope: name, field: 'environment', before: '', after: `value changed: ${changed.join(', ')}` });
  }
  for (const name of newContainers.keys()) {
    if (!oldContainers.has(name)) changes.push({ scope: name, field: 'container', before: 'absent', after: 'added' });
  }
  if (changes.length === 0 && !sameTaskDefinition(before, after)) {
    const a = canonicalTaskDefinition(before) as Record<string, unknown>;
    const b = canonicalTaskDefinition(after) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    changes.push({ scope: 'task', field: 'other', before: '', after: `changed: ${keys.join(', ')}` });
  }
  return changes;
}

function byName(a: { name?: string }, b: { name?: string }): number {
  return (a.name ?? '').localeCompare(b.name ?? '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dropNullish(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null).map(dropNullish);
  if (isRecord(value) && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = dropNullish(v);
    return out;
  }
  return value;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value instanceof Date) return value.toISOString();
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical(value[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === null ? undefined : value;
}

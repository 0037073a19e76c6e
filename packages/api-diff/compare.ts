/**
 * What changed between two OpenAPI documents and which changes break clients. The decision is
 * api-smart-diff's (MIT, two small dependencies, maintained; see the api-diff README for the choice):
 * it resolves `$ref`s and classifies each change as breaking, non-breaking, deprecated, annotation or
 * unclassified with a human-readable description. This module names each change by operation.
 *
 * A change inside `components` is reported where it is used (api-smart-diff follows the `$ref` into
 * each operation), so the components' own entries are left out unless they are the only trace of a
 * breaking change (e.g. a security scheme).
 */
import { apiCompare, type Diff } from 'api-smart-diff';
import { pruneUnchanged } from './prune';
import type { OpenApiDocument } from './spec-file';

export interface ApiChange {
  /** `added`, `removed`, `changed` or `renamed`. */
  kind: 'added' | 'removed' | 'changed' | 'renamed';
  /** The API path (`/users/{id}`), or the document pointer for a change outside `paths`. */
  path: string;
  /** Upper-case HTTP method, or '' for a change of a whole path or outside operations. */
  method: string;
  breaking: boolean;
  /** api-smart-diff's class: breaking, non-breaking, deprecated, annotation, unclassified. */
  type: string;
  message: string;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const KIND: Record<string, ApiChange['kind']> = { add: 'added', remove: 'removed', replace: 'changed', rename: 'renamed' };

export function compareSpecs(base: OpenApiDocument, head: OpenApiDocument): ApiChange[] {
  const { diffs } = apiCompare(...pruneUnchanged(base, head));
  return diffs
    .filter((diff) => diff.path[0] !== 'components' || diff.type === 'breaking')
    .map(toChange)
    .sort((a, b) => Number(b.breaking) - Number(a.breaking) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function toChange(diff: Diff): ApiChange {
  const [root, apiPath, method] = diff.path.map(String);
  const inOperation = root === 'paths' && METHODS.has(method ?? '');
  return {
    kind: KIND[diff.action] ?? 'changed',
    path: root === 'paths' && apiPath ? apiPath : `#/${diff.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
    method: inOperation ? method.toUpperCase() : '',
    breaking: diff.type === 'breaking',
    type: diff.type,
    message: diff.description ?? `${KIND[diff.action] ?? diff.action} ${diff.path.join('.')}`,
  };
}

/** `3 breaking, 5 other changes`, `no changes`. */
export function summarizeChanges(changes: ApiChange[]): string {
  if (changes.length === 0) return 'no changes';
  const breaking = changes.filter((c) => c.breaking).length;
  const other = changes.length - breaking;
  return `${breaking} breaking, ${other} other change${other === 1 ? '' : 's'}`;
}

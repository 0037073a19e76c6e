/**
 * api-smart-diff walks every operation with its `$ref`s resolved, about 4 ms each, whether it changed
 * or not: two 1,000-operation documents take 4 s. Most pull requests change a few operations, so the
 * path items that cannot differ are left out before the comparison: a path item whose JSON is the same
 * in both documents and that reaches (through `$ref`s, transitively) no component that changed. What
 * is left out would have produced no change, so the result is the same; only the time differs.
 */
import type { OpenApiDocument } from './spec-file';

type Json = unknown;
const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)$/;

/** The two documents with only the path items that may differ. */
export function pruneUnchanged(base: OpenApiDocument, head: OpenApiDocument): [OpenApiDocument, OpenApiDocument] {
  const affected = affectedComponents(base, head);
  const basePaths = (base.paths ?? {}) as Record<string, Json>;
  const headPaths = (head.paths ?? {}) as Record<string, Json>;
  const keep = (name: string) => {
    if (!(name in basePaths) || !(name in headPaths)) return true;
    const before = basePaths[name];
    const after = headPaths[name];
    if (JSON.stringify(before) !== JSON.stringify(after)) return true;
    return [...refsOf(before)].some((ref) => affected.has(ref));
  };
  const pick = (paths: Record<string, Json>) => Object.fromEntries(Object.entries(paths).filter(([name]) => keep(name)));
  return [{ ...base, paths: pick(basePaths) }, { ...head, paths: pick(headPaths) }];
}

/** `section/name` of every component that differs, or references one that does (to a fixpoint). */
function affectedComponents(base: OpenApiDocument, head: OpenApiDocument): Set<string> {
  const all = new Map<string, { before: Json; after: Json }>();
  for (const [doc, side] of [[base, 'before'], [head, 'after']] as const) {
    const components = (doc.components ?? {}) as Record<string, Record<string, Json>>;
    for (const [section, entries] of Object.entries(components)) {
      for (const [name, value] of Object.entries(entries ?? {})) {
        const key = `${section}/${name}`;
        all.set(key, { ...(all.get(key) ?? { before: undefined, after: undefined }), [side]: value });
      }
    }
  }
  const affected = new Set([...all].filter(([, v]) => JSON.stringify(v.before) !== JSON.stringify(v.after)).map(([key]) => key));
  const refs = new Map([...all].map(([key, v]) => [key, new Set([...refsOf(v.before), ...refsOf(v.after)])]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [key, targets] of refs) {
      if (!affected.has(key) && [...targets].some((t) => affected.has(t))) {
        affected.add(key);
        grew = true;
      }
    }
  }
  return affected;
}

/** Every `#/components/<section>/<name>` a value refers to, as `section/name`. */
function refsOf(value: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) refsOf(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') {
        const match = COMPONENT_REF.exec(item);
        if (match) found.add(`${match[1]}/${match[2]}`);
      } else {
        refsOf(item, found);
      }
    }
  }
  return found;
}

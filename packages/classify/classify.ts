/**
 * The decision: which changed paths are infrastructure, which are application, which are left
 * out, and what that makes the PR. Pure: paths in, verdict out.
 */
import type { GlobSet } from './globs';

export type ChangeType = 'application' | 'infrastructure' | 'mixed' | 'empty';

/** A changed file as the pulls API or git reports it. */
export interface ChangedPath {
  path: string;
  /** added, modified, removed, renamed, copied, ... */
  status?: string;
  /** The old path of a rename or copy. */
  previousPath?: string;
}

export interface ClassifiedPath {
  path: string;
  status?: string;
  /** Set on the old path of a rename: the new path it became. */
  renamedTo?: string;
  /** The infrastructure or ignore glob that decided it. */
  glob?: string;
}

export interface Classification {
  type: ChangeType;
  infrastructure: ClassifiedPath[];
  application: ClassifiedPath[];
  ignored: ClassifiedPath[];
}

export interface ClassifyRules {
  infrastructure: GlobSet;
  ignore: GlobSet;
}

/**
 * Classifies every path; a rename counts with both its old and its new path (moving a Python file
 * into `migrations/` is an infrastructure change, and so is moving a `.tf` file out of it). A path
 * listed twice (e.g. an old path that is also a new one) counts once.
 */
export function classifyChanges(changes: readonly ChangedPath[], rules: ClassifyRules): Classification {
  const result: Classification = { type: 'empty', infrastructure: [], application: [], ignored: [] };
  const seen = new Set<string>();
  const place = (entry: ClassifiedPath) => {
    if (seen.has(entry.path)) return;
    seen.add(entry.path);
    const ignoredBy = rules.ignore.firstMatch(entry.path);
    if (ignoredBy !== -1) return void result.ignored.push({ ...entry, glob: rules.ignore.globs[ignoredBy] });
    const infraBy = rules.infrastructure.firstMatch(entry.path);
    if (infraBy !== -1) return void result.infrastructure.push({ ...entry, glob: rules.infrastructure.globs[infraBy] });
    result.application.push(entry);
  };
  for (const change of changes) {
    place({ path: change.path, status: change.status });
    if (change.previousPath && change.previousPath !== change.path) {
      place({ path: change.previousPath, status: change.status, renamedTo: change.path });
    }
  }
  result.type = changeType(result.infrastructure.length, result.application.length);
  return result;
}

function changeType(infrastructure: number, application: number): ChangeType {
  if (infrastructure > 0 && application > 0) return 'mixed';
  if (infrastructure > 0) return 'infrastructure';
  if (application > 0) return 'application';
  return 'empty';
}

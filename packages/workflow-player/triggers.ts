/**
 * Which workflows an event starts: GitHub's `on:` filters (types, branches/tags with their -ignore
 * forms, paths/paths-ignore) with GitHub's filter-pattern rules: `*` stops at `/`, `**` crosses it,
 * a `!` pattern excludes what earlier patterns matched, and the last matching pattern wins.
 */
import picomatch from 'picomatch';
import type { WorkflowFile } from './workflow-file';

export interface TriggerEvent {
  name: string;
  /** pull_request: opened, synchronize, edited, closed... */
  action?: string;
  /** push: the full ref pushed; pull_request: the base branch name. */
  ref?: string;
  baseRef?: string;
  /** Files the push or the pull request changes (for paths filters); undefined = unknown. */
  changedFiles?: string[];
  /** workflow_dispatch: the file dispatched. */
  workflowFile?: string;
}

const DEFAULT_PULL_REQUEST_TYPES = ['opened', 'synchronize', 'reopened'];

/** True when the last pattern matching `value` is a positive one (GitHub's ordering rule). */
export function matchesFilter(patterns: string[], value: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (picomatch.isMatch(value, glob, { dot: true })) matched = !negated;
  }
  return matched;
}

function refFilterPasses(config: Record<string, unknown>, kind: 'branches' | 'tags', name: string): boolean {
  const include = config[kind] as string[] | undefined;
  const ignore = config[`${kind}-ignore`] as string[] | undefined;
  if (include) return matchesFilter(include, name);
  if (ignore) return !matchesFilter(ignore, name);
  return true;
}

function pathsFilterPasses(config: Record<string, unknown>, files: string[] | undefined): boolean {
  const include = config.paths as string[] | undefined;
  const ignore = config['paths-ignore'] as string[] | undefined;
  if (!include && !ignore) return true;
  // GitHub runs the workflow when it cannot tell (more than 3000 files, or no diff available).
  if (files === undefined) return true;
  if (include) return files.some((file) => matchesFilter(include, file));
  return files.some((file) => !matchesFilter(ignore!, file));
}

/** Whether `workflow` starts for `event`; the reason when it does not (for the player's log). */
export function triggers(workflow: WorkflowFile, event: TriggerEvent): { starts: boolean; why: string } {
  const events = workflow.template.events as Record<string, Record<string, unknown> | undefined>;
  if (!(event.name in events)) return { starts: false, why: `no \`on: ${event.name}\`` };
  const config = events[event.name] ?? {};
  switch (event.name) {
    case 'workflow_dispatch':
      return event.workflowFile === workflow.file ? { starts: true, why: 'dispatched' } : { starts: false, why: 'dispatched another workflow' };
    case 'push': {
      const ref = event.ref ?? '';
      const isTag = ref.startsWith('refs/tags/');
      const name = ref.replace(/^refs\/(heads|tags)\//, '');
      const hasBranchFilter = 'branches' in config || 'branches-ignore' in config;
      const hasTagFilter = 'tags' in config || 'tags-ignore' in config;
      // Only tag filters: branch pushes do not run it, and the other way round.
      if (isTag ? !hasTagFilter && hasBranchFilter : !hasBranchFilter && hasTagFilter) return { starts: false, why: `${ref} is filtered out` };
      if (!refFilterPasses(config, isTag ? 'tags' : 'branches', name)) return { starts: false, why: `${ref} is filtered out` };
      if (!isTag && !pathsFilterPasses(config, event.changedFiles)) return { starts: false, why: 'no changed file matches its paths' };
      return { starts: true, why: 'push' };
    }
    case 'pull_request':
    case 'pull_request_target': {
      const types = (config.types as string[] | undefined) ?? DEFAULT_PULL_REQUEST_TYPES;
      if (!types.includes(event.action ?? '')) return { starts: false, why: `types do not include ${event.action}` };
      if (!refFilterPasses(config, 'branches', event.baseRef ?? '')) return { starts: false, why: `base ${event.baseRef} is filtered out` };
      if (!pathsFilterPasses(config, event.changedFiles)) return { starts: false, why: 'no changed file matches its paths' };
      return { starts: true, why: event.name };
    }
    default:
      return { starts: true, why: event.name };
  }
}

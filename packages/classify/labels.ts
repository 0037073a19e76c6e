/**
 * Which type labels a PR should carry: exactly the one for its type (none when empty); the labels
 * of the other types are stale and come off, so a fixed mixed PR loses `mixed-changes`.
 */
import type { ChangeType } from './classify';

export interface LabelNames {
  infrastructure: string;
  application: string;
  mixed: string;
}

export interface LabelPlan {
  add: string[];
  remove: string[];
  /** The label the PR ends up with for its type, if any. */
  wanted?: string;
}

function labelFor(type: ChangeType, names: LabelNames): string | undefined {
  return type === 'empty' ? undefined : names[type];
}

/** Compares case-insensitively, as GitHub does for label names. */
export function planLabels(type: ChangeType, current: readonly string[], names: LabelNames): LabelPlan {
  const wanted = labelFor(type, names);
  const has = (name: string) => current.some((label) => label.toLowerCase() === name.toLowerCase());
  const typeLabels = [names.infrastructure, names.application, names.mixed];
  return {
    wanted,
    add: wanted && !has(wanted) ? [wanted] : [],
    remove: current.filter((label) => typeLabels.some((name) => name.toLowerCase() === label.toLowerCase()) && label.toLowerCase() !== wanted?.toLowerCase()),
  };
}

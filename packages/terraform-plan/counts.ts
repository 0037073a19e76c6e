/**
 * Counts as Terraform counts them for its `Plan:` line: a replacement is one add and one destroy,
 * data sources are not counted, imports and forgets get their own clauses only when present.
 */
import type { PlanModel } from './plan-json';

export interface PlanCounts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  import: number;
  move: number;
  forget: number;
  /** Output values that change. */
  outputs: number;
  /** Resources with actions this version does not know (shown, never silently dropped). */
  other: number;
  /** Terraform 1.14 action invocations (`action_invocations`), which Terraform counts on its line. */
  invoke: number;
  /** Resource changes deferred to a later plan: counted apart, never in add/change/destroy. */
  deferred: number;
}

export function countChanges(plan: PlanModel): PlanCounts {
  const counts: PlanCounts = { add: 0, change: 0, destroy: 0, replace: 0, import: 0, move: 0, forget: 0, outputs: 0, other: 0, invoke: plan.actionInvocations ?? 0, deferred: plan.deferred.length };
  for (const resource of plan.resources) {
    if (resource.previousAddress) counts.move++;
    if (resource.mode !== 'managed') continue;
    if (resource.importing) counts.import++;
    switch (resource.action) {
      case 'create':
        counts.add++;
        if (resource.forgetsPrevious) counts.forget++;
        break;
      case 'update':
        counts.change++;
        break;
      case 'delete':
        counts.destroy++;
        break;
      case 'replace':
        counts.add++;
        counts.destroy++;
        counts.replace++;
        break;
      case 'forget':
        counts.forget++;
        break;
      case 'other':
        counts.other++;
        break;
      default:
        break;
    }
  }
  counts.outputs = plan.outputs.filter((output) => output.action !== 'no-op').length;
  return counts;
}

/** True when applying the plan would change anything: resources, state addresses or outputs. */
export function hasChanges(counts: PlanCounts): boolean {
  return counts.add + counts.change + counts.destroy + counts.import + counts.move + counts.forget + counts.outputs + counts.other + counts.invoke > 0;
}

/**
 * The line exactly as Terraform prints it, e.g. `Plan: 2 to add, 1 to change, 0 to destroy.`:
 * `N to import, ` first when importing, and Terraform 1.14's ` Actions: N to invoke.` after.
 * Forgets have no clause (Terraform 1.7 to 1.14 print none), so a text plan's line still matches.
 */
export function planLine(counts: PlanCounts): string {
  const clauses = [`${counts.add} to add`, `${counts.change} to change`, `${counts.destroy} to destroy`];
  if (counts.import > 0) clauses.unshift(`${counts.import} to import`);
  const actions = counts.invoke > 0 ? ` Actions: ${counts.invoke} to invoke.` : '';
  return `Plan: ${clauses.join(', ')}.${actions}`;
}

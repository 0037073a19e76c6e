/**
 * Per-resource diff bodies from the (already redacted) JSON, for when no text plan is given or
 * the text has no block for a resource. Shaped like Terraform's own rendering so reviewers read
 * one dialect: `+` added, `-` removed, `~` changed, nested values as compact JSON.
 */
import { canonicalJson, Redacted, Unknown, type PlanValue } from './redact';
import type { OutputChange, ResourceChange } from './plan-json';

const HEADLINE: Record<ResourceChange['action'], string> = {
  create: 'will be created',
  update: 'will be updated in-place',
  delete: 'will be destroyed',
  replace: 'must be replaced',
  read: 'will be read during apply',
  'no-op': 'is unchanged',
  forget: 'will no longer be managed by Terraform (not destroyed)',
  other: 'has actions this version of the action does not know',
};

/** Longest value printed inline; longer ones are cut with a note (the full value is in the state). */
const MAX_VALUE = 400;

/** Drift is what already happened outside Terraform, so it is told in the past tense. */
const DRIFT_HEADLINE: Partial<Record<ResourceChange['action'], string>> = {
  update: 'has changed',
  delete: 'has been deleted',
  create: 'has been created',
};

export function describeResource(resource: ResourceChange, options: { drift?: boolean } = {}): string {
  const lines: string[] = [];
  const deposed = resource.deposed ? ` (deposed object ${resource.deposed})` : '';
  if (resource.deferredReason) {
    lines.push(`# ${resource.address}${deposed} was deferred`, `# (${describeDeferral(resource.deferredReason)})`);
    if (resource.action === 'other') lines.push(`# (actions ${resource.actions.join(', ')})`);
    else if (resource.action !== 'no-op') lines.push(`# (planned so far: ${HEADLINE[resource.action]})`);
  } else if (options.drift) {
    lines.push(`# ${resource.address}${deposed} ${DRIFT_HEADLINE[resource.action] ?? HEADLINE[resource.action]}`);
  } else if (resource.action === 'no-op' && resource.previousAddress && !resource.importing) {
    lines.push(`# ${resource.previousAddress} has moved to ${resource.address}`);
  } else {
    const headline =
      resource.importing && resource.action === 'no-op'
        ? 'will be imported'
        : resource.action === 'other'
          ? `${HEADLINE.other} (${resource.actions.join(', ')})`
          : HEADLINE[resource.action];
    lines.push(`# ${resource.address}${deposed} ${headline}`);
    if (resource.previousAddress) lines.push(`# (moved from ${resource.previousAddress})`);
  }
  // Forgetting removes the object from the state only: listing its attributes as removals would
  // read as a destroy.
  if (resource.action === 'forget') return lines.join('\n');
  if (resource.importing) lines.push(`# (imported from "${resource.importing.id ?? 'an existing object'}")`);
  if (resource.reason) lines.push(`# (${describeReason(resource.reason)})`);
  lines.push(...attributeLines(resource.action, resource.before, resource.after, forcing(resource)));
  return lines.join('\n');
}

export function describeOutput(output: OutputChange): string {
  const marker = output.action === 'create' ? '+' : output.action === 'delete' ? '-' : '~';
  const before = output.action === 'create' ? '' : `${formatValue(output.before)} -> `;
  const after = output.action === 'delete' ? 'null' : formatValue(output.after);
  return `  ${marker} ${output.name} = ${before}${after}`;
}

/** A deferral's reason, in Terraform's own words (jsonformat's renderer). */
export function describeDeferral(reason: string): string {
  const words: Record<string, string> = {
    instance_count_unknown: 'because the number of resource instances is unknown',
    resource_config_unknown: 'because the resource configuration is unknown',
    provider_config_unknown: 'because the provider configuration is unknown',
    deferred_prereq: 'because a prerequisite for this resource is deferred',
    absent_prereq: 'because a prerequisite for this resource has not yet been created',
    excluded: 'because the resource was excluded',
    not_included: 'because the resource was not included',
  };
  return words[reason] ?? 'for an unknown reason';
}

/** action_reason in words a reviewer understands. */
export function describeReason(reason: string): string {
  const words: Record<string, string> = {
    replace_because_tainted: 'the object is tainted, so it must be replaced',
    replace_because_cannot_update: 'an attribute that cannot be updated in place changed',
    replace_by_request: 'replacement was requested (-replace)',
    replace_by_triggers: 'replace_triggered_by changed',
    delete_because_no_resource_config: 'it is not in the configuration',
    delete_because_no_module: 'its module is not in the configuration',
    delete_because_wrong_repetition: 'count/for_each changed the way it repeats',
    delete_because_count_index: 'its count index is out of range',
    delete_because_each_key: 'its for_each key is gone',
    delete_because_no_move_target: 'a moved block points to an address that does not exist',
    read_because_config_unknown: 'its configuration depends on values known only after apply',
    read_because_dependency_pending: 'a dependency has changes pending',
    read_because_check_nested: 'a check block reads it',
  };
  return words[reason] ?? reason.replace(/_/g, ' ');
}

function forcing(resource: ResourceChange): Set<string> {
  return new Set(resource.replacePaths.filter((path) => path.length > 0).map((path) => String(path[0])));
}

function attributeLines(action: ResourceChange['action'], before: PlanValue, after: PlanValue, forces: Set<string>): string[] {
  const beforeObject = asObject(before);
  const afterObject = asObject(after);
  const keys = [...new Set([...Object.keys(beforeObject), ...Object.keys(afterObject)])].sort();
  const width = Math.min(30, Math.max(0, ...keys.map((key) => key.length)));
  const lines: string[] = [];
  let unchanged = 0;
  for (const key of keys) {
    const name = key.padEnd(width);
    const had = key in beforeObject && beforeObject[key] !== null;
    const has = key in afterObject && afterObject[key] !== null;
    const note = forces.has(key) ? ' # forces replacement' : '';
    if (action === 'delete' || action === 'forget') {
      if (had) lines.push(`  - ${name} = ${formatValue(beforeObject[key])} -> null`);
      continue;
    }
    if (!had && has) {
      lines.push(`  + ${name} = ${formatValue(afterObject[key])}${note}`);
    } else if (had && !has) {
      lines.push(`  - ${name} = ${formatValue(beforeObject[key])} -> null${note}`);
    } else if (had && has) {
      if (sameValue(beforeObject[key], afterObject[key])) {
        unchanged++;
        continue;
      }
      lines.push(`  ~ ${name} = ${formatValue(beforeObject[key])} -> ${formatValue(afterObject[key])}${note}`);
    }
  }
  if (unchanged > 0) lines.push(`    # (${unchanged} unchanged attribute${unchanged === 1 ? '' : 's'} hidden)`);
  return lines;
}

function asObject(value: PlanValue): Record<string, PlanValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Redacted) && !(value instanceof Unknown)
    ? (value as Record<string, PlanValue>)
    : {};
}

/** Compares with fingerprints, so a changed sensitive value shows as changed (by name only). */
function sameValue(a: PlanValue, b: PlanValue): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A value as Terraform would print it inline; sensitive and unknown leaves by name only. */
function formatValue(value: PlanValue): string {
  if (value instanceof Redacted) return '(sensitive value)';
  if (value instanceof Unknown) return '(known after apply)';
  if (typeof value === 'string' && value.includes('\n')) {
    // Heredoc-ish, kept on one line here: the body is a code block, not a file.
    return cut(JSON.stringify(value));
  }
  // toJSON on the placeholders keeps nested secrets out of this string too.
  return cut(JSON.stringify(value) ?? 'null');
}

function cut(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}… (${text.length - MAX_VALUE} more characters)` : text;
}

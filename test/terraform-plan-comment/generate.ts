/**
 * Generated plans for tests and the bench: `terraform show -json`-shaped documents with as many
 * resources as asked, a mix of actions, sensitive attributes and outputs, in a chosen order.
 */

export interface GeneratedPlanOptions {
  resources: number;
  /** Reverse resource order and attribute key order: the same changes, listed differently. */
  shuffled?: boolean;
  /** Changes one attribute of one resource: a different plan. */
  variant?: string;
  /** A value marked sensitive on every 10th resource (never to appear in any output). */
  secret?: string;
}

export function generatePlan(options: GeneratedPlanOptions): Record<string, unknown> {
  const secret = options.secret ?? 'gen-secret-value-7f3a';
  const changes: Record<string, unknown>[] = [];
  for (let i = 0; i < options.resources; i++) {
    const kind = i % 10;
    const address = `module.app[${i % 7}].aws_security_group_rule.rule_${String(i).padStart(5, '0')}`;
    const before = {
      description: `rule ${i} of the generated plan`,
      from_port: 1000 + (i % 500),
      to_port: 2000 + (i % 500),
      cidr_blocks: ['10.0.0.0/16', `10.${i % 250}.0.0/24`],
      tags: { Name: `rule-${i}`, Environment: 'dev', Owner: 'platform' },
      password: kind === 3 ? secret : null,
    };
    const after = { ...before, to_port: before.to_port + (i === 4 && options.variant ? 1 : 0), description: `${before.description}${options.variant && i === 4 ? ` ${options.variant}` : ''}` };
    let actions: string[];
    let change: Record<string, unknown>;
    switch (kind) {
      case 0:
        actions = ['delete'];
        change = { before, after: null, before_sensitive: { password: true }, after_sensitive: false, after_unknown: {} };
        break;
      case 1:
      case 2:
        actions = ['delete', 'create'];
        change = { before, after: { ...after, description: `${after.description} (replaced)` }, before_sensitive: {}, after_sensitive: {}, after_unknown: { id: true }, replace_paths: [['description']] };
        break;
      case 3:
        actions = ['update'];
        change = { before, after: { ...after, password: `${secret}-new` }, before_sensitive: { password: true }, after_sensitive: { password: true }, after_unknown: {} };
        break;
      case 4:
      case 5:
        actions = ['update'];
        change = { before, after: { ...after, to_port: after.to_port + 1 }, before_sensitive: {}, after_sensitive: {}, after_unknown: {} };
        break;
      default:
        actions = ['create'];
        change = { before: null, after, before_sensitive: false, after_sensitive: {}, after_unknown: { id: true, arn: true } };
    }
    const entry: Record<string, unknown> = {
      address,
      module_address: `module.app[${i % 7}]`,
      mode: 'managed',
      type: 'aws_security_group_rule',
      name: `rule_${String(i).padStart(5, '0')}`,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: { actions, ...change },
    };
    if (kind === 1 || kind === 2) entry.action_reason = 'replace_because_cannot_update';
    if (kind === 0) entry.action_reason = 'delete_because_no_resource_config';
    // Terraform writes object attributes sorted by name; the shuffled variant reverses them.
    changes.push(options.shuffled ? reverseKeys(entry) : sortKeys(entry));
  }
  const outputs: Record<string, unknown> = {
    endpoint: { actions: ['update'], before: 'https://old.example', after: 'https://new.example', after_unknown: false, before_sensitive: false, after_sensitive: false },
    db_password: { actions: ['update'], before: `${secret}-out`, after: `${secret}-out2`, after_unknown: false, before_sensitive: true, after_sensitive: true },
  };
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: {} },
    resource_changes: options.shuffled ? [...changes].reverse() : changes,
    output_changes: options.shuffled ? reverseKeys(outputs) : outputs,
    configuration: { root_module: { outputs: { db_password: { sensitive: true } } } },
    applyable: true,
    complete: true,
    errored: false,
  };
}

function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, child]) => [key, sortKeys(child)])) as T;
}

/** The same object with keys in reverse order, recursively (arrays keep their order: it matters). */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).reverse();
  return Object.fromEntries(entries.map(([key, child]) => [key, reverseKeys(child)])) as T;
}

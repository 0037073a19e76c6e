/**
 * Terraform plans for the rehearsal's infrastructure PR ("add a Redis cache for sessions"), in the
 * `terraform show -json` format, one per environment. A user's clone has no fixtures, so the
 * rehearsal makes its own.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

interface Change {
  address: string;
  type: string;
  name: string;
  actions: string[];
  after: Record<string, unknown>;
  afterSensitive?: Record<string, unknown>;
}

/** The plan of the Redis PR in one environment; `drifted` adds a change nobody reviewed. */
export function redisPlan(environment: string, drifted = false): Record<string, unknown> {
  const changes: Change[] = [
    {
      address: 'aws_elasticache_replication_group.sessions',
      type: 'aws_elasticache_replication_group',
      name: 'sessions',
      actions: ['create'],
      after: {
        replication_group_id: `connect2-sessions-${environment}`,
        node_type: environment === 'prod' ? 'cache.r7g.large' : 'cache.t4g.small',
        num_cache_clusters: environment === 'prod' ? 2 : 1,
        auth_token: `rehearsal-secret-${environment}-7f3a`,
        transit_encryption_enabled: true,
      },
      afterSensitive: { auth_token: true },
    },
    {
      address: 'aws_security_group_rule.api_to_redis',
      type: 'aws_security_group_rule',
      name: 'api_to_redis',
      actions: ['create'],
      after: { type: 'ingress', from_port: 6379, to_port: 6379, protocol: 'tcp' },
    },
  ];
  if (drifted) {
    changes.push({
      address: 'aws_security_group_rule.redis_from_anywhere',
      type: 'aws_security_group_rule',
      name: 'redis_from_anywhere',
      actions: ['create'],
      after: { type: 'ingress', from_port: 6379, to_port: 6379, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] },
    });
  }
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    variables: { environment: { value: environment } },
    planned_values: { root_module: {} },
    resource_changes: changes.map((change) => ({
      address: change.address,
      mode: 'managed',
      type: change.type,
      name: change.name,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: change.actions,
        before: null,
        after: change.after,
        after_unknown: { id: true, arn: true },
        before_sensitive: false,
        after_sensitive: change.afterSensitive ?? {},
      },
    })),
    output_changes: {
      redis_endpoint: { actions: ['create'], before: null, after: null, after_unknown: true, before_sensitive: false, after_sensitive: false },
    },
    configuration: { root_module: {} },
    timestamp: '2026-11-26T10:00:00Z',
    applyable: true,
    complete: true,
    errored: false,
  };
}

export function writePlan(dir: string, name: string, plan: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.plan.json`);
  writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

/** The secret values the plans carry, which must never appear in a comment, summary or log. */
export const PLAN_SECRETS = ['dev', 'staging', 'prod'].map((env) => `rehearsal-secret-${env}-7f3a`);

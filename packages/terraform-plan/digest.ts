/**
 * The plan digest: sha256 over the normalised resource and output changes, never over text.
 * Text hashing raises false "plan changed" alarms (timestamps, ordering, wording across versions);
 * this digest is the same for the same changes whatever order the plan lists them in, and differs
 * as soon as any change differs, sensitive values included (through their salted fingerprints, so
 * nothing secret is written). Drift and data-source reads are left out: applying does not do them.
 */
import { createHash } from 'node:crypto';
import type { PlanModel } from './plan-json';
import { canonicalJson } from './redact';

/** Bumped if the normalisation ever changes, so old and new digests never compare equal by accident. */
const DIGEST_FORMAT = 1;

export function planDigest(plan: PlanModel): string {
  const resources = plan.resources
    .filter((resource) => (resource.action !== 'no-op' && resource.action !== 'read') || resource.importing || resource.previousAddress)
    .map((resource) => ({ key: `${resource.address}\0${resource.deposed ?? ''}`, resource }))
    .sort((a, b) => compare(a.key, b.key));
  const outputs = plan.outputs.filter((output) => output.action !== 'no-op').sort((a, b) => compare(a.name, b.name));

  // Hashed piece by piece: the same bytes as one canonical document, without holding it whole.
  const hash = createHash('sha256');
  hash.update(`{"format":${DIGEST_FORMAT},"outputs":[`);
  outputs.forEach((output, index) => {
    hash.update(index === 0 ? '' : ',');
    hash.update(canonicalJson({ name: output.name, actions: output.actions, before: output.before, after: output.after }));
  });
  hash.update('],"resources":[');
  resources.forEach(({ resource }, index) => {
    hash.update(index === 0 ? '' : ',');
    hash.update(
      canonicalJson({
        address: resource.address,
        deposed: resource.deposed ?? null,
        previous_address: resource.previousAddress ?? null,
        actions: resource.actions,
        reason: resource.reason ?? null,
        replace_paths: resource.replacePaths,
        importing: resource.importing ?? null,
        before: resource.before,
        after: resource.after,
      }),
    );
  });
  hash.update(']');
  // Deferred changes are part of what was reviewed. Only plans that have some get the key, so the
  // digest of every other plan is what it was before deferrals were read.
  const deferred = plan.deferred.map((resource) => ({ key: `${resource.address}\0${resource.deposed ?? ''}`, resource })).sort((a, b) => compare(a.key, b.key));
  if (deferred.length > 0) {
    hash.update(',"deferred":[');
    deferred.forEach(({ resource }, index) => {
      hash.update(index === 0 ? '' : ',');
      hash.update(
        canonicalJson({
          address: resource.address,
          deposed: resource.deposed ?? null,
          reason: resource.deferredReason ?? null,
          actions: resource.actions,
          importing: resource.importing ?? null,
          before: resource.before,
          after: resource.after,
        }),
      );
    });
    hash.update(']');
  }
  hash.update('}');
  return `sha256:${hash.digest('hex')}`;
}

/** Accepts `sha256:<hex>` or bare hex (64 characters); undefined when it is neither. */
export function normaliseDigest(value: string): string | undefined {
  const match = /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(value.trim());
  return match ? `sha256:${match[1].toLowerCase()}` : undefined;
}

// Code-unit order, not locale order: the digest must not depend on the machine's locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

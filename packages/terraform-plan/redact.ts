/**
 * Redaction. Terraform's JSON plan carries sensitive values in clear text next to masks
 * (`before_sensitive`, `after_sensitive`, sensitive outputs and variables). We apply the masks once,
 * while parsing, so the model every renderer sees holds no secret at all: a sensitive leaf becomes a
 * `Redacted` placeholder carrying only a salted fingerprint (for the digest, never printed). The raw
 * leaves are kept in a `SecretScrubber`, whose only use is to scrub free text (a text plan, a plan
 * log) we did not produce ourselves.
 */
import { createHash } from 'node:crypto';

/** A sensitive value: renderers print "(sensitive value)", the digest uses the fingerprint. */
export class Redacted {
  constructor(readonly fingerprint: string) {}
  toJSON(): string {
    // If anything ever serialises a model value naively, it still cannot leak.
    return '(sensitive value)';
  }
}

/** A value known only after apply (from `after_unknown`). */
export class Unknown {
  static readonly instance = new Unknown();
  private constructor() {}
  toJSON(): string {
    return '(known after apply)';
  }
}

/** A plan value after redaction: JSON with Redacted and Unknown leaves. */
export type PlanValue = null | boolean | number | string | Redacted | Unknown | PlanValue[] | { [key: string]: PlanValue };

/**
 * JSON with object keys sorted, so equal values have one spelling whatever the input order.
 * Built on the native JSON.stringify (fast on 20,000-resource plans); the replacer reads the
 * holder's original value because JSON.stringify applies toJSON (which hides fingerprints) first.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, canonicalReplacer) ?? 'null';
}

function canonicalReplacer(this: any, key: string, replaced: unknown): unknown {
  const original: unknown = this[key];
  if (original instanceof Redacted) return { '(sensitive)': original.fingerprint };
  if (original instanceof Unknown) return { '(unknown)': true };
  if (replaced === null || typeof replaced !== 'object' || Array.isArray(replaced)) return replaced;
  const record = replaced as Record<string, unknown>;
  const keys = Object.keys(record);
  if (isSorted(keys)) return record;
  const sorted: Record<string, unknown> = {};
  for (const name of keys.sort()) sorted[name] = record[name];
  return sorted;
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

/**
 * Salted so a fingerprint is not the plain sha256 of a value someone could look up. The digest
 * changes when a sensitive value changes (the apply guard must notice), but the value is never
 * written anywhere.
 */
function fingerprint(raw: unknown): string {
  return createHash('sha256').update('connect2-terraform-plan:sensitive\0').update(canonicalJson(raw)).digest('hex');
}

/**
 * Remembers every sensitive leaf met while redacting, to scrub free text. Values too short to be
 * told apart from ordinary text (`42`, `a`) are only replaced where Terraform would print them as
 * a whole value (`= 42`, `"ab"`), so hashes and words are not mangled.
 */
export class SecretScrubber {
  private readonly long = new Set<string>();
  private readonly short = new Set<string>();

  add(raw: unknown): void {
    if (raw === null || raw === undefined || typeof raw === 'boolean') return;
    if (typeof raw === 'object') {
      for (const child of Object.values(raw as Record<string, unknown>)) this.add(child);
      return;
    }
    const text = String(raw);
    if (text.trim() === '') return;
    if (text.length >= 4) this.long.add(text);
    else this.short.add(text);
    if (text.includes('\n')) {
      // Terraform prints multi-line strings as heredocs, one line at a time.
      for (const line of text.split('\n')) if (line.trim().length >= 4) this.long.add(line.trim());
    }
    const escaped = JSON.stringify(text).slice(1, -1);
    if (escaped !== text && escaped.length >= 4) this.long.add(escaped);
  }

  get size(): number {
    return this.long.size + this.short.size;
  }

  /** Replaces every known secret in `text` with `(sensitive value)`. */
  scrub(text: string): string {
    if (this.size === 0) return text;
    let result = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.long].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join('(sensitive value)');
    }
    for (const secret of this.short) {
      const quoted = JSON.stringify(secret);
      if (result.includes(quoted)) result = result.split(quoted).join('(sensitive value)');
      const bare = new RegExp(`((?:=|->)\\s*)${escapeRegExp(secret)}(?=\\s|$|,)`, 'gm');
      result = result.replace(bare, '$1(sensitive value)');
    }
    return result;
  }

  /**
   * A parsed value with every leaf that is, or holds, a known secret replaced by `Redacted`:
   * Terraform marks a value sensitive in one place and leaves the same value unmarked in another
   * (a `terraform_data`'s `output` mirrors its sensitive `input`; a provider copies a password into
   * a connection string). Unchanged parts are shared, not copied.
   */
  scrubValue(value: PlanValue): PlanValue {
    if (this.size === 0) return value;
    return this.scrubLeaf(value);
  }

  private scrubLeaf(value: PlanValue): PlanValue {
    if (value === null || typeof value === 'boolean' || value instanceof Redacted || value instanceof Unknown) return value;
    if (typeof value === 'string' || typeof value === 'number') return this.isSecret(value) ? new Redacted(fingerprint(value)) : value;
    if (Array.isArray(value)) {
      let copy: PlanValue[] | undefined;
      value.forEach((item, index) => {
        const scrubbed = this.scrubLeaf(item);
        if (scrubbed !== item) (copy ??= [...value])[index] = scrubbed;
      });
      return copy ?? value;
    }
    let copy: Record<string, PlanValue> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const scrubbed = this.scrubLeaf(item);
      if (scrubbed !== item) (copy ??= { ...value })[key] = scrubbed;
    }
    return copy ?? value;
  }

  /** The whole value is a secret, or (for strings) holds one long enough to be recognised. */
  private isSecret(value: string | number): boolean {
    const text = String(value);
    if (this.long.has(text) || this.short.has(text)) return true;
    if (typeof value !== 'string') return false;
    for (const secret of this.long) if (text.length > secret.length && text.includes(secret)) return true;
    return false;
  }

  /** True when `text` still holds a secret long enough to be recognised. */
  leaks(text: string): boolean {
    for (const secret of this.long) if (text.includes(secret)) return true;
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Applies a Terraform sensitivity mask to a value. The mask mirrors the value's shape: `true`
 * marks the whole subtree, an object or array marks children, anything else marks nothing.
 */
export function redact(value: unknown, mask: unknown, secrets: SecretScrubber): PlanValue {
  if (mask === true) {
    secrets.add(value);
    return new Redacted(fingerprint(value));
  }
  if (value === null || value === undefined) return null;
  // Nothing marked below here: share the parsed value as it is (the model is never mutated), which
  // keeps a 20,000-resource plan from being copied whole.
  if (!marksAnything(mask)) return value as PlanValue;
  if (Array.isArray(value)) {
    const masks = Array.isArray(mask) ? mask : [];
    return value.map((item, index) => redact(item, masks[index], secrets));
  }
  if (typeof value === 'object' && !(value instanceof Unknown) && !(value instanceof Redacted)) {
    const masks = mask !== null && typeof mask === 'object' && !Array.isArray(mask) ? (mask as Record<string, unknown>) : {};
    const result: Record<string, PlanValue> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) result[key] = redact(child, masks[key], secrets);
    return result;
  }
  // A mask shaped like an object over a plain value: the shapes disagree, so hide the whole value
  // rather than guess which part was meant.
  secrets.add(value);
  return new Redacted(fingerprint(value));
}

/** True when a sensitivity mask marks at least one leaf. */
function marksAnything(mask: unknown): boolean {
  if (mask === true) return true;
  if (mask === null || typeof mask !== 'object') return false;
  for (const child of Object.values(mask as Record<string, unknown>)) if (marksAnything(child)) return true;
  return false;
}

/**
 * Marks the values `after_unknown` says are known only after apply. The mask may name keys the
 * value lacks (Terraform leaves them out of `after`).
 */
export function withUnknowns(value: unknown, unknownMask: unknown): unknown {
  if (unknownMask === true) return Unknown.instance;
  if (unknownMask === null || typeof unknownMask !== 'object') return value;
  if (Array.isArray(unknownMask)) {
    if (!Array.isArray(value)) return value;
    return value.map((item, index) => withUnknowns(item, unknownMask[index]));
  }
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) return value;
  const marked = Object.entries(unknownMask as Record<string, unknown>).filter(([, mask]) => mask === true || (mask !== null && typeof mask === 'object'));
  if (marked.length === 0) return value;
  const result: Record<string, unknown> = { ...((value as Record<string, unknown> | null) ?? {}) };
  for (const [key, mask] of marked) result[key] = withUnknowns(result[key], mask);
  return result;
}

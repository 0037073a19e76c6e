/**
 * Versions and bumps. Versions are strict semver (no leading `v`: that is the tag prefix's job);
 * order is semver precedence, never dates. The 0.x convention is the one release-please applies
 * with `bump-minor-pre-major` and `bump-patch-for-minor-pre-major`: while the major is 0 the
 * public API is unstable (semver §4), so a breaking change bumps the minor and a feature the patch.
 */
import semver from 'semver';

export type Bump = 'major' | 'minor' | 'patch';
export type BumpOrNone = Bump | 'none';

const RANK: Record<BumpOrNone, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** The larger of two bumps. */
export function maxBump(a: BumpOrNone, b: BumpOrNone): BumpOrNone {
  return RANK[a] >= RANK[b] ? a : b;
}

/** A strict semver version string (`1.2.3`, `1.3.0-rc.1`), normalised; undefined when it is not one. */
export function parseVersion(text: string): string | undefined {
  // semver.valid accepts a leading `v` or `=`; a tag `vv1.2.3` with prefix `v` must not pass.
  if (!/^\d/.test(text)) return undefined;
  return semver.valid(text) ?? undefined;
}

/** The version in a tag, when the tag is `<prefix><semver>`; undefined otherwise (e.g. `v1`, `v1.2`). */
export function versionOfTag(tag: string, prefix: string): string | undefined {
  if (!tag.startsWith(prefix)) return undefined;
  return parseVersion(tag.slice(prefix.length));
}

/** Descending semver precedence (highest first). */
export function compareDescending(a: string, b: string): number {
  return semver.rcompare(a, b);
}

/** The bump to apply to `previous` for a change of `level`, after the 0.x rules. */
export function effectiveBump(previous: string, level: Bump): Bump {
  if (semver.major(previous) !== 0) return level;
  if (level === 'major') return 'minor';
  if (level === 'minor') return 'patch';
  return 'patch';
}

/**
 * The next version. A pre-release previous version is finished rather than skipped, as semver's
 * `inc` does: 1.3.0-rc.1 + fix -> 1.3.0, + feat -> 1.3.0, + breaking -> 2.0.0.
 */
export function nextVersion(previous: string, level: Bump): string {
  const next = semver.inc(previous, effectiveBump(previous, level));
  if (next === null) throw new Error(`cannot bump '${previous}' by ${level}`);
  return next;
}

export function majorOf(version: string): number {
  return semver.major(version);
}

export function isPrerelease(version: string): boolean {
  return semver.prerelease(version) !== null;
}

export function greaterThan(a: string, b: string): boolean {
  return semver.gt(a, b);
}

export type VersionDecision =
  | { release: true; version: string; bump: Bump | 'initial' | 'none'; reason: string }
  | { release: false; reason: string };

export interface VersionInputs {
  /** The largest bump the changes ask for. */
  level: BumpOrNone;
  /** The previous release's version and tag, if any. */
  previous?: { version: string; name: string };
  /** A release tag already on the target (its release missing): its version stands. */
  existing?: { version: string; name: string };
  initialVersion: string;
  defaultBump: 'patch' | 'none';
  tagPrefix: string;
}

/** The version to release, and why; or why nothing is released. */
export function decideVersion(inputs: VersionInputs): VersionDecision {
  const { level, previous, existing } = inputs;
  if (existing) return { release: true, version: existing.version, bump: 'none', reason: `${existing.name} is already on the target` };
  if (!previous) {
    return { release: true, version: inputs.initialVersion, bump: 'initial', reason: `no earlier release tag with prefix '${inputs.tagPrefix}' in the target's history: initial-version` };
  }
  if (level === 'none' && inputs.defaultBump === 'none') return { release: false, reason: `no releasable commit since ${previous.name} and default-bump is 'none'` };
  const asked: Bump = level === 'none' ? 'patch' : level;
  const bump = effectiveBump(previous.version, asked);
  return { release: true, version: nextVersion(previous.version, asked), bump, reason: describeBump(level, asked, bump) };
}

/** Why this bump, without repeating it: "a feature", "a breaking change; 0.x: minor instead of major". */
function describeBump(level: BumpOrNone, asked: Bump, applied: Bump): string {
  const cause = level === 'none' ? "no feat, fix, perf or breaking change; default-bump is 'patch'" : { major: 'a breaking change', minor: 'a feature', patch: 'a fix or performance change' }[asked];
  return applied === asked ? cause : `${cause}; 0.x: ${applied} instead of ${asked}`;
}

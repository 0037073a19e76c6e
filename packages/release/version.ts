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

/** Bump rules, 0.x convention, pre-releases, tag parsing and input checks of the release engine. */
import { describe, expect, it } from 'vitest';
import { decideVersion, effectiveBump, maxBump, nextVersion, parseVersion, tagPrefixProblem, targetProblem, versionOfTag } from '../../packages/release';

describe('nextVersion', () => {
  it.each([
    ['1.2.3', 'major', '2.0.0'],
    ['1.2.3', 'minor', '1.3.0'],
    ['1.2.3', 'patch', '1.2.4'],
    // 0.x: breaking -> minor, feature -> patch, fix -> patch
    ['0.4.2', 'major', '0.5.0'],
    ['0.4.2', 'minor', '0.4.3'],
    ['0.4.2', 'patch', '0.4.3'],
    ['0.0.1', 'major', '0.1.0'],
    // a pre-release is finished, not skipped
    ['1.3.0-rc.1', 'patch', '1.3.0'],
    ['1.3.0-rc.1', 'minor', '1.3.0'],
    ['1.3.0-rc.1', 'major', '2.0.0'],
    ['2.0.0-beta.2', 'major', '2.0.0'],
  ] as const)('%s + %s -> %s', (previous, level, expected) => {
    expect(nextVersion(previous, level)).toBe(expected);
  });

  it('names the 0.x translation', () => {
    expect(effectiveBump('0.9.0', 'major')).toBe('minor');
    expect(effectiveBump('1.0.0', 'major')).toBe('major');
  });

  it('maxBump orders none < patch < minor < major', () => {
    expect(maxBump('none', 'patch')).toBe('patch');
    expect(maxBump('minor', 'patch')).toBe('minor');
    expect(maxBump('minor', 'major')).toBe('major');
  });
});

describe('versions in tags', () => {
  it('reads <prefix><semver> and nothing else', () => {
    expect(versionOfTag('v1.2.3', 'v')).toBe('1.2.3');
    expect(versionOfTag('v1.3.0-rc.1', 'v')).toBe('1.3.0-rc.1');
    expect(versionOfTag('release/2.0.0', 'release/')).toBe('2.0.0');
    expect(versionOfTag('1.0.0', '')).toBe('1.0.0');
    expect(versionOfTag('v1', 'v')).toBeUndefined();
    expect(versionOfTag('v1.2', 'v')).toBeUndefined();
    expect(versionOfTag('vv1.2.3', 'v')).toBeUndefined();
    expect(versionOfTag('x1.2.3', 'v')).toBeUndefined();
  });

  it('parseVersion is strict semver without a prefix', () => {
    expect(parseVersion('1.0.0')).toBe('1.0.0');
    expect(parseVersion('0.1.0-alpha.1')).toBe('0.1.0-alpha.1');
    expect(parseVersion('v1.0.0')).toBeUndefined();
    expect(parseVersion('1.0')).toBeUndefined();
    expect(parseVersion('latest')).toBeUndefined();
  });
});

describe('input checks', () => {
  it.each(['v', '', 'release/', 'app-v', 'api/v'])('tag-prefix %j is accepted', (prefix) => {
    expect(tagPrefixProblem(prefix)).toBeUndefined();
  });
  it.each(['my tag', 'v..', 'v~', 'v^', 'v:', 'v?', 'v*', 'v[', 'v\\', '/v', 'a//v', '.v', 'x.lock/v', 'v1', 'v@{'])('tag-prefix %j is refused', (prefix) => {
    expect(tagPrefixProblem(prefix)).toMatch(/\w/);
  });
  it('targets: SHAs and refs pass, expressions and ranges do not', () => {
    expect(targetProblem('main')).toBeUndefined();
    expect(targetProblem('refs/heads/main')).toBeUndefined();
    expect(targetProblem('0123456789abcdef0123456789abcdef01234567')).toBeUndefined();
    expect(targetProblem('main~1')).toMatch(/~/);
    expect(targetProblem('a..b')).toMatch(/range/);
    expect(targetProblem('my branch')).toMatch(/whitespace/);
  });
});

describe('decideVersion', () => {
  const common = { initialVersion: '1.0.0', defaultBump: 'patch' as const, tagPrefix: 'v' };
  const previous = { version: '1.2.3', name: 'v1.2.3' };

  it('bumps the previous version by the level, naming the cause', () => {
    expect(decideVersion({ ...common, level: 'minor', previous })).toEqual({ release: true, version: '1.3.0', bump: 'minor', reason: 'a feature' });
    expect(decideVersion({ ...common, level: 'major', previous: { version: '0.3.1', name: 'v0.3.1' } })).toEqual({
      release: true,
      version: '0.4.0',
      bump: 'minor',
      reason: 'a breaking change; 0.x: minor instead of major',
    });
  });

  it('nothing releasable: default-bump decides', () => {
    expect(decideVersion({ ...common, level: 'none', previous })).toMatchObject({ release: true, version: '1.2.4', bump: 'patch' });
    expect(decideVersion({ ...common, level: 'none', previous, defaultBump: 'none' })).toEqual({ release: false, reason: "no releasable commit since v1.2.3 and default-bump is 'none'" });
  });

  it('no previous release: initial-version, whatever the commits say', () => {
    expect(decideVersion({ ...common, level: 'major', initialVersion: '0.1.0' })).toMatchObject({ release: true, version: '0.1.0', bump: 'initial' });
    expect(decideVersion({ ...common, level: 'none', defaultBump: 'none' })).toMatchObject({ release: true, version: '1.0.0', bump: 'initial' });
  });

  it('a release tag already on the target keeps its version', () => {
    expect(decideVersion({ ...common, level: 'major', previous, existing: { version: '1.3.0', name: 'v1.3.0' } })).toMatchObject({ release: true, version: '1.3.0', bump: 'none' });
  });
});

/**
 * create-release end to end: the built bundle on Node 24 against the GitHub simulator (real
 * Octokit, real HTTP), asserting outputs, the simulator's state and its request log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, onlyError, startWorld, type World } from './world';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const posts = (mark: number, path: RegExp) => world.writesSince(mark).filter((r) => r.method === 'POST' && path.test(r.path));

/** v1.2.3 on a root commit, then a feat, a fix and a chore squash-merged with their PR numbers. */
function featFixChore(): { base: string; target: string } {
  const base = world.commit('feat: first release content');
  world.tag('v1.2.3', base);
  world.commit('feat(users): add CSV export (#12)', { author: 'alice' });
  world.commit('fix(api): return 404 for unknown ids (#13)', { author: 'bob' });
  const target = world.commit('chore: bump dependencies (#14)', { author: 'dependabot' });
  return { base, target };
}

describe('a release from conventional commits', () => {
  it('feat + fix + chore since v1.2.3 -> v1.3.0 with grouped notes linking the PRs', async () => {
    const { target } = featFixChore();
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.3.0', tag: 'v1.3.0', 'previous-tag': 'v1.2.3', 'previous-version': '1.2.3', bump: 'minor', created: 'true' });

    const notes = run.outputs.notes;
    expect(notes).toMatch(/### Features\n\n- \*\*users:\*\* add CSV export \(\[#12\]\(https:\/\/github\.com\/connect2\/connect2-api\/pull\/12\)\) by @alice/);
    expect(notes).toMatch(/### Fixes\n\n- \*\*api:\*\* return 404 for unknown ids \(\[#13\]\([^)]+\/pull\/13\)\) by @bob/);
    expect(notes).toMatch(/### Other\n\n- bump dependencies/);
    expect(notes).toContain('/connect2/connect2-api/compare/v1.2.3...v1.3.0');

    // The tag is on the target, and the release on the tag, with the notes as its body.
    expect(findRef(world, 'refs/tags/v1.3.0')).toBe(target);
    const releases = world.gh.state.releases(REPO);
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({ draft: false });
    expect(world.gh.calls('POST', `/repos/${REPO}/releases`)[0].body).toMatchObject({ tag_name: 'v1.3.0', target_commitish: target, make_latest: 'true' });
    expect(String(run.outputs['release-id'])).toMatch(/^\d+$/);
    expect(run.outputs['release-url']).toMatch(/\/releases\/tag\/v1\.3\.0$/);

    expect(run.summary).toContain('1.3.0');
    expect(run.summary).toContain('1.2.3');
    expect(run.summary).toContain('add CSV export');
  });

  it('a rerun for the same commit creates nothing and outputs the existing release', async () => {
    const { target } = featFixChore();
    const first = await world.release(target);
    expect(first.outputs.created).toBe('true');
    const mark = world.gh.requests.length;
    const second = await world.release(target);
    expect(second.exitCode, second.log).toBe(0);
    expect(second.outputs).toMatchObject({ created: 'false', version: '1.3.0', tag: 'v1.3.0', 'release-id': first.outputs['release-id'], 'previous-tag': 'v1.2.3' });
    expect(second.outputs.notes).toBe(first.outputs.notes);
    expect(world.writesSince(mark)).toEqual([]);
    expect(world.gh.state.releases(REPO)).toHaveLength(1);
  });

  it('a breaking change (footer or !) -> v2.0.0', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    world.commit('feat(auth): rotate signing keys (#20)\n\nBREAKING CHANGE: tokens issued before are rejected');
    const target = world.commit('fix: typo (#21)');
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '2.0.0', tag: 'v2.0.0', bump: 'major', created: 'true' });
    expect(run.outputs.notes).toMatch(/### ⚠️ Breaking changes\n\n- \*\*auth:\*\* rotate signing keys .*\n {2}tokens issued before are rejected/);
  });

  it('0.x: a breaking change bumps the minor', async () => {
    const base = world.commit('feat: base');
    world.tag('v0.4.2', base);
    const target = world.commit('feat!: new payload format (#5)');
    const run = await world.release(target);
    expect(run.outputs).toMatchObject({ version: '0.5.0', bump: 'minor' });
  });

  it('no release tag in the history -> initial-version', async () => {
    world.commit('chore: init');
    const target = world.commit('feat: first endpoint (#1)');
    const run = await world.release(target, { 'initial-version': '0.1.0' });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '0.1.0', tag: 'v0.1.0', 'previous-tag': '', bump: 'initial', created: 'true' });
    expect(run.outputs.notes).toContain('first endpoint');
    expect(run.outputs.notes).toContain('**First release.**');
  });

  it('only chores with default-bump none -> no release, no writes', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    world.commit('chore: tidy (#30)');
    const target = world.commit('docs: readme (#31)');
    const mark = world.gh.requests.length;
    const run = await world.release(target, { 'default-bump': 'none' });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ created: 'false', version: '', tag: '', 'previous-tag': 'v1.2.3', bump: 'none' });
    expect(world.writesSince(mark)).toEqual([]);
    expect(run.summary).toContain('Nothing to release');
  });

  it('only chores with default-bump patch (the default) -> a patch release', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const target = world.commit('chore: tidy (#30)');
    const run = await world.release(target);
    expect(run.outputs).toMatchObject({ version: '1.2.4', bump: 'patch', created: 'true' });
  });

  it('600 commits between releases: every compare page is read', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    world.commit('feat: the very first change (#1000)');
    world.chain(Array.from({ length: 598 }, (_, i) => `chore: step ${i} (#${1001 + i})`));
    const target = world.commit('fix: the very last change (#1600)');
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.3.0', created: 'true' });
    expect(run.outputs.notes).toContain('the very first change');
    expect(run.outputs.notes).toContain('the very last change');
    expect(run.outputs.notes).toContain('step 597');
    // 600 commits at 100 a page: pages 1..6 of the same comparison (beyond the API's unpaged 250).
    const pages = world.gh.requests
      .filter((r) => r.method === 'GET' && /\/compare\//.test(r.path) && /(^|&)page=\d/.test(r.query))
      .map((r) => Number(/(?:^|&)page=(\d+)/.exec(r.query)?.[1]));
    // Pages after the first are read a few at a time, so the log order may vary.
    expect(pages.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(run.summary).toContain('600');
  });

  it('promotion merges are looked through: their commits count, their own subject does not', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const f1 = world.commit('fix: handle null names', { parents: [base], author: 'carol' });
    const dev = world.commit('Merge pull request #41 from connect2/fix/null-names\n\nfix: null names', { parents: [base, f1] });
    const target = world.commit('Merge pull request #40 from connect2/staging\n\nfeat!: promote everything', { parents: [base, dev] });
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    // The promotion merge's "feat!" subject is not counted: only the fix is, so a patch.
    expect(run.outputs).toMatchObject({ version: '1.2.4', bump: 'patch' });
    expect(run.outputs.notes).toMatch(/- handle null names \(\[#41\]\([^)]+\/pull\/41\)\) by @carol/);
    expect(run.outputs.notes).not.toContain('promote everything');
  });

  it('the previous release is the highest semver ancestor, not the newest tag nor one on another branch', async () => {
    const root = world.commit('feat: root');
    world.tag('v1.9.0', root);
    const main1 = world.commit('fix: on main (#2)');
    world.tag('v1.10.0', main1); // semver 1.10.0 > 1.9.0 although it sorts lower as text
    const side = world.commit('feat: side branch (#3)', { parents: [root] });
    world.tag('v3.0.0', side); // not an ancestor of the target
    const target = world.commit('feat: next (#4)', { parents: [main1] });
    const run = await world.release(target);
    expect(run.outputs).toMatchObject({ 'previous-tag': 'v1.10.0', version: '1.11.0' });
  });

  it('target given as a branch name is resolved to its commit', async () => {
    const { target } = featFixChore();
    const run = await world.release('0'.repeat(40), { target: 'main' });
    expect(run.exitCode, run.log).toBe(0);
    expect(findRef(world, 'refs/tags/v1.3.0')).toBe(target);
  });
});

describe('hotfix backports (the runbook cherry-picks the hotfix into staging)', () => {
  /** v1.0.0; hotfix #50 squash-merged to main and released as v1.0.1; staging has feature work. */
  async function hotfixReleased(stagingMessages: string[]) {
    const base = world.commit('feat: first (#1)');
    world.tag('v1.0.0', base);
    const hotfix = world.commit('fix(auth): reject expired tokens (#50)', { parents: [base], author: 'erin' });
    const hotfixRun = await world.release(hotfix);
    expect(hotfixRun.outputs.tag).toBe('v1.0.1');
    let staging = base;
    for (const message of stagingMessages) staging = world.commit(message, { parents: [staging] });
    return { hotfix, staging };
  }

  it('the cherry-picked copy arriving with the next promotion is left out of the notes and the bump', async () => {
    const { hotfix, staging: featureTip } = await hotfixReleased(['feat(users): list users (#10)']);
    const copy = world.commit('fix(auth): reject expired tokens (#50)', { parents: [featureTip], author: 'erin' });
    const target = world.commit('Merge pull request #51 from connect2/staging\n\nRelease', { parents: [hotfix, copy] });
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.1.0', 'previous-tag': 'v1.0.1' });
    expect(run.outputs.notes).toContain('list users');
    expect(run.outputs.notes).not.toContain('reject expired tokens');
    expect(run.log).toContain('Left out, already released in v1.0.1: reject expired tokens (#50)');
    expect(run.summary).toContain('1 cherry-picked copies of released changes left out');
  });

  it('a promotion of only chores and the copy makes no release with default-bump none', async () => {
    const { hotfix, staging: choreTip } = await hotfixReleased(['chore: tidy (#11)']);
    const copy = world.commit('fix(auth): reject expired tokens (#50)', { parents: [choreTip] });
    const target = world.commit('Merge pull request #52 from connect2/staging', { parents: [hotfix, copy] });
    const mark = world.gh.requests.length;
    const run = await world.release(target, { 'default-bump': 'none' });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ created: 'false', version: '' });
    expect(world.writesSince(mark)).toEqual([]);
  });

  it('a plain cherry-pick of a merge-committed hotfix is recognised by subject and author in the released notes', async () => {
    const base = world.commit('feat: first (#1)');
    world.tag('v1.0.0', base);
    const fix = world.commit('fix(auth): resolve critical bug', { parents: [base], author: 'erin' });
    const merged = world.commit('Merge pull request #60 from connect2/hotfix/critical\n\nResolve critical bug', { parents: [base, fix] });
    const hotfixRun = await world.release(merged);
    expect(hotfixRun.outputs.notes).toContain('- **auth:** resolve critical bug ([#60]');
    const feature = world.commit('feat: search (#12)', { parents: [base] });
    const copy = world.commit('fix(auth): resolve critical bug', { parents: [feature], author: 'erin' });
    const sameSubjectOtherAuthor = world.commit('fix(auth): resolve critical bug', { parents: [copy], author: 'frank' });
    const target = world.commit('Merge pull request #61 from connect2/staging', { parents: [merged, sameSubjectOtherAuthor] });
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.version).toBe('1.1.0');
    // erin's copy is left out; frank's commit with the same subject is a change of its own.
    expect(run.outputs.notes.match(/resolve critical bug/g)).toHaveLength(1);
    expect(run.outputs.notes).toMatch(/resolve critical bug \(\[#61\]\([^)]+\)\) by @frank/);
  });

  it('a `cherry-pick -x` copy of a merge-committed hotfix is recognised by its trailer', async () => {
    const base = world.commit('feat: first (#1)');
    world.tag('v1.0.0', base);
    const fix = world.commit('fix: resolve critical bug', { parents: [base], author: 'erin' });
    const merged = world.commit('Merge pull request #60 from connect2/hotfix/critical\n\nResolve critical bug', { parents: [base, fix] });
    world.tag('v1.0.1', merged);
    const feature = world.commit('feat: search (#12)', { parents: [base] });
    const copy = world.commit(`fix: resolve critical bug\n\n(cherry picked from commit ${fix})`, { parents: [feature] });
    const target = world.commit('Merge pull request #61 from connect2/staging', { parents: [merged, copy] });
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.version).toBe('1.1.0');
    expect(run.outputs.notes).toContain('search');
    expect(run.outputs.notes).not.toContain('resolve critical bug');
  });
});

describe('tags, drafts and pre-releases', () => {
  it('a tag pushed by hand (or left by an interrupted run) without a release gets its release', async () => {
    const { target } = featFixChore();
    world.tag('v1.3.0', target);
    const mark = world.gh.requests.length;
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.3.0', tag: 'v1.3.0', created: 'true', 'previous-tag': 'v1.2.3' });
    expect(run.outputs.notes).toContain('add CSV export');
    expect(posts(mark, /\/releases$/).map((r) => r.status)).toEqual([201]);
    expect(world.gh.state.releases(REPO)).toHaveLength(1);
  });

  it('after a pre-release tag, a fix finishes the version (v1.3.0-rc.1 -> v1.3.0)', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const rc = world.commit('feat: candidate (#1)');
    world.tag('v1.3.0-rc.1', rc);
    const target = world.commit('fix: rc feedback (#2)');
    const run = await world.release(target);
    expect(run.outputs).toMatchObject({ 'previous-tag': 'v1.3.0-rc.1', version: '1.3.0' });
  });

  it('prerelease: true marks the release and leaves the major tag alone', async () => {
    const { base, target } = featFixChore();
    world.tag('v1', base);
    const run = await world.release(target, { prerelease: true, 'update-major-tag': true });
    expect(run.exitCode, run.log).toBe(0);
    expect(world.gh.state.releases(REPO)[0]).toMatchObject({ prerelease: true, draft: false });
    expect(findRef(world, 'refs/tags/v1')).toBe(base);
    expect(run.summary).toContain('pre-release');
  });

  it('draft: true creates a draft; a rerun finds the draft (invisible by tag) and creates nothing', async () => {
    const { target } = featFixChore();
    const first = await world.release(target, { draft: true });
    expect(first.exitCode, first.log).toBe(0);
    expect(world.gh.state.releases(REPO)[0]).toMatchObject({ draft: true, tagName: 'v1.3.0' });
    expect(findRef(world, 'refs/tags/v1.3.0')).toBe(target);
    const mark = world.gh.requests.length;
    const rerun = await world.release(target, { draft: true });
    expect(rerun.outputs).toMatchObject({ created: 'false', 'release-id': first.outputs['release-id'] });
    expect(world.writesSince(mark)).toEqual([]);
  });

  it('an empty tag-prefix releases plain versions', async () => {
    const base = world.commit('feat: base');
    world.tag('1.2.3', base);
    world.tag('latest', base);
    const target = world.commit('fix: x (#1)');
    const run = await world.release(target, { 'tag-prefix': '' });
    expect(run.outputs).toMatchObject({ tag: '1.2.4', 'previous-tag': '1.2.3' });
  });

  it('a prefix with a slash (release/) works through every refs call, major tag included', async () => {
    const base = world.commit('feat: base');
    world.tag('release/1.2.3', base);
    world.tag('release/1', base);
    world.tag('v9.9.9', base); // another prefix: not a release here
    const target = world.commit('feat: x (#1)');
    const run = await world.release(target, { 'tag-prefix': 'release/', 'update-major-tag': true });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ tag: 'release/1.3.0', 'previous-tag': 'release/1.2.3' });
    expect(run.outputs.notes).toContain('/compare/release/1.2.3...release/1.3.0');
    expect(findRef(world, 'refs/tags/release/1.3.0')).toBe(target);
    expect(findRef(world, 'refs/tags/release/1')).toBe(target);
  });

  it('a first release over a long history lists the latest 1,000 commits and says so', async () => {
    world.chain(Array.from({ length: 1100 }, (_, i) => `chore: step ${i}`));
    const target = world.commit('feat: launch (#1)');
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.0.0', bump: 'initial', created: 'true' });
    expect(run.outputs.notes).toContain('launch');
    expect(run.outputs.notes).toContain('_Only the latest 1000 commits of the history are listed._');
  });
});

describe('concurrent runs', () => {
  it('two runs for the same commit in parallel: exactly one release, both succeed', async () => {
    const { target } = featFixChore();
    const [a, b] = await Promise.all([world.release(target), world.release(target)]);
    expect(a.exitCode, a.log).toBe(0);
    expect(b.exitCode, b.log).toBe(0);
    expect([a.outputs.created, b.outputs.created].sort()).toEqual(['false', 'true']);
    expect(a.outputs['release-id']).toBe(b.outputs['release-id']);
    expect(world.gh.state.releases(REPO)).toHaveLength(1);
  });

  it('a draft on the computed tag (422 already_exists) is published with the computed notes, never reported as a success while private', async () => {
    const { target } = featFixChore();
    // Another run's (or a person's) draft for v1.3.0: drafts carry no tag and are invisible to
    // releases/tags/{tag}, so this run creates the tag, and its POST /releases meets 422 already_exists.
    world.gh.seed.release(REPO, { tag_name: 'v1.3.0', name: 'v1.3.0', body: 'from the other run', draft: true });
    const mark = world.gh.requests.length;
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ created: 'true', tag: 'v1.3.0' });
    expect(run.outputs.notes).toContain('add CSV export');
    expect(posts(mark, /\/releases$/).map((r) => r.status)).toEqual([422]);
    const [release] = world.gh.state.releases(REPO);
    expect(world.gh.state.releases(REPO)).toHaveLength(1);
    expect(release).toMatchObject({ draft: false, body: run.outputs.notes });
    expect(world.writesSince(mark).find((r) => r.method === 'PATCH')?.body).toMatchObject({ draft: false, target_commitish: target, make_latest: 'true' });
    expect(run.outputs['release-url']).toMatch(/\/releases\/tag\/v1\.3\.0$/);
    expect(run.summary).toContain('its draft published with the computed notes');
  });

  it('a draft left on a tag already on the target (an earlier draft: true run) is published by a run that wants a release', async () => {
    const { target } = featFixChore();
    const drafted = await world.release(target, { draft: true });
    expect(world.gh.state.releases(REPO)[0]).toMatchObject({ draft: true });
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ created: 'true', tag: 'v1.3.0', 'release-id': drafted.outputs['release-id'] });
    expect(world.gh.state.releases(REPO)).toHaveLength(1);
    expect(world.gh.state.releases(REPO)[0]).toMatchObject({ draft: false });
    // And a rerun now finds the published release: nothing more.
    const mark = world.gh.requests.length;
    const rerun = await world.release(target);
    expect(rerun.outputs.created).toBe('false');
    expect(world.writesSince(mark)).toEqual([]);
  });

  it('a published release is never turned back into a draft', async () => {
    const { target } = featFixChore();
    await world.release(target);
    const mark = world.gh.requests.length;
    const rerun = await world.release(target, { draft: true });
    expect(rerun.outputs.created).toBe('false');
    expect(world.writesSince(mark)).toEqual([]);
    expect(world.gh.state.releases(REPO)[0]).toMatchObject({ draft: false });
  });

  it('releases of two successive commits racing: each commit released once, never the same tag twice', async () => {
    const { target } = featFixChore();
    const later = world.commit('fix: later (#15)');
    const [first, second] = await Promise.all([world.release(target), world.release(later)]);
    expect(first.exitCode, first.log).toBe(0);
    expect(second.exitCode, second.log).toBe(0);
    // Whatever the interleaving, `later` is released; `target` is released too (v1.3.0, then
    // later v1.3.1) unless `later` took v1.3.0 first, which already contains it.
    const tags = world.gh.state.releases(REPO).map((r) => r.tagName);
    expect(new Set(tags).size).toBe(tags.length);
    expect(second.outputs.created).toBe('true');
    if (first.outputs.created === 'true') expect(tags.sort()).toEqual(['v1.3.0', 'v1.3.1']);
    else expect(tags).toEqual(['v1.3.0']);
  });
});

describe('issue 15: reverts, repeated changes, inert notes, another tag prefix', () => {
  it('feature + its revert + a fix is a patch, and the feature is not listed', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const feature = world.commit('feat(users): add CSV export (#12)');
    world.commit(`Revert "feat(users): add CSV export (#12)" (#13)\n\nThis reverts commit ${feature}.`);
    const target = world.commit('fix(api): return 404 for unknown ids (#14)');
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.2.4', bump: 'patch' });
    expect(run.outputs.notes).not.toContain('CSV export');
    expect(run.outputs.notes).toContain('return 404 for unknown ids');
    expect(run.log).toContain('Cancelled out: Revert "feat(users): add CSV export (#12)" (#13) reverts feat(users): add CSV export (#12)');
  });

  it("revert shapes GitHub writes: by SHA not subject, a revert of a revert re-applies, a Revert of a merge-commit PR", async () => {
    const base = world.commit('feat: base');
    const oldFix = world.commit('fix(api): handle nulls (#10)');
    world.tag('v1.2.3', oldFix);
    // A new fix with the subject of the one released in v1.2.3, then the revert of that old one (by its SHA).
    world.commit('fix(api): handle nulls (#20)', { author: 'bob' });
    world.commit(`Revert "fix(api): handle nulls (#10)" (#21)\n\nThis reverts commit ${oldFix}.`);
    // A feature reverted, then the revert reverted: the feature is released.
    const feature = world.commit('feat(users): add CSV export (#22)');
    const revert = world.commit(`Revert "feat(users): add CSV export (#22)" (#23)\n\nThis reverts commit ${feature}.`);
    world.commit(`Revert "Revert "feat(users): add CSV export (#22)" (#23)" (#24)\n\nThis reverts commit ${revert}.`);
    // A PR merged with a merge commit, reverted with GitHub's button.
    const mainline = world.commit('chore: tidy (#25)');
    const own = world.commit('feat(search): fuzzy search', { parents: [mainline] });
    const merge = world.commit('Merge pull request #26 from connect2/feature-search\n\nfeat(search): fuzzy search', { parents: [mainline, own] });
    const target = world.commit(`Revert "Merge pull request #26 from connect2/feature-search"\n\nThis reverts commit ${merge}, reversing\nchanges made to ${mainline}.`);
    expect(base).toBeTruthy();
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.3.0', bump: 'minor' });
    const notes = run.outputs.notes;
    expect(notes).toMatch(/### Features\n\n- \*\*users:\*\* add CSV export \(\[#22\]/);
    expect(notes).toMatch(/\*\*api:\*\* handle nulls \(\[#20\]/);
    expect(notes).toMatch(/### Reverts\n\n[^#]*fix\(api\): handle nulls \(\[#21\]/);
    expect(notes).not.toContain('fuzzy search');
    expect(notes).not.toMatch(/\/pull\/2[34]\)/);
    expect(run.log).toContain(`Cancelled out: Revert "Revert "feat(users): add CSV export (#22)" (#23)" (#24) reverts Revert "feat(users): add CSV export (#22)" (#23) (${revert.slice(0, 7)})`);
    expect(run.log).toContain(`reverts Merge pull request #26 from connect2/feature-search (${merge.slice(0, 7)})`);
  });

  it('one change under two PR numbers is listed once when the edits are the same, twice when they differ', async () => {
    const patch = (line: string) => ({ filename: 'app/auth.py', patch: `@@ -10,3 +10,3 @@ def check(token):\n     if token is None:\n-        return True\n+        return ${line}\n     return verify(token)` });
    const base = world.commit('feat: base');
    world.tag('v1.0.0', base);
    const hotfix = world.commit('fix(auth): reject missing tokens (#50)', { author: 'erin', files: [patch('False')] });
    const feature = world.commit('feat: search (#12)', { parents: [base], files: ['app/search.py'] });
    // The backport PR: the same edit, elsewhere in the file (another hunk position), under #51.
    const backport = world.commit('fix(auth): reject missing tokens (#51)', { parents: [feature], author: 'erin', files: [{ ...patch('False'), patch: patch('False').patch.replace('@@ -10,3 +10,3 @@', '@@ -14,3 +14,3 @@') }] });
    // Another fix with the same subject but another edit: a real second change.
    const other = world.commit('fix(auth): reject missing tokens (#52)', { parents: [backport], author: 'frank', files: [patch('None')] });
    const target = world.commit('Merge pull request #53 from connect2/staging', { parents: [hotfix, other] });
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.notes.match(/reject missing tokens/g)).toHaveLength(2);
    expect(run.outputs.notes).toContain('/pull/50)');
    expect(run.outputs.notes).toContain('/pull/52)');
    expect(run.outputs.notes).not.toContain('/pull/51)');
    expect(run.log).toContain(`Listed once: fix(auth): reject missing tokens (#51) (${backport.slice(0, 7)} makes the same edit as fix(auth): reject missing tokens (#50), ${hotfix.slice(0, 7)})`);
    expect(run.summary).toContain('1 repeated in the range, listed once');
  });

  it('a hotfix and its backport released together are listed once', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.0.0', base);
    const hotfix = world.commit('fix(auth): reject expired tokens (#50)', { parents: [base], author: 'erin' });
    const feature = world.commit('feat: search (#12)', { parents: [base] });
    const backport = world.commit(`fix(auth): reject expired tokens (#50)\n\n(cherry picked from commit ${hotfix})`, { parents: [feature], author: 'erin' });
    const target = world.commit('Merge pull request #51 from connect2/staging', { parents: [hotfix, backport] });
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.version).toBe('1.1.0');
    expect(run.outputs.notes.match(/reject expired tokens/g)).toHaveLength(1);
    expect(run.summary).toContain('1 repeated in the range, listed once');
  });

  it('subjects do not ping people or carry HTML into the release', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const target = world.commit('fix: thanks @octocat and @acme/security-team <script>x</script> [docs](javascript:alert(1)) (#9)', { author: 'bob' });
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    const body = world.gh.state.releases(REPO)[0].body ?? '';
    expect(body).toContain('thanks `@octocat` and `@acme/security-team` &lt;script&gt;x&lt;/script&gt; docs ([#9]');
    expect(body.replace(/`[^`]*`/g, '').match(/@[\w/-]+/g)).toEqual(['@bob']);
    expect(body).not.toMatch(/<script|javascript:/i);
  });

  it('no tag with the prefix but prefix-less semver tags: warns, naming the tag that would be the base', async () => {
    const base = world.commit('feat: base');
    world.tag('1.4.0', base);
    const target = world.commit('fix: x (#1)');
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.0.0', bump: 'initial' });
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      expect.stringMatching(/^No tag with tag-prefix 'v' is in the history of [0-9a-f]{7}, but the semver tag '1\.4\.0' is: with tag-prefix '' it would be the previous release \(1\.4\.0\)\. Releasing from initial-version 1\.0\.0/),
    ]);
    expect(run.summary).toContain("the semver tag '1.4.0'");
    // With the prefix it suggests, the line continues.
    const continued = await world.release(target, { 'tag-prefix': '', 'dry-run': true });
    expect(continued.outputs).toMatchObject({ version: '1.4.1', 'previous-tag': '1.4.0' });
  });

  it('body-changes: split lists the conventional lines of a squash body', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const target = world.commit('Sprint batch (#40)\n\n* feat(users): add CSV export\n\n* fix: handle empty body');
    const ignored = await world.release(target, { 'dry-run': true });
    expect(ignored.outputs).toMatchObject({ version: '1.2.4' });
    const split = await world.release(target, { 'dry-run': true, 'body-changes': 'split' });
    expect(split.outputs).toMatchObject({ version: '1.3.0', bump: 'minor' });
    expect(split.outputs.notes).toMatch(/### Features\n\n- \*\*users:\*\* add CSV export \(\[#40\]/);
    const bad = await world.release(target, { 'body-changes': 'all' });
    expect(onlyError(bad)).toMatch(/^Input 'body-changes' is 'all'; use one of 'ignore', 'split'\.$/);
  });
});

describe('dry-run', () => {
  it('computes and prints everything, writes nothing', async () => {
    const { target } = featFixChore();
    world.tag('v1', findRef(world, 'refs/tags/v1.2.3')!);
    const mark = world.gh.requests.length;
    const run = await world.release(target, { 'dry-run': true, 'update-major-tag': true });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.3.0', tag: 'v1.3.0', created: 'false', 'release-id': '', 'release-url': '' });
    expect(run.outputs.notes).toContain('add CSV export');
    expect(run.summary).toContain('Dry run');
    expect(run.summary).toContain('would move v1');
    expect(world.writesSince(mark)).toEqual([]);
    expect(world.gh.state.releases(REPO)).toHaveLength(0);
  });
});

describe('update-major-tag', () => {
  it('moves v1 to the new release', async () => {
    const { base, target } = featFixChore();
    world.tag('v1', base);
    const run = await world.release(target, { 'update-major-tag': true });
    expect(run.exitCode, run.log).toBe(0);
    expect(findRef(world, 'refs/tags/v1')).toBe(target);
    // A forward move is a fast-forward: no force, so a concurrent move would not be overwritten.
    expect(world.gh.calls('PATCH')[0].body).toMatchObject({ sha: target, force: false });
  });

  it('creates v2 on the first 2.x release', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    world.tag('v1', base);
    const target = world.commit('feat!: v2 API (#9)');
    await world.release(target, { 'update-major-tag': true });
    expect(findRef(world, 'refs/tags/v2')).toBe(target);
    expect(findRef(world, 'refs/tags/v1')).toBe(base);
  });

  it('never moves v1 backwards to an older release', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.4.0', base);
    // main moved on and released v1.5.0; v1 follows it.
    const newer = world.commit('feat: newer (#8)');
    world.tag('v1.5.0', newer);
    world.tag('v1', newer);
    // A hotfix of the 1.4 line, on a branch from v1.4.0: it becomes v1.4.1 and v1 stays on v1.5.0.
    const hotfix = world.commit('fix: hotfix of the 1.4 line (#7)', { parents: [base] });
    const mark = world.gh.requests.length;
    const run = await world.release(hotfix, { 'update-major-tag': true });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.4.1', 'previous-tag': 'v1.4.0', created: 'true' });
    expect(findRef(world, 'refs/tags/v1')).toBe(newer);
    expect(world.writesSince(mark).some((r) => r.method === 'PATCH')).toBe(false);
    expect(run.log).toMatch(/v1 points at v1\.5\.0, newer than 1\.4\.1/);
    // Nor does the hotfix become the repository's "Latest" release over v1.5.0.
    const post = world.writesSince(mark).find((r) => r.method === 'POST' && r.path.endsWith('/releases'));
    expect(post).toMatchObject({ status: 201, body: { tag_name: 'v1.4.1', make_latest: 'false' } });
  });

  it('moves v1 off an older hotfix line the target does not contain (forced, since not a fast-forward)', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.4.0', base);
    const hotfix = world.commit('fix: hotfix (#3)', { parents: [base] });
    world.tag('v1.4.1', hotfix);
    world.tag('v1', hotfix);
    const target = world.commit('feat: next (#4)', { parents: [base] });
    const mark = world.gh.requests.length;
    const run = await world.release(target, { 'update-major-tag': true });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.version).toBe('1.5.0');
    expect(findRef(world, 'refs/tags/v1')).toBe(target);
    expect(world.writesSince(mark).find((r) => r.method === 'PATCH')?.body).toMatchObject({ sha: target, force: true });
  });

  it('a commit already part of a later release gets no release of its own', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const old = world.commit('fix: old (#7)');
    const newer = world.commit('feat: newer (#8)');
    world.tag('v1.3.0', newer);
    const mark = world.gh.requests.length;
    const run = await world.release(old);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ created: 'false', version: '', 'previous-tag': 'v1.2.3' });
    expect(run.summary).toContain('already part of v1.3.0');
    expect(world.writesSince(mark)).toEqual([]);
  });
});

describe('the deployed image', () => {
  const IMAGE = `123456789012.dkr.ecr.us-west-2.amazonaws.com/connect2-api-prod@sha256:${'4f'.repeat(32)}`;

  it('is named in the notes (first line, as code) and the summary', async () => {
    const { target } = featFixChore();
    const run = await world.release(target, { image: IMAGE });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.notes).toMatch(new RegExp(`^\\*\\*Deployed image:\\*\\* \`${IMAGE.replace(/[.]/g, '\\.')}\`\n\n### Features\n`));
    expect(world.gh.state.releases(REPO)[0]?.body).toBe(run.outputs.notes);
    expect(run.summary).toContain(`| Deployed image | \`${IMAGE}\` |`);
  });

  it('a tag is accepted too; without the input the notes name no image', async () => {
    const { target } = featFixChore();
    const dry = await world.release(target, { image: 'ghcr.io/connect2/connect2-api:1.3.0', 'dry-run': 'true' });
    expect(dry.exitCode, dry.log).toBe(0);
    expect(dry.outputs.notes).toMatch(/^\*\*Deployed image:\*\* `ghcr\.io\/connect2\/connect2-api:1\.3\.0`\n/);
    const plain = await world.release(target, { 'dry-run': 'true' });
    expect(plain.outputs.notes).not.toContain('Deployed image');
  });
});

describe('bad input fails before any call', () => {
  it.each([
    ['tag-prefix', 'release v', /^Input 'tag-prefix' 'release v' contains whitespace; use a git-ref-safe prefix/],
    ['tag-prefix', 'v..', /^Input 'tag-prefix' 'v\.\.' contains '\.\.'/],
    ['tag-prefix', 'v~', /^Input 'tag-prefix' 'v~' contains '~'/],
    ['initial-version', '1.0', /^Input 'initial-version' is '1\.0', not a semver version; use MAJOR\.MINOR\.PATCH/],
    ['initial-version', 'v1.0.0', /^Input 'initial-version' is 'v1\.0\.0', not a semver version/],
    ['default-bump', 'minor', /^Input 'default-bump' is 'minor'; use one of 'patch', 'none'\.$/],
    ['dry-run', 'maybe', /^Input 'dry-run' is 'maybe', not a boolean/],
    ['target', 'main~1', /^Input 'target' 'main~1' contains '~'/],
    ['image', 'connect2-api@sha256:abc', /^Input 'image' 'connect2-api@sha256:abc' has digest 'sha256:abc', not sha256:<64 lowercase hex digits>; use the image deployed, name@sha256:<64 hex digits>/],
    ['image', 'registry.example.com/Connect2-API', /^Input 'image' 'registry\.example\.com\/Connect2-API' is not name@sha256:<digest> or name:tag; use the image deployed/],
    ['image', 'connect2 api:1', /^Input 'image' 'connect2 api:1' contains whitespace/],
  ])('%s = %j', async (input, value, message) => {
    const { target } = featFixChore();
    const run = await world.release(target, { [input]: value });
    expect(run.exitCode).not.toBe(0);
    expect(onlyError(run)).toMatch(message);
    expect(world.gh.requests).toEqual([]);
    expect(world.gh.state.releases(REPO)).toEqual([]);
  });
});

describe('faults', () => {
  it('rides out 5xx answers and a rate limit', async () => {
    const { target } = featFixChore();
    world.gh.faults.serverError({ count: 2 });
    world.gh.faults.rateLimit({ count: 1, kind: 'secondary', retryAfterSeconds: 1 });
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.version).toBe('1.3.0');
    expect(world.gh.state.releases(REPO)).toHaveLength(1);
    expect(world.gh.requests.some((r) => r.status >= 500)).toBe(true);
  });

  it('a token without write access fails with the real cause, after computing', async () => {
    const { target } = featFixChore();
    const run = await world.release(target, {}, { token: world.gh.readOnlyToken });
    expect(run.exitCode).not.toBe(0);
    expect(onlyError(run)).toMatch(/^Creating tag and release v1\.3\.0 failed: GitHub answered 403 Resource not accessible by integration \(the token lacks 'contents: write'/);
    expect(run.log).toContain('Version: 1.3.0');
    expect(world.gh.state.releases(REPO)).toHaveLength(0);
  });

  it('a bad token fails on the first call, naming it', async () => {
    const { target } = featFixChore();
    const run = await world.release(target, {}, { token: 'not-a-token' });
    expect(run.exitCode).not.toBe(0);
    expect(onlyError(run)).toMatch(/^Resolving target '[0-9a-f]{40}' failed: GitHub answered 401 Bad credentials \(github-token is not a valid token\)\.$/);
    expect(world.gh.mutatingCalls()).toEqual([]);
  });

  it('a target that is not a commit of the repository fails naming it, writing nothing', async () => {
    featFixChore();
    const run = await world.release('0'.repeat(40), { target: 'feature/does-not-exist' });
    expect(run.exitCode).not.toBe(0);
    expect(onlyError(run)).toBe("Target 'feature/does-not-exist' is not a commit of connect2/connect2-api: give a commit SHA, branch or tag that exists there.");
    expect(world.gh.mutatingCalls()).toEqual([]);
  });

  it('a computed tag already used on another branch fails clearly, writing nothing', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const hotfix = world.commit('fix: hotfix on a branch (#50)', { parents: [base] });
    world.tag('v1.2.4', hotfix);
    const target = world.commit('fix: other fix (#51)', { parents: [base] });
    const mark = world.gh.requests.length;
    const run = await world.release(target);
    expect(run.exitCode).not.toBe(0);
    expect(onlyError(run)).toMatch(/Tag 'v1\.2\.4' already exists on [0-9a-f]{7}, which is not in the history of/);
    expect(world.writesSince(mark)).toEqual([]);
  });
});

function findRef(w: World, ref: string): string | undefined {
  return w.gh.state.refs(REPO)[ref];
}

describe('an intended API break, labelled on its pull request (breaking-label)', () => {
  /** v1.2.3, then a squash-merged PR #20 labelled `breaking-change` whose title says only `feat`, and a fix. */
  function labelledBreak(): string {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const squash = world.commit("feat(api): the users list answers without the name field (#20)", { author: 'erin' });
    world.gh.seed.pull(REPO, { number: 20, head: 'feature/users-without-name', base: 'main', headSha: squash, baseSha: base, title: 'feat(api): the users list answers without the name field', labels: ['breaking-change'], mergeCommitSha: squash });
    const fix = world.commit('fix: typo (#21)');
    world.gh.seed.pull(REPO, { number: 21, head: 'fix/typo', base: 'main', headSha: fix, baseSha: squash, title: 'fix: typo', mergeCommitSha: fix });
    return fix;
  }

  it('the labelled PR makes the release major (v2.0.0), the notes say why', async () => {
    const target = labelledBreak();
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '2.0.0', tag: 'v2.0.0', bump: 'major', created: 'true' });
    expect(run.outputs.notes).toMatch(/### ⚠️ Breaking changes\n\n- \*\*api:\*\* the users list answers without the name field .*#20.*\n {2}Pull request #20 is labelled `breaking-change`/);
    expect(run.log).toContain("Breaking by label 'breaking-change': #20");
  });

  it("breaking-label: '' reads no labels: the same history is a minor release (the behaviour without the label)", async () => {
    const target = labelledBreak();
    const mark = world.gh.requests.length;
    const run = await world.release(target, { 'breaking-label': '' });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.3.0', bump: 'minor' });
    expect(world.gh.requests.slice(mark).filter((r) => /\/labels/.test(r.path))).toEqual([]);
  });

  it('a repository without the label reads it once and no PR labels (the history names PRs that do not exist)', async () => {
    const { target } = featFixChore();
    const mark = world.gh.requests.length;
    const run = await world.release(target);
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.3.0', bump: 'minor' });
    expect(world.gh.requests.slice(mark).filter((r) => /\/labels/.test(r.path)).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/connect2/connect2-api/labels/breaking-change']);
  });

  it('a token that cannot read pull requests fails in one line naming the permission, and releases nothing', async () => {
    const target = labelledBreak();
    const token = world.gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'write' } });
    const mark = world.gh.requests.length;
    const run = await world.release(target, {}, { token });
    expect(run.exitCode).toBe(1);
    expect(onlyError(run)).toMatch(/label 'breaking-change'.*pull-requests: read.*403/);
    expect(world.writesSince(mark)).toEqual([]);
  });

  it('a breaking-label that is not one label name is refused before any call', async () => {
    const target = labelledBreak();
    const mark = world.gh.requests.length;
    const run = await world.release(target, { 'breaking-label': 'breaking-change,major' });
    expect(run.exitCode).toBe(1);
    expect(onlyError(run)).toMatch(/^Input 'breaking-label' .*one label name/);
    expect(world.gh.requests.length).toBe(mark);
  });
});

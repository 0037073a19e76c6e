/**
 * The release engine in process, with the real GitHub client against the simulator, and a request
 * hook that plays the concurrent run at the exact moment that matters: between this run's reads
 * and its writes. Deterministic versions of the races the bundle tests run in parallel.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger, silentLogger } from '../../packages/action-kit';
import { createGitHubClient } from '../../packages/github';
import { createRelease, type ReleaseOptions } from '../../packages/release';
import { REPO, startWorld, type World } from './world';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const options = (target: string, extra: Partial<ReleaseOptions> = {}): ReleaseOptions => ({
  repository: { owner: 'connect2', repo: 'connect2-api' },
  serverUrl: 'https://github.com',
  tagPrefix: 'v',
  initialVersion: '1.0.0',
  target,
  defaultBump: 'patch',
  draft: false,
  prerelease: false,
  dryRun: false,
  updateMajorTag: false,
  ...extra,
});

/** A client whose `before` hook runs `act` once, just before the first request matching method and path. */
function clientActingBefore(method: string, path: RegExp, act: () => void) {
  const client = createGitHubClient(world.gh.token, { baseUrl: world.gh.url });
  let done = false;
  client.hook.before('request', (request) => {
    if (!done && request.method === method && path.test(request.url)) {
      done = true;
      act();
    }
  });
  return client;
}

describe('createRelease engine: races at the worst moment', () => {
  it('a release published by another run between the check and the POST is read back, not failed', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const target = world.commit('feat: x (#1)');
    const client = clientActingBefore('POST', /\/releases$/, () => {
      world.gh.seed.release(REPO, { tag_name: 'v1.3.0', name: 'v1.3.0', body: 'theirs' });
    });
    const result = await createRelease({ client, log: silentLogger }, options(target));
    expect(result).toMatchObject({ outcome: 'concurrent', created: false, tag: 'v1.3.0', notes: 'theirs' });
    expect(world.gh.state.releases(REPO)).toHaveLength(1);
  });

  it('the tag taken on another commit by a concurrent release: the run plans again and takes the next version', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const first = world.commit('feat: x (#1)');
    const target = world.commit('fix: y (#2)');
    // The other pipeline released `first` as v1.3.0 while this one was computing v1.3.0 for `target`.
    const client = clientActingBefore('POST', /\/git\/refs$/, () => world.tag('v1.3.0', first));
    const log = recordingLogger();
    const result = await createRelease({ client, log }, options(target));
    expect(result).toMatchObject({ outcome: 'created', version: '1.3.1', previous: { name: 'v1.3.0' }, bump: 'patch' });
    expect(result.notes).toContain('y');
    expect(result.notes).not.toContain('- x ');
    // The lost race is a warning annotation (the release itself is the result's: v1.3.1 on top of v1.3.0).
    expect(log.lines.filter((line) => line.level === 'warning')).toHaveLength(1);
    expect(world.gh.state.refs(REPO)['refs/tags/v1.3.1']).toBe(target);
  });

  it('the major tag created by a concurrent run between our read and our create is then moved forward', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    const target = world.commit('feat: x (#1)');
    let created = 0;
    const client = createGitHubClient(world.gh.token, { baseUrl: world.gh.url });
    client.hook.before('request', (request) => {
      if (request.method === 'POST' && /\/git\/refs$/.test(request.url) && (request as { ref?: string }).ref === 'refs/tags/v1' && created++ === 0) {
        world.tag('v1', base);
      }
    });
    const result = await createRelease({ client, log: silentLogger }, options(target, { updateMajorTag: true }));
    expect(created).toBeGreaterThan(0);
    expect(result.majorTag).toMatchObject({ tag: 'v1', action: 'moved', from: base });
    expect(world.gh.state.refs(REPO)['refs/tags/v1']).toBe(target);
  });

  it('v1 moved to a newer release by a concurrent run between our read and our move is not pulled back', async () => {
    const base = world.commit('feat: base');
    world.tag('v1.2.3', base);
    world.tag('v1', base);
    const target = world.commit('feat: x (#1)');
    const newer = world.commit('feat: y (#2)');
    // Octokit hooks see the URL template (`/git/refs/{ref}`); this repository has one tag PATCHed: v1.
    const client = clientActingBefore('PATCH', /\/git\/refs\/\{ref\}$/, () => {
      // The other pipeline released `newer` as v1.4.0 and moved v1 there.
      world.tag('v1.4.0', newer);
      world.gh.seed.tag(REPO, 'v1', newer);
    });
    const result = await createRelease({ client, log: silentLogger }, options(target, { updateMajorTag: true }));
    expect(result).toMatchObject({ outcome: 'created', version: '1.3.0' });
    expect(world.gh.state.refs(REPO)['refs/tags/v1']).toBe(newer);
    // Our fast-forward-only PATCH was refused by GitHub (422), the tag re-read, and left alone.
    expect(world.gh.calls('PATCH').map((r) => r.status)).toContain(422);
    expect(world.gh.calls('PATCH').filter((r) => r.status === 200)).toEqual([]);
    expect(result.majorTag).toMatchObject({ action: 'kept-newer' });
  });
});

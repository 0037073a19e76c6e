/**
 * Releases through Octokit against the GitHub simulator: creating one tags target_commitish, a
 * second release for the same tag is refused with 422 already_exists, drafts stay invisible to
 * latest and by-tag lookups until published, and the list is newest first.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../packages/github';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;

let gh: GitHubSimulator;
let octokit: GitHubClient;
let first: string;
let second: string;

beforeEach(async () => {
  gh = await startGitHubSimulator();
  octokit = createGitHubClient(gh.token, { baseUrl: gh.url });
  first = gh.seed.commit(full, { message: 'feat: first', parents: [], branch: 'main' });
  second = gh.seed.commit(full, { message: 'fix: second', branch: 'main' });
});

afterEach(async () => {
  await gh.close();
});

describe('releases', () => {
  it('creates a release, tagging target_commitish, with the shape create-release reads', async () => {
    const { data, status } = await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v1.0.0', target_commitish: first, name: 'v1.0.0', body: '## Features\n- first' });
    expect(status).toBe(201);
    expect(data).toMatchObject({
      tag_name: 'v1.0.0',
      target_commitish: first,
      name: 'v1.0.0',
      body: '## Features\n- first',
      draft: false,
      prerelease: false,
      html_url: `https://github.com/${full}/releases/tag/v1.0.0`,
      url: `${gh.url}/repos/${full}/releases/${data.id}`,
      author: { login: 'github-actions[bot]' },
      assets: [],
    });
    expect(data.node_id).toMatch(/^RE_/);
    expect(data.created_at).toMatch(/Z$/);
    expect(data.published_at).toBe(data.created_at);
    expect(gh.state.refs(full)['refs/tags/v1.0.0']).toBe(first);

    const { data: byId } = await octokit.rest.repos.getRelease({ owner, repo, release_id: data.id });
    expect(byId).toEqual(data);
    const { data: byTag } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v1.0.0' });
    expect(byTag.id).toBe(data.id);
    const { data: latest } = await octokit.rest.repos.getLatestRelease({ owner, repo });
    expect(latest.id).toBe(data.id);
  });

  it('refuses a second release for the same tag with 422 already_exists', async () => {
    await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v1.0.0' });
    const error = await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v1.0.0', target_commitish: first }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      status: 422,
      response: { data: { message: 'Validation Failed', errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] } },
    });
    expect(gh.state.releases(full)).toHaveLength(1);
    // Without target_commitish the tag lands on the default branch.
    expect(gh.state.refs(full)['refs/tags/v1.0.0']).toBe(second);
  });

  it('uses an existing tag as it is', async () => {
    gh.seed.tag(full, 'v0.9.0', first);
    await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v0.9.0', target_commitish: 'main' });
    expect(gh.state.refs(full)['refs/tags/v0.9.0']).toBe(first);
  });

  it('answers 404 by tag and for latest when there is no published release', async () => {
    for (const call of [octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v9.9.9' }), octokit.rest.repos.getLatestRelease({ owner, repo })]) {
      expect(await call.catch((caught: unknown) => caught)).toMatchObject({ status: 404 });
    }
  });

  it('keeps drafts out of latest and by-tag until published, and tags them on publishing', async () => {
    gh.seed.release(full, { tag_name: 'v1.0.0', target_commitish: first });
    const { data: draft } = await octokit.rest.repos.createRelease({ owner, repo, tag_name: 'v1.1.0', target_commitish: second, draft: true });
    expect(draft).toMatchObject({ draft: true, published_at: null });
    expect(gh.state.refs(full)).not.toHaveProperty('refs/tags/v1.1.0');
    expect(await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v1.1.0' }).catch((caught: unknown) => caught)).toMatchObject({ status: 404 });
    const { data: latest } = await octokit.rest.repos.getLatestRelease({ owner, repo });
    expect(latest.tag_name).toBe('v1.0.0');

    const { data: published } = await octokit.rest.repos.updateRelease({ owner, repo, release_id: draft.id, draft: false, body: 'notes' });
    expect(published).toMatchObject({ draft: false, body: 'notes', published_at: expect.any(String) });
    expect(gh.state.refs(full)['refs/tags/v1.1.0']).toBe(second);
    const { data: latestNow } = await octokit.rest.repos.getLatestRelease({ owner, repo });
    expect(latestNow.tag_name).toBe('v1.1.0');
  });

  it('deletes a release, keeping its tag as GitHub does', async () => {
    const id = gh.seed.release(full, { tag_name: 'v1.0.0', target_commitish: first });
    const deleted = await octokit.rest.repos.deleteRelease({ owner, repo, release_id: id });
    expect(deleted.status).toBe(204);
    expect(gh.state.releases(full)).toEqual([]);
    expect(gh.state.refs(full)['refs/tags/v1.0.0']).toBe(first);
    expect(await octokit.rest.repos.getRelease({ owner, repo, release_id: id }).catch((caught: unknown) => caught)).toMatchObject({ status: 404 });
  });

  it('lists releases newest first, paginated', async () => {
    for (let i = 0; i < 5; i++) gh.seed.release(full, { tag_name: `v1.0.${i}`, target_commitish: second, prerelease: i === 4 });
    const releases = await octokit.paginate(octokit.rest.repos.listReleases, { owner, repo, per_page: 2 });
    expect(releases.map((release) => release.tag_name)).toEqual(['v1.0.4', 'v1.0.3', 'v1.0.2', 'v1.0.1', 'v1.0.0']);
    expect(gh.calls('GET', `/repos/${full}/releases`)).toHaveLength(3);
    const { data: latest } = await octokit.rest.repos.getLatestRelease({ owner, repo });
    expect(latest.tag_name).toBe('v1.0.3');
    expect(gh.state.releases(full).map((release) => release.tagName)).toEqual(['v1.0.4', 'v1.0.3', 'v1.0.2', 'v1.0.1', 'v1.0.0']);
  });
});

/**
 * Git refs, tags, branches, commits and compare over a seeded commit graph with a merge, through
 * Octokit against the GitHub simulator. Compare is what create-release and the promotion checks use
 * to find what changed, so it is checked on a merge graph and paged across 600 and 5,000 commits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../packages/github';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;

let gh: GitHubSimulator;
let octokit: GitHubClient;
/** The graph: R - A - M - H on main, with feature F1 - F2 branched at A and merged by M; development D1 on F2. */
let g: Record<'R' | 'A' | 'F1' | 'F2' | 'M' | 'H' | 'D1', string>;

beforeEach(async () => {
  gh = await startGitHubSimulator();
  octokit = createGitHubClient(gh.token, { baseUrl: gh.url });
  const R = gh.seed.commit(full, { message: 'chore: initial commit', parents: [], branch: 'main' });
  const A = gh.seed.commit(full, { message: 'feat: health endpoint', branch: 'main', author: 'alice', files: ['app/health.py'] });
  const F1 = gh.seed.commit(full, { message: 'feat: users model', parents: [A], files: ['app/users.py'] });
  const F2 = gh.seed.commit(full, { message: 'fix: users validation', parents: [F1], files: ['app/users.py', 'infrastructure/main.tf'] });
  gh.seed.branch(full, 'feature/users', F2);
  const M = gh.seed.commit(full, { message: 'Merge pull request #4 from connect2/feature/users', parents: [A, F2], branch: 'main' });
  const H = gh.seed.commit(full, { message: 'fix: hotfix timeout', branch: 'main', files: ['app/config.py'] });
  const D1 = gh.seed.commit(full, { message: 'feat: audit log', parents: [F2], branch: 'development', files: ['app/audit.py'] });
  gh.seed.tag(full, 'v1.0.0', A);
  gh.seed.tag(full, 'v1.1.0', H);
  g = { R, A, F1, F2, M, H, D1 };
});

afterEach(async () => {
  await gh.close();
});

const shas = (commits: { sha: string }[]) => commits.map((commit) => commit.sha);

describe('git refs and tags', () => {
  it('gets a branch and a tag ref, and lists refs by prefix', async () => {
    const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' });
    expect(main).toEqual({
      ref: 'refs/heads/main',
      node_id: expect.any(String),
      url: `${gh.url}/repos/${full}/git/refs/heads/main`,
      object: { sha: g.H, type: 'commit', url: `${gh.url}/repos/${full}/git/commits/${g.H}` },
    });
    const { data: tag } = await octokit.rest.git.getRef({ owner, repo, ref: 'tags/v1.0.0' });
    expect(tag).toMatchObject({ ref: 'refs/tags/v1.0.0', object: { sha: g.A, type: 'commit' } });

    const { data: matching } = await octokit.rest.git.listMatchingRefs({ owner, repo, ref: 'tags/v' });
    expect(matching.map((ref) => [ref.ref, ref.object.sha])).toEqual([
      ['refs/tags/v1.0.0', g.A],
      ['refs/tags/v1.1.0', g.H],
    ]);
    const missing = await octokit.rest.git.getRef({ owner, repo, ref: 'tags/v9.9.9' }).catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ status: 404 });
  });

  it('creates, moves (fast-forward or forced) and deletes refs as GitHub does', async () => {
    const { data: created, status } = await octokit.rest.git.createRef({ owner, repo, ref: 'refs/tags/v1.2.0', sha: g.H });
    expect(status).toBe(201);
    expect(created).toMatchObject({ ref: 'refs/tags/v1.2.0', object: { sha: g.H, type: 'commit' } });
    const duplicate = await octokit.rest.git.createRef({ owner, repo, ref: 'refs/tags/v1.2.0', sha: g.A }).catch((caught: unknown) => caught);
    expect(duplicate).toMatchObject({ status: 422, response: { data: { message: 'Reference already exists' } } });
    const badName = await octokit.rest.git.createRef({ owner, repo, ref: 'v1.3.0', sha: g.H }).catch((caught: unknown) => caught);
    expect(badName).toMatchObject({ status: 422 });

    // Moving the major tag v1 forward: a fast-forward is fine, going sideways needs force.
    await octokit.rest.git.createRef({ owner, repo, ref: 'refs/tags/v1', sha: g.F2 });
    const { data: forward } = await octokit.rest.git.updateRef({ owner, repo, ref: 'tags/v1', sha: g.H });
    expect(forward.object.sha).toBe(g.H);
    const sideways = await octokit.rest.git.updateRef({ owner, repo, ref: 'tags/v1', sha: g.D1 }).catch((caught: unknown) => caught);
    expect(sideways).toMatchObject({ status: 422, response: { data: { message: 'Update is not a fast forward' } } });
    const { data: forced } = await octokit.rest.git.updateRef({ owner, repo, ref: 'tags/v1', sha: g.D1, force: true });
    expect(forced.object.sha).toBe(g.D1);

    const deleted = await octokit.rest.git.deleteRef({ owner, repo, ref: 'tags/v1' });
    expect(deleted.status).toBe(204);
    expect(gh.state.refs(full)).not.toHaveProperty('refs/tags/v1');
    expect(gh.state.refs(full)['refs/tags/v1.2.0']).toBe(g.H);
    expect(gh.mutatingCalls().every((entry) => entry.path.startsWith(`/repos/${full}/git/refs`))).toBe(true);
  });

  it('serves annotated tags: the ref names a tag object that names the commit', async () => {
    const tagSha = gh.seed.tag(full, 'v0.9.0', g.R, { annotated: true, message: 'First beta' });
    const { data: ref } = await octokit.rest.git.getRef({ owner, repo, ref: 'tags/v0.9.0' });
    expect(ref.object).toEqual({ sha: tagSha, type: 'tag', url: `${gh.url}/repos/${full}/git/tags/${tagSha}` });
    const { data: tag } = await octokit.rest.git.getTag({ owner, repo, tag_sha: tagSha });
    expect(tag).toMatchObject({ sha: tagSha, tag: 'v0.9.0', message: 'First beta', object: { sha: g.R, type: 'commit' }, tagger: { name: 'octocat' } });

    // Created over the API the way `git tag -a` + push does: a tag object, then the ref.
    const { data: created } = await octokit.rest.git.createTag({ owner, repo, tag: 'v1.2.0', message: 'Release 1.2.0', object: g.H, type: 'commit' });
    expect(created).toMatchObject({ tag: 'v1.2.0', object: { sha: g.H, type: 'commit' } });
    const { data: createdRef } = await octokit.rest.git.createRef({ owner, repo, ref: 'refs/tags/v1.2.0', sha: created.sha });
    expect(createdRef.object).toMatchObject({ sha: created.sha, type: 'tag' });

    // Everything that takes a commit-ish peels the tag.
    const { data: commit } = await octokit.rest.repos.getCommit({ owner, repo, ref: 'v1.2.0' });
    expect(commit.sha).toBe(g.H);
    const { data: compare } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: 'v0.9.0...v1.2.0' });
    expect(compare).toMatchObject({ status: 'ahead', ahead_by: 5, merge_base_commit: { sha: g.R } });
    const tags = await octokit.paginate(octokit.rest.repos.listTags, { owner, repo });
    expect(tags.find((listed) => listed.name === 'v0.9.0')?.commit.sha).toBe(g.R);
    const missing = await octokit.rest.git.getTag({ owner, repo, tag_sha: g.R }).catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ status: 404 });
  });

  it('lists tags highest version first, and branches', async () => {
    gh.seed.tag(full, 'v1.10.0', g.H);
    const tags = await octokit.paginate(octokit.rest.repos.listTags, { owner, repo, per_page: 2 });
    expect(tags.map((tag) => [tag.name, tag.commit.sha])).toEqual([
      ['v1.10.0', g.H],
      ['v1.1.0', g.H],
      ['v1.0.0', g.A],
    ]);
    const { data: branches } = await octokit.rest.repos.listBranches({ owner, repo });
    expect(branches.map((branch) => [branch.name, branch.commit.sha])).toEqual([
      ['development', g.D1],
      ['feature/users', g.F2],
      ['main', g.H],
    ]);
    const { data: branch } = await octokit.rest.repos.getBranch({ owner, repo, branch: 'feature/users' });
    expect(branch).toMatchObject({ name: 'feature/users', commit: { sha: g.F2 } });
  });
});

describe('commits', () => {
  it('gets a merge commit with both parents', async () => {
    const { data } = await octokit.rest.repos.getCommit({ owner, repo, ref: g.M });
    expect(data).toMatchObject({
      sha: g.M,
      html_url: `https://github.com/${full}/commit/${g.M}`,
      commit: { message: 'Merge pull request #4 from connect2/feature/users', author: { name: 'octocat', date: expect.any(String) } },
      author: { login: 'octocat' },
      parents: [{ sha: g.A }, { sha: g.F2 }],
    });
    expect(data.node_id).toEqual(expect.any(String));
    const { data: byBranch } = await octokit.rest.repos.getCommit({ owner, repo, ref: 'development' });
    expect(byBranch).toMatchObject({ sha: g.D1, files: [expect.objectContaining({ filename: 'app/audit.py' })] });
    const { data: byTag } = await octokit.rest.repos.getCommit({ owner, repo, ref: 'v1.0.0' });
    expect(byTag).toMatchObject({ sha: g.A, author: { login: 'alice' } });
    const unknown = await octokit.rest.repos.getCommit({ owner, repo, ref: 'no-such-ref' }).catch((caught: unknown) => caught);
    expect(unknown).toMatchObject({ status: 422 });
  });

  it('reads a git commit object', async () => {
    const { data } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: g.M });
    expect(data).toMatchObject({ sha: g.M, message: 'Merge pull request #4 from connect2/feature/users', parents: [{ sha: g.A }, { sha: g.F2 }], tree: { sha: expect.stringMatching(/^[0-9a-f]{40}$/) } });
  });

  it('lists history newest first, following both parents of a merge, paginated', async () => {
    const history = await octokit.paginate(octokit.rest.repos.listCommits, { owner, repo, sha: 'main', per_page: 4 });
    expect(shas(history)).toEqual([g.H, g.M, g.F2, g.F1, g.A, g.R]);
    expect(gh.calls('GET', `/repos/${full}/commits`)).toHaveLength(2);
    const { data: defaultBranch } = await octokit.rest.repos.listCommits({ owner, repo });
    expect(defaultBranch[0]?.sha).toBe(g.H);
    const { data: byPath } = await octokit.rest.repos.listCommits({ owner, repo, sha: 'main', path: 'app/users.py' });
    expect(shas(byPath)).toEqual([g.F2, g.F1]);
  });
});

describe('compare', () => {
  it('reports ahead, behind, diverged and identical with the merge base', async () => {
    const { data: ahead } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: 'feature/users...main' });
    expect(ahead).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2, merge_base_commit: { sha: g.F2 }, base_commit: { sha: g.F2 } });
    expect(shas(ahead.commits)).toEqual([g.M, g.H]);

    const { data: behind } = await octokit.rest.repos.compareCommits({ owner, repo, base: 'main', head: 'feature/users' });
    expect(behind).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 2, total_commits: 0, commits: [] });

    const { data: diverged } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: 'main...development' });
    expect(diverged).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 2, merge_base_commit: { sha: g.F2 } });
    expect(shas(diverged.commits)).toEqual([g.D1]);
    expect(diverged.files?.map((file) => file.filename)).toEqual(['app/audit.py']);

    const { data: identical } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `v1.1.0...${g.H}` });
    expect(identical).toMatchObject({ status: 'identical', ahead_by: 0, behind_by: 0, commits: [] });
  });

  it('lists what a release adds across a merge, oldest first, from tags and short shas', async () => {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${g.A.slice(0, 7)}...v1.1.0` });
    expect(shas(data.commits)).toEqual([g.F1, g.F2, g.M, g.H]);
    expect(data.merge_base_commit.sha).toBe(g.A);
    expect(data.commits.map((commit) => commit.commit.message)).toEqual(['feat: users model', 'fix: users validation', 'Merge pull request #4 from connect2/feature/users', 'fix: hotfix timeout']);
    expect(data.html_url).toBe(`https://github.com/${full}/compare/${g.A.slice(0, 7)}...v1.1.0`);
    expect(data.files?.map((file) => file.filename).sort()).toEqual(['app/config.py', 'app/users.py', 'infrastructure/main.tf']);
  });

  it('answers 404 for an unknown ref and for unrelated histories', async () => {
    gh.seed.commit(full, { message: 'orphan', parents: [], branch: 'gh-pages' });
    for (const basehead of ['main...nope', 'main...gh-pages']) {
      const error = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 404 });
    }
  });

  it('pages through 600 commits across a merge with the Link header', async () => {
    const trunk = gh.seed.commits(full, 300, { parent: g.H, branch: 'main', message: (i) => `fix: trunk ${i}` });
    const side = gh.seed.commits(full, 299, { parent: trunk[99], message: (i) => `feat: side ${i}` });
    const merge = gh.seed.commit(full, { message: 'Merge side', parents: [trunk[299]!, side[298]!], branch: 'main' });

    const pages = await comparePages('v1.1.0', 'main', 100);
    expect(pages.length).toBe(6);
    const listed = pages.flatMap((page) => shas(page.commits));
    expect(listed).toEqual([...trunk, ...side, merge]);
    expect(pages[0]).toMatchObject({ total_commits: 600, ahead_by: 600, status: 'ahead' });

    const unpaged = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: 'v1.1.0...main' });
    expect(unpaged.data.commits).toHaveLength(250);
    expect(unpaged.data.total_commits).toBe(600);
    expect(unpaged.headers.link).toBeUndefined();
  });

  it('pages through 5,000 commits', async () => {
    const line = gh.seed.commits(full, 5000, { parent: g.H, branch: 'release' });
    const pages = await comparePages('main', 'release', 100);
    expect(pages).toHaveLength(50);
    expect(pages.flatMap((page) => shas(page.commits))).toEqual(line);
    expect(gh.calls('GET', `/repos/${full}/compare/`)).toHaveLength(50);
  });
});

/** Follows rel="next" as a client of the paged compare API does. */
async function comparePages(base: string, head: string, perPage: number) {
  const pages = [];
  for (let page = 1; ; page++) {
    const response = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}`, per_page: perPage, page });
    pages.push(response.data);
    if (!response.headers.link?.includes('rel="next"')) return pages;
  }
}

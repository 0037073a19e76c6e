/**
 * Pull requests through Octokit against the GitHub simulator: the single and list shapes, the files
 * list with GitHub's 3000-file cap (while changed_files tells the truth), promotion PRs (one open PR
 * per head/base), merging, and finding the pulls of a commit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../packages/github';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;

let gh: GitHubSimulator;
let octokit: GitHubClient;

beforeEach(async () => {
  gh = await startGitHubSimulator();
  octokit = createGitHubClient(gh.token, { baseUrl: gh.url });
});

afterEach(async () => {
  await gh.close();
});

describe('GET /pulls/{n}', () => {
  it('returns the fields the actions read', async () => {
    const number = gh.seed.pull(full, {
      head: 'feature/users',
      base: 'development',
      title: 'feat: users endpoint',
      user: 'alice',
      labels: ['application'],
      files: ['app/users.py', { filename: 'infrastructure/new.tf', status: 'renamed', previous_filename: 'infrastructure/old.tf' }],
    });
    const refs = gh.state.refs(full);
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
    expect(data).toMatchObject({
      number,
      state: 'open',
      title: 'feat: users endpoint',
      html_url: `https://github.com/${full}/pull/${number}`,
      url: `${gh.url}/repos/${full}/pulls/${number}`,
      user: { login: 'alice' },
      head: { ref: 'feature/users', sha: refs['refs/heads/feature/users'], label: `${owner}:feature/users` },
      base: { ref: 'development', sha: refs['refs/heads/development'] },
      changed_files: 2,
      merged: false,
      merge_commit_sha: null,
      commits: 1,
      draft: false,
      labels: [expect.objectContaining({ name: 'application' })],
    });
    expect(typeof data.id).toBe('number');
    expect(data.node_id).toMatch(/^PR_/);
  });

  it('answers 404 for a pull that does not exist, and for an issue that is not a pull', async () => {
    const issue = gh.seed.issue(full, { title: 'a bug' });
    for (const pull_number of [42, issue]) {
      const error = await octokit.rest.pulls.get({ owner, repo, pull_number }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 404, response: { data: { message: 'Not Found' } } });
    }
    const unknownRepo = await octokit.rest.pulls.get({ owner, repo: 'nope', pull_number: 1 }).catch((caught: unknown) => caught);
    expect(unknownRepo).toMatchObject({ status: 404 });
  });
});

describe('GET /pulls/{n}/files', () => {
  it('lists the files with their statuses, paginated with a Link header', async () => {
    const files = Array.from({ length: 45 }, (_, i) => `app/module_${String(i).padStart(2, '0')}.py`);
    const number = gh.seed.pull(full, { head: 'feature/many', base: 'development', files: [...files, { filename: 'b.tf', previous_filename: 'a.tf' }, { filename: 'gone.py', status: 'removed' }] });

    const first = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: number });
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toMatch(/[?&]page=2[^>]*>; rel="next"/);
    expect(first.headers.link).toMatch(/[?&]page=2[^>]*>; rel="last"/);
    expect(first.data[0]).toMatchObject({ filename: 'app/module_00.py', status: 'modified', additions: 1, deletions: 1, changes: 2 });
    expect(first.data[0]?.sha).toMatch(/^[0-9a-f]{40}$/);

    const all = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 });
    expect(all.map((file) => file.filename)).toEqual([...files, 'b.tf', 'gone.py']);
    expect(all.find((file) => file.filename === 'b.tf')).toMatchObject({ status: 'renamed', previous_filename: 'a.tf' });
    expect(all.find((file) => file.filename === 'gone.py')).toMatchObject({ status: 'removed', additions: 0, deletions: 1 });
  });

  it('stops at 3000 files while changed_files tells the truth', async () => {
    const files = Array.from({ length: 3500 }, (_, i) => `app/generated/file_${String(i).padStart(4, '0')}.py`);
    const number = gh.seed.pull(full, { head: 'feature/huge', base: 'development', files });

    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
    expect(pull.changed_files).toBe(3500);

    const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 });
    expect(listed).toHaveLength(3000);
    expect(listed.map((file) => file.filename)).toEqual(files.slice(0, 3000));
    expect(gh.calls('GET', `/repos/${full}/pulls/${number}/files`)).toHaveLength(30);

    // A page past the cap is empty, as on GitHub.
    const beyond = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: number, per_page: 100, page: 31 });
    expect(beyond.data).toEqual([]);
    const last = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: number, per_page: 100, page: 30 });
    expect(last.data.at(-1)?.filename).toBe(files[2999]);
    expect(last.headers.link).not.toContain('rel="next"');
  });
});

describe('GET /pulls', () => {
  it('filters by state, head and base, and list items omit the single-pull fields', async () => {
    const a = gh.seed.pull(full, { head: 'feature/a', base: 'development' });
    const b = gh.seed.pull(full, { head: 'development', base: 'staging' });
    const c = gh.seed.pull(full, { head: 'feature/c', base: 'development', merged: true });

    const open = await octokit.paginate(octokit.rest.pulls.list, { owner, repo });
    expect(open.map((pull) => pull.number)).toEqual([b, a]);
    expect(open[0]).not.toHaveProperty('changed_files');
    expect(open[0]).toMatchObject({ head: { ref: 'development' }, base: { ref: 'staging' }, state: 'open' });

    const all = await octokit.rest.pulls.list({ owner, repo, state: 'all', base: 'development' });
    expect(all.data.map((pull) => pull.number)).toEqual([c, a]);
    const closed = await octokit.rest.pulls.list({ owner, repo, state: 'closed' });
    expect(closed.data.map((pull) => [pull.number, pull.merged_at !== null])).toEqual([[c, true]]);
    const byHead = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:feature/a` });
    expect(byHead.data.map((pull) => pull.number)).toEqual([a]);
  });
});

describe('POST /pulls (promotion)', () => {
  it('creates a promotion pull, then refuses a second open one for the same head and base', async () => {
    const root = gh.seed.commit(full, { message: 'chore: init', parents: [], branch: 'main' });
    gh.seed.branch(full, 'staging', root);
    gh.seed.commit(full, { message: 'feat: users (#3)', branch: 'staging', files: ['app/users.py', 'infrastructure/main.tf'] });

    const { data, status } = await octokit.rest.pulls.create({ owner, repo, head: 'staging', base: 'main', title: 'Promote staging to production', body: 'Release train' });
    expect(status).toBe(201);
    expect(data).toMatchObject({
      title: 'Promote staging to production',
      body: 'Release train',
      state: 'open',
      head: { ref: 'staging' },
      base: { ref: 'main', sha: root },
      user: { login: 'github-actions[bot]' },
      changed_files: 2,
      commits: 1,
    });
    expect(data.html_url).toBe(`https://github.com/${full}/pull/${data.number}`);
    expect(gh.state.pulls(full)).toEqual([expect.objectContaining({ number: data.number, state: 'open', changedFiles: 2 })]);

    const again = await octokit.rest.pulls.create({ owner, repo, head: 'staging', base: 'main', title: 'again' }).catch((caught: unknown) => caught);
    expect(again).toMatchObject({
      status: 422,
      response: { data: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:staging.` }] } },
    });

    const nothing = await octokit.rest.pulls.create({ owner, repo, head: 'main', base: 'staging', title: 'backwards' }).catch((caught: unknown) => caught);
    expect(nothing).toMatchObject({ status: 422, response: { data: { errors: [{ message: 'No commits between staging and main' }] } } });
    const missing = await octokit.rest.pulls.create({ owner, repo, head: 'nope', base: 'main', title: 'x' }).catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ status: 422, response: { data: { errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] } } });
    expect(gh.state.pulls(full)).toHaveLength(1);
  });

  it('derives files from the commits, lists the commits, and updates a pull', async () => {
    const root = gh.seed.commit(full, { message: 'chore: init', parents: [], branch: 'development' });
    const one = gh.seed.commit(full, { message: 'feat: one', parents: [root], branch: 'feature/two-commits', files: ['app/one.py'] });
    const two = gh.seed.commit(full, { message: 'fix: two', branch: 'feature/two-commits', files: ['app/two.py', 'app/one.py'] });
    const number = gh.seed.pull(full, { head: 'feature/two-commits', base: 'development' });

    const { data: commits } = await octokit.rest.pulls.listCommits({ owner, repo, pull_number: number });
    expect(commits.map((commit) => [commit.sha, commit.commit.message])).toEqual([
      [one, 'feat: one'],
      [two, 'fix: two'],
    ]);
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number });
    expect(files.map((file) => file.filename)).toEqual(['app/one.py', 'app/two.py']);
    const { data: updated } = await octokit.rest.pulls.update({ owner, repo, pull_number: number, title: 'feat: one and two', state: 'closed' });
    expect(updated).toMatchObject({ number, title: 'feat: one and two', state: 'closed', merged: false, commits: 2 });
    const notMerged = await octokit.rest.pulls.merge({ owner, repo, pull_number: number }).catch((caught: unknown) => caught);
    expect(notMerged).toMatchObject({ status: 405 });
  });

  it('merges a pull with a merge commit and finds the pull from that commit and from its head', async () => {
    const number = gh.seed.pull(full, { head: 'feature/x', base: 'development', files: ['app/x.py'] });
    const head = gh.state.refs(full)['refs/heads/feature/x']!;
    const base = gh.state.refs(full)['refs/heads/development']!;

    const { data: merge } = await octokit.rest.pulls.merge({ owner, repo, pull_number: number });
    expect(merge).toMatchObject({ merged: true, sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(gh.state.refs(full)['refs/heads/development']).toBe(merge.sha);

    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
    expect(pull).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: merge.sha });
    const { data: commit } = await octokit.rest.repos.getCommit({ owner, repo, ref: merge.sha });
    expect(commit.parents.map((parent) => parent.sha)).toEqual([base, head]);

    for (const sha of [merge.sha, head]) {
      const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
      expect(pulls.map((associated) => associated.number)).toEqual([number]);
    }
    const { data: none } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: base });
    expect(none).toEqual([]);
  });
});

/**
 * Scoped tokens: every route needs a declared permission, a token lacking it gets GitHub's 403, and
 * the repository setting "Allow GitHub Actions to create and approve pull requests" gates POST /pulls
 * for GITHUB_TOKENs. Driven through Octokit without the retry plugin, so each refusal is one request.
 */
import { getOctokit } from '@actions/github';
import { GraphqlResponseError } from '@octokit/graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator, type TokenGrant } from '../../packages/simulators/github';
import { Router } from '../../packages/simulators/github/router';

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;
const minimize = `mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }`;

let gh: GitHubSimulator;
let pull: number;

beforeEach(async () => {
  gh = await startGitHubSimulator();
  pull = gh.seed.pull(full, { head: 'feature/users', base: 'development', title: 'feat: users', files: ['app/users.py'] });
});

afterEach(async () => {
  await gh.close();
});

const client = (token: string) => getOctokit(token, { baseUrl: gh.url });
const jobToken = (permissions: TokenGrant['permissions']) => gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions });
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as { status: number; response?: { data: unknown } });

describe('scoped tokens', () => {
  it('issues ghs_ tokens, reports their grant, and forgets revoked ones (401)', async () => {
    const grant: TokenGrant = { kind: 'app', login: 'release-bot[bot]', permissions: { contents: 'read' } };
    const token = gh.tokens.issue(grant);
    expect(token).toMatch(/^ghs_[A-Za-z0-9]{20,}$/);
    expect(gh.tokens.issue(grant)).not.toBe(token);
    expect(gh.tokens.grantOf(token)).toEqual(grant);
    await expect(client(token).rest.repos.get({ owner, repo })).resolves.toMatchObject({ status: 200 });
    gh.tokens.revoke(token);
    expect(gh.tokens.grantOf(token)).toBeUndefined();
    expect(await failure(client(token).rest.repos.get({ owner, repo }))).toMatchObject({ status: 401 });
  });

  it('lets pull-requests: write comment on a pull (issues OR pull-requests), and refuses contents writes with 403', async () => {
    const octokit = client(jobToken({ 'pull-requests': 'write' }));
    await octokit.rest.issues.createComment({ owner, repo, issue_number: pull, body: 'plan' });
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: pull, labels: ['type:app'] });
    // metadata read comes with any grant
    await expect(octokit.rest.repos.get({ owner, repo })).resolves.toMatchObject({ status: 200 });
    const refused = await failure(octokit.rest.git.createRef({ owner, repo, ref: 'refs/tags/v1', sha: gh.state.refs(full)['refs/heads/development']! }));
    expect(refused).toMatchObject({ status: 403, response: { data: { message: 'Resource not accessible by integration', documentation_url: expect.stringContaining('docs.github.com') } } });
    expect(await failure(octokit.rest.repos.listReleases({ owner, repo }))).toMatchObject({ status: 403 });
    expect(gh.state.refs(full)['refs/tags/v1']).toBeUndefined();
    expect(gh.state.comments(full, pull)).toHaveLength(1);
    expect(gh.calls('POST', '/repos/connect2/connect2-api/git/refs').map((entry) => entry.status)).toEqual([403]);
  });

  it('refuses reads the grant lacks, and everything but nothing to a token with no permissions', async () => {
    const contentsOnly = client(jobToken({ contents: 'read' }));
    await expect(contentsOnly.rest.repos.getBranch({ owner, repo, branch: 'development' })).resolves.toMatchObject({ status: 200 });
    expect(await failure(contentsOnly.rest.pulls.get({ owner, repo, pull_number: pull }))).toMatchObject({ status: 403 });
    expect(await failure(contentsOnly.rest.issues.createComment({ owner, repo, issue_number: pull, body: 'x' }))).toMatchObject({ status: 403 });
    // commits/{sha}/pulls needs contents AND pull-requests read
    const head = gh.state.pulls(full)[0]!.head.sha;
    expect(await failure(contentsOnly.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: head }))).toMatchObject({ status: 403 });
    const both = client(jobToken({ contents: 'read', 'pull-requests': 'read' }));
    await expect(both.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: head })).resolves.toMatchObject({ status: 200 });

    const nothing = client(jobToken({}));
    expect(await failure(nothing.rest.repos.get({ owner, repo }))).toMatchObject({ status: 403 });
  });

  it('says "personal access token" to user tokens, as GitHub does', async () => {
    const token = gh.tokens.issue({ kind: 'user', login: 'alice', permissions: { contents: 'read' } });
    expect(await failure(client(token).rest.issues.createComment({ owner, repo, issue_number: pull, body: 'x' }))).toMatchObject({
      status: 403,
      response: { data: { message: 'Resource not accessible by personal access token' } },
    });
  });

  it('attributes writes to the grant login', async () => {
    const token = gh.tokens.issue({ kind: 'user', login: 'alice', permissions: 'all' });
    const { data } = await client(token).rest.issues.createComment({ owner, repo, issue_number: pull, body: 'hello' });
    expect(data.user?.login).toBe('alice');
    expect(gh.state.comments(full, pull)[0]).toMatchObject({ user: 'alice' });
  });

  it('checks GraphQL root fields: minimizeComment needs issues or pull-requests write', async () => {
    const { nodeId } = gh.seed.comment(full, pull, 'old plan');
    const contents = client(jobToken({ contents: 'write' }));
    const error = await contents.graphql({ query: minimize, id: nodeId, url: `${gh.url}/graphql` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphqlResponseError);
    expect((error as GraphqlResponseError<unknown>).errors?.[0]).toMatchObject({ type: 'FORBIDDEN', message: 'Resource not accessible by integration' });
    expect(gh.state.comments(full, pull)[0]!.minimized).toBe(false);
    const prs = client(jobToken({ 'pull-requests': 'write' }));
    await prs.graphql({ query: minimize, id: nodeId, url: `${gh.url}/graphql` });
    expect(gh.state.comments(full, pull)[0]!.minimized).toBe(true);
  });

  it('keeps the default tokens: token = all, readOnlyToken = everything read', async () => {
    expect(gh.tokens.grantOf(gh.token)).toMatchObject({ permissions: 'all' });
    expect(gh.tokens.grantOf(gh.readOnlyToken)?.permissions).toMatchObject({ contents: 'read', 'pull-requests': 'read', issues: 'read' });
    await expect(client(gh.readOnlyToken).rest.pulls.get({ owner, repo, pull_number: pull })).resolves.toMatchObject({ status: 200 });
  });

  it('refuses to register a route without a declared permission', () => {
    expect(() => new Router().on('GET', '/repos/:owner/:repo/undeclared', () => ({ status: 200 }))).toThrow(/ROUTE_PERMISSIONS/);
  });
});

describe('"Allow GitHub Actions to create and approve pull requests"', () => {
  const open = (token: string) => client(token).rest.pulls.create({ owner, repo, head: 'release/1', base: 'development', title: 'Promote' });

  beforeEach(() => {
    gh.seed.commit(full, { message: 'feat: x', branch: 'release/1', parents: [gh.state.refs(full)['refs/heads/development']!] });
  });

  it('is off by default: a GITHUB_TOKEN gets 403 with GitHub message, and no pull is made', async () => {
    const refused = await failure(open(jobToken({ 'pull-requests': 'write', contents: 'write' })));
    expect(refused).toMatchObject({ status: 403, response: { data: { message: 'GitHub Actions is not permitted to create or approve pull requests.' } } });
    expect(gh.state.pulls(full)).toHaveLength(1);
  });

  it('when on, the GITHUB_TOKEN opens the pull as github-actions[bot]; app and user tokens never needed it', async () => {
    const app = gh.tokens.issue({ kind: 'app', login: 'promoter[bot]', permissions: { 'pull-requests': 'write' } });
    const { data: byApp } = await open(app);
    expect(byApp.user?.login).toBe('promoter[bot]');
    await client(app).rest.pulls.update({ owner, repo, pull_number: byApp.number, state: 'closed' });
    gh.seed.settings(full, { actionsCanCreatePullRequests: true });
    const { data } = await open(jobToken({ 'pull-requests': 'write' }));
    expect(data.user?.login).toBe('github-actions[bot]');
  });
});

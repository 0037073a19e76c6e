/**
 * The GitHub simulator's gatekeeping, through Octokit: token check, read-only token, rate-limit
 * headers, and injected rate limits and 5xx answers that Octokit must retry. Assertions read the
 * request log.
 *
 * Rate limits are driven through Octokit with the same two plugins createGitHubClient uses, with
 * recording callbacks, so the tests prove @octokit/plugin-throttling (not plugin-retry) recognised the
 * answer. (createGitHubClient sets `request.retries`, which makes plugin-retry retry every error,
 * rate limits included, before throttling sees them.)
 */
import { getOctokit } from '@actions/github';
import { GraphqlResponseError } from '@octokit/graphql';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../packages/action-kit/clock';
import { createGitHubClient } from '../../packages/github';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;
const minimize = `mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized minimizedReason } } }`;

let gh: GitHubSimulator;
let pull: number;

beforeEach(async () => {
  gh = await startGitHubSimulator();
  pull = gh.seed.pull(full, { head: 'feature/users', base: 'development', title: 'feat: users', files: ['app/users.py'] });
});

afterEach(async () => {
  await gh.close();
});

/** Octokit with the retry and throttling plugins, recording the throttling plugin's callbacks. */
function throttledOctokit(token: string, retriesAllowed = 1) {
  const limits: { kind: 'primary' | 'secondary'; retryAfter: number; url: string }[] = [];
  const onLimit = (kind: 'primary' | 'secondary') => (retryAfter: number, options: { url: string }, _octokit: unknown, retryCount: number) => {
    limits.push({ kind, retryAfter, url: options.url });
    return retryCount < retriesAllowed;
  };
  const octokit = getOctokit(token, { baseUrl: gh.url, throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') } }, retry, throttling);
  return { octokit, limits };
}

const statuses = (method: string, path: string | RegExp) => gh.calls(method, path).map((entry) => entry.status);

describe('token check', () => {
  it('answers 401 Bad credentials to an unknown token', async () => {
    const octokit = createGitHubClient('ghs_wrong', { baseUrl: gh.url });
    const error = await octokit.rest.repos.get({ owner, repo }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, message: expect.stringContaining('Bad credentials') });
    expect(gh.requests.length).toBeGreaterThan(0);
    expect(gh.requests.every((entry) => entry.method === 'GET' && entry.path === `/repos/${full}` && entry.status === 401)).toBe(true);
  });

  it('answers 401 when the Authorization header is missing', async () => {
    // Octokit always sends the token it is given, so the header-less case is a bare request.
    const response = await fetch(`${gh.url}/repos/${full}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('accepts `token X` and `Bearer X`, and every answer carries the rate-limit headers', async () => {
    const octokit = createGitHubClient(gh.token, { baseUrl: gh.url });
    const { data, headers } = await octokit.rest.repos.get({ owner, repo });
    expect(data).toMatchObject({ name: repo, full_name: full, default_branch: 'main', owner: { login: owner } });
    expect(typeof data.id).toBe('number');
    expect(typeof data.node_id).toBe('string');
    expect(headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(headers['x-ratelimit-remaining'])).toBe(4999);
    expect(headers['x-ratelimit-used']).toBe('1');
    expect(Number(headers['x-ratelimit-reset'])).toBeGreaterThan(0);

    const bearer = await fetch(`${gh.url}/repos/${full}`, { headers: { authorization: `Bearer ${gh.token}` } });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get('x-ratelimit-remaining')).toBe('4998');
    const unknown = await fetch(`${gh.url}/repos/${full}/nothing-here`, { headers: { authorization: `Bearer ${gh.token}` } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(await unknown.json()).toMatchObject({ message: 'Not Found', documentation_url: expect.any(String) });
  });
});

describe('read-only token (a fork pull request)', () => {
  it('reads, but REST writes answer 403 and GraphQL mutations FORBIDDEN, changing nothing', async () => {
    const comment = gh.seed.comment(full, pull, 'plan output');
    const octokit = createGitHubClient(gh.readOnlyToken, { baseUrl: gh.url });

    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pull });
    expect(data.number).toBe(pull);

    const write = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull, body: 'hello' }).catch((caught: unknown) => caught);
    expect(write).toMatchObject({ status: 403, message: expect.stringContaining('Resource not accessible by integration') });

    const mutation = await octokit.graphql({ query: minimize, id: comment.nodeId, url: gh.graphqlUrl }).catch((caught: unknown) => caught);
    expect(mutation).toBeInstanceOf(GraphqlResponseError);
    expect((mutation as GraphqlResponseError<unknown>).errors?.[0]).toMatchObject({ type: 'FORBIDDEN', message: 'Resource not accessible by integration' });

    expect(gh.state.comments(full, pull)).toEqual([expect.objectContaining({ body: 'plan output', minimized: false })]);
    expect(new Set(gh.mutatingCalls().map((entry) => `${entry.method} ${entry.path} ${entry.status}`))).toEqual(
      new Set([`POST /repos/${full}/issues/${pull}/comments 403`, 'POST /graphql 200']),
    );
  });
});

describe('rate limits (plugin-throttling retries them)', () => {
  it('retries a primary rate limit on a read', async () => {
    gh.faults.rateLimit({ count: 1, kind: 'primary', retryAfterSeconds: 1, path: `/repos/${full}/pulls/${pull}` });
    const { octokit, limits } = throttledOctokit(gh.token);
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pull });
    expect(data.title).toBe('feat: users');
    expect(limits).toEqual([{ kind: 'primary', retryAfter: expect.any(Number), url: '/repos/{owner}/{repo}/pulls/{pull_number}' }]);
    expect(statuses('GET', `/repos/${full}/pulls/${pull}`)).toEqual([403, 200]);
    expect(gh.requests[0]?.fault).toBe('rate-limit');
  });

  it('retries a secondary rate limit on a write, which then happens once', async () => {
    gh.faults.rateLimit({ count: 1, kind: 'secondary', retryAfterSeconds: 1, method: 'POST' });
    const { octokit, limits } = throttledOctokit(gh.token);
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull, body: 'after the limit' });
    expect(data.body).toBe('after the limit');
    expect(limits.map((limit) => [limit.kind, limit.retryAfter])).toEqual([['secondary', 1]]);
    expect(statuses('POST', `/repos/${full}/issues/${pull}/comments`)).toEqual([403, 201]);
    expect(gh.state.comments(full, pull)).toHaveLength(1);
  });

  it('retries a 429 rate limit', async () => {
    gh.faults.rateLimit({ count: 1, kind: 'primary', status: 429, retryAfterSeconds: 1 });
    const { octokit } = throttledOctokit(gh.token);
    const { data } = await octokit.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: pull });
    expect(data).toEqual([]);
    expect(statuses('GET', `/repos/${full}/issues/${pull}/labels`)).toEqual([429, 200]);
  });

  it('retries a rate limit on a GraphQL mutation', async () => {
    const comment = gh.seed.comment(full, pull, 'old plan');
    gh.faults.rateLimit({ count: 1, kind: 'secondary', retryAfterSeconds: 1, path: '/graphql' });
    const { octokit, limits } = throttledOctokit(gh.token);
    const result = await octokit.graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean } } }>({ query: minimize, id: comment.nodeId, url: gh.graphqlUrl });
    expect(result.minimizeComment.minimizedComment.isMinimized).toBe(true);
    expect(statuses('POST', '/graphql')).toEqual([403, 200]);
    expect(limits.map((limit) => limit.kind)).toEqual(['secondary']);
    expect(gh.state.comments(full, pull)[0]).toMatchObject({ minimized: true, minimizedReason: 'outdated' });
  });

  it('gives up after the configured retries, the answer carrying the headers the plugin reads', async () => {
    await gh.close();
    const clock = new VirtualClock(Date.UTC(2026, 0, 1, 12));
    gh = await startGitHubSimulator({ clock });
    pull = gh.seed.pull(full, { head: 'feature/users', base: 'development' });
    gh.faults.rateLimit({ count: 5, kind: 'primary', retryAfterSeconds: 30 });
    const { octokit, limits } = throttledOctokit(gh.token, 0);
    const error = (await octokit.rest.pulls.get({ owner, repo, pull_number: pull }).catch((caught: unknown) => caught)) as {
      status: number;
      response: { headers: Record<string, string>; data: { message: string } };
    };
    expect(error.status).toBe(403);
    expect(error.response.data.message).toMatch(/API rate limit exceeded/);
    expect(error.response.headers['x-ratelimit-remaining']).toBe('0');
    expect(error.response.headers['x-ratelimit-reset']).toBe(String(Date.UTC(2026, 0, 1, 12) / 1000 + 30));
    expect(error.response.headers['retry-after']).toBe('30');
    expect(statuses('GET', `/repos/${full}/pulls/${pull}`)).toEqual([403]);
    // The virtual reset lies in the caller's past, so the plugin would retry at once.
    expect(limits).toEqual([expect.objectContaining({ kind: 'primary', retryAfter: 0 })]);
    gh.faults.clear();
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pull });
    expect(data.number).toBe(pull);
  });
});

describe('server errors (plugin-retry retries them)', () => {
  it('retries a 502 on a read and a 500 on a write', async () => {
    gh.faults.serverError({ count: 1, status: 502, path: /\/pulls\/\d+\/files$/ });
    gh.faults.serverError({ count: 1, status: 500, path: `/repos/${full}/issues/${pull}/labels`, method: 'POST' });
    const octokit = createGitHubClient(gh.token, { baseUrl: gh.url });

    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pull });
    expect(files.map((file) => file.filename)).toEqual(['app/users.py']);
    expect(statuses('GET', `/repos/${full}/pulls/${pull}/files`)).toEqual([502, 200]);

    const { data: labels } = await octokit.rest.issues.addLabels({ owner, repo, issue_number: pull, labels: ['application'] });
    expect(labels.map((label) => label.name)).toEqual(['application']);
    expect(statuses('POST', `/repos/${full}/issues/${pull}/labels`)).toEqual([500, 200]);
    expect(gh.requests.filter((entry) => entry.fault === 'server-error')).toHaveLength(2);
    expect(gh.state.labels(full, pull)).toEqual(['application']);
  });
});

describe('request log', () => {
  it('counts REST writes and GraphQL mutations as mutating, not reads or GraphQL queries', async () => {
    const octokit = createGitHubClient(gh.token, { baseUrl: gh.url });
    await octokit.rest.pulls.get({ owner, repo, pull_number: pull });
    const { data: comment } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull, body: 'one' });
    const node = await octokit.graphql<{ node: { isMinimized: boolean } }>({ query: 'query($id: ID!) { node(id: $id) { ... on IssueComment { isMinimized } } }', id: comment.node_id, url: gh.graphqlUrl });
    expect(node.node.isMinimized).toBe(false);
    await octokit.graphql({ query: minimize, id: comment.node_id, url: gh.graphqlUrl });

    expect(gh.requests.map((entry) => [entry.method, entry.path, entry.mutating])).toEqual([
      ['GET', `/repos/${full}/pulls/${pull}`, false],
      ['POST', `/repos/${full}/issues/${pull}/comments`, true],
      ['POST', '/graphql', false],
      ['POST', '/graphql', true],
    ]);
    const [rest, mutation] = gh.mutatingCalls();
    expect(rest?.body).toEqual({ body: 'one' });
    expect(mutation?.graphql).toEqual({ type: 'mutation', fields: ['minimizeComment'] });
    expect(gh.requests.every((entry) => typeof entry.at === 'number')).toBe(true);
  });
});

/** The shared GitHub client and sticky comments, against the GitHub simulator over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../packages/action-kit';
import { createGitHubClient, LOOPBACK_WAIT_VARS, upsertStickyComment } from '../../packages/github';
import { loopbackWaits } from '../../packages/github/client';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

const REPO = 'connect2/connect2-api';
let gh: GitHubSimulator;

beforeAll(async () => {
  gh = await startGitHubSimulator();
  process.env.GITHUB_GRAPHQL_URL = gh.graphqlUrl;
});
afterAll(async () => {
  delete process.env.GITHUB_GRAPHQL_URL;
  await gh.close();
});

describe('createGitHubClient', () => {
  it('sends a refused write once: 4xx answers are not retried', async () => {
    const client = createGitHubClient(gh.token, { baseUrl: gh.url });
    const number = gh.seed.pull(REPO, { head: 'feature/a', base: 'development', files: ['app/main.py'] });
    gh.clearRequests();
    await expect(client.rest.issues.createComment({ owner: 'connect2', repo: 'connect2-api', issue_number: number, body: 'x'.repeat(70_000) })).rejects.toMatchObject({ status: 422 });
    expect(gh.mutatingCalls()).toHaveLength(1);
  });

  it('retries a 5xx answer', async () => {
    const client = createGitHubClient(gh.token, { baseUrl: gh.url });
    gh.clearRequests();
    const fault = gh.faults.serverError({ count: 1 });
    const { data } = await client.rest.repos.get({ owner: 'connect2', repo: 'connect2-api' });
    fault.remove();
    expect(data.full_name).toBe(REPO);
    expect(gh.requests.map((r) => r.status)).toEqual([expect.any(Number), 200]);
    expect(gh.requests[0].status).toBeGreaterThanOrEqual(500);
  });
});

describe('the waits meant for github.com', () => {
  const env = { [LOOPBACK_WAIT_VARS.writeSpacingMs]: '0', [LOOPBACK_WAIT_VARS.retryBaseMs]: '0' };

  it('are taken from the environment only for an API on this machine', () => {
    expect(loopbackWaits('http://127.0.0.1:4010', env)).toEqual({ writeSpacingMs: 0, retryBaseMs: 0 });
    expect(loopbackWaits('http://localhost:4010/api/v3', env)).toEqual({ writeSpacingMs: 0, retryBaseMs: 0 });
    expect(loopbackWaits('https://api.github.com', env)).toEqual({});
    expect(loopbackWaits('https://github.example.com/api/v3', env)).toEqual({});
    expect(loopbackWaits('http://127.0.0.1:4010', { [LOOPBACK_WAIT_VARS.writeSpacingMs]: 'none' })).toEqual({ writeSpacingMs: undefined, retryBaseMs: undefined });
  });

  // A lower bound only: a loaded machine can make the gap longer, never shorter.
  it("space writes at least 1 s apart by default (GitHub's recommendation), on loopback too without the variables", async () => {
    const client = createGitHubClient(gh.token, { baseUrl: gh.url, env: {} });
    const number = gh.seed.pull(REPO, { head: 'feature/spacing', base: 'development', files: ['app/main.py'] });
    gh.clearRequests();
    for (const body of ['one', 'two']) await client.rest.issues.createComment({ owner: 'connect2', repo: 'connect2-api', issue_number: number, body });
    const [first, second] = gh.mutatingCalls();
    expect(second.at - first.at).toBeGreaterThanOrEqual(900);
  });

  it('are options: spacing and retry base zero still retry a 5xx and send each write once', async () => {
    const client = createGitHubClient(gh.token, { baseUrl: gh.url, env: {}, writeSpacingMs: 0, retryBaseMs: 0 });
    const number = gh.seed.pull(REPO, { head: 'feature/no-waits', base: 'development', files: ['app/main.py'] });
    gh.clearRequests();
    const fault = gh.faults.serverError({ count: 2 });
    await client.rest.issues.createComment({ owner: 'connect2', repo: 'connect2-api', issue_number: number, body: 'after two 5xx' });
    fault.remove();
    expect(gh.requests.map((r) => r.status >= 500)).toEqual([true, true, false]);
    expect(gh.state.comments(REPO, number).map((c) => c.body)).toEqual(['after two 5xx']);
  });
});

describe('sticky comments', () => {
  it('updates in place, then recreates and minimizes the old one as OUTDATED', async () => {
    const client = createGitHubClient(gh.token, { baseUrl: gh.url });
    const number = gh.seed.pull(REPO, { head: 'feature/b', base: 'development', files: ['app/main.py'] });
    const target = { client, owner: 'connect2', repo: 'connect2-api', issueNumber: number, identity: 'test:dev', log: recordingLogger() };
    const first = await upsertStickyComment(target, 'first');
    const second = await upsertStickyComment(target, 'second');
    expect(first?.action).toBe('created');
    expect(second?.action).toBe('updated');
    expect(second?.id).toBe(first?.id);
    const third = await upsertStickyComment(target, 'third', { mode: 'recreate' });
    expect(third?.action).toBe('recreated');
    const comments = gh.state.comments(REPO, number);
    expect(comments.map((c) => [c.body.split('\n').at(-1), c.minimized])).toEqual([
      ['second', true],
      ['third', false],
    ]);
    expect(await upsertStickyComment({ ...target, identity: 'test:other' }, 'fixed', { onlyIfExists: true })).toBeUndefined();
  });
});

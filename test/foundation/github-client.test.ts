/** The shared GitHub client and sticky comments, against the GitHub simulator over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../packages/action-kit';
import { createGitHubClient, upsertStickyComment } from '../../packages/github';
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

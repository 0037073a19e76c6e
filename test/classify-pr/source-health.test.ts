/**
 * require-healthy-source: a promotion PR's source environment must run its head, deployed with
 * success. The verdict is pure (unit tests); the lookup reads the deployments the deploy workflow
 * records, from the GitHub simulator over HTTP; the bundle fails the step with one line saying what to do.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, readInputs, recordInputs } from '../../packages/action-kit';
import { sourceEnvironment, sourceHealth, verdict, type SourceHealthResult } from '../../packages/classify';
import { checkBranchFlow } from '../../packages/classify';
import { readClassifyConfig } from '../../actions/classify-pr/config';
import { createGitHubClient, latestDeployment } from '../../packages/github';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';
import { pullRequestEvent, runAction } from '../harness/run-action';
import { removeTempDirs } from './git-fixtures';

const REPO = 'connect2/connect2-api';
const repository = { owner: 'connect2', repo: 'connect2-api' };
const HEAD = '1a2b3c4'.padEnd(40, 'd');
const OTHER = '9f8e7d6'.padEnd(40, 'e');

describe('sourceHealth (the verdict)', () => {
  const deployment = (sha: string, state?: string) => ({ id: 12, sha, status: state ? { state, logUrl: 'https://ci/run/7' } : undefined });

  it('is healthy only when the latest deploy is of the head and ended success', () => {
    expect(sourceHealth('dev', 'development', HEAD, deployment(HEAD, 'success'))).toMatchObject({ health: 'healthy', environment: 'dev' });
  });

  it('says what is wrong and what to do otherwise', () => {
    expect(sourceHealth('dev', 'development', HEAD, deployment(HEAD, 'failure'))).toEqual({
      health: 'unhealthy',
      environment: 'dev',
      message: 'dev is not healthy on 1a2b3c4: its last deploy (of 1a2b3c4) ended failure — fix development and redeploy before promoting (deployment 12: https://ci/run/7).',
    });
    expect(sourceHealth('dev', 'development', HEAD, deployment(HEAD, 'error')).health).toBe('unhealthy');
    expect(sourceHealth('dev', 'development', HEAD, deployment(HEAD, 'inactive')).health).toBe('unhealthy');
    // GitHub's auto_inactive: a deploy that succeeded and was then superseded by another task's deployment.
    expect(sourceHealth('dev', 'development', HEAD, { ...deployment(HEAD, 'inactive'), succeeded: true })).toMatchObject({
      health: 'healthy',
      message: expect.stringContaining('dev is healthy on 1a2b3c4 (its deploy succeeded; GitHub marked it inactive after a later deployment there)'),
    });
    expect(sourceHealth('dev', 'development', HEAD, deployment(OTHER, 'success'))).toMatchObject({
      health: 'pending',
      message: expect.stringMatching(/^dev is not healthy on 1a2b3c4: dev runs 9f8e7d6, not the promoted head 1a2b3c4: wait for its deploy/),
    });
    expect(sourceHealth('dev', 'development', HEAD, deployment(HEAD, 'in_progress'))).toMatchObject({
      health: 'pending',
      message: expect.stringContaining('still deploying (in_progress): re-run this check when it ends'),
    });
    expect(sourceHealth('dev', 'development', HEAD, deployment(HEAD)).health).toBe('pending');
    expect(sourceHealth('staging', 'staging', HEAD, undefined)).toMatchObject({ health: 'not-deployed', message: expect.stringContaining('no deploy of staging recorded') });
  });

  it('applies to this repository\'s source branches only, when asked', () => {
    const on = readClassifyConfig(readInputs(recordInputs({ 'require-healthy-source': 'true' })));
    const same = { headRepository: REPO, baseRepository: REPO };
    expect(sourceEnvironment(on, 'development', same)).toBe('dev');
    expect(sourceEnvironment(on, 'refs/heads/staging', same)).toBe('staging');
    expect(sourceEnvironment(on, 'feature/x', same)).toBeUndefined();
    expect(sourceEnvironment(on, 'development', { headRepository: 'someone/connect2-api', baseRepository: REPO })).toBeUndefined();
    expect(sourceEnvironment({ ...on, requireHealthySource: false }, 'development', same)).toBeUndefined();
    const custom = readClassifyConfig(readInputs(recordInputs({ 'require-healthy-source': 'true', 'source-environments': 'develop = development-env' })));
    expect(sourceEnvironment(custom, 'develop', same)).toBe('development-env');
    expect(() => readClassifyConfig(readInputs(recordInputs({ 'source-environments': 'development: dev' })))).toThrow(InputError);
    expect(() => readClassifyConfig(readInputs(recordInputs({ 'source-environments': 'development: dev' })))).toThrow(/^Input 'source-environments' line 1 'development: dev' is not 'branch=environment'/);
  });

  it('fails the verdict unless healthy or skipped', () => {
    const flow = checkBranchFlow([], undefined, undefined);
    const app = { type: 'application' as const, infrastructure: [], application: [{ path: 'a.py' }], ignored: [] };
    const policy = { fail: true, comment: true };
    const health = (value: SourceHealthResult['health']): SourceHealthResult => ({ health: value, message: `it is ${value}` });
    expect(verdict(app, flow, policy, [], health('healthy')).problems).toEqual([]);
    expect(verdict(app, flow, policy, [], health('skipped')).problems).toEqual([]);
    for (const value of ['unhealthy', 'pending', 'not-deployed'] as const) expect(verdict(app, flow, policy, [], health(value)).problems).toEqual([`it is ${value}`]);
  });
});

let gh: GitHubSimulator;
beforeEach(async () => {
  gh = await startGitHubSimulator();
});
afterEach(async () => {
  await gh.close();
});
afterAll(removeTempDirs);

/** What the deploy workflow does: a deployment of `sha` to `environment`, then its statuses. */
async function recordDeploy(environment: string, sha: string, states: string[], task = 'deploy:ecs'): Promise<number> {
  const client = createGitHubClient(gh.token, { baseUrl: gh.url });
  const { data } = await client.rest.repos.createDeployment({ ...repository, ref: sha, environment, task, auto_merge: false, required_contexts: [], payload: { image: 'registry/connect2-api@sha256:' + 'a'.repeat(64), task_definition_arn: 'arn:aws:ecs:us-west-2:1:task-definition/api:3' } });
  const id = (data as { id: number }).id;
  for (const state of states) {
    await client.rest.repos.createDeploymentStatus({ ...repository, deployment_id: id, state: state as 'success', log_url: `https://github.com/${REPO}/actions/runs/${id}` });
  }
  return id;
}

describe('latestDeployment against the GitHub simulator', () => {
  it('reads the highest deployment of the environment and task, and its newest status', async () => {
    const [first, second] = gh.seed.commits(REPO, 2, { branch: 'development' });
    await recordDeploy('dev', first!, ['in_progress', 'success']);
    const id = await recordDeploy('dev', second!, ['in_progress', 'failure']);
    await recordDeploy('staging', second!, ['in_progress', 'success']);
    await recordDeploy('dev', second!, ['success'], 'deploy:other');
    const client = createGitHubClient(gh.token, { baseUrl: gh.url });
    const latest = await latestDeployment(client, repository, { environment: 'dev', task: 'deploy:ecs' });
    expect(latest).toMatchObject({ id, sha: second, environment: 'dev', task: 'deploy:ecs', status: { state: 'failure', logUrl: `https://github.com/${REPO}/actions/runs/${id}` }, succeeded: false });
    expect(await latestDeployment(client, repository, { environment: 'prod', task: 'deploy:ecs' })).toBeUndefined();
  });

  it('says the permission is missing when the token cannot read deployments', async () => {
    const token = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'read', 'pull-requests': 'write' } });
    const client = createGitHubClient(token, { baseUrl: gh.url });
    await expect(latestDeployment(client, repository, { environment: 'dev', task: 'deploy:ecs' })).rejects.toThrow(/^Could not read the deployments of dev: the token lacks the 'deployments: read' permission \(GitHub answered 403/);
  });
});

describe('classify-pr require-healthy-source (bundle)', () => {
  function promotion() {
    const [base] = gh.seed.commits(REPO, 1, { branch: 'staging' });
    const headSha = gh.seed.commit(REPO, { message: 'feat: users', parents: [base!], branch: 'development', files: [{ filename: 'app/users.py' } as never] });
    const number = gh.seed.pull(REPO, { head: 'development', base: 'staging', headSha, baseSha: base, files: ['app/users.py'] });
    return { number, head: 'development', base: 'staging', headSha, baseSha: base!, changedFiles: 1 };
  }
  const classify = (pull: ReturnType<typeof promotion>, inputs: Record<string, string>, token = gh.token) =>
    runAction('classify-pr', { inputs, env: gh.env, eventName: 'pull_request', event: pullRequestEvent(pull), token });

  it('passes a promotion whose source environment runs its head with success', async () => {
    const pull = promotion();
    await recordDeploy('dev', pull.headSha, ['in_progress', 'success']);
    const run = await classify(pull, { 'require-healthy-source': 'true' });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs['source-health']).toBe('healthy');
    expect(run.summary).toMatch(/\| Source environment \| healthy: dev is healthy on [0-9a-f]{7} \(deployment \d+/);
  });

  it('passes a promotion whose source deploy succeeded and was marked inactive by a later deployment there (auto_inactive)', async () => {
    const pull = promotion();
    const id = await recordDeploy('dev', pull.headSha, ['in_progress', 'success']);
    await recordDeploy('dev', pull.headSha, ['success'], 'deploy:docs');
    expect(gh.state.deployments(REPO).find((entry) => entry.id === id)?.statuses.at(-1)?.state).toBe('inactive');
    const run = await classify(pull, { 'require-healthy-source': 'true' });
    expect(run.errors).toEqual([]);
    expect(run.outputs['source-health']).toBe('healthy');
  });

  it('fails a promotion whose source deploy failed, with one line saying what to do', async () => {
    const pull = promotion();
    const id = await recordDeploy('dev', pull.headSha, ['in_progress', 'failure']);
    const run = await classify(pull, { 'require-healthy-source': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['source-health']).toBe('unhealthy');
    expect(run.errors).toEqual([`dev is not healthy on ${pull.headSha.slice(0, 7)}: its last deploy (of ${pull.headSha.slice(0, 7)}) ended failure — fix development and redeploy before promoting (deployment ${id}: https://github.com/${REPO}/actions/runs/${id}).`]);
  });

  it('fails while nothing is deployed, and says a missing permission', async () => {
    const pull = promotion();
    const run = await classify(pull, { 'require-healthy-source': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['source-health']).toBe('not-deployed');
    const token = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'read', 'pull-requests': 'write', issues: 'write' } });
    const denied = await classify(pull, { 'require-healthy-source': 'true' }, token);
    expect(denied.exitCode).toBe(1);
    expect(denied.errors[0]).toMatch(/the token lacks the 'deployments: read' permission/);
  });

  it('skips when off (the default) or not a promotion', async () => {
    const pull = promotion();
    const off = await classify(pull, {});
    expect(off.exitCode).toBe(0);
    expect(off.outputs['source-health']).toBe('skipped');
    const feature = gh.seed.pull(REPO, { head: 'feature/x', base: 'development', files: ['app/x.py'] });
    const run = await classify({ number: feature, head: 'feature/x', base: 'development', headSha: OTHER, baseSha: HEAD, changedFiles: 1 }, { 'require-healthy-source': 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['source-health']).toBe('skipped');
    expect(gh.calls('GET', `/repos/${REPO}/deployments`)).toHaveLength(0);
  });
});

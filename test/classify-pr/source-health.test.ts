/**
 * require-healthy-source: a promotion PR's source environment must run its head, deployed with
 * success. The verdict is pure (unit tests); the lookup reads the deployments the deploy workflow
 * records, from the GitHub simulator over HTTP; the bundle fails the step with one line saying what to do.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, readInputs, recordInputs } from '../../packages/action-kit';
import { healthSinceDeploy, sourceEnvironment, sourceHealth, verdict, type SourceHealthResult } from '../../packages/classify';
import { checkBranchFlow } from '../../packages/classify';
import { readClassifyConfig } from '../../actions/classify-pr/inputs';
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

describe('healthSinceDeploy: a head whose merges since the last deploy start no deploy (issue 26)', () => {
  const deployed = { id: 12, sha: OTHER, status: { state: 'success', logUrl: 'https://ci/run/7' } };
  const applied = (sha: string, terraformSince?: string[]) => ({ deployment: { id: 15, sha, status: { state: 'success', logUrl: 'https://ci/run/9' } }, terraformSince });
  const since = (files: { shipped?: string[]; terraform?: string[]; ignored?: string[] }, apply?: ReturnType<typeof applied>) => ({ deployment: deployed, shipped: [], terraform: [], ignored: [], ...files, apply });

  it('docs only: healthy, naming the deploy it relied on', () => {
    expect(healthSinceDeploy('dev', 'development', HEAD, since({ ignored: ['README.md', 'docs/runbook.md'] }))).toEqual({
      health: 'healthy',
      environment: 'dev',
      message: 'dev is healthy on 1a2b3c4: it runs 9f8e7d6, relying on deployment 12 of 9f8e7d6 (https://ci/run/7); the head adds only files the deploy ignores (2 files: README.md, docs/runbook.md).',
    });
  });

  it('Terraform only, applied by its own successful run: healthy, naming both deployments', () => {
    const result = healthSinceDeploy('dev', 'development', HEAD, since({ terraform: ['infrastructure/terraform/environments/dev/redis.tf'], ignored: ['README.md'] }, applied(HEAD, [])));
    expect(result.health).toBe('healthy');
    expect(result.message).toContain('relying on deployment 12 of 9f8e7d6 (https://ci/run/7)');
    expect(result.message).toContain('Terraform applied by deployment 15 of 1a2b3c4 (https://ci/run/9) (1 file: infrastructure/terraform/environments/dev/redis.tf)');
  });

  it('stays pending while anything the deploy ships changed, or the Terraform is not applied', () => {
    const tf = ['infrastructure/terraform/environments/dev/redis.tf'];
    expect(healthSinceDeploy('dev', 'development', HEAD, since({ shipped: ['app/users.py'], ignored: ['README.md'] }))).toMatchObject({ health: 'pending', message: expect.stringContaining('the head changes what the deploy ships since (1 file: app/users.py): wait for its deploy') });
    expect(healthSinceDeploy('dev', 'development', HEAD, since({ terraform: tf }))).toMatchObject({ health: 'pending', message: expect.stringContaining('with no successful apply of dev recorded') });
    expect(healthSinceDeploy('dev', 'development', HEAD, since({ terraform: tf }, applied(OTHER, tf)))).toMatchObject({ health: 'pending', message: expect.stringContaining('Terraform changed after its last successful apply (9f8e7d6: 1 file') });
    expect(healthSinceDeploy('dev', 'development', HEAD, since({ terraform: tf }, applied(OTHER, undefined)))).toMatchObject({ health: 'pending', message: expect.stringContaining("is not in the head's history") });
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

  describe('after a docs-only or Terraform-only merge since the last deploy (issue 26)', () => {
    /** dev deployed `deployed` with success; then merges of `files` (no ECS deploy); the promotion PR of the head. */
    function mergedSince(...merges: string[][]) {
      const [base] = gh.seed.commits(REPO, 1, { branch: 'staging' });
      const deployed = gh.seed.commit(REPO, { message: 'feat: users', parents: [base!], branch: 'development', files: [{ filename: 'app/users.py' } as never] });
      let headSha = deployed;
      for (const files of merges) headSha = gh.seed.commit(REPO, { message: `chore: ${files[0]}`, parents: [headSha], branch: 'development', files: files.map((filename) => ({ filename }) as never) });
      const all = ['app/users.py', ...merges.flat()];
      const number = gh.seed.pull(REPO, { head: 'development', base: 'staging', headSha, baseSha: base, files: all });
      return { deployed, pull: { number, head: 'development', base: 'staging', headSha, baseSha: base!, changedFiles: all.length } };
    }
    const TF = 'infrastructure/terraform/environments/dev/redis.tf';

    it('passes a head that adds only docs and Terraform its own apply put in place, naming the deploys it relied on', async () => {
      const { deployed, pull } = mergedSince(['README.md'], [TF]);
      const deployId = await recordDeploy('dev', deployed, ['in_progress', 'success']);
      const applyId = await recordDeploy('dev', pull.headSha, ['success'], 'terraform:apply');
      const run = await classify(pull, { 'require-healthy-source': 'true' });
      expect(run.errors).toEqual([]);
      expect(run.outputs['source-health']).toBe('healthy');
      expect(run.log).toContain(`Source environment: dev is healthy on ${pull.headSha.slice(0, 7)}: it runs ${deployed.slice(0, 7)}, relying on deployment ${deployId} of ${deployed.slice(0, 7)}`);
      expect(run.log).toContain(`Terraform applied by deployment ${applyId} of ${pull.headSha.slice(0, 7)}`);
      expect(run.log).toContain('files the deploy ignores (1 file: README.md)');
    });

    it('stays pending when the Terraform was not applied, its apply failed, or the head changed application code', async () => {
      const { deployed, pull } = mergedSince(['docs/runbook.md'], [TF]);
      await recordDeploy('dev', deployed, ['success']);
      const unapplied = await classify(pull, { 'require-healthy-source': 'true' });
      expect(unapplied.exitCode).toBe(1);
      expect(unapplied.outputs['source-health']).toBe('pending');
      expect(unapplied.errors[0]).toContain('with no successful apply of dev recorded');
      await recordDeploy('dev', pull.headSha, ['in_progress', 'failure'], 'terraform:apply');
      expect((await classify(pull, { 'require-healthy-source': 'true' })).outputs['source-health']).toBe('pending');
      const app = mergedSince(['README.md'], ['app/search.py']);
      await recordDeploy('dev', app.deployed, ['success']);
      const shipped = await classify(app.pull, { 'require-healthy-source': 'true' });
      expect(shipped.outputs['source-health']).toBe('pending');
      expect(shipped.errors[0]).toContain('the head changes what the deploy ships since (1 file: app/search.py)');
    });

    it('counts a file as docs only by deploy-ignore-paths (a .txt is shipped unless listed)', async () => {
      const { deployed, pull } = mergedSince(['docs/notes.txt']);
      await recordDeploy('dev', deployed, ['success']);
      expect((await classify(pull, { 'require-healthy-source': 'true' })).outputs['source-health']).toBe('pending');
      const listed = await classify(pull, { 'require-healthy-source': 'true', 'deploy-ignore-paths': '**/*.md\ndocs/**' });
      expect(listed.outputs['source-health']).toBe('healthy');
    });
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

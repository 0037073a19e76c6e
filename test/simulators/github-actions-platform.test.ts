/**
 * Environments, deployments, check runs, workflow runs and artifacts through Octokit: the shapes and
 * filters templates and the workflow player rely on, the permissions they need, and artifact zips
 * that the system `unzip` reads.
 */
import { getOctokit } from '@actions/github';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';
import { crc32 } from '../../packages/simulators/github/zip';

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;
const run = promisify(execFile);

let gh: GitHubSimulator;
let sha: string;

beforeEach(async () => {
  gh = await startGitHubSimulator();
  sha = gh.seed.commit(full, { message: 'init', branch: 'main' });
});

afterEach(async () => {
  await gh.close();
});

const octokit = () => getOctokit(gh.token, { baseUrl: gh.url });

describe('environments and deployments', () => {
  it('answers an environment with its required reviewers, 404 for a missing one; a deployment creates its environment unprotected', async () => {
    gh.seed.environment(full, 'prod', { reviewers: ['alice', 'bob'], branches: ['main'] });
    const { data } = await octokit().request('GET /repos/{owner}/{repo}/environments/{environment_name}', { owner, repo, environment_name: 'prod' });
    expect(data).toMatchObject({ name: 'prod', protection_rules: [{ type: 'required_reviewers', reviewers: [{ type: 'User', reviewer: { login: 'alice' } }, { reviewer: { login: 'bob' } }] }, { type: 'branch_policy' }], deployment_branch_policy: { custom_branch_policies: true } });
    const missing = await octokit().request('GET /repos/{owner}/{repo}/environments/{environment_name}', { owner, repo, environment_name: 'dev' }).catch((error: { status: number }) => error);
    expect(missing).toMatchObject({ status: 404 });

    const { data: deployment } = await octokit().rest.repos.createDeployment({ owner, repo, ref: 'main', environment: 'dev', description: 'deploy dev', auto_merge: false, required_contexts: [] });
    expect(deployment).toMatchObject({ sha, ref: 'main', environment: 'dev', task: 'deploy', description: 'deploy dev' });
    expect(gh.state.environments(full).map((environment) => [environment.name, environment.reviewers])).toEqual([
      ['prod', ['alice', 'bob']],
      ['dev', []],
    ]);
    const id = (deployment as { id: number }).id;
    await octokit().rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'in_progress', log_url: 'https://example.com/log' });
    await octokit().rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'success', description: 'done' });
    const { data: statuses } = await octokit().rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: id });
    expect(statuses.map((status) => [status.state, status.environment, status.log_url])).toEqual([
      ['success', 'dev', ''],
      ['in_progress', 'dev', 'https://example.com/log'],
    ]);
    await octokit().rest.repos.createDeployment({ owner, repo, ref: 'main', environment: 'prod', auto_merge: false, required_contexts: [] });
    const { data: dev } = await octokit().rest.repos.listDeployments({ owner, repo, environment: 'dev' });
    expect(dev.map((entry) => entry.id)).toEqual([id]);
    expect((await octokit().rest.repos.listDeployments({ owner, repo, sha })).data).toHaveLength(2);
    expect(gh.state.deployments(full)[0]!.statuses.map((status) => status.state)).toEqual(['in_progress', 'success']);
  });

  it('production_environment defaults to true only for `production`, as GitHub documents', async () => {
    const create = async (environment: string, extra: Record<string, unknown> = {}) =>
      (await octokit().rest.repos.createDeployment({ owner, repo, ref: 'main', environment, auto_merge: false, required_contexts: [], ...extra })).data as { production_environment?: boolean; transient_environment?: boolean };
    expect(await create('production')).toMatchObject({ production_environment: true, transient_environment: false });
    expect(await create('prod')).toMatchObject({ production_environment: false });
    expect(await create('prod', { production_environment: true })).toMatchObject({ production_environment: true });
    expect(await create('review-7', { transient_environment: true })).toMatchObject({ production_environment: false, transient_environment: true });
  });

  it('auto_inactive: a new success marks the earlier successful deployments of a non-production environment inactive', async () => {
    const deploy = async (environment: string, state: string, extra: Record<string, unknown> = {}, statusExtra: Record<string, unknown> = {}) => {
      const { data } = await octokit().rest.repos.createDeployment({ owner, repo, ref: 'main', environment, task: 'deploy:ecs', auto_merge: false, required_contexts: [], ...extra });
      const id = (data as { id: number }).id;
      await octokit().rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: state as 'success', ...statusExtra });
      return id;
    };
    const states = async (id: number) => (await octokit().rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: id })).data.map((status) => status.state);
    const first = await deploy('dev', 'success');
    const failed = await deploy('dev', 'failure');
    const other = await deploy('staging', 'success');
    const prodFirst = await deploy('prod', 'success', { production_environment: true });
    expect(await states(first)).toEqual(['success']);
    const second = await deploy('dev', 'success');
    expect(await states(first)).toEqual(['inactive', 'success']);
    expect(await states(failed)).toEqual(['failure']);
    expect(await states(other)).toEqual(['success']);
    expect(await states(second)).toEqual(['success']);
    // auto_inactive: false keeps the earlier one; production deployments are never made inactive.
    await deploy('dev', 'success', {}, { auto_inactive: false });
    expect(await states(second)).toEqual(['success']);
    await deploy('prod', 'success', { production_environment: true });
    expect(await states(prodFirst)).toEqual(['success']);
    await deploy('dev', 'success');
    expect(await states(second)).toEqual(['inactive', 'success']);
  });

  it('needs the deployments permission', async () => {
    const token = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'write' } });
    const error = await getOctokit(token, { baseUrl: gh.url }).rest.repos.createDeployment({ owner, repo, ref: 'main' }).catch((caught: { status: number }) => caught);
    expect(error).toMatchObject({ status: 403 });
    expect(gh.state.deployments(full)).toEqual([]);
  });
});

describe('check runs, workflow runs and artifacts', () => {
  it('lists check runs of a commit, filtered by name', async () => {
    gh.seed.checkRun(full, { name: 'plan (dev)', headSha: sha, status: 'completed', conclusion: 'success', runId: 7 });
    gh.seed.checkRun(full, { name: 'lint', headSha: sha, status: 'in_progress' });
    const { data } = await octokit().rest.checks.listForRef({ owner, repo, ref: 'main', check_name: 'plan (dev)' });
    expect(data.total_count).toBe(1);
    expect(data.check_runs[0]).toMatchObject({ name: 'plan (dev)', head_sha: sha, status: 'completed', conclusion: 'success', app: { slug: 'github-actions' } });
    expect(gh.state.checkRuns(full, sha).map((entry) => [entry.name, entry.conclusion])).toEqual([
      ['plan (dev)', 'success'],
      ['lint', null],
    ]);
  });

  it('finds an earlier run by workflow file, event, head sha, branch and status, and downloads its artifact as a real zip', async () => {
    const old = gh.seed.workflowRun(full, { workflowFile: 'terraform.yml', name: 'Terraform', event: 'pull_request', headSha: sha, headBranch: 'feature/x', status: 'completed', conclusion: 'failure' });
    const good = gh.seed.workflowRun(full, { id: 555, workflowFile: 'terraform.yml', name: 'Terraform', event: 'pull_request', headSha: sha, headBranch: 'feature/x', status: 'completed', conclusion: 'success' });
    gh.seed.workflowRun(full, { workflowFile: 'terraform.yml', name: 'Terraform', event: 'push', headSha: sha, headBranch: 'main', status: 'completed', conclusion: 'success' });
    gh.seed.workflowRun(full, { workflowFile: 'deploy.yml', name: 'Deploy', event: 'pull_request', headSha: sha, headBranch: 'feature/x', status: 'completed', conclusion: 'success' });
    const artifact = gh.seed.artifact(full, good, 'terraform-plan-digest-dev', { 'digest.txt': 'sha256:abc\n', 'nested/plan.txt': Buffer.from('plan') });
    expect(good).toBe(555);

    const { data } = await octokit().rest.actions.listWorkflowRuns({ owner, repo, workflow_id: 'terraform.yml', event: 'pull_request', head_sha: sha, branch: 'feature/x' });
    expect(data.workflow_runs.map((entry) => entry.id)).toEqual([good, old]);
    expect(data.workflow_runs[0]).toMatchObject({ path: '.github/workflows/terraform.yml', event: 'pull_request', head_sha: sha, conclusion: 'success', run_number: 2 });
    const { data: successes } = await octokit().rest.actions.listWorkflowRuns({ owner, repo, workflow_id: 'terraform.yml', status: 'success', event: 'pull_request' });
    expect(successes.workflow_runs.map((entry) => entry.id)).toEqual([good]);
    await expect(octokit().rest.actions.getWorkflowRun({ owner, repo, run_id: good })).resolves.toMatchObject({ data: { id: good, name: 'Terraform' } });

    const { data: artifacts } = await octokit().rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: good });
    expect(artifacts.artifacts).toMatchObject([{ id: artifact, name: 'terraform-plan-digest-dev', expired: false, workflow_run: { id: good, head_sha: sha } }]);
    const download = await octokit().rest.actions.downloadArtifact({ owner, repo, artifact_id: artifact, archive_format: 'zip' });
    const dir = mkdtempSync(join(tmpdir(), 'gh-artifact-'));
    try {
      writeFileSync(join(dir, 'a.zip'), Buffer.from(download.data as ArrayBuffer));
      const listing = await run('unzip', ['-Z1', join(dir, 'a.zip')]).catch(() => undefined);
      if (!listing) console.warn('SKIPPED: unzip is not installed; the zip was not checked with it.');
      else {
        expect(listing.stdout.trim().split('\n')).toEqual(['digest.txt', 'nested/plan.txt']);
        expect((await run('unzip', ['-p', join(dir, 'a.zip'), 'digest.txt'])).stdout).toBe('sha256:abc\n');
        await run('unzip', ['-tq', join(dir, 'a.zip')]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs actions: read', async () => {
    const runId = gh.seed.workflowRun(full, { workflowFile: 'terraform.yml', event: 'push', headSha: sha, headBranch: 'main' });
    const token = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'read' } });
    const error = await getOctokit(token, { baseUrl: gh.url }).rest.actions.getWorkflowRun({ owner, repo, run_id: runId }).catch((caught: { status: number }) => caught);
    expect(error).toMatchObject({ status: 403 });
  });

  it('computes CRC-32 as zip does', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

/**
 * A short, dedicated set of calls that crosses every REST operation the product, the templates and
 * the `gh` shim use, through the recording proxy: Octokit, as the product uses it,
 * and the `gh` shim, against a seeded GitHub simulator. Successes, errors (404, 422, 409) and pages.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import type { GitHubSimulator } from '../../packages/simulators/github';
import { GH_SHIM_DIR } from '../../packages/workflow-player';
import type { Recorder } from './recorder';

const REPO = 'connect2/connect2-api';
const [owner, repo] = REPO.split('/') as [string, string];

/** Seeds the repository the calls read: branches, an annotated tag, a pull, a release, a run. */
export function seedWorld(gh: GitHubSimulator) {
  const root = gh.seed.commit(REPO, { message: 'chore: init', parents: [], branch: 'main', files: [{ filename: 'README.md' }] });
  gh.seed.commits(REPO, 3, { branch: 'main', message: (i) => `fix: change ${i}` });
  const main = gh.state.refs(REPO)['refs/heads/main']!;
  gh.seed.branch(REPO, 'development', main);
  gh.seed.tag(REPO, 'v1.0.0', root, { annotated: true, message: 'v1.0.0' });
  gh.seed.tag(REPO, 'v1.0.1', main);
  const files = Array.from({ length: 35 }, (_, i) => `app/module_${i}.py`);
  const pull = gh.seed.pull(REPO, { head: 'feature/users', base: 'development', title: 'feat: users', body: 'Adds users', user: 'alice', labels: ['type:application'], files: [...files, { filename: 'infra/new.tf', status: 'renamed', previous_filename: 'infra/old.tf' }] });
  gh.seed.release(REPO, { tag_name: 'v1.0.1', name: 'v1.0.1', body: 'notes' });
  gh.seed.environment(REPO, 'production', { reviewers: ['alice'], branches: ['main'] });
  const run = gh.seed.workflowRun(REPO, { workflowFile: 'terraform.yml', name: 'Terraform', event: 'pull_request', headSha: main, headBranch: 'feature/users' });
  gh.seed.artifact(REPO, run, 'terraform-plan-digest-dev', { 'digest.txt': 'sha256:abc\n' });
  return { root, main, pull, run };
}

const swallow = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch {
    // The error answer is what is recorded.
  }
};

/** Octokit through the recorder: every REST operation it (and the templates) call. */
export async function restCalls(recorder: Recorder, token: string, world: ReturnType<typeof seedWorld>): Promise<void> {
  // The Octokit the product's client is built on, without the throttling plugin (which spaces writes
  // a second apart): the answers are the same, the suite stays fast.
  const client = getOctokit(token, { baseUrl: recorder.url });
  const r = { owner, repo };
  await client.rest.repos.get(r);
  await client.rest.pulls.get({ ...r, pull_number: world.pull });
  await client.rest.pulls.list({ ...r, state: 'all' });
  await client.rest.pulls.listFiles({ ...r, pull_number: world.pull, per_page: 30 });
  await client.rest.pulls.listCommits({ ...r, pull_number: world.pull });
  await client.rest.repos.listCommits({ ...r, sha: 'main', per_page: 2 });
  await client.rest.repos.getCommit({ ...r, ref: world.main });
  await client.rest.repos.compareCommitsWithBasehead({ ...r, basehead: `${world.root}...${world.main}`, per_page: 2, page: 1 });
  await client.rest.repos.listPullRequestsAssociatedWithCommit({ ...r, commit_sha: world.main });
  await client.rest.repos.listTags(r);
  await client.rest.git.getRef({ ...r, ref: 'tags/v1.0.0' });
  const tagRef = await client.rest.git.getRef({ ...r, ref: 'tags/v1.0.0' });
  await client.rest.git.getTag({ ...r, tag_sha: tagRef.data.object.sha });
  await client.rest.git.listMatchingRefs({ ...r, ref: 'tags/v' });
  await client.rest.git.createRef({ ...r, ref: 'refs/tags/v9.9.9', sha: world.main });
  await client.rest.git.updateRef({ ...r, ref: 'tags/v9.9.9', sha: world.root, force: true });
  await client.rest.repos.listReleases({ ...r, per_page: 100 });
  await client.rest.repos.getLatestRelease(r);
  await client.rest.repos.getReleaseByTag({ ...r, tag: 'v1.0.1' });
  const release = await client.rest.repos.createRelease({ ...r, tag_name: 'v2.0.0', target_commitish: world.main, name: 'v2.0.0', body: 'notes' });
  await client.rest.repos.updateRelease({ ...r, release_id: release.data.id, body: 'better notes' });
  const comment = await client.rest.issues.createComment({ ...r, issue_number: world.pull, body: 'plan' });
  await client.rest.issues.updateComment({ ...r, comment_id: comment.data.id, body: 'plan, updated' });
  await client.rest.issues.listComments({ ...r, issue_number: world.pull });
  await client.rest.issues.addLabels({ ...r, issue_number: world.pull, labels: ['type:infrastructure'] });
  await client.rest.issues.listLabelsOnIssue({ ...r, issue_number: world.pull });
  await client.rest.issues.removeLabel({ ...r, issue_number: world.pull, name: 'type:infrastructure' });
  const deployment = await client.rest.repos.createDeployment({ ...r, ref: world.main, environment: 'dev', task: 'deploy:ecs', auto_merge: false, required_contexts: [], payload: { task_definition_arn: 'arn:aws:ecs:us-west-2:123456789012:task-definition/connect2-api-dev:1' } });
  const id = (deployment.data as { id: number }).id;
  await client.rest.repos.createDeploymentStatus({ ...r, deployment_id: id, state: 'success', environment: 'dev' });
  await client.rest.repos.listDeployments({ ...r, environment: 'dev' });
  await client.rest.repos.listDeploymentStatuses({ ...r, deployment_id: id, per_page: 1 });
  await client.rest.repos.getEnvironment({ ...r, environment_name: 'production' });
  await client.rest.actions.listWorkflowRuns({ ...r, workflow_id: 'terraform.yml' });
  await client.rest.actions.listWorkflowRunArtifacts({ ...r, run_id: world.run });
  await client.rest.pulls.merge({ ...r, pull_number: world.pull });
  // Errors, as the product meets them.
  await swallow(client.rest.repos.getReleaseByTag({ ...r, tag: 'v0.0.0' }));
  await swallow(client.rest.git.getRef({ ...r, ref: 'tags/nope' }));
  await swallow(client.rest.git.createRef({ ...r, ref: 'refs/tags/v9.9.9', sha: world.main }));
  await swallow(client.rest.repos.createRelease({ ...r, tag_name: 'v2.0.0' }));
  await swallow(client.rest.issues.createComment({ ...r, issue_number: world.pull, body: 'x'.repeat(65_537) }));
  await swallow(client.rest.pulls.get({ ...r, pull_number: 999 }));
}

/** The `gh` shim's calls, as the templates make them. Needs `jq` only for `--jq`, so none is used. */
export async function shimCalls(recorder: Recorder, token: string, world: ReturnType<typeof seedWorld>): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'contract-gh-'));
  const env = { PATH: process.env.PATH ?? '', HOME: tmp, GH_TOKEN: token, GITHUB_API_URL: recorder.url, GITHUB_REPOSITORY: REPO };
  const gh = (args: string[]) => new Promise<void>((done) => execFile(path.join(GH_SHIM_DIR, 'gh'), args, { env, cwd: tmp }, () => done()));
  await Promise.all([
    gh(['pr', 'view', String(world.pull), '--json', 'url,number,title,author']),
    gh(['pr', 'list', '--base', 'development', '--state', 'all', '--json', 'number']),
    gh(['run', 'list', '--workflow', 'terraform.yml', '--json', 'databaseId']),
    gh(['api', `repos/${REPO}/environments/production`]),
    gh(['api', `repos/${REPO}/deployments?environment=dev&per_page=100`]),
  ]);
  writeFileSync(path.join(tmp, 'pr.md'), 'Promotes development');
  await gh(['pr', 'create', '--base', 'main', '--head', 'development', '--title', 'Promote', '--body-file', path.join(tmp, 'pr.md')]);
}

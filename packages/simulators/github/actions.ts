/**
 * What workflows and the workflow player look up about Actions: environments (protection rules:
 * required reviewers, deployment branches), deployments and their statuses, check runs, workflow runs
 * and their artifacts (downloaded as real zip files). Environments are created unprotected on first
 * use (a deployment naming a new one), as GitHub does.
 */
import { resolveCommitish } from './git-refs';
import { HttpError, created, isoTime, notFound, ok, optionalBoolean, optionalString, validationFailed } from './http';
import type { Reply } from './http';
import type { ArtifactRecord, CheckRunRecord, DeploymentRecord, DeploymentStatusRecord, EnvironmentRecord, RepoRecord, WorkflowRunRecord } from './model';
import { paginate } from './pagination';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';
import { zip } from './zip';

export interface EnvironmentInput {
  reviewers?: string[];
  branches?: string[];
  preventSelfReview?: boolean;
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  status?: CheckRunRecord['status'];
  conclusion?: string | null;
  runId?: number;
}

export interface WorkflowRunInput {
  id?: number;
  /** The file name under .github/workflows (`terraform.yml`). */
  workflowFile: string;
  name?: string;
  event: string;
  headSha: string;
  headBranch: string;
  status?: string;
  conclusion?: string | null;
}

/** Creates the environment or updates its protection (only the fields given). */
export function upsertEnvironment(store: GitHubStore, repo: RepoRecord, name: string, input: EnvironmentInput = {}): EnvironmentRecord {
  let environment = repo.environments.get(name.toLowerCase());
  if (!environment) {
    environment = { id: store.nextId('environment'), name, reviewers: [], branches: [], preventSelfReview: false, createdAt: store.now() };
    repo.environments.set(name.toLowerCase(), environment);
  }
  if (input.reviewers) environment.reviewers = [...input.reviewers];
  if (input.branches) environment.branches = [...input.branches];
  if (input.preventSelfReview !== undefined) environment.preventSelfReview = input.preventSelfReview;
  return environment;
}

export function addCheckRun(store: GitHubStore, repo: RepoRecord, input: CheckRunInput): CheckRunRecord {
  const now = store.now();
  const status = input.status ?? 'completed';
  const record: CheckRunRecord = {
    id: store.nextId('check_run'),
    name: input.name,
    headSha: input.headSha,
    status,
    conclusion: status === 'completed' ? (input.conclusion ?? 'success') : null,
    ...(input.runId !== undefined ? { runId: input.runId } : {}),
    startedAt: now,
    completedAt: status === 'completed' ? now : null,
  };
  repo.checkRuns.push(record);
  return record;
}

export function addWorkflowRun(store: GitHubStore, repo: RepoRecord, input: WorkflowRunInput): WorkflowRunRecord {
  const id = input.id ?? store.nextId('workflow_run');
  if (repo.workflowRuns.has(id)) throw new Error(`Workflow run ${id} already exists in ${repo.fullName}.`);
  const runNumber = [...repo.workflowRuns.values()].filter((run) => run.workflowFile === input.workflowFile).length + 1;
  const status = input.status ?? 'completed';
  const record: WorkflowRunRecord = {
    id,
    workflowFile: input.workflowFile,
    name: input.name ?? input.workflowFile,
    event: input.event,
    headSha: input.headSha,
    headBranch: input.headBranch,
    status,
    conclusion: status === 'completed' ? (input.conclusion ?? 'success') : (input.conclusion ?? null),
    runNumber,
    createdAt: store.now(),
  };
  repo.workflowRuns.set(id, record);
  return record;
}

/** A run moves on (queued -> in_progress -> completed), as the player plays it. */
export function updateWorkflowRun(repo: RepoRecord, id: number, update: { status: WorkflowRunRecord['status']; conclusion?: WorkflowRunRecord['conclusion'] }): void {
  const run = repo.workflowRuns.get(id);
  if (!run) throw new Error(`No workflow run ${id} in ${repo.fullName}.`);
  run.status = update.status;
  run.conclusion = update.status === 'completed' ? (update.conclusion ?? 'success') : (update.conclusion ?? null);
}

export function addArtifact(store: GitHubStore, repo: RepoRecord, runId: number, name: string, files: Record<string, string | Buffer>): ArtifactRecord {
  if (!repo.workflowRuns.has(runId)) throw new Error(`No workflow run ${runId} in ${repo.fullName}; seed it first.`);
  const record: ArtifactRecord = { id: store.nextId('artifact'), runId, name, zip: zip(files), createdAt: store.now() };
  repo.artifacts.set(record.id, record);
  return record;
}

const workflowId = (file: string) => 160_000_000 + [...file].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) % 1_000_000, 7);

export function renderEnvironment(store: GitHubStore, repo: RepoRecord, environment: EnvironmentRecord): Record<string, unknown> {
  const rules: Record<string, unknown>[] = [];
  if (environment.reviewers.length > 0) {
    rules.push({
      id: environment.id + 1,
      node_id: store.nodeId('environment', environment.id + 1),
      type: 'required_reviewers',
      prevent_self_review: environment.preventSelfReview,
      reviewers: environment.reviewers.map((login) => ({ type: 'User', reviewer: store.renderUser(store.user(login)) })),
    });
  }
  if (environment.branches.length > 0) rules.push({ id: environment.id + 2, node_id: store.nodeId('environment', environment.id + 2), type: 'branch_policy' });
  return {
    id: environment.id,
    node_id: store.nodeId('environment', environment.id),
    name: environment.name,
    url: `${store.repoApiUrl(repo)}/environments/${encodeURIComponent(environment.name)}`,
    html_url: `${store.repoHtmlUrl(repo)}/deployments/activity_log?environments_filter=${encodeURIComponent(environment.name)}`,
    created_at: isoTime(environment.createdAt),
    updated_at: isoTime(environment.createdAt),
    can_admins_bypass: true,
    protection_rules: rules,
    deployment_branch_policy: environment.branches.length > 0 ? { protected_branches: false, custom_branch_policies: true } : null,
    // Not GitHub's shape, for the player: the branch name patterns of the custom policy.
    branch_policies: environment.branches.map((name) => ({ name, type: 'branch' })),
  };
}

function renderDeployment(store: GitHubStore, repo: RepoRecord, deployment: DeploymentRecord): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  return {
    url: `${api}/deployments/${deployment.id}`,
    id: deployment.id,
    node_id: store.nodeId('deployment', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: store.renderUser(deployment.creator),
    created_at: isoTime(deployment.createdAt),
    updated_at: isoTime(deployment.statuses.at(-1)?.createdAt ?? deployment.createdAt),
    statuses_url: `${api}/deployments/${deployment.id}/statuses`,
    repository_url: api,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
  };
}

function renderStatus(store: GitHubStore, repo: RepoRecord, deployment: DeploymentRecord, status: DeploymentStatusRecord): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  return {
    url: `${api}/deployments/${deployment.id}/statuses/${status.id}`,
    id: status.id,
    node_id: store.nodeId('deployment_status', status.id),
    state: status.state,
    creator: store.renderUser(status.creator),
    description: status.description,
    environment: status.environment,
    target_url: status.logUrl,
    log_url: status.logUrl,
    environment_url: status.environmentUrl,
    created_at: isoTime(status.createdAt),
    updated_at: isoTime(status.createdAt),
    deployment_url: `${api}/deployments/${deployment.id}`,
    repository_url: api,
  };
}

function renderCheckRun(store: GitHubStore, repo: RepoRecord, run: CheckRunRecord): Record<string, unknown> {
  const html = store.repoHtmlUrl(repo);
  return {
    id: run.id,
    node_id: store.nodeId('check_run', run.id),
    name: run.name,
    head_sha: run.headSha,
    status: run.status,
    conclusion: run.conclusion,
    started_at: isoTime(run.startedAt),
    completed_at: run.completedAt === null ? null : isoTime(run.completedAt),
    url: `${store.repoApiUrl(repo)}/check-runs/${run.id}`,
    html_url: run.runId ? `${html}/actions/runs/${run.runId}/job/${run.id}` : `${html}/runs/${run.id}`,
    details_url: run.runId ? `${html}/actions/runs/${run.runId}/job/${run.id}` : `${html}/runs/${run.id}`,
    output: { title: null, summary: null, text: null, annotations_count: 0 },
    app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' },
    check_suite: { id: run.runId ?? run.id },
  };
}

function renderRun(store: GitHubStore, repo: RepoRecord, run: WorkflowRunRecord): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  const html = store.repoHtmlUrl(repo);
  return {
    id: run.id,
    name: run.name,
    node_id: store.nodeId('workflow_run', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: `.github/workflows/${run.workflowFile}`,
    display_title: run.name,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: workflowId(run.workflowFile),
    url: `${api}/actions/runs/${run.id}`,
    html_url: `${html}/actions/runs/${run.id}`,
    artifacts_url: `${api}/actions/runs/${run.id}/artifacts`,
    created_at: isoTime(run.createdAt),
    updated_at: isoTime(run.createdAt),
    run_started_at: isoTime(run.createdAt),
    actor: store.renderUser(store.actor),
    triggering_actor: store.renderUser(store.actor),
    repository: { id: repo.id, name: repo.name, full_name: repo.fullName },
    head_repository: { id: repo.id, name: repo.name, full_name: repo.fullName },
    pull_requests: [],
  };
}

function renderArtifact(store: GitHubStore, repo: RepoRecord, artifact: ArtifactRecord): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  const run = repo.workflowRuns.get(artifact.runId);
  return {
    id: artifact.id,
    node_id: store.nodeId('artifact', artifact.id),
    name: artifact.name,
    size_in_bytes: artifact.zip.length,
    url: `${api}/actions/artifacts/${artifact.id}`,
    archive_download_url: `${api}/actions/artifacts/${artifact.id}/zip`,
    expired: false,
    created_at: isoTime(artifact.createdAt),
    updated_at: isoTime(artifact.createdAt),
    expires_at: isoTime(artifact.createdAt + 90 * 86_400_000),
    workflow_run: run ? { id: run.id, repository_id: repo.id, head_repository_id: repo.id, head_branch: run.headBranch, head_sha: run.headSha } : null,
  };
}

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

/** `{ total_count, <key>: [...] }` pages, as the Actions and checks lists answer. */
function countedList<T>(context: RouteContext<GitHubStore>, key: string, items: readonly T[], render: (item: T) => unknown) {
  const { items: slice, headers } = paginate(context.url, context.query, items);
  return ok({ total_count: items.length, [key]: slice.map(render) }, 200, headers);
}

const DEPLOYMENT_STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);
const CONCLUSIONS = new Set(['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required', 'stale']);

function deploymentOr404(repo: RepoRecord, id: string): DeploymentRecord {
  const deployment = repo.deployments.get(Number(id));
  if (!deployment) throw notFound();
  return deployment;
}

export function registerActionsRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo/environments', listEnvironments);
  router.on('GET', '/repos/:owner/:repo/environments/:name', getEnvironment);
  router.on('POST', '/repos/:owner/:repo/deployments', postDeployment);
  router.on('GET', '/repos/:owner/:repo/deployments', listDeployments);
  router.on('GET', '/repos/:owner/:repo/deployments/:id', getDeployment);
  router.on('POST', '/repos/:owner/:repo/deployments/:id/statuses', postDeploymentStatus);
  router.on('GET', '/repos/:owner/:repo/deployments/:id/statuses', listDeploymentStatuses);
  router.on('GET', '/repos/:owner/:repo/commits/:ref/check-runs', listCheckRuns);
  router.on('GET', '/repos/:owner/:repo/actions/workflows/:workflow/runs', (context) => listRuns(context, context.params.workflow!));
  router.on('GET', '/repos/:owner/:repo/actions/runs', (context) => listRuns(context));
  router.on('GET', '/repos/:owner/:repo/actions/runs/:id', getRun);
  router.on('GET', '/repos/:owner/:repo/actions/runs/:id/artifacts', listRunArtifacts);
  router.on('GET', '/repos/:owner/:repo/actions/artifacts/:id', getArtifact);
  router.on('GET', '/repos/:owner/:repo/actions/artifacts/:id/zip', downloadArtifact);
}

const listRuns = (context: RouteContext<GitHubStore>, workflow?: string) => {
  const repo = repoOf(context);
  const { query } = context;
  const status = query.get('status');
  // Newest first: by creation time, then the later seeded (stable sort over the reversed insertion order).
  const runs = [...repo.workflowRuns.values()]
    .reverse()
    .filter((run) => !workflow || run.workflowFile === workflow || String(workflowId(run.workflowFile)) === workflow)
    .filter((run) => !query.get('event') || run.event === query.get('event'))
    .filter((run) => !query.get('head_sha') || run.headSha === query.get('head_sha'))
    .filter((run) => !query.get('branch') || run.headBranch === query.get('branch'))
    // GitHub's `status` filter takes a status or a conclusion.
    .filter((run) => !status || run.status === status || (CONCLUSIONS.has(status) && run.conclusion === status))
    .sort((a, b) => b.createdAt - a.createdAt);
  return countedList(context, 'workflow_runs', runs, (run) => renderRun(context.state, repo, run));
};

function listEnvironments(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  return countedList(context, 'environments', [...repo.environments.values()], (environment) => renderEnvironment(context.state, repo, environment));
}

function getEnvironment(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const environment = repo.environments.get(context.params.name!.toLowerCase());
  if (!environment) throw notFound();
  return ok(renderEnvironment(context.state, repo, environment));
}

function postDeployment(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const body = context.body as Record<string, unknown>;
  const ref = optionalString(body, 'ref', 'Deployment');
  if (!ref) throw validationFailed({ resource: 'Deployment', code: 'missing_field', field: 'ref' });
  const sha = resolveCommitish(repo, ref);
  if (!sha) throw new HttpError(422, `No ref found for: ${ref}`);
  const environment = optionalString(body, 'environment', 'Deployment') ?? 'production';
  upsertEnvironment(context.state, repo, environment);
  const deployment: DeploymentRecord = {
    id: context.state.nextId('deployment'),
    sha,
    ref,
    task: optionalString(body, 'task', 'Deployment') ?? 'deploy',
    payload: body.payload ?? {},
    environment,
    description: optionalString(body, 'description', 'Deployment') ?? null,
    productionEnvironment: optionalBoolean(body, 'production_environment', 'Deployment') ?? environment === 'production',
    transientEnvironment: optionalBoolean(body, 'transient_environment', 'Deployment') ?? false,
    creator: context.actor,
    createdAt: context.state.now(),
    statuses: [],
  };
  repo.deployments.set(deployment.id, deployment);
  return created(renderDeployment(context.state, repo, deployment));
}

function listDeployments(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const { query } = context;
  const list = [...repo.deployments.values()]
    .filter((deployment) => !query.get('environment') || deployment.environment === query.get('environment'))
    .filter((deployment) => !query.get('sha') || deployment.sha === query.get('sha'))
    .filter((deployment) => !query.get('ref') || deployment.ref === query.get('ref'))
    .filter((deployment) => !query.get('task') || deployment.task === query.get('task'))
    .reverse();
  const { items, headers } = paginate(context.url, query, list);
  return ok(items.map((deployment) => renderDeployment(context.state, repo, deployment)), 200, headers);
}

function getDeployment(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  return ok(renderDeployment(context.state, repo, deploymentOr404(repo, context.params.id!)));
}

function postDeploymentStatus(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const deployment = deploymentOr404(repo, context.params.id!);
  const body = context.body as Record<string, unknown>;
  const state = optionalString(body, 'state', 'DeploymentStatus');
  if (!state || !DEPLOYMENT_STATES.has(state)) throw validationFailed({ resource: 'DeploymentStatus', code: 'invalid', field: 'state' });
  const environment = optionalString(body, 'environment', 'DeploymentStatus') ?? deployment.environment;
  const status: DeploymentStatusRecord = {
    id: context.state.nextId('deployment_status'),
    state: state as DeploymentStatusRecord['state'],
    environment,
    description: optionalString(body, 'description', 'DeploymentStatus') ?? '',
    logUrl: optionalString(body, 'log_url', 'DeploymentStatus') ?? optionalString(body, 'target_url', 'DeploymentStatus') ?? '',
    environmentUrl: optionalString(body, 'environment_url', 'DeploymentStatus') ?? '',
    creator: context.actor,
    createdAt: context.state.now(),
  };
  const autoInactive = optionalBoolean(body, 'auto_inactive', 'DeploymentStatus') ?? true;
  deployment.statuses.push(status);
  if (state === 'success' && autoInactive) inactivatePriorDeployments(context, repo, deployment);
  return created(renderStatus(context.state, repo, deployment, status));
}

/**
 * GitHub's `auto_inactive` (default true): a new `success` status adds an `inactive` status to every
 * prior non-transient, non-production deployment of the same environment whose newest status is
 * `success`. (Production deployments keep theirs; hence deploy.yml's `production_environment`.)
 */
function inactivatePriorDeployments(context: RouteContext<GitHubStore>, repo: RepoRecord, current: DeploymentRecord): void {
  for (const deployment of repo.deployments.values()) {
    if (deployment.id >= current.id || deployment.environment !== current.environment) continue;
    if (deployment.transientEnvironment || deployment.productionEnvironment || deployment.statuses.at(-1)?.state !== 'success') continue;
    deployment.statuses.push({
      ...deployment.statuses.at(-1)!,
      id: context.state.nextId('deployment_status'),
      state: 'inactive',
      description: '',
      creator: context.actor,
      createdAt: context.state.now(),
    });
  }
}

function listDeploymentStatuses(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const deployment = deploymentOr404(repo, context.params.id!);
  const { items, headers } = paginate(context.url, context.query, [...deployment.statuses].reverse());
  return ok(items.map((status) => renderStatus(context.state, repo, deployment, status)), 200, headers);
}

function listCheckRuns(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const sha = resolveCommitish(repo, context.params.ref!) ?? context.params.ref!;
  const name = context.query.get('check_name');
  const status = context.query.get('status');
  const runs = repo.checkRuns.filter((run) => run.headSha === sha && (!name || run.name === name) && (!status || run.status === status)).reverse();
  return countedList(context, 'check_runs', runs, (run) => renderCheckRun(context.state, repo, run));
}

function getRun(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const run = repo.workflowRuns.get(Number(context.params.id));
  if (!run) throw notFound();
  return ok(renderRun(context.state, repo, run));
}

function listRunArtifacts(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const runId = Number(context.params.id);
  if (!repo.workflowRuns.has(runId)) throw notFound();
  const name = context.query.get('name');
  const artifacts = [...repo.artifacts.values()].filter((artifact) => artifact.runId === runId && (!name || artifact.name === name));
  return countedList(context, 'artifacts', artifacts, (artifact) => renderArtifact(context.state, repo, artifact));
}

function getArtifact(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const artifact = repo.artifacts.get(Number(context.params.id));
  if (!artifact) throw notFound();
  return ok(renderArtifact(context.state, repo, artifact));
}

function downloadArtifact(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const artifact = repo.artifacts.get(Number(context.params.id));
  if (!artifact) throw notFound();
  // GitHub redirects to blob storage; the simulator answers the zip itself (clients follow either way).
  return { status: 200, raw: artifact.zip, headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename=${artifact.name}.zip` } };
}



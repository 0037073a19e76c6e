/**
 * The story the rehearsal plays, as GitHub events through the workflow templates: people push, open,
 * merge and approve; the player starts the workflows GitHub would start and plays them; each stage
 * then checks what a user would see: check conclusions, PR comments, services in ECS, releases.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { shortArn } from '../../packages/aws';
import type { NotificationReceiver } from './notifications';
import type { Scenario } from '../../packages/simulators/aws';
import type { RunRecord, WorkflowPlayer } from '../../packages/workflow-player';
import { PLAN_SECRETS, redisFiles, scaleDevFiles, usersEndpointFiles } from './app-files';
import { failingMigration, gunicornWorkersPython, usersTableMigration, withoutGunicornPython } from './app-python';
import type { RealStack } from './real-stack';
import { deadlockedJobs, expectThat, job, jobsLine, prRef, runsOf, step, stepLine } from './checks';
import type { Developer } from './developer';
import { PROD_REVIEWERS } from './settings';
import type { Timeline } from './timeline';
import { FULL_REPO, environment, type AwsSimulator, type Environment, type GitHubSimulator } from './world';

/** The users table's revision, as Alembic names it in `Running upgrade`. */
const USERS_TABLE = '3f2a1c -> 8b9d4e, add users table';
const MIGRATION_OK = ['INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.', 'INFO  [alembic.runtime.migration] Will assume transactional DDL.', 'INFO  [alembic.runtime.migration] Running upgrade 3f2a1c -> 8b9d4e, add users table'];
const MIGRATION_BROKEN = ['INFO  [alembic.runtime.migration] Running upgrade 8b9d4e -> c41f07, add orders table', 'sqlalchemy.exc.ProgrammingError: (psycopg.errors.UndefinedTable) relation "customers" does not exist'];
export const CRASH_LOOP: Scenario = { kind: 'crash-loop', exitCode: 3, reason: 'Essential container in task exited', logLines: ["gunicorn.errors.HaltServer: <HaltServer 'Worker failed to boot.' 3>"] };

export interface People {
  alice: Developer;
  bob: Developer;
  carol: Developer;
  dave: Developer;
  erin: Developer;
  releaseManager: Developer;
}

export interface HealthEndpoint {
  url: string;
  /** While true the endpoint answers 503, as an app that started but cannot reach its database. */
  failing: boolean;
}

export interface StoryContext {
  player: WorkflowPlayer;
  timeline: Timeline;
  gh: GitHubSimulator;
  aws: AwsSimulator;
  people: People;
  /** Commits whose image crash-loops once deployed. */
  badImages: Set<string>;
  /** Other scripted behaviour of a commit's image once deployed (e.g. a Traceback during the bake). */
  imageScenarios: Map<string, Scenario>;
  /** Approvals asked for, in order (environment and job). */
  approvals: { environment: string; job: string; workflow: string }[];
  /** The app's health endpoint behind HEALTH_URL. */
  health: HealthEndpoint;
  /** What the templates posted to NOTIFY_WEBHOOK_URL. */
  notifications: NotificationReceiver;
  terraform: boolean;
  /** The real stack (PostgreSQL, the Python app) when the machine has it; undefined: scripted images. */
  real?: RealStack;
  prs: Record<string, number>;
}

/** Runs started by `act`, once every run (and what those runs set off) has finished. */
export async function play(ctx: StoryContext, act: () => Promise<unknown>): Promise<RunRecord[]> {
  const before = ctx.player.runs.length;
  await act();
  await ctx.player.idle();
  return ctx.player.runs.slice(before);
}

export function serviceTaskDefinition(aws: AwsSimulator, env: Environment): string {
  const service = aws.state.service(env.cluster, env.service) as { taskDefinition?: string } | undefined;
  return service?.taskDefinition ?? '';
}

export { shortArn };

export type RecordedDeployment = ReturnType<GitHubSimulator['state']['deployments']>[number];

/** The newest deployment deploy.yml or rollback.yml recorded for an environment (task deploy:ecs). */
export function lastDeployment(ctx: StoryContext, environmentName: string): RecordedDeployment | undefined {
  return ctx.gh.state.deployments(FULL_REPO).filter((d) => d.environment === environmentName && d.task === 'deploy:ecs').at(-1);
}

export const deploymentState = (deployment: RecordedDeployment | undefined) => deployment?.statuses.at(-1)?.state ?? 'none';
export const deploymentPayload = (deployment: RecordedDeployment | undefined) => (deployment?.payload ?? {}) as { image?: string; task_definition_arn?: string; rollback?: boolean };

/** `dev: 1a2b3c4 success (Deployed)`, for details and problems. */
export function deploymentLine(deployment: RecordedDeployment | undefined): string {
  if (!deployment) return 'no deployment recorded';
  return `${deployment.environment}: ${deployment.sha.slice(0, 7)} ${deploymentState(deployment)} (${deployment.statuses.at(-1)?.description ?? ''})`;
}

function comments(ctx: StoryContext, number: number): string[] {
  return ctx.gh.state.comments(FULL_REPO, number).map((c) => c.body);
}

/** Stage 1: the runbook's first rule, on the PR checks of three pull requests. */
export async function mixedPullRequestIsBlocked(ctx: StoryContext): Promise<void> {
  const { timeline, people } = ctx;
  timeline.stage(1, 'A PR mixing a route and a Terraform file is blocked; split in two, both pass');
  const { alice, bob } = people;
  const mixedRuns = await play(ctx, async () => {
    await alice.branch('feature/users-with-cache', 'development');
    alice.commit('feat(api): add users endpoint with a Redis session cache', { ...usersEndpointFiles(), ...redisFiles() });
    await alice.push('feature/users-with-cache');
    ctx.prs.mixed = await alice.openPullRequest('feature/users-with-cache', 'development', 'Add users endpoint with Redis cache');
  });
  const mixedChecks = runsOf(mixedRuns, 'pr-checks.yml')[0];
  const classify = job(mixedChecks, /^Classify/);
  timeline.expect(`PR #${ctx.prs.mixed} (mixed): the Classify check fails`, [...expectThat(classify?.conclusion === 'failure', `Classify is ${classify?.conclusion ?? 'missing'} (${jobsLine(mixedChecks)})`), ...expectThat(mixedChecks?.conclusion === 'failure', `the PR checks run is ${mixedChecks?.conclusion ?? 'missing'}`)], stepLine(step(mixedChecks, 'Classify the PR')), true);
  const split = comments(ctx, ctx.prs.mixed).filter((body) => body.includes('<!-- connect2-actions:classify-pr -->') && /mixes infrastructure and application/.test(body));
  timeline.expect(`PR #${ctx.prs.mixed}: one sticky comment explains how to split it`, expectThat(split.length === 1, `found ${split.length} such comments`), `${comments(ctx, ctx.prs.mixed).length} comments on the PR`);

  const appRuns = await play(ctx, async () => {
    await alice.branch('feature/users-endpoint', 'development');
    alice.commit('feat(api): add users endpoint', usersEndpointFiles());
    await alice.push('feature/users-endpoint');
    ctx.prs.app = await alice.openPullRequest('feature/users-endpoint', 'development', 'Add users endpoint');
  });
  const appChecks = runsOf(appRuns, 'pr-checks.yml')[0];
  timeline.expect(`PR #${ctx.prs.app} (application): Classify, Lint, Type-check and Tests pass`, [
    ...expectThat(appChecks?.conclusion === 'success', `the PR checks run is ${appChecks?.conclusion ?? 'missing'} (${jobsLine(appChecks)})`),
    ...['Lint', 'Type-check', 'Tests'].flatMap((name) => expectThat(job(appChecks, name)?.conclusion === 'success', `${name} is ${job(appChecks, name)?.conclusion ?? 'missing'}`)),
    ...expectThat(step(appChecks, 'Classify the PR')?.outputs.type === 'application', `type is '${step(appChecks, 'Classify the PR')?.outputs.type}'`),
  ], jobsLine(appChecks));
  const appTerraform = runsOf(appRuns, 'terraform.yml')[0];
  timeline.expect(`PR #${ctx.prs.app}: the Terraform workflow runs on every PR (its checks can be required) and plans nothing here`, [
    ...expectThat(appTerraform?.conclusion === 'success', `terraform.yml is ${appTerraform?.conclusion ?? 'not run'}`),
    ...expectThat((appTerraform?.jobs ?? []).filter((j) => /^Plan /.test(j.name)).every((j) => j.conclusion === 'skipped'), `a plan ran (${jobsLine(appTerraform)})`),
  ], jobsLine(appTerraform));

  const infraRuns = await play(ctx, async () => {
    await bob.branch('infra/redis-cache', 'development');
    bob.commit('feat(infra): add ElastiCache Redis for sessions', redisFiles());
    await bob.push('infra/redis-cache');
    ctx.prs.infra = await bob.openPullRequest('infra/redis-cache', 'development', 'Add Redis cache for sessions');
  });
  const infraChecks = runsOf(infraRuns, 'pr-checks.yml')[0];
  timeline.expect(`PR #${ctx.prs.infra} (infrastructure): the PR checks pass`, [
    ...expectThat(infraChecks?.conclusion === 'success', `the PR checks run is ${infraChecks?.conclusion ?? 'missing'} (${jobsLine(infraChecks)})`),
    ...expectThat(step(infraChecks, 'Classify the PR')?.outputs.type === 'infrastructure', `type is '${step(infraChecks, 'Classify the PR')?.outputs.type}'`),
  ], jobsLine(infraChecks));
  if (ctx.real) await migrationPullRequestRoundTrips(ctx, appChecks);
}

/** Real stack: the app's tests ran (not skipped), and the migration PR's round trip runs on PostgreSQL. */
async function migrationPullRequestRoundTrips(ctx: StoryContext, appChecks: RunRecord | undefined): Promise<void> {
  const { timeline, people } = ctx;
  const tests = step(appChecks, 'Run Tests');
  timeline.expect(`PR #${ctx.prs.app}: the FastAPI app's tests run for real (not skipped)`, expectThat(/Ran [1-9]\d* tests?/.test(tests?.log ?? '') && !/skipped/.test(tests?.log ?? ''), `the Tests step logged: ${(tests?.log ?? 'nothing').trim().split('\n').slice(-3).join(' ')}`), (tests?.log ?? '').trim().split('\n').filter((l) => /Ran|OK/.test(l)).join(' '));
  const runs = await play(ctx, async () => {
    await people.dave.branch('feature/users-table', 'development');
    people.dave.commit('feat(db): add users table', usersTableMigration());
    await people.dave.push('feature/users-table');
    ctx.prs.migration = await people.dave.openPullRequest('feature/users-table', 'development', 'Add users table');
  });
  const checks = runsOf(runs, 'pr-checks.yml')[0];
  const roundTrip = job(checks, 'Migration round trip');
  const log = (name: string) => roundTrip?.steps.find((s) => s.name === name)?.log ?? '';
  timeline.expect(`PR #${ctx.prs.migration} (migration): the Migration round trip runs on PostgreSQL: upgrade, downgrade -1, upgrade`, [
    ...expectThat(roundTrip?.conclusion === 'success', `Migration round trip is ${roundTrip?.conclusion ?? 'missing'} (${roundTrip?.notes.join('; ') ?? jobsLine(checks)})`),
    ...expectThat(log('alembic upgrade head').includes('Running upgrade 3f2a1c -> 8b9d4e, add users table'), 'the upgrade did not log Alembic’s Running upgrade line'),
    ...expectThat(log('alembic downgrade -1').includes('Running downgrade 8b9d4e -> 3f2a1c, add users table'), 'the downgrade did not log Alembic’s Running downgrade line'),
    ...expectThat(log('alembic upgrade head (again)').includes('Running upgrade 3f2a1c -> 8b9d4e'), 'the second upgrade did not run'),
    ...expectThat(checks?.conclusion === 'success', `the PR checks are ${checks?.conclusion} (${jobsLine(checks)})`),
  ], roundTrip?.notes.find((n) => n.startsWith('services:')) ?? jobsLine(checks));
}

/** Stage 2: a plan comment per environment on the infrastructure PR, and the digest guard at apply. */
export async function infrastructurePlanIsReviewed(ctx: StoryContext): Promise<void> {
  const { timeline, people } = ctx;
  timeline.stage(2, 'The infrastructure PR gets a plan comment per environment; apply refuses a changed plan');
  if (!ctx.terraform) {
    timeline.skip('terraform not found: the Terraform stages are not played (install terraform to rehearse them)');
    return;
  }
  const planRun = ctx.player.runs.find((run) => run.workflowFile === 'terraform.yml' && run.ref === prRef(ctx.prs.infra));
  const plans = ['dev', 'staging', 'prod'].map((env) => job(planRun, `Plan ${env}`));
  timeline.expect(`PR #${ctx.prs.infra}: Terraform plans dev, staging and prod for real`, plans.flatMap((p, i) => expectThat(p?.conclusion === 'success', `Plan ${['dev', 'staging', 'prod'][i]} is ${p?.conclusion ?? 'missing'}`)), jobsLine(planRun));
  const planComments = comments(ctx, ctx.prs.infra).filter((body) => body.includes('<!-- connect2-actions:terraform-plan:'));
  timeline.expect(`PR #${ctx.prs.infra}: one plan comment per environment, each naming the Redis resources it adds, no secret in any`, [
    ...expectThat(planComments.length === 3, `found ${planComments.length} plan comments`),
    ...expectThat(planComments.every((body) => body.includes('module.redis.terraform_data.sessions') && /Plan: \d+ to add/.test(body)), 'a comment does not show the Redis resources to add'),
    ...expectThat(!PLAN_SECRETS.some((secret) => comments(ctx, ctx.prs.infra).some((body) => body.includes(secret)) || JSON.stringify(planRun ?? {}).includes(secret)), 'a sensitive value reached a comment, a summary or a log'),
  ], `${planComments.length} plan comments`);

  // The base moves under the reviewed plan: a small infrastructure PR merges first.
  const { bob } = people;
  await play(ctx, async () => {
    await bob.branch('infra/scale-dev', 'development');
    bob.commit('feat(infra): run three API tasks in dev', scaleDevFiles(ctx.real ? 'pg' : 'local'));
    await bob.push('infra/scale-dev');
    ctx.prs.scale = await bob.openPullRequest('infra/scale-dev', 'development', 'Run three API tasks in dev');
  });
  const scaleApply = await play(ctx, () => bob.merge(ctx.prs.scale, 'squash', `feat(infra): run three API tasks in dev (#${ctx.prs.scale})`));
  const applied = runsOf(scaleApply, 'deploy-on-merge.yml')[0];
  timeline.expect(`merge of PR #${ctx.prs.scale}: the dev pipeline applies with the reviewed digest`, [
    ...expectThat(job(applied, /Apply dev$/)?.conclusion === 'success', `Apply dev is ${job(applied, /Apply dev$/)?.conclusion ?? 'missing'} (${jobsLine(applied)})`),
    ...expectThat(step(applied, 'terraform apply')?.conclusion === 'success', stepLine(step(applied, 'terraform apply'))),
  ], jobsLine(applied));
  timeline.expect(`merge of PR #${ctx.prs.scale} (Terraform only): no application deploy`, expectThat(!applied?.jobs.some((j) => /Deploy to/.test(j.name) && j.conclusion !== 'skipped'), `a deploy ran (${jobsLine(applied)})`), jobsLine(applied));

  const redisApply = await play(ctx, () => bob.merge(ctx.prs.infra, 'squash', `feat(infra): add ElastiCache Redis for sessions (#${ctx.prs.infra})`));
  const refused = runsOf(redisApply, 'deploy-on-merge.yml')[0];
  const guard = step(refused, 'Check the plan against the reviewed digest');
  timeline.expect(`merge of PR #${ctx.prs.infra} after the base moved: apply dev refuses the plan nobody reviewed`, [
    ...expectThat(guard?.conclusion === 'failure' && /digest/i.test(guard.errors.join(' ')), `the digest check is ${stepLine(guard)}`),
    ...expectThat(step(refused, 'terraform apply')?.conclusion === 'skipped', `terraform apply is ${stepLine(step(refused, 'terraform apply'))}`),
  ], stepLine(guard), true);

  // Recovery as the template says: plan by hand, review the digest, apply with it.
  const planOnly = await ctx.player.dispatch('terraform.yml', 'development', { environment: 'dev' }, 'bob');
  const digest = step(planOnly, 'Check the plan against the reviewed digest')?.outputs.digest ?? '';
  const applyRun = await ctx.player.dispatch('terraform.yml', 'development', { environment: 'dev', 'expected-digest': digest }, 'bob');
  timeline.expect('dispatch without a digest plans only; dispatch with the reviewed digest applies', [
    ...expectThat(/^sha256:[0-9a-f]{64}$/.test(digest), `no digest from the plan-only run (${jobsLine(planOnly)})`),
    ...expectThat(step(planOnly, 'terraform apply')?.conclusion === 'skipped', `the plan-only run applied: ${stepLine(step(planOnly, 'terraform apply'))}`),
    ...expectThat(step(applyRun, 'terraform apply')?.conclusion === 'success', stepLine(step(applyRun, 'terraform apply'))),
  ], `digest ${digest.slice(0, 19)}…`);
  if (ctx.real) {
    const plan = step(planOnly, 'terraform plan')?.log ?? '';
    timeline.expect('with state in PostgreSQL, the plan after the first apply shows only the change (the Redis resources)', [
      ...expectThat(/module\.redis\.terraform_data\.sessions will be created/.test(plan), 'the plan does not add the Redis resources'),
      ...expectThat(!/module\.api\.terraform_data\.service will be created/.test(plan), 'the plan creates module.api again: the state of the earlier apply was lost'),
    ], plan.split('\n').find((line) => /^Plan:/.test(line.trim()))?.trim() ?? 'no Plan: line');
  }
}

interface DeployExpectation {
  env: Environment;
  runs: RunRecord[];
  before: string;
  migration: 'success' | 'failure';
  rollout: 'success' | 'failure';
  /** Real stack: Alembic's `Running upgrade` line this deploy must log; none: the deploy brings no new migration. */
  upgrade?: string;
}

/** Alembic's own lines in the migration step's log: the upgrade expected, or only its context lines when nothing is new. */
function migrationLogProblems(ctx: StoryContext, log: string, upgrade: string | undefined): string[] {
  if (!ctx.real) return expectThat(log.includes('Running upgrade'), 'the Alembic log lines are not in the job log');
  if (upgrade) return expectThat(log.includes(`Running upgrade ${upgrade}`), `Alembic's "Running upgrade ${upgrade}" is not in the job log`);
  return [
    ...expectThat(log.includes('Context impl PostgresqlImpl'), 'Alembic’s context lines (Context impl PostgresqlImpl) are not in the job log'),
    ...expectThat(!log.includes('Running upgrade'), 'Alembic ran an upgrade on a deploy that brings no new migration'),
  ];
}

/** What a deploy run must show: register, migrate (logs), roll out (or not), wait; the service's revision. */
function expectDeploy(ctx: StoryContext, { env, runs, before, migration, rollout, upgrade }: DeployExpectation): void {
  const { timeline, aws } = ctx;
  const run = runsOf(runs, 'deploy-on-merge.yml')[0];
  const now = serviceTaskDefinition(aws, env);
  const migrate = step(run, 'Migrate the database');
  const rollOut = step(run, 'Roll out');
  if (migration === 'failure') {
    timeline.expect(`${env.name}: the failing migration stops the deploy before the rollout`, [
      ...expectThat(migrate?.conclusion === 'failure' && /does not exist|exited with code 1/.test(migrate.errors.join(' ')), `the migration step is ${stepLine(migrate)}`),
      ...expectThat(rollOut?.conclusion === 'skipped', `Roll out is ${stepLine(rollOut)}`),
      ...expectThat(now === before, `${env.service} moved to ${shortArn(now)}`),
    ], stepLine(migrate), true);
    return;
  }
  timeline.expect(`${env.name}: the migration ran as a one-off task with its logs in the job log${ctx.real ? (upgrade ? ` (Running upgrade ${upgrade})` : ' (no new revision: Alembic’s context lines only)') : ''}`, [
    ...expectThat(migrate?.conclusion === 'success', `the migration step is ${stepLine(migrate)} (${jobsLine(run)})`),
    ...migrationLogProblems(ctx, migrate?.log ?? '', upgrade),
  ], stepLine(migrate));
  if (rollout === 'failure') {
    timeline.expect(`${env.name}: the bad image is rolled back and the step says why`, [
      ...expectThat(rollOut?.conclusion === 'failure' && rollOut.outputs.status === 'rolled-back', `Roll out is ${stepLine(rollOut)} status ${rollOut?.outputs.status}`),
      ...expectThat(/exit|Essential container/i.test(rollOut?.errors.join(' ') ?? ''), 'the error does not name the stopped tasks’ reason'),
      ...expectThat(now === before, `${env.service} runs ${shortArn(now)}, expected ${shortArn(before)}`),
      ...expectThat(deploymentState(lastDeployment(ctx, env.name)) === 'failure', `the deployment is recorded as ${deploymentLine(lastDeployment(ctx, env.name))}`),
      ...expectThat(step(run, 'Wait for the service and the health check')?.conclusion === 'skipped', 'the health check ran after a failed rollout'),
    ], `${stepLine(rollOut)}; service on ${shortArn(now)}`, true);
    return;
  }
  const image = rollOut?.outputs.image ?? '';
  timeline.expect(`${env.name}: rolled out by digest, stable and healthy`, [
    ...expectThat(run?.conclusion === 'success', `the deploy run is ${run?.conclusion ?? 'missing'} (${jobsLine(run)})`),
    ...expectThat(rollOut?.outputs.status === 'deployed', `Roll out status is '${rollOut?.outputs.status}'`),
    ...expectThat(/@sha256:[0-9a-f]{64}$/.test(image), `image '${image}' is not pinned by digest`),
    ...expectThat(now !== before && now === rollOut?.outputs['task-definition-arn'], `${env.service} runs ${shortArn(now)}`),
    ...expectThat(step(run, 'Wait for the service and the health check')?.outputs.status === 'stable', 'wait-stable did not report stable'),
  ], `${env.service} on ${shortArn(now)}`);
  const recorded = lastDeployment(ctx, env.name);
  timeline.expect(`${env.name}: recorded as a GitHub deployment of the commit, ending success, naming image and revision`, [
    ...expectThat(recorded?.sha === run?.sha && deploymentState(recorded) === 'success', `last deployment: ${deploymentLine(recorded)}; the run was on ${run?.sha.slice(0, 7)}`),
    ...expectThat(deploymentPayload(recorded).image === image && deploymentPayload(recorded).task_definition_arn === now, `its payload is ${JSON.stringify(recorded?.payload)}`),
  ], deploymentLine(recorded));
}

/** Stage 3: the application PR merges into development and Dev is deployed. */
export async function developmentDeploys(ctx: StoryContext): Promise<void> {
  ctx.timeline.stage(3, 'Merge to development: build, register, migrate, roll out, wait for health');
  ctx.aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: 600, logLines: MIGRATION_OK });
  const dev = environment('dev');
  // The users table's migration PR goes first (the runbook keeps migrations in PRs of their own).
  if (ctx.prs.migration) await migrationDeploys(ctx, dev);
  const before = serviceTaskDefinition(ctx.aws, dev);
  const runs = await play(ctx, () => ctx.people.alice.merge(ctx.prs.app, 'squash', `feat(api): add users endpoint (#${ctx.prs.app})`));
  expectDeploy(ctx, { env: dev, runs, before, migration: 'success', rollout: 'success' });
  noDeadlock(ctx, runs);
  if (ctx.real) await usersAnswerFromTheTable(ctx, dev, runs);
}

/**
 * GitHub cancels a job or called workflow that asks for a concurrency group its own run already holds
 * ("a deadlock … was detected"): the pipeline holds `deploy-<env>` for its whole run, so deploy.yml and
 * terraform-apply.yml must not ask for it again.
 */
function noDeadlock(ctx: StoryContext, runs: RunRecord[]): void {
  const deadlocks = deadlockedJobs(runs);
  ctx.timeline.expect('the called workflows take no concurrency group their caller holds: no job cancelled as a deadlock', expectThat(deadlocks.length === 0, deadlocks.join('; ')), `${runs.length} runs, none deadlocked`);
}

/**
 * The migration PR's own deploy: Alembic creates the users table. Until the users endpoint ships, dev's
 * key endpoint is /health (the team's VERIFY_URLS); once it ships, the template's default (the users
 * endpoint) applies again.
 */
async function migrationDeploys(ctx: StoryContext, dev: Environment): Promise<void> {
  const vars = ctx.player.world.environmentVars![dev.name];
  vars.VERIFY_URLS = 'GET /health 200';
  const before = serviceTaskDefinition(ctx.aws, dev);
  const runs = await play(ctx, () => ctx.people.dave.merge(ctx.prs.migration, 'squash', `feat(db): add users table (#${ctx.prs.migration})`)).finally(() => delete vars.VERIFY_URLS);
  expectDeploy(ctx, { env: dev, runs, before, migration: 'success', rollout: 'success', upgrade: USERS_TABLE });
}

/** The base URL behind an environment's load balancer (its HEALTH_URL without /health). */
function serviceUrl(ctx: StoryContext, env: Environment): string {
  return (ctx.player.world.environmentVars?.[env.name]?.HEALTH_URL ?? '').replace(/\/health$/, '');
}

/** Uvicorn's start-up lines of an environment's tasks, as CloudWatch Logs (the simulator) holds them. */
async function uvicornStartupLines(ctx: StoryContext, env: Environment): Promise<string[]> {
  const { events = [] } = await ctx.aws.clients().logs.send(new FilterLogEventsCommand({ logGroupName: `/ecs/connect2-api-${env.name}`, filterPattern: '"Uvicorn running on"' }));
  return events.map((e) => e.message ?? '');
}

/** The summary of the deploy's "Verify key endpoints, logs and a bake" step (wait-stable), as the run page shows it. */
function verifySummary(runs: RunRecord[]): string {
  const steps = runs.flatMap((run) => run.jobs.flatMap((job) => job.steps));
  return steps.find((step) => step.name === 'Verify key endpoints, logs and a bake' && step.conclusion === 'success')?.summary ?? '';
}

/**
 * Real stack: dev's load balancer answers /api/v1/users from the new table; uvicorn's start-up reached
 * CloudWatch Logs, and the deploy's job summary shows it (wait-stable's first log lines).
 */
async function usersAnswerFromTheTable(ctx: StoryContext, dev: Environment, runs: RunRecord[]): Promise<void> {
  const answer = await fetch(`${serviceUrl(ctx, dev)}/api/v1/users`).then(async (r) => ({ status: r.status, body: await r.text() })).catch((error: Error) => ({ status: 0, body: error.message }));
  const started = await uvicornStartupLines(ctx, dev);
  const summary = verifySummary(runs);
  ctx.timeline.expect('dev: GET /api/v1/users through the load balancer answers the two users the migration inserted; uvicorn’s start-up lines are in CloudWatch Logs and in the deploy’s job summary', [
    ...expectThat(answer.status === 200 && answer.body.includes('ada@example.com') && answer.body.includes('grace@example.com'), `GET /api/v1/users answered ${answer.status}: ${answer.body.slice(0, 200)}`),
    ...expectThat(started.length > 0, 'no "Uvicorn running on" line in /ecs/connect2-api-dev'),
    ...expectThat(/First log lines since the rollout started[\s\S]*Uvicorn running on/.test(summary), `the verify step's summary shows no uvicorn start-up line: ${summary.slice(0, 300) || 'no successful verify step'}`),
  ], `${answer.status} ${answer.body.slice(0, 120)}; ${started.at(-1) ?? ''}`);
}

/** Opens the promotion PR by dispatch (promote.yml), checks it ran its checks, merges it. */
async function promote(ctx: StoryContext, promotion: 'development -> staging' | 'staging -> main'): Promise<RunRecord[]> {
  const { timeline, people } = ctx;
  const [head, base] = promotion.split(' -> ');
  const opened = await play(ctx, () => ctx.player.dispatch('promote.yml', 'main', { promotion }, people.releaseManager.options.login));
  const pr = (await people.releaseManager.pullRequests(base)).find((p) => p.head === head);
  const checks = pr ? runsOf(opened, 'pr-checks.yml', (run) => run.ref === prRef(pr.number))[0] : undefined;
  timeline.expect(`promotion PR ${promotion} opened by the pipeline (its GitHub App) runs its checks`, [
    ...expectThat(pr !== undefined, `no open PR ${head} -> ${base} (${jobsLine(runsOf(opened, 'promote.yml')[0])})`),
    ...expectThat(pr?.user === 'connect2-release[bot]', `the PR was opened by ${pr?.user}`),
    ...expectThat(checks?.conclusion === 'success', `its PR checks are ${checks?.conclusion ?? 'not run'}`),
    ...expectThat(step(checks, 'Classify the PR')?.outputs.flow === 'ok', `flow is '${step(checks, 'Classify the PR')?.outputs.flow}'`),
  ], pr ? `PR #${pr.number} by ${pr.user}; ${jobsLine(checks)}` : 'no PR');
  if (!pr) return [];
  return play(ctx, () => people.releaseManager.merge(pr.number, 'merge'));
}

/** Stage 4: promotion to staging, then to main behind approval, and the first release. */
export async function promotionsReachProduction(ctx: StoryContext): Promise<void> {
  const { timeline, aws } = ctx;
  timeline.stage(4, 'Promotion to staging, then to main behind approval: deploy and release v1.0.0');
  const secrets = ctx.player.world.secrets!;
  const key = secrets.RELEASE_APP_PRIVATE_KEY;
  delete secrets.RELEASE_APP_PRIVATE_KEY;
  const pullsBefore = ctx.gh.state.pulls(FULL_REPO).length;
  const refused = await ctx.player.dispatch('promote.yml', 'main', { promotion: 'development -> staging' }, ctx.people.releaseManager.options.login);
  secrets.RELEASE_APP_PRIVATE_KEY = key;
  const check = step(refused, 'Check the GitHub App credentials');
  timeline.expect('without the GitHub App’s key the promotion fails at once, naming the secret, and opens no PR', [
    ...expectThat(check?.conclusion === 'failure' && check.errors.join(' ').includes('RELEASE_APP_PRIVATE_KEY'), `the credentials check is ${stepLine(check)}`),
    ...expectThat(ctx.gh.state.pulls(FULL_REPO).length === pullsBefore, 'a PR was opened'),
  ], stepLine(check), true);

  const staging = environment('staging');
  const stagingBefore = serviceTaskDefinition(aws, staging);
  const toStaging = await promote(ctx, 'development -> staging');
  expectDeploy(ctx, { env: staging, runs: toStaging, before: stagingBefore, migration: 'success', rollout: 'success', upgrade: USERS_TABLE });
  if (ctx.terraform) {
    const pipeline = runsOf(toStaging, 'deploy-on-merge.yml')[0];
    const apply = job(pipeline, /Apply staging$/);
    const deployJob = job(pipeline, /Deploy to staging$/);
    timeline.expect('the promotion carrying infrastructure and code applies to staging before it deploys', [
      ...expectThat(step(pipeline, 'terraform apply')?.conclusion === 'success', `terraform apply is ${stepLine(step(pipeline, 'terraform apply'))} (${jobsLine(pipeline)})`),
      ...expectThat((apply?.finishedAtMs ?? Infinity) <= (deployJob?.startedAtMs ?? -Infinity), `the deploy started before the apply ended (${jobsLine(pipeline)})`),
    ], jobsLine(pipeline));
  }
  const cancelled = toStaging.filter((run) => run.conclusion === 'cancelled' || run.jobs.some((j) => j.conclusion === 'cancelled'));
  timeline.expect('apply and deploy queued together: neither is cancelled', expectThat(cancelled.length === 0, `cancelled: ${cancelled.map((r) => `${r.workflowName} ${jobsLine(r)}`).join('; ')}`), toStaging.map((r) => `${r.workflowName}: ${r.conclusion}`).join(', '));

  const prod = environment('prod');
  const prodBefore = serviceTaskDefinition(aws, prod);
  const approvalsBefore = ctx.approvals.length;
  const toMain = await promote(ctx, 'staging -> main');
  const asked = ctx.approvals.slice(approvalsBefore).filter((a) => a.environment === 'prod');
  timeline.expect('the production deploy waits for a required reviewer of the prod environment', expectThat(asked.some((a) => a.workflow === 'deploy-on-merge.yml' && /Deploy to prod/.test(a.job)), `no review was asked for the prod deploy (asked: ${asked.map((a) => a.job).join(', ') || 'none'})`), asked.map((a) => a.job).join(', '));
  expectDeploy(ctx, { env: prod, runs: toMain, before: prodBefore, migration: 'success', rollout: 'success', upgrade: USERS_TABLE });
  const images = (['dev', 'staging', 'prod'] as const).map((name) => deploymentPayload(lastDeployment(ctx, name)).image ?? '');
  const rebuilt = [...runsOf(toStaging, 'deploy-on-merge.yml'), ...runsOf(toMain, 'deploy-on-merge.yml')].map((run) => step(run, 'Build and push the image')).filter((build) => build?.conclusion !== 'skipped');
  timeline.expect('built once: staging and prod run the very image development built and tested, by digest', [
    ...expectThat(images[0] !== '' && images.every((image) => image === images[0]), `dev, staging, prod deployed ${images.map((image) => image.split('@')[1]?.slice(7, 19) ?? 'none').join(', ')}`),
    ...expectThat(rebuilt.length === 0, `the image was built again: ${rebuilt.map((build) => stepLine(build)).join('; ')}`),
  ], images[0].split('/').pop() ?? '');
  const release = step(runsOf(toMain, 'deploy-on-merge.yml')[0], 'Create the release');
  timeline.expect('release v1.0.0 with the users endpoint and the image it shipped in its notes', [
    ...expectThat(release?.outputs.tag === 'v1.0.0', `tag is '${release?.outputs.tag}' (${stepLine(release)})`),
    ...expectThat((release?.outputs.notes ?? '').includes('users endpoint'), 'the notes do not list the users endpoint'),
    ...expectThat(images[0] !== '' && (release?.outputs.notes ?? '').includes(images[0]), `the notes do not name the image ${images[0]}`),
    ...expectThat(ctx.gh.state.releases(FULL_REPO).some((r) => r.tagName === 'v1.0.0' && !r.draft), 'no published v1.0.0 release'),
  ], stepLine(release));
  promotionIsNotBackported(ctx, toMain);
}

/** hotfix-backport.yml runs on every PR closed into main, and backports only hotfix/*: never the promotion from staging. */
function promotionIsNotBackported(ctx: StoryContext, toMain: RunRecord[]): void {
  const backport = runsOf(toMain, 'hotfix-backport.yml')[0];
  const ran = backport?.jobs.filter((j) => j.conclusion !== 'skipped') ?? [];
  const backportPrs = ctx.gh.state.pulls(FULL_REPO).filter((p) => p.head.ref.startsWith('backport/'));
  ctx.timeline.expect('the promotion merged into main is not backported: hotfix-backport runs, and skips all but hotfix/* PRs', [
    ...expectThat(backport !== undefined, 'hotfix-backport.yml did not run when the promotion PR closed'),
    ...expectThat(ran.length === 0, `backport jobs ran: ${jobsLine(backport)}`),
    ...expectThat(backportPrs.length === 0, `backport PRs: ${backportPrs.map((p) => `#${p.number} ${p.head.ref} -> ${p.base.ref}`).join(', ')}`),
  ], jobsLine(backport));
}

/** Stage 5: a bad image pushed straight to staging trips the circuit breaker. */
export async function badImageIsRolledBack(ctx: StoryContext): Promise<void> {
  ctx.timeline.stage(5, 'A bad image reaches Staging: the circuit breaker trips, the service is back, its promotion is refused');
  const staging = environment('staging');
  const before = serviceTaskDefinition(ctx.aws, staging);
  const { carol } = ctx.people;
  const runs = await play(ctx, async () => {
    await carol.branch('staging', 'staging');
    // Real: the app imports gunicorn, which the image lacks: uvicorn exits at import. Scripted: a crash-loop label.
    const sha = carol.commit('feat(api): serve with gunicorn workers', ctx.real ? gunicornWorkersPython() : { 'gunicorn.conf.py': 'workers = 4\n' });
    if (!ctx.real) ctx.badImages.add(sha);
    await carol.push('staging');
  });
  expectDeploy(ctx, { env: staging, runs, before, migration: 'success', rollout: 'failure' });
  if (ctx.real) await crashedAtImport(ctx, staging, step(runsOf(runs, 'deploy-on-merge.yml')[0], 'Register the task definition')?.outputs['task-definition-arn'] ?? '');

  // The promotion of what failed in staging: its required check fails while staging is not healthy on it.
  const opened = await play(ctx, () => ctx.player.dispatch('promote.yml', 'main', { promotion: 'staging -> main' }, ctx.people.releaseManager.options.login));
  const pr = (await ctx.people.releaseManager.pullRequests('main')).find((p) => p.head === 'staging');
  const checks = pr ? runsOf(opened, 'pr-checks.yml', (run) => run.ref === prRef(pr.number))[0] : undefined;
  const classify = step(checks, 'Classify the PR');
  ctx.timeline.expect('the promotion of a staging that failed and rolled back is refused by its required check', [
    ...expectThat(classify?.conclusion === 'failure' && classify.outputs['source-health'] === 'unhealthy', `Classify the PR is ${stepLine(classify)}, source-health '${classify?.outputs['source-health']}'`),
    ...expectThat(/staging/.test(classify?.errors.join(' ') ?? '') && /fail/i.test(classify?.errors.join(' ') ?? ''), 'the error does not say staging’s deploy failed'),
  ], stepLine(classify), true);
  if (pr) await ctx.people.releaseManager.close(pr.number);
  if (ctx.real) await stagingFixedForward(ctx, staging);
}

/**
 * Real stack: the import that crashed is taken out on staging, so staging deploys healthy again (later
 * stages promote through it). Scripted images crash by their commit, so nothing is left to fix there.
 */
async function stagingFixedForward(ctx: StoryContext, staging: Environment): Promise<void> {
  const before = serviceTaskDefinition(ctx.aws, staging);
  const { carol } = ctx.people;
  const runs = await play(ctx, async () => {
    await carol.branch('staging', 'staging');
    carol.commit('fix(api): serve with uvicorn again', withoutGunicornPython());
    await carol.push('staging');
  });
  expectDeploy(ctx, { env: staging, runs, before, migration: 'success', rollout: 'success' });
}

/** Real stack: the stopped tasks exited 1 and logged Python's ModuleNotFoundError to CloudWatch Logs. */
async function crashedAtImport(ctx: StoryContext, env: Environment, badRevision: string): Promise<void> {
  const { events = [] } = await ctx.aws.clients().logs.send(new FilterLogEventsCommand({ logGroupName: `/ecs/connect2-api-${env.name}`, filterPattern: '"No module named"' }));
  const crashed = ctx.aws.state.tasks(env.cluster).filter((t) => t.taskDefinitionArn === badRevision && t.model.failed);
  ctx.timeline.expect(`${env.name}: the bad image really crashed at import: its tasks exited 1 and Python's ModuleNotFoundError reached CloudWatch Logs`, [
    ...expectThat(crashed.length > 0 && crashed.every((t) => t.model.containers[0]?.exitCode === 1), `the failed tasks of ${shortArn(badRevision)} exited ${crashed.map((t) => t.model.containers[0]?.exitCode).join(', ') || 'never'}`),
    ...expectThat(events.some((e) => /ModuleNotFoundError: No module named 'gunicorn'/.test(e.message ?? '')), `no ModuleNotFoundError in /ecs/connect2-api-${env.name} (${events.length} "No module named" lines)`),
  ], `${crashed.length} tasks exited 1; ${events.at(-1)?.message ?? 'none'}`);
}

/** Stage 6: a failing migration stops the pipeline before the rollout. */
export async function failingMigrationStopsThePipeline(ctx: StoryContext): Promise<void> {
  ctx.timeline.stage(6, 'A failing migration stops the pipeline before the rollout');
  ctx.aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 1, afterMs: 600, logLines: MIGRATION_BROKEN });
  const dev = environment('dev');
  const before = serviceTaskDefinition(ctx.aws, dev);
  const { dave } = ctx.people;
  const schema = ctx.real?.postgres.sql("SELECT version_num FROM alembic_version", 'connect2_dev');
  const runs = await play(ctx, async () => {
    await dave.branch('development', 'development');
    // Real: a NOT NULL column without a default on the users table, which has rows: PostgreSQL refuses it.
    dave.commit(ctx.real ? 'feat(db): add a plan to every user' : 'feat(db): add orders table', { 'app/api/routes/orders.py': 'def list_orders() -> list:\n    return []\n', ...(ctx.real ? failingMigration() : {}) });
    await dave.push('development');
  });
  expectDeploy(ctx, { env: dev, runs, before, migration: 'failure', rollout: 'success' });
  if (ctx.real) {
    const migrate = step(runsOf(runs, 'deploy-on-merge.yml')[0], 'Migrate the database');
    const after = ctx.real.postgres.sql("SELECT version_num FROM alembic_version", 'connect2_dev');
    ctx.timeline.expect('dev: the job log shows Alembic’s own lines and PostgreSQL’s error; the transaction left the schema as it was', [
      ...expectThat(migrate?.log.includes('Running upgrade 8b9d4e -> c41f07, add users plan') ?? false, 'Alembic’s "Running upgrade 8b9d4e -> c41f07" is not in the job log'),
      ...expectThat(/NotNullViolation|contains null values/.test(migrate?.log ?? ''), 'PostgreSQL’s error (column "plan" contains null values) is not in the job log'),
      ...expectThat(after === schema && after === '8b9d4e', `the schema is at ${after}, was ${schema}`),
    ], (migrate?.log ?? '').split('\n').find((line) => /null values/.test(line))?.trim() ?? stepLine(migrate));
  }
  ctx.aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: 600, logLines: MIGRATION_OK });
}

/** Stage 7: a hotfix goes straight to main, is released as a patch and backported. */
export async function hotfixIsReleased(ctx: StoryContext): Promise<void> {
  const { timeline } = ctx;
  timeline.stage(7, 'A hotfix to main deploys, releases v1.0.1 and is backported');
  const { erin } = ctx.people;
  const prRuns = await play(ctx, async () => {
    await erin.branch('hotfix/expired-tokens', 'main');
    erin.commit('fix(auth): reject expired session tokens', { 'app/core/security.py': 'def valid(token_age: int) -> bool:\n    return token_age < 3600\n' });
    await erin.push('hotfix/expired-tokens');
    ctx.prs.hotfix = await erin.openPullRequest('hotfix/expired-tokens', 'main', 'Reject expired session tokens');
  });
  const checks = runsOf(prRuns, 'pr-checks.yml')[0];
  timeline.expect(`hotfix PR #${ctx.prs.hotfix}: the branch flow allows hotfix/* -> main`, expectThat(step(checks, 'Classify the PR')?.outputs.flow === 'ok' && checks?.conclusion === 'success', `flow '${step(checks, 'Classify the PR')?.outputs.flow}', checks ${checks?.conclusion}`), jobsLine(checks));
  const prod = environment('prod');
  const before = serviceTaskDefinition(ctx.aws, prod);
  const runs = await play(ctx, () => erin.merge(ctx.prs.hotfix, 'squash', `fix(auth): reject expired session tokens (#${ctx.prs.hotfix})`));
  expectDeploy(ctx, { env: prod, runs, before, migration: 'success', rollout: 'success' });
  const release = step(runsOf(runs, 'deploy-on-merge.yml')[0], 'Create the release');
  timeline.expect('release v1.0.1 after v1.0.0, listing the fix', [
    ...expectThat(release?.outputs.tag === 'v1.0.1', `tag is '${release?.outputs.tag}' (${stepLine(release)})`),
    ...expectThat(release?.outputs['previous-tag'] === 'v1.0.0', `previous tag is '${release?.outputs['previous-tag']}'`),
    ...expectThat((release?.outputs.notes ?? '').includes('expired session tokens'), 'the notes do not list the fix'),
  ], stepLine(release));
  const backports = runsOf(runs, 'hotfix-backport.yml')[0];
  const backportPrs = ctx.gh.state.pulls(FULL_REPO).filter((p) => p.head.ref.startsWith(`backport/${ctx.prs.hotfix}-to-`));
  const backportChecks = runs.filter((run) => run.workflowFile === 'pr-checks.yml' && backportPrs.some((p) => run.ref === prRef(p.number)));
  timeline.expect('the hotfix is backported to staging and development as PRs whose checks run', [
    ...expectThat(backports?.conclusion === 'success', `the backport run is ${backports?.conclusion ?? 'missing'} (${jobsLine(backports)})`),
    ...expectThat(backportPrs.length === 2, `${backportPrs.length} backport PRs`),
    ...expectThat(backportChecks.length === 2 && backportChecks.every((r) => r.conclusion === 'success'), `${backportChecks.length} backport PR check runs: ${backportChecks.map((r) => r.conclusion).join(', ')}`),
  ], backportPrs.map((p) => `#${p.number} ${p.head.ref} -> ${p.base.ref}`).join(', '));
}

/** Stage 8: the rules GitHub applies that the templates rely on, each tried the wrong way. */
export async function theTemplatesKeepGitHubsRules(ctx: StoryContext): Promise<void> {
  const { timeline, people, gh, aws } = ctx;
  timeline.stage(8, 'GitHub’s rules hold: a base changed to main is re-checked, prod refuses to deploy unprotected, prod changes run from main');
  const { alice } = people;
  const opened = await play(ctx, async () => {
    await alice.branch('feature/health-details', 'development');
    alice.commit('feat(api): version endpoint', { 'app/api/routes/version.py': 'def version() -> dict:\n    return {"version": "1"}\n' });
    await alice.push('feature/health-details');
    ctx.prs.retarget = await alice.openPullRequest('feature/health-details', 'development', 'Health details');
  });
  const retargeted = await play(ctx, () => alice.changeBase(ctx.prs.retarget, 'main'));
  const before = runsOf(opened, 'pr-checks.yml')[0];
  const after = runsOf(retargeted, 'pr-checks.yml')[0];
  timeline.expect(`PR #${ctx.prs.retarget}: changing its base to main re-runs the checks and the branch flow fails`, [
    ...expectThat(before?.conclusion === 'success', `the first checks are ${before?.conclusion ?? 'not run'}`),
    ...expectThat(after?.action === 'edited' && step(after, 'Classify the PR')?.outputs.flow === 'violation' && after.conclusion === 'failure', `after the base change: ${after ? `${after.action}, flow ${step(after, 'Classify the PR')?.outputs.flow}, ${after.conclusion}` : 'no checks ran'}`),
  ], after ? jobsLine(after) : 'no run');

  const prod = environment('prod');
  const service = serviceTaskDefinition(aws, prod);
  gh.seed.environment(FULL_REPO, 'prod', { reviewers: [] });
  const unprotected = await play(ctx, () => ctx.player.dispatch('deploy-on-merge.yml', 'main', {}, 'erin'));
  gh.seed.environment(FULL_REPO, 'prod', { reviewers: PROD_REVIEWERS });
  const refusal = step(runsOf(unprotected, 'deploy-on-merge.yml')[0], "Check the environment's required reviewers");
  timeline.expect('a prod environment without required reviewers: the deploy refuses before anything changes', [
    ...expectThat(refusal?.conclusion === 'failure' && /required reviewers/.test(refusal.errors.join(' ')), `the check is ${stepLine(refusal)}`),
    ...expectThat(serviceTaskDefinition(aws, prod) === service, `${prod.service} moved to ${shortArn(serviceTaskDefinition(aws, prod))}`),
  ], stepLine(refusal), true);

  // The README's deployment-branch rule refuses the job itself; without that rule the template's own guard does.
  const refused = await ctx.player.dispatch('migrate.yml', 'development', { environment: 'prod' }, 'dave');
  const branchRule = 'Branch "development" is not allowed to deploy to prod due to environment protection rules.';
  timeline.expect('a prod migration dispatched from development is refused by the prod environment’s deployment-branch rule', expectThat(refused.conclusion === 'failure' && refused.jobs[0]?.notes.includes(branchRule) === true && refused.jobs[0]?.steps.length === 0, `the run is ${refused.conclusion} (${refused.jobs[0]?.notes.join('; ')})`), branchRule, true);
  gh.seed.environment(FULL_REPO, 'prod', { branches: [] });
  const fromDevelopment = await ctx.player.dispatch('migrate.yml', 'development', { environment: 'prod' }, 'dave').finally(() => gh.seed.environment(FULL_REPO, 'prod', { branches: ['main'] }));
  const guard = step(fromDevelopment, 'Production runs from main only');
  timeline.expect('without that rule, a prod migration dispatched from development fails at once, naming main', expectThat(guard?.conclusion === 'failure' && /from main only/.test(guard.errors.join(' ')) && step(fromDevelopment, 'Run the migration')?.conclusion === 'skipped', `the guard is ${stepLine(guard)}`), stepLine(guard), true);
}

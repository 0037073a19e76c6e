/**
 * The story the rehearsal plays: the runbook from a mixed PR to a hotfix release, with the failures
 * the bundle must catch. Each stage states what must happen; the pipeline records what did.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Scenario } from '../../packages/simulators/aws';
import type { ActionRun } from '../../test/harness/run-action';
import { expectThat, type Pipeline } from './pipeline';
import type { RehearsalRepository } from './repository';
import { PLAN_SECRETS, redisPlan, writePlan } from './terraform-plans';
import { CONTAINER, FULL_REPO, environment, type Environment } from './world';

const POLL = { 'poll-interval-seconds': 1 };
const MIGRATION_OK = ['INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.', 'INFO  [alembic.runtime.migration] Will assume transactional DDL.', 'INFO  [alembic.runtime.migration] Running upgrade 3f2a1c -> 8b9d4e, add users table'];
const MIGRATION_BROKEN = ['INFO  [alembic.runtime.migration] Running upgrade 8b9d4e -> c41f07, add orders table', 'sqlalchemy.exc.ProgrammingError: (psycopg.errors.UndefinedTable) relation "customers" does not exist'];

export interface StoryContext {
  pipeline: Pipeline;
  repo: RehearsalRepository;
  healthUrl: string;
}

/** The model's view of which task definition a service runs. */
function serviceTaskDefinition(pipeline: Pipeline, env: Environment): string {
  const service = pipeline.aws.state.service(env.cluster, env.service) as { taskDefinition?: string };
  return service?.taskDefinition ?? '';
}

function pullRequestOf(repo: RehearsalRepository, number: number, head: string, base: string, changedFiles: number) {
  return { number, head, headSha: repo.head(head), base, baseSha: repo.head(base), changedFiles };
}

function classify(ctx: StoryContext, label: string, pr: ReturnType<typeof pullRequestOf>, expect: 'success' | 'failure', verify: (run: ActionRun) => string[], inputs: Record<string, string | boolean> = {}) {
  return ctx.pipeline.step({ action: 'classify-pr', label, inputs, expect, pullRequest: pr, verify });
}

/** Stage 1: the runbook's first rule. */
export async function mixedPullRequestIsBlocked(ctx: StoryContext): Promise<{ appPr: number; infraPr: number }> {
  const { pipeline, repo } = ctx;
  pipeline.stage(1, 'A PR mixing a route and a Terraform file is blocked; split in two, both pass');
  repo.commit('feature/users-with-cache', 'feat(api): add users endpoint with a Redis session cache', 'alice', 'development');
  const mixedFiles = ['app/api/routes/users.py', 'app/services/session_cache.py', 'tests/api/test_users.py', 'infrastructure/terraform/modules/redis/main.tf'];
  const mixed = repo.pull('feature/users-with-cache', 'development', 'Add users endpoint with Redis cache', mixedFiles);
  await classify(ctx, `PR #${mixed} feature/users-with-cache -> development`, pullRequestOf(repo, mixed, 'feature/users-with-cache', 'development', mixedFiles.length), 'failure', (run) => [
    ...expectThat(run.outputs.type === 'mixed', `type is '${run.outputs.type}', expected mixed`),
    ...expectThat(pipeline.gh.state.comments(FULL_REPO, mixed).length === 1, 'expected one sticky comment explaining the split'),
  ]);

  repo.commit('feature/users-endpoint', 'feat(api): add users endpoint', 'alice', 'development');
  const appFiles = ['app/api/routes/users.py', 'app/services/session_cache.py', 'tests/api/test_users.py'];
  const appPr = repo.pull('feature/users-endpoint', 'development', 'Add users endpoint', appFiles);
  await classify(ctx, `PR #${appPr} feature/users-endpoint -> development`, pullRequestOf(repo, appPr, 'feature/users-endpoint', 'development', appFiles.length), 'success', (run) =>
    expectThat(run.outputs.type === 'application', `type is '${run.outputs.type}', expected application`),
  );

  repo.commit('infra/redis-cache', 'feat(infra): add ElastiCache Redis for sessions', 'bob', 'development');
  const infraFiles = ['infrastructure/terraform/modules/redis/main.tf', 'infrastructure/terraform/modules/redis/variables.tf', 'infrastructure/terraform/environments/dev/main.tf'];
  const infraPr = repo.pull('infra/redis-cache', 'development', 'Add Redis cache for sessions', infraFiles);
  await classify(ctx, `PR #${infraPr} infra/redis-cache -> development`, pullRequestOf(repo, infraPr, 'infra/redis-cache', 'development', infraFiles.length), 'success', (run) =>
    expectThat(run.outputs.type === 'infrastructure', `type is '${run.outputs.type}', expected infrastructure`),
  );
  return { appPr, infraPr };
}

/** Stage 2: plan comment per environment, then the digest guard at apply time. */
export async function infrastructurePlanIsReviewed(ctx: StoryContext, infraPr: number): Promise<void> {
  const { pipeline, repo } = ctx;
  pipeline.stage(2, 'The infrastructure PR gets a plan comment per environment; apply refuses a changed plan');
  const dir = mkdtempSync(path.join(tmpdir(), 'rehearsal-plans-'));
  const pr = pullRequestOf(repo, infraPr, 'infra/redis-cache', 'development', 3);
  const digests: Record<string, string> = {};
  for (const env of ['dev', 'staging', 'prod']) {
    const run = await pipeline.step({
      action: 'terraform-plan-comment',
      label: `plan of ${env} on PR #${infraPr}`,
      inputs: { 'plan-json': writePlan(dir, env, redisPlan(env)), name: env },
      expect: 'success',
      pullRequest: pr,
      verify: (r) => [
        ...expectThat(r.outputs.add === '2', `add is '${r.outputs.add}', expected 2`),
        ...expectThat(!PLAN_SECRETS.some((secret) => r.log.includes(secret) || r.summary.includes(secret)), 'a sensitive value reached the log or summary'),
      ],
    });
    digests[env] = run.outputs.digest ?? '';
  }
  const comments = pipeline.gh.state.comments(FULL_REPO, infraPr);
  pipeline.check('github', `PR #${infraPr} has one plan comment per environment`, [
    ...expectThat(comments.length === 3, `found ${comments.length} comments, expected 3`),
    ...expectThat(!comments.some((c: { body: string }) => PLAN_SECRETS.some((s) => c.body.includes(s))), 'a sensitive value reached a comment'),
  ], `${comments.length} comments`);

  repo.squashMerge(infraPr, 'development', 'feat(infra): add ElastiCache Redis for sessions', 'bob');
  await pipeline.step({
    action: 'terraform-plan-comment',
    label: 'apply dev: the plan is the one reviewed',
    inputs: { 'plan-json': writePlan(dir, 'dev-apply', redisPlan('dev')), name: 'dev', mode: 'off', 'expected-digest': digests.dev },
    expect: 'success',
    sha: repo.head('development'),
  });
  await pipeline.step({
    action: 'terraform-plan-comment',
    label: 'apply staging: the plan changed since review',
    inputs: { 'plan-json': writePlan(dir, 'staging-apply', redisPlan('staging', true)), name: 'staging', mode: 'off', 'expected-digest': digests.staging },
    expect: 'failure',
    sha: repo.head('development'),
    verify: (r) => expectThat(/digest/i.test(r.errors.join('\n')), 'the error does not say the digest differs'),
  });
}

interface DeployOptions {
  imageTag: string;
  migration: 'success' | 'failure';
  rollout: 'success' | 'failure';
}

/** The deploy workflow of one environment: register, migrate, roll out, wait for health. */
export async function deploy(ctx: StoryContext, env: Environment, options: DeployOptions): Promise<{ taskDefinitionArn?: string }> {
  const { pipeline } = ctx;
  const image = `${env.repositoryUri}:${options.imageTag}`;
  const before = serviceTaskDefinition(pipeline, env);
  const register = await pipeline.step({
    action: 'ecs-deploy',
    label: `register ${env.name} revision with ${options.imageTag}`,
    inputs: { cluster: env.cluster, service: env.service, container: CONTAINER, image, 'register-only': true, ...POLL },
    expect: 'success',
    verify: (r) => [
      ...expectThat(r.outputs.status === 'registered', `status is '${r.outputs.status}', expected registered`),
      ...expectThat(/@sha256:[0-9a-f]{64}$/.test(r.outputs.image ?? ''), `image '${r.outputs.image}' is not pinned by digest`),
    ],
  });
  const taskDefinitionArn = register.outputs['task-definition-arn'];
  if (!taskDefinitionArn) return {};

  const migrate = await pipeline.step({
    action: 'run-migration',
    label: `alembic upgrade head in ${env.name}`,
    inputs: { cluster: env.cluster, service: env.service, 'task-definition': taskDefinitionArn, container: CONTAINER, ...POLL },
    expect: options.migration,
    verify: (r) =>
      options.migration === 'success'
        ? [...expectThat(r.outputs['exit-code'] === '0', `exit code ${r.outputs['exit-code']}`), ...expectThat(r.log.includes('Running upgrade'), 'the migration log lines are not in the job log')]
        : [...expectThat(r.outputs['exit-code'] !== '0' && r.outputs['exit-code'] !== undefined, `exit code ${r.outputs['exit-code']}`), ...expectThat(r.errors.join('\n').includes('does not exist'), 'the error lacks the last log line')],
  });
  if (migrate.exitCode !== 0) {
    pipeline.skipped('ecs-deploy', `roll out ${env.name}`, 'skipped: the migration failed');
    pipeline.check('aws', `${env.service} still runs the previous revision`, expectThat(serviceTaskDefinition(pipeline, env) === before, `service moved to ${serviceTaskDefinition(pipeline, env)}`), before.split('/').pop() ?? before);
    return { taskDefinitionArn };
  }

  const rollout = await pipeline.step({
    action: 'ecs-deploy',
    label: `roll out ${env.name}`,
    inputs: { cluster: env.cluster, service: env.service, container: CONTAINER, image, ...POLL, 'timeout-minutes': 5 },
    expect: options.rollout,
    verify: (r) =>
      options.rollout === 'success'
        ? expectThat(r.outputs.status === 'deployed', `status is '${r.outputs.status}', expected deployed`)
        : [
            ...expectThat(r.outputs.status === 'rolled-back', `status is '${r.outputs.status}', expected rolled-back`),
            ...expectThat(/exit|Essential container/i.test(r.errors.join('\n')), 'the error does not name the stopped tasks’ reason'),
          ],
  });
  if (rollout.exitCode !== 0) {
    pipeline.check('aws', `${env.service} is back on the previous revision`, expectThat(serviceTaskDefinition(pipeline, env) === before, `service runs ${serviceTaskDefinition(pipeline, env)}, expected ${before}`), before.split('/').pop() ?? before);
    pipeline.skipped('wait-stable', `${env.name} health`, 'skipped: the rollout failed');
    return { taskDefinitionArn };
  }

  await pipeline.step({
    action: 'wait-stable',
    label: `${env.service} stable and healthy`,
    inputs: { cluster: env.cluster, services: env.service, 'task-definition': rollout.outputs['task-definition-arn'] ?? '', 'health-url': ctx.healthUrl, 'health-timeout-seconds': 30, ...POLL, 'timeout-minutes': 5 },
    expect: 'success',
    verify: (r) => expectThat(r.outputs.status === 'stable', `status is '${r.outputs.status}', expected stable`),
  });
  return { taskDefinitionArn };
}

/** Builds and pushes the image of a commit (the simulator stands in for docker build/push). */
function pushImage(ctx: StoryContext, env: Environment, sha: string, scenario?: Scenario): string {
  const tag = sha.slice(0, 12);
  ctx.pipeline.aws.seed.image(env.repository, tag, { scenario });
  return tag;
}

/** Stage 3: merge to development deploys Dev. */
export async function developmentDeploys(ctx: StoryContext, appPr: number): Promise<void> {
  const { pipeline, repo } = ctx;
  pipeline.stage(3, 'Merge to development: register, migrate, roll out, wait for health');
  const sha = repo.squashMerge(appPr, 'development', 'feat(api): add users endpoint');
  pipeline.aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: 600, logLines: MIGRATION_OK });
  await deploy(ctx, environment('dev'), { imageTag: pushImage(ctx, environment('dev'), sha), migration: 'success', rollout: 'success' });
}

/** Stage 4: promotion to staging, then to production behind approval, and the first release. */
export async function promotionsReachProduction(ctx: StoryContext): Promise<void> {
  const { pipeline, repo } = ctx;
  pipeline.stage(4, 'Promotion to staging, then to main behind approval: deploy and release v1.0.0');
  const toStaging = repo.pull('development', 'staging', 'Release to staging', ['app/api/routes/users.py', 'infrastructure/terraform/modules/redis/main.tf']);
  await classify(ctx, `promotion PR #${toStaging} development -> staging`, pullRequestOf(repo, toStaging, 'development', 'staging', 2), 'success', (run) =>
    expectThat(run.outputs.flow === 'ok', `flow is '${run.outputs.flow}', expected ok`));
  const stagingSha = repo.merge(toStaging, 'development', 'staging');
  await deploy(ctx, environment('staging'), { imageTag: pushImage(ctx, environment('staging'), stagingSha), migration: 'success', rollout: 'success' });

  const toMain = repo.pull('staging', 'main', 'Production release', ['app/api/routes/users.py', 'infrastructure/terraform/modules/redis/main.tf']);
  await classify(ctx, `promotion PR #${toMain} staging -> main`, pullRequestOf(repo, toMain, 'staging', 'main', 2), 'success', (run) =>
    expectThat(run.outputs.flow === 'ok', `flow is '${run.outputs.flow}', expected ok`));
  const mainSha = repo.merge(toMain, 'staging', 'main');
  pipeline.timeline.note('production environment: required reviewers approve the deployment (GitHub environment protection)');
  await deploy(ctx, environment('prod'), { imageTag: pushImage(ctx, environment('prod'), mainSha), migration: 'success', rollout: 'success' });
  await pipeline.step({
    action: 'create-release',
    label: 'release of the production deploy',
    inputs: {},
    expect: 'success',
    sha: mainSha,
    ref: 'refs/heads/main',
    verify: (r) => [
      ...expectThat(r.outputs.tag === 'v1.0.0', `tag is '${r.outputs.tag}', expected v1.0.0`),
      ...expectThat(r.outputs.created === 'true', `created is '${r.outputs.created}'`),
      ...expectThat((r.outputs.notes ?? '').includes('users endpoint'), 'the notes do not list the users endpoint'),
    ],
  });
}

/** Stage 5: a bad image trips the circuit breaker in Staging. */
export async function badImageIsRolledBack(ctx: StoryContext): Promise<void> {
  const { pipeline, repo } = ctx;
  pipeline.stage(5, 'A bad image reaches Staging: the circuit breaker trips, the step fails fast, the service is back');
  repo.commit('development', 'feat(api): serve with gunicorn workers', 'carol');
  const staging = environment('staging');
  const sha = repo.commit('staging', 'feat(api): serve with gunicorn workers', 'carol');
  const tag = pushImage(ctx, staging, sha, { kind: 'crash-loop', exitCode: 3, reason: 'Essential container in task exited', logLines: ['gunicorn.errors.HaltServer: <HaltServer \'Worker failed to boot.\' 3>'] });
  await deploy(ctx, staging, { imageTag: tag, migration: 'success', rollout: 'failure' });
}

/** Stage 6: a failing migration stops the pipeline before the rollout. */
export async function failingMigrationStopsThePipeline(ctx: StoryContext): Promise<void> {
  const { pipeline, repo } = ctx;
  pipeline.stage(6, 'A failing migration stops the pipeline before the rollout');
  const sha = repo.commit('development', 'feat(db): add orders table', 'dave');
  pipeline.aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 1, afterMs: 600, logLines: MIGRATION_BROKEN });
  const dev = environment('dev');
  await deploy(ctx, dev, { imageTag: pushImage(ctx, dev, sha), migration: 'failure', rollout: 'success' });
  pipeline.aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: 600, logLines: MIGRATION_OK });
}

/** Stage 7: a hotfix goes straight to main and is released as a patch. */
export async function hotfixIsReleased(ctx: StoryContext): Promise<void> {
  const { pipeline, repo } = ctx;
  pipeline.stage(7, 'A hotfix to main deploys and releases v1.0.1');
  repo.commit('hotfix/expired-tokens', 'fix(auth): reject expired session tokens', 'erin', 'main');
  const files = ['app/core/security.py', 'tests/core/test_security.py'];
  const pr = repo.pull('hotfix/expired-tokens', 'main', 'Reject expired session tokens', files);
  await classify(ctx, `PR #${pr} hotfix/expired-tokens -> main`, pullRequestOf(repo, pr, 'hotfix/expired-tokens', 'main', files.length), 'success', (run) => [
    ...expectThat(run.outputs.flow === 'ok', `flow is '${run.outputs.flow}', expected ok`),
    ...expectThat(run.outputs.type === 'application', `type is '${run.outputs.type}'`),
  ]);
  const sha = repo.squashMerge(pr, 'main', 'fix(auth): reject expired session tokens', 'erin');
  const prod = environment('prod');
  await deploy(ctx, prod, { imageTag: pushImage(ctx, prod, sha), migration: 'success', rollout: 'success' });
  await pipeline.step({
    action: 'create-release',
    label: 'release of the hotfix',
    inputs: {},
    expect: 'success',
    sha,
    ref: 'refs/heads/main',
    verify: (r) => [
      ...expectThat(r.outputs.tag === 'v1.0.1', `tag is '${r.outputs.tag}', expected v1.0.1`),
      ...expectThat(r.outputs['previous-tag'] === 'v1.0.0', `previous tag is '${r.outputs['previous-tag']}'`),
      ...expectThat((r.outputs.notes ?? '').includes('expired session tokens'), 'the notes do not list the fix'),
    ],
  });
}

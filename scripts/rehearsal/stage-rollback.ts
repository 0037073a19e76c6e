/**
 * Stage 9, the runbook's rollback: a rollout whose health check fails is put back by the pipeline itself;
 * then people roll production back by dispatch (rollback.yml) to a release tag, with a database downgrade
 * behind its own approval, and forward again with `previous`; a target that names nothing is refused.
 */
import { productionWasAnnounced } from './team-notified';
import { fixedMigration, healthPython, sessionsHealthPython } from './app-python';
import { expectThat, jobsLine, runsOf, step, stepLine } from './checks';
import {
  deploymentLine,
  deploymentPayload,
  deploymentState,
  lastDeployment,
  play,
  serviceTaskDefinition,
  shortArn,
  type StoryContext,
} from './stages';
import { FULL_REPO, environment } from './world';
import { rollbackOrder } from './stage-rollback-order';

const DOWNGRADE_LOG = ['INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.', 'INFO  [alembic.runtime.migration] Running downgrade 8b9d4e -> 3f2a1c, add users table'];

/** Commands of the one-off tasks started while `act` ran. */
async function migrationCommands(ctx: StoryContext, act: () => Promise<unknown>): Promise<{ runs: Awaited<ReturnType<typeof play>>; commands: string[] }> {
  const before = ctx.aws.calls('RunTask').length;
  const runs = await play(ctx, act);
  const commands = ctx.aws.calls('RunTask').slice(before).map((call) => {
    const overrides = (call.body?.overrides?.containerOverrides ?? []) as { command?: string[] }[];
    return overrides.map((o) => (o.command ?? []).join(' ')).join(' ');
  });
  return { runs, commands };
}

/** A rollout ECS calls stable but whose app answers 503: deploy.yml puts the revision before it back. */
async function failedHealthCheckRollsBack(ctx: StoryContext): Promise<void> {
  const dev = environment('dev');
  const before = serviceTaskDefinition(ctx.aws, dev);
  const { bob } = ctx.people;
  // Scripted: the endpoint answers 503. Real: /health reads a sessions table no migration created (503),
  // and the commit also carries stage 6's migration, fixed: it runs, so dev's schema is ahead of the old code.
  ctx.health.failing = !ctx.real;
  const runs = await play(ctx, async () => {
    await bob.branch('development', 'development');
    bob.commit('feat(api): read sessions from the new store', { 'app/api/routes/sessions.py': 'def sessions() -> list:\n    return []\n', ...(ctx.real ? { ...sessionsHealthPython(), ...fixedMigration() } : {}) });
    await bob.push('development');
  }).finally(() => {
    ctx.health.failing = false;
  });
  const run = runsOf(runs, 'deploy-on-merge.yml')[0];
  const rollOut = step(run, 'Roll out');
  const rollback = step(run, 'Roll back after a failed health check');
  const now = serviceTaskDefinition(ctx.aws, dev);
  const migrated = step(run, 'Migrate the database')?.log ?? '';
  ctx.timeline.expect('dev: a rollout whose health check fails is rolled back to the revision before it', [
    ...(ctx.real ? expectThat(migrated.includes('Running upgrade 8b9d4e -> c41f07, add users plan'), 'the fixed migration did not run (no Running upgrade 8b9d4e -> c41f07)') : []),
    ...expectThat(rollOut?.outputs.status === 'deployed', `Roll out is ${stepLine(rollOut)} (${rollOut?.outputs.status})`),
    ...expectThat(step(run, 'Wait for the service and the health check')?.conclusion === 'failure', `the health check is ${stepLine(step(run, 'Wait for the service and the health check'))}`),
    ...expectThat(rollback?.conclusion === 'success' && rollback.outputs['task-definition-arn'] === before, `the rollback step is ${stepLine(rollback)} to ${shortArn(rollback?.outputs['task-definition-arn'] ?? '')}`),
    ...expectThat(now === before, `${dev.service} runs ${shortArn(now)}, expected ${shortArn(before)}`),
    ...expectThat(run?.conclusion === 'failure', `the pipeline run is ${run?.conclusion} (${jobsLine(run)})`),
    ...expectThat(deploymentState(lastDeployment(ctx, 'dev')) === 'failure', `the deployment is recorded as ${deploymentLine(lastDeployment(ctx, 'dev'))}`),
  ], `${stepLine(rollback)}; ${dev.service} on ${shortArn(now)}`, true);
}

/**
 * After the pipeline put dev back on older code, a downgrade must still run with the newer code (the
 * only one that knows the migration it ran): rollback.yml names the newest revision deployed, not the
 * service's current one.
 */
async function downgradeRunsWithTheNewestRevision(ctx: StoryContext): Promise<void> {
  const dev = environment('dev');
  const current = serviceTaskDefinition(ctx.aws, dev);
  const newest = deploymentPayload(lastDeployment(ctx, 'dev')).task_definition_arn ?? '';
  ctx.gh.seed.environment(FULL_REPO, 'dev-schema', { reviewers: [ctx.people.releaseManager.options.login] });
  const before = ctx.aws.calls('RunTask').length;
  // From development: the dev environment admits only that branch (its deployment-branch rule, as the templates README sets it).
  const run = await ctx.player.dispatch('rollback.yml', 'development', { environment: 'dev', target: current, 'downgrade-to': '-1' }, ctx.people.releaseManager.options.login);
  const used = ctx.aws.calls('RunTask').slice(before).map((call) => String(call.body?.taskDefinition ?? ''));
  if (ctx.real) schemaWentBack(ctx, step(run, 'Run alembic downgrade')?.log ?? '');
  ctx.timeline.expect('dev after its automatic rollback: `alembic downgrade` runs with the newer revision (named explicitly), not the older code now running', [
    ...expectThat(newest !== '' && newest !== current, `the newest dev revision ${shortArn(newest)} is the one running (${shortArn(current)})`),
    ...expectThat(used.length === 1 && used[0] === newest, `the downgrade ran with ${used.map(shortArn).join(', ') || 'nothing'}, expected ${shortArn(newest)}`),
    ...expectThat(run?.conclusion === 'success', `the rollback run is ${run?.conclusion} (${jobsLine(run)})`),
  ], `downgrade with ${used.map(shortArn).join(', ')}; ${dev.service} stays on ${shortArn(current)}`);
}

/** Real stack: Alembic really downgraded dev (c41f07 -> 8b9d4e): the version table and the users table say so. */
function schemaWentBack(ctx: StoryContext, log: string): void {
  const sql = (statement: string) => ctx.real!.postgres.sql(statement, 'connect2_dev');
  const version = sql('SELECT version_num FROM alembic_version');
  const columns = sql("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users'");
  ctx.timeline.expect('dev: the downgrade really ran (Alembic’s Running downgrade c41f07 -> 8b9d4e) and the schema went back', [
    ...expectThat(log.includes('Running downgrade c41f07 -> 8b9d4e, add users plan'), `the downgrade’s log has no "Running downgrade c41f07 -> 8b9d4e": ${log.trim().split('\n').slice(-3).join(' | ')}`),
    ...expectThat(version === '8b9d4e', `alembic_version is ${version || 'empty'}, expected 8b9d4e`),
    ...expectThat(!columns.split(',').includes('plan'), `users still has the plan column (${columns})`),
  ], `alembic_version ${version}; users(${columns})`);
}

/**
 * Real stack: bob fixes /health on development (the broken route stays there otherwise, and every later
 * dev deploy and PR test would fail on it); the deploy upgrades dev again (8b9d4e -> c41f07).
 */
async function healthIsFixedForward(ctx: StoryContext): Promise<void> {
  const dev = environment('dev');
  const { bob } = ctx.people;
  const runs = await play(ctx, async () => {
    await bob.branch('development', 'development');
    bob.commit('fix(api): health does not read the sessions table before it exists', healthPython());
    await bob.push('development');
  });
  const run = runsOf(runs, 'deploy-on-merge.yml')[0];
  const migrated = step(run, 'Migrate the database')?.log ?? '';
  ctx.timeline.expect('dev: the health fix deploys, and Alembic upgrades dev again after the downgrade (Running upgrade 8b9d4e -> c41f07)', [
    ...expectThat(run?.conclusion === 'success' && deploymentState(lastDeployment(ctx, 'dev')) === 'success', `the pipeline run is ${run?.conclusion} (${jobsLine(run)}); ${deploymentLine(lastDeployment(ctx, 'dev'))}`),
    ...expectThat(migrated.includes('Running upgrade 8b9d4e -> c41f07, add users plan'), 'no Running upgrade 8b9d4e -> c41f07 in the migration step'),
  ], `${deploymentLine(lastDeployment(ctx, 'dev'))}; ${shortArn(serviceTaskDefinition(ctx.aws, dev))}`);
}

/** A target that is neither previous, a tag nor an ARN: refused before anything changes. */
async function unknownTargetIsRefused(ctx: StoryContext): Promise<void> {
  const prod = environment('prod');
  const service = serviceTaskDefinition(ctx.aws, prod);
  const deployments = ctx.gh.state.deployments(FULL_REPO).length;
  const mutations = ctx.aws.mutatingCalls().length;
  const run = await ctx.player.dispatch('rollback.yml', 'main', { environment: 'prod', target: 'last-tuesday' }, ctx.people.releaseManager.options.login);
  const resolve = step(run, 'Resolve the target');
  ctx.timeline.expect('rollback with a target that names nothing fails in one line naming `target`; nothing changes', [
    ...expectThat(resolve?.conclusion === 'failure' && /^target: 'last-tuesday' is not previous, a release tag/.test(resolve.errors[0] ?? ''), `Resolve the target is ${stepLine(resolve)}`),
    ...expectThat(serviceTaskDefinition(ctx.aws, prod) === service && ctx.aws.mutatingCalls().length === mutations, 'AWS was changed'),
    ...expectThat(ctx.gh.state.deployments(FULL_REPO).length === deployments, 'a deployment was recorded'),
  ], stepLine(resolve), true);
}

/** Production back to v1.0.0, schema downgraded first behind prod-schema's reviewers, no upgrade run. */
async function productionRollsBackToARelease(ctx: StoryContext): Promise<void> {
  const prod = environment('prod');
  const release = ctx.gh.state.deployments(FULL_REPO).filter((d) => d.environment === 'prod' && d.task === 'deploy:ecs' && deploymentState(d) === 'success')[0];
  const current = serviceTaskDefinition(ctx.aws, prod);
  const approvalsBefore = ctx.approvals.length;
  ctx.aws.scenarios.forCommand('alembic downgrade -1', { kind: 'exit', exitCode: 0, afterMs: 400, logLines: DOWNGRADE_LOG });
  const { runs, commands } = await migrationCommands(ctx, () => ctx.player.dispatch('rollback.yml', 'main', { environment: 'prod', target: 'v1.0.0', 'downgrade-to': '-1' }, ctx.people.releaseManager.options.login));
  const run = runsOf(runs, 'rollback.yml')[0];
  const now = serviceTaskDefinition(ctx.aws, prod);
  const recorded = lastDeployment(ctx, 'prod');
  const asked = ctx.approvals.slice(approvalsBefore).map((a) => a.environment);
  ctx.timeline.expect('rollback.yml puts prod back on v1.0.0’s revision, as it is, without `alembic upgrade head`', [
    ...expectThat(run?.conclusion === 'success', `the rollback run is ${run?.conclusion} (${jobsLine(run)})`),
    ...expectThat(now === deploymentPayload(release).task_definition_arn && now !== current, `${prod.service} runs ${shortArn(now)}; v1.0.0 ran ${shortArn(deploymentPayload(release).task_definition_arn ?? '')}`),
    ...expectThat(step(run, 'Roll back')?.outputs.status === 'deployed', `Roll back is ${stepLine(step(run, 'Roll back'))}`),
    ...expectThat(!commands.some((command) => command.includes('upgrade')), `tasks run: ${commands.join('; ')}`),
    ...expectThat(recorded?.sha === release?.sha && deploymentState(recorded) === 'success' && deploymentPayload(recorded).rollback === true, `last deployment: ${deploymentLine(recorded)} ${JSON.stringify(recorded?.payload)}`),
  ], `${shortArn(current)} -> ${shortArn(now)}; ${deploymentLine(recorded)}`);
  ctx.timeline.expect('the database downgrade runs first, with the newer code, behind the prod-schema environment’s own approval', [
    ...expectThat(asked.includes('prod-schema') && asked.includes('prod'), `approvals asked: ${asked.join(', ') || 'none'}`),
    ...expectThat(commands.length === 1 && commands[0].includes('alembic downgrade -1'), `tasks run: ${commands.join('; ') || 'none'}`),
    ...expectThat(step(run, 'Run alembic downgrade')?.log.includes('Running downgrade') ?? false, 'the downgrade’s log lines are not in the job log'),
  ], asked.join(', '));
}

/** `previous` after a rollback: the deploy before it, so the rollback is undone. */
async function previousUndoesTheRollback(ctx: StoryContext): Promise<void> {
  const prod = environment('prod');
  const successes = ctx.gh.state.deployments(FULL_REPO).filter((d) => d.environment === 'prod' && d.task === 'deploy:ecs' && deploymentState(d) === 'success');
  const expected = deploymentPayload(successes.at(-2)).task_definition_arn;
  const { runs, commands } = await migrationCommands(ctx, () => ctx.player.dispatch('rollback.yml', 'main', { environment: 'prod', target: 'previous' }, ctx.people.releaseManager.options.login));
  const run = runsOf(runs, 'rollback.yml')[0];
  const now = serviceTaskDefinition(ctx.aws, prod);
  ctx.timeline.expect('`previous` rolls prod forward to the deploy that succeeded before the rollback; no downgrade job, no migration', [
    ...expectThat(run?.conclusion === 'success' && now === expected, `${prod.service} runs ${shortArn(now)}, expected ${shortArn(expected ?? '')} (${jobsLine(run)})`),
    ...expectThat(commands.length === 0, `tasks run: ${commands.join('; ')}`),
  ], shortArn(now));
}

export async function rollbackByDispatch(ctx: StoryContext): Promise<void> {
  ctx.timeline.stage(9, 'Rollback: a failed health check rolls back on its own; prod is rolled back by dispatch to a release and forward again; the team was notified of each production change');
  await failedHealthCheckRollsBack(ctx);
  await downgradeRunsWithTheNewestRevision(ctx);
  if (ctx.real) await healthIsFixedForward(ctx);
  await unknownTargetIsRefused(ctx);
  await productionRollsBackToARelease(ctx);
  await previousUndoesTheRollback(ctx);
  await rollbackOrder(ctx);
  productionWasAnnounced(ctx);
}

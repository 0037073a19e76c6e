/**
 * Stage 9, rollback's order of operations (runbook "Rollback plan identified"): the database downgrade
 * only behind its `<env>-schema` environment's reviewers, the rollback only after the downgrade succeeded
 * (or was not asked for), and a rollback recorded as a success only once the service is stable and
 * healthy. Read from the production rollback stage 9 already played, then played on dev where it fails:
 * a downgrade that fails, and a rollback whose health check fails.
 */
import type { JobRecord, RunRecord } from '../../packages/workflow-player';
import { expectThat, job, jobsLine, step, stepLine } from './checks';
import { deploymentLine, deploymentPayload, deploymentState, lastDeployment, serviceTaskDefinition, shortArn, type StoryContext } from './stages';
import { FULL_REPO, environment } from './world';

const jobLine = (j: JobRecord | undefined) => (j ? `${j.name} ${j.conclusion}${j.environment ? ` (${j.environment.name}: ${j.environment.approval})` : ''}` : 'not run');

/** The newest rollback.yml run that downgraded production (stage 9's rollback to a release). */
function productionRollbackWithDowngrade(ctx: StoryContext): RunRecord | undefined {
  return ctx.player.runs.filter((run) => run.workflowFile === 'rollback.yml' && job(run, /^Downgrade the prod database/)?.conclusion === 'success').at(-1);
}

function downgradeThenRollback(ctx: StoryContext): void {
  const run = productionRollbackWithDowngrade(ctx);
  const downgrade = job(run, /^Downgrade the /);
  const rollback = job(run, /^Roll back /);
  ctx.timeline.expect('rollback order: the downgrade waits for prod-schema’s reviewers, the rollback starts only after the downgrade succeeded', [
    ...expectThat(run !== undefined, 'no production rollback with a downgrade was played'),
    ...expectThat(downgrade?.environment?.name === 'prod-schema' && downgrade.environment.approval === 'approved' && downgrade.environment.reviewers.length > 0, `the downgrade job is ${jobLine(downgrade)}`),
    ...expectThat(
      rollback?.startedAtMs !== undefined && downgrade?.finishedAtMs !== undefined && rollback.startedAtMs >= downgrade.finishedAtMs,
      `the rollback job started at ${rollback?.startedAtMs ?? 'never'}, the downgrade finished at ${downgrade?.finishedAtMs ?? 'never'} (${jobsLine(run)})`,
    ),
  ], `${jobLine(downgrade)} -> ${jobLine(rollback)}`);
}

/** A downgrade that fails: no rollback, nothing changed in ECS, nothing recorded. */
async function failedDowngradeStopsTheRollback(ctx: StoryContext): Promise<void> {
  const dev = environment('dev');
  const service = serviceTaskDefinition(ctx.aws, dev);
  const updates = ctx.aws.calls('UpdateService').length;
  const deployments = ctx.gh.state.deployments(FULL_REPO).length;
  ctx.aws.scenarios.forCommand('alembic downgrade base', { kind: 'exit', exitCode: 1, afterMs: 300, logLines: ['FAILED: Can\'t drop table users: other objects depend on it'] });
  // Real: Alembic refuses a revision it cannot locate (exit 1), and dev's schema stays as it is.
  const run = await ctx.player.dispatch('rollback.yml', 'development', { environment: 'dev', target: 'previous', 'downgrade-to': ctx.real ? 'f00dbeef' : 'base' }, ctx.people.releaseManager.options.login);
  const downgrade = job(run, /^Downgrade the /);
  const rollback = job(run, /^Roll back /);
  ctx.timeline.expect('rollback order: a downgrade that fails stops the rollback (no ECS change, nothing recorded)', [
    ...expectThat(downgrade?.conclusion === 'failure' && downgrade.environment?.approval === 'approved', `the downgrade job is ${jobLine(downgrade)}`),
    ...expectThat(rollback?.startedAtMs === undefined && rollback?.conclusion !== 'success', `the rollback job is ${jobLine(rollback)} (${jobsLine(run)})`),
    ...expectThat(ctx.aws.calls('UpdateService').length === updates && serviceTaskDefinition(ctx.aws, dev) === service, `${dev.service} was updated to ${shortArn(serviceTaskDefinition(ctx.aws, dev))}`),
    ...expectThat(ctx.gh.state.deployments(FULL_REPO).length === deployments, `a deployment was recorded: ${deploymentLine(lastDeployment(ctx, 'dev'))}`),
  ], `${jobLine(downgrade)}; ${jobLine(rollback)}`);
}

/** A rollback whose revision rolls out but whose health check fails is recorded as a failure; then `previous` puts dev back, recorded as a success. */
async function successOnlyWhenHealthy(ctx: StoryContext): Promise<void> {
  const dev = environment('dev');
  const before = serviceTaskDefinition(ctx.aws, dev);
  // Scripted: the endpoint answers 503. Real: dev's database takes no new connection, so the rolled-back
  // tasks' /health answers 503 (database unreachable) while the tasks themselves run.
  ctx.health.failing = !ctx.real;
  ctx.real?.postgres.sql('ALTER DATABASE connect2_dev ALLOW_CONNECTIONS false');
  const unhealthy = await ctx.player.dispatch('rollback.yml', 'development', { environment: 'dev', target: 'previous' }, ctx.people.releaseManager.options.login).finally(() => {
    ctx.health.failing = false;
    ctx.real?.postgres.sql('ALTER DATABASE connect2_dev ALLOW_CONNECTIONS true');
  });
  const failed = lastDeployment(ctx, 'dev');
  const back = await ctx.player.dispatch('rollback.yml', 'development', { environment: 'dev', target: 'previous' }, ctx.people.releaseManager.options.login);
  const recorded = lastDeployment(ctx, 'dev');
  const wait = step(back, 'Wait for the service and the health check');
  ctx.timeline.expect('rollback order: a rollback is recorded as a success only once the service is stable and healthy', [
    ...expectThat(step(unhealthy, 'Roll back')?.outputs.status === 'deployed' && step(unhealthy, 'Wait for the service and the health check')?.conclusion === 'failure', `with a failing health check: ${jobsLine(unhealthy)}`),
    ...expectThat(deploymentPayload(failed).rollback === true && failed?.statuses.every((status) => status.state !== 'success') === true, `the rollback with a failing health check is recorded as ${deploymentLine(failed)}`),
    ...expectThat(back?.conclusion === 'success' && wait?.conclusion === 'success' && wait.outputs.status === 'stable', `the rollback after it is ${back?.conclusion} (${stepLine(wait)})`),
    ...expectThat(recorded !== failed && deploymentState(recorded) === 'success' && serviceTaskDefinition(ctx.aws, dev) === before, `then ${deploymentLine(recorded)}; ${dev.service} on ${shortArn(serviceTaskDefinition(ctx.aws, dev))}, was ${shortArn(before)}`),
  ], `${deploymentLine(failed)}, then ${deploymentLine(recorded)}`);
}

export async function rollbackOrder(ctx: StoryContext): Promise<void> {
  downgradeThenRollback(ctx);
  await failedDowngradeStopsTheRollback(ctx);
  await successOnlyWhenHealthy(ctx);
}

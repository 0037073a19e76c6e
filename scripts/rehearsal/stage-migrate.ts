/**
 * Stage 14, the on-demand migration (migrate.yml, runbook "Running Migrations") played end to end: the
 * release manager dispatches it on production from main; it waits for the prod environment's reviewers
 * (another than the one who dispatched it); it runs as a one-off task of the revision the service runs,
 * its Alembic log in the job; and a merge to main pushed while it runs waits for it: the migration holds
 * the environment's deploy group, so that merge's pipeline starts only once the migration has finished,
 * then deploys as usual.
 */
import { environmentIntervals, intervalLine, overlappingJobs } from '../../packages/workflow-player';
import { expectThat, job, jobsLine, runsOf, step, stepLine } from './checks';
import { lockAlembicVersion } from './real-app';
import { play, serviceTaskDefinition, shortArn, type StoryContext } from './stages';
import { environment } from './world';

const MIGRATION_LOG = ['INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.', 'INFO  [alembic.runtime.migration] Running upgrade 8b9d4e -> c41f07, add sessions index'];
/** Real Alembic on a production already at head: its context lines, printed once it got the version table. */
const REAL_MIGRATION_LOG = ['INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.', 'INFO  [alembic.runtime.migration] Will assume transactional DDL.'];
/** Scripted: long enough that a push made once the migration started lands while it still runs. */
const MIGRATION_MS = 6000;
/** Real: how long the held migration waits for the pushed merge's pipeline to start a job (it must not). */
const QUEUED_MS = 3000;

/** Orchestration, not an assertion: resolves when `ready()` holds (polled), or after `limitMs` anyway. */
async function until(ready: () => boolean, limitMs = 300_000): Promise<void> {
  const start = Date.now();
  while (!ready() && Date.now() - start < limitMs) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** One-off tasks migrate.yml started (its `started-by`) since `from`: once there is one, the migration runs (past its group and its review). */
const migrationTasks = (ctx: StoryContext, from: number) => ctx.aws.calls('RunTask').slice(from).filter((call) => String(call.body?.startedBy ?? '') === 'migrate-prod');

export async function onDemandMigration(ctx: StoryContext): Promise<void> {
  const { timeline, aws, player } = ctx;
  const { releaseManager } = ctx.people;
  timeline.stage(14, 'The on-demand migration: approved by prod’s reviewers, run with the revision the service runs, its log in the job; a merge pushed meanwhile waits for it');
  const prod = environment('prod');
  const revision = serviceTaskDefinition(aws, prod);
  const approvalsBefore = ctx.approvals.length;
  const tasksBefore = aws.calls('RunTask').length;
  aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: MIGRATION_MS, logLines: MIGRATION_LOG });
  let pushedAt = 0;
  // Real: Alembic waits on a lock held on prod's version table until the pushed merge's pipeline is queued.
  const lock = ctx.real ? await lockAlembicVersion(ctx.real, prod.name) : undefined;
  const runs = await play(ctx, async () => {
    const dispatched = player.dispatch('migrate.yml', 'main', { environment: 'prod' }, releaseManager.options.login);
    await until(() => migrationTasks(ctx, tasksBefore).length > 0);
    await releaseManager.branch('main', 'main');
    const sha = releaseManager.commit('fix(api): index sessions by user', { 'app/api/routes/sessions.py': 'def sessions(user_id: int | None = None) -> list:\n    return []\n' });
    pushedAt = Date.now();
    await releaseManager.push('main');
    if (lock) {
      const pipeline = () => player.runs.find((run) => run.workflowFile === 'deploy-on-merge.yml' && run.sha === sha);
      await until(() => pipeline() !== undefined, 60_000);
      await until(() => pipeline()!.jobs.some((j) => j.startedAtMs !== undefined), QUEUED_MS);
      await lock.release();
    }
    await dispatched;
  }).finally(() => lock?.release());
  aws.scenarios.clear();
  const migration = runsOf(runs, 'migrate.yml')[0];
  const migrate = job(migration, /^Migrate /);
  const ran = step(migration, 'Run the migration');
  const tasks = migrationTasks(ctx, tasksBefore);
  const asked = ctx.approvals.slice(approvalsBefore).filter((approval) => approval.workflow === 'migrate.yml');
  timeline.expect('migrate.yml on prod: approved by the prod environment’s reviewers, run with the revision the service runs, Alembic’s log in the job', [
    ...expectThat(migration?.conclusion === 'success' && ran?.conclusion === 'success' && ran.outputs['exit-code'] === '0', `the migration run is ${migration?.conclusion ?? 'not run'} (${stepLine(ran)}, exit code ${ran?.outputs['exit-code'] ?? 'none'})`),
    ...expectThat(migrate?.environment?.name === 'prod' && migrate.environment.approval === 'approved' && migrate.environment.reviewers.length > 0 && !migrate.environment.reviewers.includes(releaseManager.options.login), `the migration job's environment: ${JSON.stringify(migrate?.environment ?? null)}`),
    ...expectThat(asked.some((approval) => approval.environment === 'prod'), `reviews asked: ${asked.map((approval) => approval.environment).join(', ') || 'none'}`),
    ...expectThat(tasks.length === 1 && tasks[0].body?.taskDefinition === revision, `one-off tasks started by migrate-prod: ${tasks.map((call) => shortArn(String(call.body?.taskDefinition ?? ''))).join(', ') || 'none'}; the service ran ${shortArn(revision)}`),
    ...expectThat((ctx.real ? REAL_MIGRATION_LOG : MIGRATION_LOG).every((line) => ran?.log.includes(line) ?? false), 'Alembic’s log lines are not in the job log'),
  ], `${stepLine(ran)} with ${shortArn(revision)}; reviewed by ${migrate?.environment?.reviewers.join(', ') ?? 'nobody'}`);

  const pipeline = runsOf(runs, 'deploy-on-merge.yml')[0];
  const firstJob = Math.min(...(pipeline?.jobs ?? []).map((j) => j.startedAtMs ?? Number.POSITIVE_INFINITY));
  const overlaps = overlappingJobs(environmentIntervals(runs).filter((interval) => interval.environment === prod.name));
  timeline.expect('a merge pushed while the migration runs waits for it (one deploy group per environment), then deploys', [
    ...expectThat(pipeline !== undefined && migrate?.finishedAtMs !== undefined && pushedAt < migrate.finishedAtMs, `the merge was pushed at ${pushedAt}, the migration finished at ${migrate?.finishedAtMs ?? 'never'}: the push did not land while it ran`),
    ...expectThat(migrate?.finishedAtMs !== undefined && firstJob >= migrate.finishedAtMs, `the merge's pipeline started a job ${migrate?.finishedAtMs !== undefined ? `${migrate.finishedAtMs - firstJob} ms before the migration finished` : 'while no migration finished'} (${jobsLine(pipeline)})`),
    ...overlaps.map(([a, b]) => `${intervalLine(a)} overlaps ${intervalLine(b)}`),
    ...expectThat(pipeline?.conclusion === 'success' && step(pipeline, 'Roll out')?.conclusion === 'success', `the merge's pipeline is ${pipeline?.conclusion ?? 'not run'} (${jobsLine(pipeline)}${pipeline?.notes.length ? `; ${pipeline.notes.join('; ')}` : ''})`),
  ], `${jobsLine(migration)} -> ${jobsLine(pipeline)}; ${prod.service} on ${shortArn(serviceTaskDefinition(aws, prod))}`);
}

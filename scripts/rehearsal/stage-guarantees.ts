/**
 * Stage 11, the guarantees the runbook's order of operations rests on, played where they matter:
 * when things overlap. Two merges to development seconds apart and a migration dispatched meanwhile
 * never run two deploys, applies or migrations of dev at once (the player's job intervals per
 * environment say so), no rollout is cancelled half-way, and the newest commit is deployed last.
 * Then a docs-only merge, which starts no deploy, does not block the promotion of development; and a
 * production deploy that fails releases nothing: no release, no tag, no major-tag move.
 */
import { environmentIntervals, intervalLine, overlappingJobs, type RunRecord } from '../../packages/workflow-player';
import { productionPoolPython, sqlalchemyPoolPython } from './app-python';
import { expectThat, job, jobsLine, prRef, runsOf, step, stepLine } from './checks';
import { deploymentLine, deploymentState, lastDeployment, play, serviceTaskDefinition, shortArn, type StoryContext } from './stages';
import { FULL_REPO, environment } from './world';

const MIGRATION_OK = ['INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.', 'INFO  [alembic.runtime.migration] Running upgrade 3f2a1c -> 8b9d4e, add users table'];

/** Orchestration, not an assertion: resolves when `ready()` holds (polled), or after `limitMs` anyway. */
async function until(ready: () => boolean, limitMs = 300_000): Promise<void> {
  const start = Date.now();
  while (!ready() && Date.now() - start < limitMs) await new Promise((resolve) => setTimeout(resolve, 100));
}

const runOf = (ctx: StoryContext, sha: string) => ctx.player.runs.find((run) => run.workflowFile === 'deploy-on-merge.yml' && run.sha === sha);
/** The run is in its environment's job (deploying), or over. */
const isDeploying = (run: RunRecord | undefined) => run !== undefined && (run.status === 'completed' || run.jobs.some((job) => job.environment !== undefined && job.startedAtMs !== undefined));

/** Two pushes to development seconds apart; once the second pipeline deploys, a migration of dev by hand. */
async function twoMergesAndAMigration(ctx: StoryContext): Promise<void> {
  const { timeline, aws } = ctx;
  const dev = environment('dev');
  const { carol } = ctx.people;
  aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: 600, logLines: MIGRATION_OK });
  const before = ctx.player.runs.length;
  await carol.branch('development', 'development');
  const first = carol.commit('feat(api): sessions newest first', { 'app/api/routes/sessions.py': 'def sessions() -> list:\n    return sorted([], reverse=True)\n' });
  await carol.push('development');
  const second = carol.commit('fix(api): sessions paginated', { 'app/api/routes/sessions.py': 'def sessions(page: int = 1) -> list:\n    return []\n' });
  await carol.push('development');
  await until(() => isDeploying(runOf(ctx, second)));
  const migration = await ctx.player.dispatch('migrate.yml', 'development', { environment: 'dev' }, 'carol');
  await ctx.player.idle();
  const runs = ctx.player.runs.slice(before);

  const intervals = environmentIntervals(runs).filter((interval) => interval.environment === dev.name);
  const overlaps = overlappingJobs(intervals);
  timeline.expect('two merges to development seconds apart and a migration by hand: never two deploys, applies or migrations of dev at once', [
    ...expectThat(intervals.length >= 3, `only ${intervals.length} jobs ran in dev: ${intervals.map(intervalLine).join('; ')}`),
    ...overlaps.map(([a, b]) => `${intervalLine(a)} overlaps ${intervalLine(b)}`),
  ], intervals.map((interval) => `${interval.job} (${interval.sha.slice(0, 7)})`).join(' -> '));

  const pipelines = [runOf(ctx, first), runOf(ctx, second)];
  const cancelledJobs = runs.flatMap((run) => run.jobs.filter((j) => j.conclusion === 'cancelled' && j.startedAtMs !== undefined).map((j) => `run ${run.id} ${run.workflowFile} "${j.name}"`));
  timeline.expect('no rollout is cancelled half-way: both pipelines and the migration end in success', [
    ...pipelines.flatMap((run, index) => expectThat(run?.conclusion === 'success', `the pipeline of the ${index === 0 ? 'first' : 'second'} merge is ${run?.conclusion ?? 'not run'} (${jobsLine(run)}${run?.notes.length ? `; ${run.notes.join('; ')}` : ''})`)),
    ...expectThat(cancelledJobs.length === 0, `cancelled after starting: ${cancelledJobs.join(', ')}`),
    ...expectThat(migration.conclusion === 'success' && step(migration, 'Run the migration')?.conclusion === 'success', `the migration run is ${migration.conclusion} (${stepLine(step(migration, 'Run the migration'))})`),
  ], pipelines.map(jobsLine).join(' | '));

  const recorded = lastDeployment(ctx, dev.name);
  const deployedShas = runs.filter((run) => run.workflowFile === 'deploy-on-merge.yml').map((run) => step(run, 'Roll out')?.conclusion === 'success' ? run.sha.slice(0, 7) : undefined).filter(Boolean);
  timeline.expect('the newest commit is deployed last', [
    ...expectThat(recorded?.sha === second && deploymentState(recorded) === 'success', `the last deployment of dev is ${deploymentLine(recorded)}; the newest commit is ${second.slice(0, 7)}`),
    ...expectThat(deployedShas.at(-1) === second.slice(0, 7), `rolled out in order: ${deployedShas.join(', ') || 'nothing'}`),
  ], `${deployedShas.join(' -> ')}; ${dev.service} on ${shortArn(serviceTaskDefinition(aws, dev))}`);
}

/** A merge of only docs starts no deploy; the promotion of development still passes its source check. */
async function docsOnlyMergeStillPromotes(ctx: StoryContext): Promise<void> {
  const { timeline, people } = ctx;
  const { carol, releaseManager } = people;
  const before = ctx.player.runs.length;
  await carol.branch('development', 'development');
  const docs = carol.commit('docs: how to run the API locally', { 'README.md': '# Connect 2.0 API\n\nRun it locally with `uvicorn app.main:app`.\n' });
  await carol.push('development');
  await ctx.player.idle();
  const pipelines = runsOf(ctx.player.runs.slice(before), 'deploy-on-merge.yml');
  const opened = ctx.player.runs.length;
  await ctx.player.dispatch('promote.yml', 'main', { promotion: 'development -> staging' }, releaseManager.options.login);
  await ctx.player.idle();
  const pr = (await releaseManager.pullRequests('staging')).find((p) => p.head === 'development');
  const checks = pr ? runsOf(ctx.player.runs.slice(opened), 'pr-checks.yml', (run) => run.ref === prRef(pr.number)).at(-1) : undefined;
  const classify = step(checks, 'Classify the PR');
  timeline.expect('a docs-only merge to development starts no deploy, and the promotion of development passes, naming the deploy it relied on', [
    ...expectThat(pipelines.length === 0, `the docs-only push started ${pipelines.length} pipeline runs`),
    ...expectThat(pr !== undefined, 'no promotion PR development -> staging was opened'),
    ...expectThat(classify?.outputs['source-health'] === 'healthy' && checks?.conclusion === 'success', `the promotion's Classify is ${stepLine(classify)}, source-health '${classify?.outputs['source-health']}'`),
    ...expectThat(/relying on deployment \d+ of [0-9a-f]{7}/.test(classify?.log ?? ''), 'the check does not name the deploy it relied on'),
  ], `${docs.slice(0, 7)}: ${stepLine(classify)}`);
  if (pr) await releaseManager.close(pr.number);
}

/** Release tags (`v*`, the major tag too) as GitHub lists them: ref -> commit. */
export async function releaseTags(ctx: StoryContext): Promise<Record<string, string>> {
  const response = await fetch(`${ctx.gh.url}/repos/${FULL_REPO}/git/matching-refs/tags/v`, { headers: { authorization: `Bearer ${ctx.people.releaseManager.options.token}`, accept: 'application/vnd.github+json' } });
  const refs = (await response.json()) as { ref: string; object: { sha: string } }[];
  return Object.fromEntries(refs.map((ref) => [ref.ref, ref.object.sha]));
}

/** A production deploy that fails (its image crash-loops, the rollout is rolled back): no release, no tag, no major-tag move. */
async function failedProductionDeployReleasesNothing(ctx: StoryContext): Promise<void> {
  const { timeline, aws, gh } = ctx;
  const prod = environment('prod');
  const { releaseManager } = ctx.people;
  const service = serviceTaskDefinition(aws, prod);
  const releases = gh.state.releases(FULL_REPO).length;
  const tags = await releaseTags(ctx);
  const runs = await play(ctx, async () => {
    await releaseManager.branch('main', 'main');
    // Not gunicorn.conf.py: staging's bad image of stage 5 adds it, and staging is promoted to main later (stage 13).
    // Real: prod's tasks import psycopg_pool, which the image lacks, and exit. Scripted: a crash-loop label.
    const sha = releaseManager.commit('fix(api): a larger database pool', ctx.real ? productionPoolPython() : { 'app/core/pool.py': 'POOL_SIZE = 20\n' });
    if (!ctx.real) ctx.badImages.add(sha);
    await releaseManager.push('main');
  });
  const run = runsOf(runs, 'deploy-on-merge.yml')[0];
  const rollOut = step(run, 'Roll out');
  const release = job(run, 'GitHub Release');
  const after = await releaseTags(ctx);
  timeline.expect('a production deploy that fails creates no release, no tag, and moves no major tag', [
    ...expectThat(rollOut?.conclusion === 'failure' && rollOut.outputs.status === 'rolled-back', `Roll out is ${stepLine(rollOut)} (${jobsLine(run)})`),
    ...expectThat(serviceTaskDefinition(aws, prod) === service, `${prod.service} moved to ${shortArn(serviceTaskDefinition(aws, prod))}`),
    ...expectThat(release?.conclusion !== 'success' && step(run, 'Create the release')?.conclusion !== 'success', `the release job is ${release?.conclusion ?? 'not run'} (${stepLine(step(run, 'Create the release'))})`),
    ...expectThat(gh.state.releases(FULL_REPO).length === releases, `${gh.state.releases(FULL_REPO).length - releases} releases were created`),
    ...expectThat(JSON.stringify(after) === JSON.stringify(tags), `tags before ${JSON.stringify(tags)}, after ${JSON.stringify(after)}`),
  ], `${stepLine(rollOut)}; release job ${release?.conclusion ?? 'not run'}; tags ${Object.keys(after).map((ref) => ref.replace('refs/tags/', '')).join(', ')}`, true);
  if (ctx.real) await productionIsFixedForward(ctx);
}

/** Real stack: main's crash is in every later prod deploy until fixed; the fix deploys prod healthy. */
async function productionIsFixedForward(ctx: StoryContext): Promise<void> {
  const prod = environment('prod');
  const { releaseManager } = ctx.people;
  const runs = await play(ctx, async () => {
    await releaseManager.branch('main', 'main');
    releaseManager.commit('fix(api): the larger pool from SQLAlchemy, not psycopg_pool', sqlalchemyPoolPython());
    await releaseManager.push('main');
  });
  const run = runsOf(runs, 'deploy-on-merge.yml')[0];
  const rollOut = step(run, 'Roll out');
  ctx.timeline.expect('prod is fixed forward: the pool from SQLAlchemy deploys and serves', [
    ...expectThat(rollOut?.conclusion === 'success' && run?.conclusion === 'success', `Roll out is ${stepLine(rollOut)} (${jobsLine(run)})`),
    ...expectThat(lastDeployment(ctx, prod.name)?.sha === run?.sha && deploymentState(lastDeployment(ctx, prod.name)) === 'success', `the last deployment of prod is ${deploymentLine(lastDeployment(ctx, prod.name))}`),
  ], `${stepLine(rollOut)}; ${prod.service} on ${shortArn(serviceTaskDefinition(ctx.aws, prod))}`);
}

export async function guaranteesUnderOverlap(ctx: StoryContext): Promise<void> {
  ctx.timeline.stage(11, 'Guarantees when things overlap or fail: one deploy of an environment at a time, newest last; a docs-only merge promotes; a failed prod deploy releases nothing');
  await twoMergesAndAMigration(ctx);
  await docsOnlyMergeStillPromotes(ctx);
  await failedProductionDeployReleasesNothing(ctx);
}

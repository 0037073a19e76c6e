/**
 * Stage 10, GitHub's own rules on the pipeline: branch protection as the templates README asks for
 * (its "checks to require" on development, staging and main), with every push to an open PR re-checked,
 * refuses a merge while a required check fails and lets it in once it passes; and with GitHub's `auto_inactive` (a successful deployment of dev
 * marks the earlier ones inactive) rollback.yml still finds `previous` after two deploys of dev.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../test/harness/run-action';
import { expectThat, job, jobsLine, prRef, runsOf, step, stepLine } from './checks';
import type { Developer } from './developer';
import { deploymentLine, deploymentPayload, deploymentState, lastDeployment, play, serviceTaskDefinition, shortArn, type RecordedDeployment, type StoryContext } from './stages';
import { ENVIRONMENTS, FULL_REPO, environment } from './world';

/** The check names listed in the templates README's "Branch protection: the checks to require" (a team's copy without it: ours). */
export function requiredChecksFromReadme(workflowsDir?: string): string[] {
  const own = workflowsDir && existsSync(path.join(workflowsDir, 'README.md')) ? workflowsDir : path.join(repoRoot, 'workflows-templates');
  const readme = readFileSync(path.join(own, 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- required-checks:start -->');
  const end = readme.indexOf('<!-- required-checks:end -->');
  if (start < 0 || end < start) throw new Error(`${own}/README.md has no required-checks block`);
  return [...readme.slice(start, end).matchAll(/^- `([^`]+)`$/gm)].map((match) => match[1]!);
}

/** What the README's set-up asks for: those checks required on each long-lived branch, set through the REST API by an admin. */
export async function protectBranchesAsTheReadmeSays(admin: Developer, checks: string[]): Promise<void> {
  for (const env of ENVIRONMENTS) await admin.protectBranch(env.branch, checks);
}

/** A feature branch from development with `files`, pushed, and its PR opened; the PR checks have run. */
async function openFeature(ctx: StoryContext, who: Developer, branch: string, message: string, files: Record<string, string>): Promise<number> {
  let number = 0;
  await play(ctx, async () => {
    await who.branch(branch, 'development');
    who.commit(message, files);
    await who.push(branch);
    number = await who.openPullRequest(branch, 'development', message);
  });
  return number;
}

/** The test expects `up`; the route first answers `ok` (the test fails), then `up`. */
const STATUS_TEST = 'import unittest\n\nfrom app.api.routes import status\n\n\nclass StatusTest(unittest.TestCase):\n    def test_status(self):\n        self.assertEqual(status.status(), {"status": "up"})\n';
const statusRoute = (answer: string) => `def status() -> dict:\n    return {"status": "${answer}"}\n`;

/**
 * A new push to an open PR re-runs its required checks: a push that breaks its test turns them red and
 * the merge is refused (405 naming the check); the fix pushed after it turns them green, and the PR
 * goes in and deploys dev.
 */
async function mergeWaitsForTheRequiredChecks(ctx: StoryContext): Promise<void> {
  const { bob } = ctx.people;
  const dev = environment('dev');
  const number = await openFeature(ctx, bob, 'feature/status-endpoint', 'feat(api): add a status endpoint', { 'app/api/routes/status.py': statusRoute('up'), 'tests/test_status.py': STATUS_TEST });
  const opened = runsOf(ctx.player.runs, 'pr-checks.yml', (run) => run.ref === prRef(number)).at(-1);
  bob.commit('refactor(api): the status endpoint answers ok', { 'app/api/routes/status.py': statusRoute('ok') });
  const broken = runsOf(await play(ctx, () => bob.push('feature/status-endpoint')), 'pr-checks.yml')[0];
  const tip = ctx.gh.state.refs(FULL_REPO)['refs/heads/development'];
  const before = ctx.player.runs.length;
  const refused = await bob.merge(number, 'squash').then(() => 'merged', (error: { status?: number; message?: string }) => `${error.status} ${(error.message ?? '').split(' - http')[0]}`);
  ctx.timeline.expect(`PR #${number}: a push that breaks its test re-runs its checks, red; branch protection refuses the merge, naming the required check`, [
    ...expectThat(opened?.conclusion === 'success', `the checks of the PR as opened are ${opened?.conclusion ?? 'not run'} (${jobsLine(opened)})`),
    ...expectThat(broken?.conclusion === 'failure' && job(broken, 'Tests')?.conclusion === 'failure', `the checks after the breaking push are ${broken?.conclusion ?? 'not run'} (${jobsLine(broken)})`),
    ...expectThat(refused === '405 Required status check "Tests" is failing.', `the merge answered ${refused}`),
    ...expectThat(ctx.gh.state.refs(FULL_REPO)['refs/heads/development'] === tip, 'development moved'),
    ...expectThat(ctx.player.runs.length === before, 'a workflow started'),
  ], refused, true);

  bob.commit('fix(api): the status endpoint answers what its test expects', { 'app/api/routes/status.py': statusRoute('up') });
  const fixed = await play(ctx, () => bob.push('feature/status-endpoint'));
  const checks = runsOf(fixed, 'pr-checks.yml')[0];
  const service = serviceTaskDefinition(ctx.aws, dev);
  const merged = await play(ctx, () => bob.merge(number, 'squash', `feat(api): add a status endpoint (#${number})`).catch((error: Error) => ctx.timeline.note(`merge refused: ${error.message}`)));
  const deploy = runsOf(merged, 'deploy-on-merge.yml')[0];
  ctx.timeline.expect(`PR #${number} fixed: its checks pass, the merge goes in and dev deploys it`, [
    ...expectThat(checks?.conclusion === 'success', `the PR checks are ${checks?.conclusion ?? 'not run'} (${jobsLine(checks)})`),
    ...expectThat(ctx.gh.state.pull(FULL_REPO, number).merged === true, 'the PR is not merged'),
    ...expectThat(deploy?.conclusion === 'success' && serviceTaskDefinition(ctx.aws, dev) !== service, `the dev pipeline is ${deploy?.conclusion ?? 'not run'} (${jobsLine(deploy)})`),
  ], `${jobsLine(checks)}; ${deploymentLine(lastDeployment(ctx, 'dev'))}`);
}

/** A second application change merged to development: the second deploy of dev in this stage. */
async function secondDeployOfDev(ctx: StoryContext): Promise<void> {
  const { carol } = ctx.people;
  const number = await openFeature(ctx, carol, 'feature/version-endpoint', 'feat(api): add a version endpoint', { 'app/api/routes/version.py': 'def version() -> dict:\n    return {"version": "1"}\n' });
  const merged = await play(ctx, () => carol.merge(number, 'squash', `feat(api): add a version endpoint (#${number})`).catch((error: Error) => ctx.timeline.note(`merge refused: ${error.message}`)));
  const deploy = runsOf(merged, 'deploy-on-merge.yml')[0];
  ctx.timeline.expect(`PR #${number} merged: dev deploys again`, expectThat(deploy?.conclusion === 'success' && deploymentState(lastDeployment(ctx, 'dev')) === 'success', `the dev pipeline is ${deploy?.conclusion ?? 'not run'} (${jobsLine(deploy)})`), deploymentLine(lastDeployment(ctx, 'dev')));
}

const devDeploys = (ctx: StoryContext): RecordedDeployment[] => ctx.gh.state.deployments(FULL_REPO).filter((d) => d.environment === 'dev' && d.task === 'deploy:ecs');

/** GitHub marked the first deploy inactive when the second succeeded; `previous` still finds it. */
async function previousRollsDevBack(ctx: StoryContext): Promise<void> {
  const dev = environment('dev');
  const [earlier, current] = devDeploys(ctx).slice(-2);
  const statesOfEarlier = earlier?.statuses.map((status) => status.state) ?? [];
  ctx.timeline.expect('auto_inactive: the second successful deploy of dev marks the first one inactive (dev is not a production environment)', [
    ...expectThat(deploymentState(earlier) === 'inactive' && statesOfEarlier.includes('success'), `the earlier dev deployment's statuses are ${statesOfEarlier.join(' -> ') || 'none'}`),
    ...expectThat(deploymentState(current) === 'success', `the newest is ${deploymentLine(current)}`),
  ], statesOfEarlier.join(' -> '));

  const target = deploymentPayload(earlier).task_definition_arn ?? '';
  const runs = await play(ctx, () => ctx.player.dispatch('rollback.yml', 'development', { environment: 'dev', target: 'previous' }, ctx.people.bob.options.login));
  const run = runsOf(runs, 'rollback.yml')[0];
  const now = serviceTaskDefinition(ctx.aws, dev);
  const recorded = lastDeployment(ctx, 'dev');
  const rolledBackFrom = devDeploys(ctx).find((d) => d.id === current?.id);
  ctx.timeline.expect('rollback.yml `target: previous` on dev, after two deploys there, puts the first one’s revision back', [
    ...expectThat(run?.conclusion === 'success', `the rollback run is ${run?.conclusion ?? 'not run'} (${jobsLine(run)}; ${stepLine(step(run, 'Resolve the target'))})`),
    ...expectThat(target !== '' && now === target, `${dev.service} runs ${shortArn(now)}, expected ${shortArn(target)}`),
    ...expectThat(recorded?.sha === earlier?.sha && deploymentState(recorded) === 'success' && deploymentState(rolledBackFrom) === 'inactive', `last deployment: ${deploymentLine(recorded)}; the one rolled back from: ${deploymentLine(rolledBackFrom)}`),
  ], `${shortArn(deploymentPayload(current).task_definition_arn ?? '')} -> ${shortArn(now)}`);
}

export async function gitHubRulesHold(ctx: StoryContext): Promise<void> {
  ctx.timeline.stage(10, 'GitHub’s rules: branch protection gates the merge; auto_inactive deployments still roll back');
  await mergeWaitsForTheRequiredChecks(ctx);
  await secondDeployOfDev(ctx);
  await previousRollsDevBack(ctx);
}

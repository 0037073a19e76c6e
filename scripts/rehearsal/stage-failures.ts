/**
 * Stage 13, failures that must stop what follows, and the guards that were only read, played:
 * - a Terraform-only merge to development is applied by its own run (recorded as a `terraform:apply`
 *   deployment) and the promotion of development passes, naming the deploy and the apply it relied on;
 * - that promotion carries the application change and a Terraform change that fails in staging's root
 *   (a real error raised by `terraform apply`): no migration, no deploy, no release in staging, and the
 *   promotion of staging is refused by its required check;
 * - a PR's plan job that asks for the deploy role is refused by the role's trust (its OIDC `sub` is
 *   the PR's, not an environment's); a production apply dispatched from development fails before any
 *   credentials;
 * - hotfix/* PRs merged into main are backported whichever merge button was used (merge commit,
 *   rebase; stage 7 plays squash), with every commit of the hotfix; a hotfix closed without merging
 *   and the PRs merged into main that are not hotfixes are not.
 */
import type { RunRecord } from '../../packages/workflow-player';
import { expectThat, job, jobsLine, prRef, runsOf, step, stepLine } from './checks';
import type { Developer } from './developer';
import { roleArn } from './settings';
import { releaseTags } from './stage-guarantees';
import { lastDeployment, play, serviceTaskDefinition, shortArn, type RecordedDeployment, type StoryContext } from './stages';
import { FULL_REPO, environment } from './world';

type Files = Record<string, string>;

/**
 * A 5xx alarm per environment; staging's also registers with the paging service, which fails at
 * apply time (a plan cannot see it): the kind of error only `terraform apply` raises.
 */
function alarmFiles(): Files {
  const alarm = (env: string, extra = '') => `resource "terraform_data" "api_5xx_alarm" {\n  input = {\n    name      = "connect2-api-5xx-${env}"\n    threshold = 5\n  }\n${extra}}\n`;
  const paging = '\n  provisioner "local-exec" {\n    command = "echo \'paging: no integration key for service connect2-api-staging\' >&2; exit 1"\n  }\n';
  return {
    'infrastructure/terraform/environments/dev/alarms.tf': alarm('dev'),
    'infrastructure/terraform/environments/staging/alarms.tf': alarm('staging', paging),
    'infrastructure/terraform/environments/prod/alarms.tf': alarm('prod'),
  };
}

const lastApply = (ctx: StoryContext, env: string): RecordedDeployment | undefined => ctx.gh.state.deployments(FULL_REPO).filter((d) => d.environment === env && d.task === 'terraform:apply').at(-1);

/** The PR `number` of a merge, or the refusal as text. */
async function mergeOrRefusal(who: Developer, number: number, method: 'merge' | 'squash' | 'rebase', title?: string): Promise<string | undefined> {
  return who.merge(number, method, title).then(
    () => undefined,
    (error: { status?: number; message?: string }) => `${error.status} ${(error.message ?? '').split(' - http')[0]}`,
  );
}

/** Opens the promotion PR by dispatch; returns it (if opened) and its last PR checks and Terraform runs. */
async function openPromotion(ctx: StoryContext, promotion: 'development -> staging' | 'staging -> main') {
  const [head, base] = promotion.split(' -> ');
  const manager = ctx.people.releaseManager;
  const opened = await play(ctx, () => ctx.player.dispatch('promote.yml', 'main', { promotion }, manager.options.login));
  const pr = (await manager.pullRequests(base)).find((p) => p.head === head);
  const ofPr = (run: RunRecord) => pr !== undefined && run.ref === prRef(pr.number);
  return { pr, checks: runsOf(opened, 'pr-checks.yml', ofPr).at(-1), terraform: runsOf(opened, 'terraform.yml', ofPr).at(-1) };
}

/** An application change on development (deployed to dev), then a Terraform-only PR merged: dev applies it and deploys nothing. */
async function terraformOnlyMerge(ctx: StoryContext): Promise<RecordedDeployment | undefined> {
  const { timeline } = ctx;
  const { carol, bob } = ctx.people;
  const app = await play(ctx, async () => {
    await carol.branch('development', 'development');
    carol.commit('feat(api): sessions expire after eight hours', { 'app/core/sessions.py': 'SESSION_HOURS = 8\n' });
    await carol.push('development');
  });
  let number = 0;
  await play(ctx, async () => {
    await bob.branch('infra/error-alarms', 'development');
    bob.commit('feat(infra): a 5xx alarm per environment', alarmFiles());
    await bob.push('infra/error-alarms');
    number = await bob.openPullRequest('infra/error-alarms', 'development', 'A 5xx alarm per environment');
  });
  let refused: string | undefined;
  const merged = await play(ctx, async () => (refused = await mergeOrRefusal(bob, number, 'squash', `feat(infra): a 5xx alarm per environment (#${number})`)));
  const pipeline = runsOf(merged, 'deploy-on-merge.yml')[0];
  const applied = lastApply(ctx, 'dev');
  timeline.expect(`PR #${number} (Terraform only) merged to development: dev applies it, records the apply as a deployment, and deploys nothing`, [
    ...expectThat(runsOf(app, 'deploy-on-merge.yml')[0]?.conclusion === 'success', `the application change before it did not deploy to dev (${jobsLine(runsOf(app, 'deploy-on-merge.yml')[0])})`),
    ...expectThat(refused === undefined, `the merge was refused: ${refused}`),
    ...expectThat(step(pipeline, 'terraform apply')?.conclusion === 'success', `terraform apply is ${stepLine(step(pipeline, 'terraform apply'))} (${jobsLine(pipeline)})`),
    ...expectThat(!pipeline?.jobs.some((j) => /Deploy to/.test(j.name) && j.conclusion !== 'skipped'), `a deploy ran (${jobsLine(pipeline)})`),
    ...expectThat(applied?.sha === pipeline?.sha && applied?.statuses.at(-1)?.state === 'success', `the last terraform:apply deployment of dev is ${applied ? `${applied.sha.slice(0, 7)} ${applied.statuses.at(-1)?.state}` : 'none'}; the merge is ${pipeline?.sha.slice(0, 7)}`),
  ], `${jobsLine(pipeline)}; apply recorded as deployment ${applied?.id ?? 'none'}`);
  return applied;
}

/** The promotion of development after a Terraform-only merge passes its source check, naming what it relied on. */
async function terraformOnlyPromotionPasses(ctx: StoryContext, applied: RecordedDeployment | undefined): Promise<number | undefined> {
  const { pr, checks } = await openPromotion(ctx, 'development -> staging');
  const classify = step(checks, 'Classify the PR');
  const log = classify?.log ?? '';
  const deploy = lastDeployment(ctx, 'dev');
  ctx.timeline.expect('after the Terraform-only merge the promotion of development passes, naming the deploy and the apply it relied on', [
    ...expectThat(pr !== undefined, 'no promotion PR development -> staging was opened'),
    ...expectThat(classify?.outputs['source-health'] === 'healthy' && checks?.conclusion === 'success', `the promotion's Classify is ${stepLine(classify)}, source-health '${classify?.outputs['source-health']}' (${jobsLine(checks)})`),
    ...expectThat(deploy !== undefined && log.includes(`relying on deployment ${deploy.id} of ${deploy.sha.slice(0, 7)}`), `the check does not name dev's last deploy (${deploy?.id}): ${log.split('\n').find((line) => line.includes('Source environment')) ?? 'no source line'}`),
    ...expectThat(applied !== undefined && log.includes(`Terraform applied by deployment ${applied.id} of ${applied.sha.slice(0, 7)}`), `the check does not name the apply (deployment ${applied?.id}) it relied on`),
  ], log.split('\n').find((line) => line.includes('Source environment'))?.trim() ?? stepLine(classify));
  return pr?.number;
}

/** The promotion merged: staging's apply fails on a real Terraform error; nothing after it runs. */
async function failingApplyStopsStaging(ctx: StoryContext, number: number): Promise<void> {
  const { timeline, aws, gh } = ctx;
  const staging = environment('staging');
  const service = serviceTaskDefinition(aws, staging);
  const releases = gh.state.releases(FULL_REPO).length;
  const tags = await releaseTags(ctx);
  const awsBefore = aws.requests.length;
  let refused: string | undefined;
  const runs = await play(ctx, async () => (refused = await mergeOrRefusal(ctx.people.releaseManager, number, 'merge')));
  const pipeline = runsOf(runs, 'deploy-on-merge.yml')[0];
  const apply = step(pipeline, 'terraform apply');
  const deployJobs = (pipeline?.jobs ?? []).filter((j) => /Deploy to/.test(j.name) && j.conclusion !== 'skipped');
  const changed = aws.requests.slice(awsBefore).filter((request) => ['RunTask', 'UpdateService', 'RegisterTaskDefinition'].includes(request.operation));
  const after = await releaseTags(ctx);
  timeline.expect('a Terraform apply that fails in staging (a real error in its root): no migration, no deploy, no release', [
    ...expectThat(refused === undefined, `the promotion's merge was refused: ${refused}`),
    ...expectThat(apply?.conclusion === 'failure' && /local-exec provisioner error/.test(`${apply.log}\n${apply.errors.join('\n')}`), `terraform apply is ${stepLine(apply)} (${jobsLine(pipeline)})`),
    ...expectThat(deployJobs.length === 0 && step(pipeline, 'Migrate the database')?.conclusion !== 'success', `after the failed apply: ${deployJobs.map((j) => `${j.name}: ${j.conclusion}`).join(', ')}; ${stepLine(step(pipeline, 'Migrate the database'))}`),
    ...expectThat(changed.length === 0, `ECS was changed: ${changed.map((request) => request.operation).join(', ')}`),
    ...expectThat(serviceTaskDefinition(aws, staging) === service, `${staging.service} moved to ${shortArn(serviceTaskDefinition(aws, staging))}`),
    ...expectThat(gh.state.releases(FULL_REPO).length === releases && JSON.stringify(after) === JSON.stringify(tags), `releases ${releases} -> ${gh.state.releases(FULL_REPO).length}, tags ${Object.keys(tags).length} -> ${Object.keys(after).length}`),
  ], `${stepLine(apply)}; ${jobsLine(pipeline)}`, true);
}

/**
 * The promotion of staging after the failed apply: refused by its required check. Meanwhile the plan
 * role variable of staging points at staging's deploy role: the PR's plan job must not get it.
 */
async function stagingPromotionRefusedAndPlanRoleTrusted(ctx: StoryContext): Promise<void> {
  const { timeline } = ctx;
  const vars = ctx.player.world.vars!;
  const planRole = vars.TF_PLAN_ROLE_ARN_STAGING;
  const deployRole = roleArn('connect2-deploy-staging');
  vars.TF_PLAN_ROLE_ARN_STAGING = deployRole;
  const { pr, checks, terraform } = await openPromotion(ctx, 'staging -> main').finally(() => {
    vars.TF_PLAN_ROLE_ARN_STAGING = planRole!;
  });
  const classify = step(checks, 'Classify the PR');
  timeline.expect('the promotion of staging after its failed apply is refused by its required check', [
    ...expectThat(pr !== undefined, 'no promotion PR staging -> main was opened'),
    ...expectThat(classify?.conclusion === 'failure' && classify.outputs['source-health'] !== 'healthy', `Classify the PR is ${stepLine(classify)}, source-health '${classify?.outputs['source-health']}'`),
    ...expectThat(/staging is not healthy/.test(classify?.errors.join(' ') ?? ''), `the error does not say staging is not healthy: ${classify?.errors[0] ?? 'no error'}`),
  ], stepLine(classify), true);

  const credentials = (name: string) => job(terraform, name)?.steps.find((s) => s.name.startsWith('AWS credentials'));
  const refused = credentials('Plan staging');
  const devPlan = credentials('Plan dev');
  timeline.expect("a PR's plan job asking for staging's deploy role is refused by the role's trust (the PR's OIDC subject); the other plans get their read-only roles", [
    ...expectThat(refused?.conclusion === 'failure' && /sts:AssumeRoleWithWebIdentity/.test(refused.errors.join(' ')) && refused.errors.join(' ').includes(`subject repo:${FULL_REPO}:pull_request`), `Plan staging's credentials step is ${stepLine(refused)} (${jobsLine(terraform)})`),
    ...expectThat(job(terraform, 'Plan staging')?.steps.find((s) => s.name === 'terraform plan')?.conclusion !== 'success', 'Plan staging planned with the deploy role'),
    ...expectThat(devPlan?.conclusion === 'success' && devPlan.log.includes(`connect2-terraform-plan-dev with OIDC subject repo:${FULL_REPO}:pull_request`), `Plan dev's credentials step is ${stepLine(devPlan)}: ${devPlan?.log.split('\n')[0] ?? ''}`),
  ], `${stepLine(refused)}`, true);
  if (pr) await ctx.people.releaseManager.close(pr.number);
}

/** terraform.yml dispatched from development for prod, with a digest: refused before any credentials. */
async function productionApplyFromMainOnly(ctx: StoryContext): Promise<void> {
  const { gh } = ctx;
  // Without the prod environment's branch rule, as stage 8 does for migrate.yml: the template's own guard must hold.
  gh.seed.environment(FULL_REPO, 'prod', { branches: [] });
  const run = await ctx.player.dispatch('terraform.yml', 'development', { environment: 'prod', 'expected-digest': `sha256:${'0'.repeat(64)}` }, 'bob').finally(() => gh.seed.environment(FULL_REPO, 'prod', { branches: ['main'] }));
  const guard = step(run, 'Find the environment and the reviewed digest');
  const credentials = run.jobs.flatMap((j) => j.steps).filter((s) => s.name.startsWith('AWS credentials') && s.conclusion !== 'skipped');
  ctx.timeline.expect('a production apply dispatched from development fails before any credentials, naming main', [
    ...expectThat(guard?.conclusion === 'failure' && /from main only/.test(guard.errors.join(' ')), `the guard is ${stepLine(guard)} (${jobsLine(run)})`),
    ...expectThat(credentials.length === 0, `credentials were asked for: ${credentials.map(stepLine).join('; ')}`),
    ...expectThat(run.conclusion === 'failure', `the run is ${run.conclusion}`),
  ], stepLine(guard), true);
}

export async function failuresStopWhatFollows(ctx: StoryContext): Promise<void> {
  ctx.timeline.stage(13, 'Failures stop what follows, guards played: a Terraform-only merge promotes; a failed apply deploys and promotes nothing; plans never get a deploy role; prod applies from main only; hotfixes backported whichever button');
  if (ctx.terraform) {
    const applied = await terraformOnlyMerge(ctx);
    const number = await terraformOnlyPromotionPasses(ctx, applied);
    if (number !== undefined) await failingApplyStopsStaging(ctx, number);
    await stagingPromotionRefusedAndPlanRoleTrusted(ctx);
    await productionApplyFromMainOnly(ctx);
  } else {
    ctx.timeline.skip('terraform not found: the failing apply, the Terraform-only promotion and the plan-role guard are not played');
  }
  await hotfixesBackportedWhicheverButton(ctx);
}

// Hotfix backports: the runbook's on-call pages, fixed in a hurry, each in files of its own.
interface Hotfix {
  who: Developer;
  branch: string;
  commits: { message: string; files: Files }[];
  method?: 'merge' | 'rebase';
  number?: number;
}

async function openHotfix(hotfix: Hotfix): Promise<void> {
  await hotfix.who.branch(hotfix.branch, 'main');
  for (const commit of hotfix.commits) hotfix.who.commit(commit.message, commit.files);
  await hotfix.who.push(hotfix.branch);
  hotfix.number = await hotfix.who.openPullRequest(hotfix.branch, 'main', hotfix.commits[0]!.message);
}

/** The files of a PR, as GitHub lists them. */
async function pullFiles(ctx: StoryContext, number: number): Promise<string[]> {
  const response = await fetch(`${ctx.gh.url}/repos/${FULL_REPO}/pulls/${number}/files?per_page=100`, { headers: { authorization: `Bearer ${ctx.people.releaseManager.options.token}`, accept: 'application/vnd.github+json' } });
  return ((await response.json()) as { filename: string }[]).map((file) => file.filename).sort();
}

async function expectBackported(ctx: StoryContext, hotfix: Hotfix, runs: RunRecord[]): Promise<void> {
  const number = hotfix.number!;
  const expected = [...new Set(hotfix.commits.flatMap((commit) => Object.keys(commit.files)))].sort();
  const backport = runsOf(runs, 'hotfix-backport.yml', (run) => run.ref === prRef(number))[0];
  const prs = ctx.gh.state.pulls(FULL_REPO).filter((p) => p.head.ref.startsWith(`backport/${number}-to-`));
  const files = await Promise.all(prs.map(async (p) => ({ pr: p, files: await pullFiles(ctx, p.number) })));
  const checks = runs.filter((run) => run.workflowFile === 'pr-checks.yml' && prs.some((p) => run.ref === prRef(p.number)));
  const button = hotfix.method === 'rebase' ? `rebased (${hotfix.commits.length} commits)` : 'merged with a merge commit';
  ctx.timeline.expect(`hotfix PR #${number} ${button}: backported to staging and development with all its changes, the backport PRs' checks run`, [
    ...expectThat(backport?.conclusion === 'success', `the backport run is ${backport?.conclusion ?? 'not run'} (${jobsLine(backport)}${backport ? `; ${stepLine(step(backport, 'Cherry-pick and open the PR'))}` : ''})`),
    ...expectThat(prs.map((p) => p.base.ref).sort().join() === 'development,staging', `backport PRs: ${prs.map((p) => `#${p.number} -> ${p.base.ref}`).join(', ') || 'none'}`),
    ...files.flatMap(({ pr, files: got }) => expectThat(JSON.stringify(got) === JSON.stringify(expected), `backport #${pr.number} -> ${pr.base.ref} carries ${got.join(', ') || 'nothing'}; the hotfix changed ${expected.join(', ')}`)),
    ...expectThat(checks.length === prs.length && checks.every((run) => run.conclusion === 'success'), `backport PR checks: ${checks.map((run) => run.conclusion).join(', ') || 'none'}`),
  ], prs.map((p) => `#${p.number} ${p.head.ref} -> ${p.base.ref}`).join(', '));
}

/** No backport for a hotfix closed without merging, nor for any PR merged into main that is not a hotfix. */
function expectNotBackported(ctx: StoryContext, abandoned: Hotfix, runs: RunRecord[]): void {
  const others = ctx.gh.state.pulls(FULL_REPO).filter((p) => p.base.ref === 'main' && p.merged && !p.head.ref.startsWith('hotfix/'));
  const numbers = [abandoned.number!, ...others.map((p) => p.number)];
  const backports = ctx.gh.state.pulls(FULL_REPO).filter((p) => numbers.some((number) => p.head.ref.startsWith(`backport/${number}-to-`)));
  const jobsRan = ctx.player.runs.filter((run) => run.workflowFile === 'hotfix-backport.yml' && numbers.some((number) => run.ref === prRef(number)) && run.jobs.some((j) => j.conclusion !== 'skipped'));
  const closedRun = runsOf(runs, 'hotfix-backport.yml', (run) => run.ref === prRef(abandoned.number!))[0];
  ctx.timeline.expect('a hotfix closed without merging, and the PRs merged into main that are not hotfix/*, are not backported', [
    ...expectThat(closedRun !== undefined, `no backport workflow ran when hotfix PR #${abandoned.number} was closed`),
    ...expectThat(jobsRan.length === 0, `backport jobs ran for: ${jobsRan.map((run) => `${run.ref} (${jobsLine(run)})`).join('; ')}`),
    ...expectThat(backports.length === 0, `backport PRs: ${backports.map((p) => `#${p.number} ${p.head.ref}`).join(', ')}`),
  ], `closed #${abandoned.number}; merged into main, not hotfixes: ${others.map((p) => `#${p.number} ${p.head.ref}`).join(', ') || 'none in this run'}`);
}

async function hotfixesBackportedWhicheverButton(ctx: StoryContext): Promise<void> {
  const { erin, dave, alice } = ctx.people;
  const merged: Hotfix = { who: erin, branch: 'hotfix/on-call-escalation', method: 'merge', commits: [{ message: 'fix(runbook): page the database on-call for 5xx bursts', files: { 'docs/on-call/escalation.md': '# Escalation\n\n5xx bursts page the database on-call first.\n' } }] };
  const rebased: Hotfix = {
    who: dave,
    branch: 'hotfix/rollback-commands',
    method: 'rebase',
    commits: [
      { message: 'fix(runbook): rollback.yml takes the tag, not the revision', files: { 'docs/on-call/rollback.md': '# Rollback\n\nRun rollback.yml with `to: v1.0.0`.\n' } },
      { message: 'fix(runbook): the downgrade waits for prod-schema', files: { 'docs/on-call/downgrade.md': '# Downgrade\n\nThe downgrade waits for a prod-schema reviewer.\n' } },
    ],
  };
  const abandoned: Hotfix = { who: alice, branch: 'hotfix/wrong-dashboard', commits: [{ message: 'fix(runbook): link the API dashboard', files: { 'docs/on-call/dashboards.md': '# Dashboards\n\nconnect2-api-prod.\n' } }] };
  await play(ctx, () => Promise.all([openHotfix(merged), openHotfix(rebased), openHotfix(abandoned)]));
  const refusals: string[] = [];
  const runs = await play(ctx, async () => {
    for (const hotfix of [merged, rebased]) {
      const refused = await mergeOrRefusal(hotfix.who, hotfix.number!, hotfix.method!);
      if (refused) refusals.push(`#${hotfix.number}: ${refused}`);
    }
    await abandoned.who.close(abandoned.number!);
  });
  if (refusals.length > 0) ctx.timeline.note(`hotfix merges refused: ${refusals.join('; ')}`);
  await expectBackported(ctx, merged, runs);
  await expectBackported(ctx, rebased, runs);
  expectNotBackported(ctx, abandoned, runs);
}

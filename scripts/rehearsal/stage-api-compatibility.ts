/**
 * Stage 12, the runbook's "no breaking API changes (or version bump)": a PR that removes a field from
 * /users is blocked by pr-checks' required "API compatibility" check (api-diff on the OpenAPI documents
 * the real app writes for the base and the head) and the merge is refused; labelled `breaking-change`
 * (the templates README's label), its checks run again on the label and pass; merged and promoted to
 * prod, its release is a major version, because create-release finds the label on the PR it releases
 * (the squash title says only `feat`).
 *
 * The documents come from FastAPI's app.openapi(): without the real stack (no FastAPI) both sides are
 * empty, and this part is skipped with a note.
 */
import { usersWithoutEmail } from './app-python';
import { expectThat, jobsLine, prRef, runsOf, step, stepLine } from './checks';
import { deploymentLine, lastDeployment, play, type StoryContext } from './stages';
import { FULL_REPO } from './world';
import type { RunRecord } from '../../packages/workflow-player';

const COMPARE_STEP = 'Compare the APIs';
const LABEL = 'breaking-change';
const TITLE = 'feat(api): the users list no longer answers emails';

/** The changes api-diff listed as breaking, as `METHOD path: message`. */
function breakingChanges(run: RunRecord | undefined): string[] {
  try {
    const changes = JSON.parse(step(run, COMPARE_STEP)?.outputs.changes ?? '[]') as { method: string; path: string; breaking: boolean; message: string }[];
    return changes.filter((c) => c.breaking).map((c) => `${c.method} ${c.path}: ${c.message}`);
  } catch {
    return [];
  }
}

/** The PR opened: its API compatibility fails naming the removed field, and the merge is refused. */
async function breakIsBlocked(ctx: StoryContext): Promise<number> {
  const { carol } = ctx.people;
  let number = 0;
  const opened = await play(ctx, async () => {
    await carol.branch('feature/users-without-email', 'development');
    carol.commit(TITLE, usersWithoutEmail());
    await carol.push('feature/users-without-email');
    number = await carol.openPullRequest('feature/users-without-email', 'development', TITLE);
  });
  const checks = runsOf(opened, 'pr-checks.yml', (run) => run.ref === prRef(number))[0];
  const compare = step(checks, COMPARE_STEP);
  const breaking = breakingChanges(checks);
  const comment = ctx.gh.state.comments(FULL_REPO, number).find((c) => c.body.includes('API compatibility (api)'));
  const tip = ctx.gh.state.refs(FULL_REPO)['refs/heads/development'];
  const refused = await carol.merge(number, 'squash').then(() => 'merged', (error: { status?: number; message?: string }) => `${error.status} ${(error.message ?? '').split(' - http')[0]}`);
  ctx.timeline.expect(`PR #${number} removes the email field from /users: API compatibility fails naming it, with a sticky comment, and branch protection refuses the merge`, [
    ...expectThat(compare?.conclusion === 'failure' && /email/.test(compare.errors[0] ?? '') && (compare.errors[0] ?? '').includes(`'${LABEL}'`), `${COMPARE_STEP} is ${stepLine(compare)}`),
    ...expectThat(breaking.some((c) => c.startsWith('GET /users') && c.includes('email')), `breaking changes listed: ${breaking.join(' | ') || 'none'}`),
    ...expectThat(comment !== undefined && comment.body.includes('email'), 'no API compatibility comment on the PR naming the field'),
    ...expectThat(refused === '405 Required status check "API compatibility" is failing.', `the merge answered ${refused}`),
    ...expectThat(ctx.gh.state.refs(FULL_REPO)['refs/heads/development'] === tip, 'development moved'),
  ], `${stepLine(compare)}; merge: ${refused}`, true);
  return number;
}

/** Labelled `breaking-change`: the label event runs the checks again, they pass, the PR merges and dev deploys it. */
async function labelledBreakMerges(ctx: StoryContext, number: number): Promise<void> {
  const { carol, alice } = ctx.people;
  const labelled = await play(ctx, () => alice.addLabel(number, LABEL));
  const checks = runsOf(labelled, 'pr-checks.yml', (run) => run.ref === prRef(number))[0];
  const compare = step(checks, COMPARE_STEP);
  const merged = await play(ctx, () => carol.merge(number, 'squash', `${TITLE} (#${number})`).catch((error: Error) => ctx.timeline.note(`merge refused: ${error.message}`)));
  const deploy = runsOf(merged, 'deploy-on-merge.yml')[0];
  ctx.timeline.expect(`PR #${number} labelled \`${LABEL}\`: its checks run again on the label, API compatibility passes with the break reported as intended, the PR merges and dev deploys it`, [
    ...expectThat(checks?.action === 'labeled' && checks.conclusion === 'success', `the PR checks on the label are ${checks?.conclusion ?? 'not run'} (${jobsLine(checks)})`),
    ...expectThat(compare?.outputs.breaking === 'true' && compare.outputs['allowed-by-label'] === 'true', `${COMPARE_STEP}: breaking ${compare?.outputs.breaking}, allowed by label ${compare?.outputs['allowed-by-label']}`),
    ...expectThat(ctx.gh.state.pull(FULL_REPO, number).merged === true, 'the PR is not merged'),
    ...expectThat(deploy?.conclusion === 'success', `the dev pipeline is ${deploy?.conclusion ?? 'not run'} (${jobsLine(deploy)})`),
  ], `${stepLine(compare)}; ${deploymentLine(lastDeployment(ctx, 'dev'))}`);
}

/** promote.yml opens (or refreshes) the promotion PR; its checks ran; the release manager merges it. */
async function promoteAndMerge(ctx: StoryContext, promotion: 'development -> staging' | 'staging -> main'): Promise<{ checks?: RunRecord; merged: RunRecord[] }> {
  const { releaseManager } = ctx.people;
  const [head, base] = promotion.split(' -> ');
  const opened = await play(ctx, () => ctx.player.dispatch('promote.yml', 'main', { promotion }, releaseManager.options.login));
  const pr = (await releaseManager.pullRequests(base)).find((p) => p.head === head);
  if (!pr) return { merged: [] };
  const checks = runsOf(opened, 'pr-checks.yml', (run) => run.ref === prRef(pr.number)).at(-1);
  const merged = await play(ctx, () => releaseManager.merge(pr.number, 'merge').catch((error: Error) => ctx.timeline.note(`merge of the promotion ${promotion} refused: ${error.message}`)));
  return { checks, merged };
}

/** Promoted to staging and prod (the promotions report the break, they do not fail on it): the release is major. */
async function releaseIsMajor(ctx: StoryContext, number: number): Promise<void> {
  const before = ctx.gh.state.releases(FULL_REPO).filter((r) => !r.draft).map((r) => r.tagName);
  const toStaging = await promoteAndMerge(ctx, 'development -> staging');
  const toMain = await promoteAndMerge(ctx, 'staging -> main');
  const pipeline = runsOf(toMain.merged, 'deploy-on-merge.yml')[0];
  const release = step(pipeline, 'Create the release');
  const previous = release?.outputs['previous-version'] ?? '';
  const major = Number(previous.split('.')[0]);
  const promotionsLine = [toStaging, toMain].map(({ checks: run }, i) => `${i === 0 ? 'to staging' : 'to main'}: ${step(run, COMPARE_STEP)?.outputs.summary ?? 'no API check'} (${run?.conclusion ?? 'not run'}: ${jobsLine(run)})`).join('; ');
  ctx.timeline.expect(`promoted to prod, PR #${number}'s labelled break makes the release a major version (create-release reads the label; the title says only feat)`, [
    ...expectThat([toStaging.checks, toMain.checks].every((run) => run?.conclusion === 'success' && step(run, COMPARE_STEP)?.conclusion === 'success'), `promotion checks: ${promotionsLine}`),
    ...expectThat(pipeline?.conclusion === 'success', `the prod pipeline is ${pipeline?.conclusion ?? 'not run'} (${jobsLine(pipeline)})`),
    ...expectThat(release?.outputs.bump === 'major' && previous !== '' && release.outputs.version === `${major + 1}.0.0`, `${stepLine(release)}: ${previous || 'no previous'} -> ${release?.outputs.version ?? 'none'} (bump ${release?.outputs.bump ?? 'none'}); releases before: ${before.join(', ') || 'none'}`),
    ...expectThat((release?.outputs.notes ?? '').includes(`labelled \`${LABEL}\``) && (release?.outputs.notes ?? '').includes('no longer answers emails'), 'the notes do not list the labelled break under breaking changes'),
  ], `${previous} -> ${release?.outputs.tag ?? 'no release'} (${release?.outputs.bump ?? 'none'})`);
}

export async function breakingApiChangeIsGated(ctx: StoryContext): Promise<void> {
  if (!ctx.real) {
    ctx.timeline.note('API compatibility needs FastAPI (the real stack) to write the OpenAPI documents: the breaking-change PR is not played on scripted images.');
    return;
  }
  const number = await breakIsBlocked(ctx);
  await labelledBreakMerges(ctx, number);
  await releaseIsMajor(ctx, number);
}

/**
 * Stage 12, the runbook's "key API endpoints verified" and "no errors in CloudWatch logs": each deploy's
 * verify step checks the key endpoint (VERIFY_URLS' default, `GET /api/v1/users 200`, resolved against
 * the health URL) after the rollout and after the bake, and watches the logs from the rollout's start;
 * a release whose new code logs a Traceback during the bake is rolled back by the pipeline itself.
 *
 * The app is scripted here (its image's log lines come from the AWS simulator's scenario); the real
 * app (issue "The Connect 2.0 API for real") plugs in by logging its own Traceback: the stage only
 * needs `ctx.imageScenarios` (or the real app's logs) and the step names of deploy.yml.
 */
import type { Scenario } from '../../packages/simulators/aws';
import { usersSortedBySignupPython } from './app-python';
import { expectThat, jobsLine, runsOf, step, stepLine } from './checks';
import { breakingApiChangeIsGated } from './stage-api-compatibility';
import { play, serviceTaskDefinition, shortArn, type StoryContext } from './stages';
import { environment } from './world';

const VERIFY_STEP = 'Verify key endpoints, logs and a bake';
const ROLLBACK_STEP = 'Roll back after a failed health check';

/**
 * New code that serves, then fails on a key endpoint once traffic reaches it, 2.5 s after its tasks run:
 * in the bake on a quiet machine, before it on a loaded one; either way the watch reads it (from the
 * rollout's start), and the verification output says which.
 */
const TRACEBACK_ON_USERS: Scenario = {
  kind: 'healthy',
  logAfterMs: 2500,
  logLines: [
    'INFO:     10.0.1.17:50122 - "GET /api/v1/users HTTP/1.1" 500 Internal Server Error',
    'Traceback (most recent call last):',
    '  File "/app/app/api/routes/users.py", line 41, in list_users',
    "KeyError: 'signup_date'",
  ],
};

interface Verification {
  status?: string;
  failure?: string;
  checks?: { phase: string; method: string; url: string; answer: string; ok: boolean }[];
  bake?: { polls: number; seconds: number };
  logMatches?: { message: string }[];
}

function verification(raw: string | undefined): Verification {
  try {
    return JSON.parse(raw ?? '{}') as Verification;
  } catch {
    return {};
  }
}

/** A healthy deploy: the key endpoint answers after the rollout and after the bake; the logs are clean. */
async function healthyDeployIsVerified(ctx: StoryContext): Promise<void> {
  const { erin } = ctx.people;
  const runs = await play(ctx, async () => {
    await erin.branch('development', 'development');
    erin.commit('feat(api): list users by page', { 'app/api/routes/users_page.py': 'def page(limit: int = 50) -> list:\n    return []\n' });
    await erin.push('development');
  });
  const run = runsOf(runs, 'deploy-on-merge.yml')[0];
  const verify = step(run, VERIFY_STEP);
  const seen = verification(verify?.outputs.verification);
  const checks = (seen.checks ?? []).map((c) => `${c.phase} ${c.method} ${new URL(c.url).pathname} ${c.answer}`);
  ctx.timeline.expect('dev: the deploy verifies the key endpoint after the rollout and after a bake with the logs watched', [
    ...expectThat(verify?.conclusion === 'success' && seen.status === 'passed', `${VERIFY_STEP} is ${stepLine(verify)} (verification ${seen.status})`),
    ...expectThat(checks.join(', ') === 'after-stable GET /api/v1/users 200, after-bake GET /api/v1/users 200', `checks: ${checks.join(', ') || 'none'}`),
    ...expectThat((seen.bake?.polls ?? 0) > 0, `the bake polled ${seen.bake?.polls ?? 0} times`),
    ...expectThat(run?.conclusion === 'success', `the pipeline run is ${run?.conclusion} (${jobsLine(run)})`),
  ], `${checks.length} checks, bake ${seen.bake?.seconds ?? 0} s`);
}

/** New code that logs a Traceback on /api/v1/users during the bake: verification fails, the pipeline rolls back. */
async function tracebackDuringTheBakeRollsBack(ctx: StoryContext): Promise<void> {
  const dev = environment('dev');
  const before = serviceTaskDefinition(ctx.aws, dev);
  const { erin } = ctx.people;
  const runs = await play(ctx, async () => {
    await erin.branch('development', 'development');
    // Real stack: the users route really sorts by a field its rows lack and logs the Traceback (still 200).
    const sha = erin.commit('feat(api): sort users by signup date', ctx.real ? usersSortedBySignupPython() : { 'app/api/routes/users_sort.py': "def sort_users(users: list) -> list:\n    return sorted(users, key=lambda u: u['signup_date'])\n" });
    if (!ctx.real) ctx.imageScenarios.set(sha, TRACEBACK_ON_USERS);
    await erin.push('development');
  });
  const run = runsOf(runs, 'deploy-on-merge.yml')[0];
  const verify = step(run, VERIFY_STEP);
  const rollback = step(run, ROLLBACK_STEP);
  const seen = verification(verify?.outputs.verification);
  const now = serviceTaskDefinition(ctx.aws, dev);
  ctx.timeline.expect('dev: a release that logs a Traceback on a key endpoint once it serves (read from the rollout’s start to the end of the bake) is rolled back to the revision before it', [
    ...expectThat(step(run, 'Roll out')?.outputs.status === 'deployed', `Roll out is ${stepLine(step(run, 'Roll out'))}`),
    ...expectThat(verify?.conclusion === 'failure' && /Traceback \(most recent call last\)/.test(verify.errors[0] ?? ''), `${VERIFY_STEP} is ${stepLine(verify)}: ${verify?.errors[0] ?? ''}`),
    ...expectThat(seen.status === 'failed' && (seen.logMatches ?? []).some((m) => m.message.startsWith('Traceback')), `verification ${seen.status}, log matches: ${(seen.logMatches ?? []).map((m) => m.message).join(' | ') || 'none'}`),
    ...expectThat(rollback?.conclusion === 'success' && rollback.outputs['task-definition-arn'] === before, `${ROLLBACK_STEP} is ${stepLine(rollback)} to ${shortArn(rollback?.outputs['task-definition-arn'] ?? '')}`),
    ...expectThat(now === before, `${dev.service} runs ${shortArn(now)}, expected ${shortArn(before)}`),
    ...expectThat(run?.conclusion === 'failure', `the pipeline run is ${run?.conclusion} (${jobsLine(run)})`),
  ], `${stepLine(verify)}; ${stepLine(rollback)}; ${dev.service} on ${shortArn(now)}`, true);
}

export async function verificationAfterTheRollout(ctx: StoryContext): Promise<void> {
  ctx.timeline.stage(12, 'Verification: key endpoints and a bake with the logs watched; a Traceback during the bake rolls back; a breaking API change is blocked until labelled, then released as a major version');
  await healthyDeployIsVerified(ctx);
  await tracebackDuringTheBakeRollsBack(ctx);
  await breakingApiChangeIsGated(ctx);
}

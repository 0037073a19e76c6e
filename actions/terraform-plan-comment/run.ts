/**
 * terraform-plan-comment: inputs -> plan engine -> sticky comment, job summary, outputs. The engine
 * (packages/terraform-plan) does the parsing, redaction, digest and rendering; this file only
 * wires it to the runner and GitHub, and decides when the step fails.
 */
import { ActionError, actionsLogger, errorMessage, InputError, SUMMARY_LIMIT, setOutputs, writeSummary, type ActionContext } from '../../packages/action-kit';
import { COMMENT_LIMIT, createGitHubClient, currentRepository, httpStatus, readEvent, runUrl, stickyMarker, upsertStickyComment } from '../../packages/github';
import { failureMessage, hasChanges, parsePlanLog, renderFailedPlan, renderPlan, type PlanView, type PreparedPlan } from '../../packages/terraform-plan';
import { Input, Output } from './names';
import { readSettings, type Settings } from './inputs';

const log = actionsLogger();

/** The summary cap is in bytes; leave room for what other steps of the job append. */
const SUMMARY_BUDGET = SUMMARY_LIMIT - 64 * 1024;
const bytes = (text: string) => Buffer.byteLength(text);
// Comments are measured in UTF-8 bytes too: never fewer than characters, so the comment fits
// GitHub's 65,536 whichever unit it counts in (emoji and box-drawing characters take several bytes).
const commentSize = bytes;
/** Resource lines in the log group; a 20,000-resource plan should not flood the log. */
const LOG_RESOURCES = 2000;

export async function commentPlan(_context: ActionContext): Promise<void> {
  const settings = await readSettings();
  if (settings.outcome === 'skipped') {
    log.info('plan-outcome is skipped: the plan did not run, so there is nothing to comment.');
    return;
  }
  const identity = `terraform-plan:${settings.name}`;
  const event = readEvent();
  const run = { settings, identity, prefix: stickyMarker(identity), target: commentTarget(settings, event), ...whereFrom(event) };
  if (!settings.prepared) return commentFailedPlan(run);
  return commentPreparedPlan(run, settings.prepared);
}

/** What one run comments: the settings, the comment's identity and target, and the links it shows. */
interface PlanRun {
  settings: Settings;
  identity: string;
  prefix: string;
  target?: Target;
  sha?: string;
  commitUrl?: string;
  runUrl?: string;
  /** Where the full render is, for a shortened comment. */
  where: string;
}

/** The commit and run links the comment shows. */
function whereFrom(event: Record<string, any>): Pick<PlanRun, 'sha' | 'commitUrl' | 'runUrl' | 'where'> {
  const env = process.env;
  const link = runUrl(env);
  // On pull_request events GITHUB_SHA is the test merge commit; reviewers know the head commit.
  const sha: string | undefined = event.pull_request?.head?.sha ?? env.GITHUB_SHA;
  const commitUrl = sha && env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/commit/${sha}` : undefined;
  return { sha, commitUrl, runUrl: link, where: `the job summary${link ? ` of [this run](${link})` : ''}` };
}

/** The plan failed: an error comment, then the step fails. */
async function commentFailedPlan(run: PlanRun): Promise<void> {
  const { settings } = run;
  const failed = parsePlanLog(settings.planLog ?? '');
  const view = { failed, name: settings.name, tool: settings.tool, logMissing: settings.planLog === undefined, sha: run.sha, commitUrl: run.commitUrl, runUrl: run.runUrl };
  const comment = renderFailedPlan(view, { limit: COMMENT_LIMIT, measure: commentSize, prefix: run.prefix });
  const summary = renderFailedPlan(view, { limit: SUMMARY_BUDGET, measure: bytes });
  await writeSummary(summary.markdown);
  setOutputs({ [Output.HasChanges]: false, [Output.Summary]: 'Plan failed.' });
  await post(settings, run.target, run.identity, comment.markdown);
  throw new ActionError(failureMessage(view));
}

async function commentPreparedPlan(run: PlanRun, prepared: PreparedPlan): Promise<void> {
  const { settings } = run;
  const { plan, counts, summary: line, digest, text, textIgnored } = prepared;
  if (textIgnored) log.warning(`plan-text was not used: ${textIgnored}. Diffs are rendered from the JSON plan.`);
  const view: PlanView = { plan, counts, digest, name: settings.name, tool: settings.tool, text, sha: run.sha, commitUrl: run.commitUrl, runUrl: run.runUrl, expectedDigest: settings.expectedDigest };
  const comment = renderPlan(view, { limit: COMMENT_LIMIT, measure: commentSize, prefix: run.prefix, fullRenderAt: run.where });
  const summary = renderPlan(view, { limit: SUMMARY_BUDGET, measure: bytes });

  log.info(`${settings.tool} plan for '${settings.name}': ${line}`);
  log.info(`Digest: ${digest}`);
  await logChanges(plan);
  warnAboutPlan(settings, prepared);
  if (comment.cut) log.info(`The comment was shortened to fit GitHub's limit of ${COMMENT_LIMIT} characters (${comment.detail}): ${comment.cut}.`);

  // Summary and outputs first: they stand even when commenting fails (a fork's read-only token).
  await writeSummary(summary.markdown);
  setOutputs({
    [Output.HasChanges]: hasChanges(counts),
    [Output.Add]: counts.add,
    [Output.Change]: counts.change,
    [Output.Destroy]: counts.destroy,
    [Output.Replace]: counts.replace,
    [Output.Import]: counts.import,
    [Output.Move]: counts.move,
    [Output.Deferred]: counts.deferred,
    [Output.Summary]: line,
    [Output.Digest]: digest,
  });
  await post(settings, run.target, run.identity, comment.markdown);
  // Failures come last, after the comment and outputs, so reviewers see what failed.
  failIfRefused(settings, prepared);
}

/** An incomplete plan and failed checks are warnings, as Terraform reports them. */
function warnAboutPlan(settings: Settings, { plan, counts }: PreparedPlan): void {
  if (counts.deferred > 0 || plan.complete === false) {
    log.warning(
      counts.deferred > 0
        ? `The plan for '${settings.name}' is incomplete: ${counts.deferred} resource change(s) were deferred to a later plan (${plan.deferred.slice(0, 5).map((r) => `${r.address}: ${r.deferredReason}`).join(', ')}${counts.deferred > 5 ? ', …' : ''}).`
        : `The plan for '${settings.name}' is incomplete (complete: false): it does not plan every resource; another plan is needed after applying it.`,
    );
  }
  // As Terraform does: a failed check is a warning, not a failure of the plan.
  for (const check of plan.failedChecks.slice(0, 10)) {
    log.warning(`Check ${check.address} ${check.status === 'error' ? 'could not be evaluated' : 'failed'}${check.messages.length > 0 ? `: ${check.messages.join(' ').replace(/\s+/g, ' ').slice(0, 300)}` : ''}`);
  }
  if (plan.failedChecks.length > 10) log.warning(`… and ${plan.failedChecks.length - 10} more failed checks (see the job summary).`);
}

/** An errored plan, a plan other than the reviewed one, or a destroy with fail-on-destroy fails the step. */
function failIfRefused(settings: Settings, { plan, digest, counts }: PreparedPlan): void {
  if (plan.errored) throw new ActionError(`The ${settings.tool} plan for '${settings.name}' reported errors (errored: true); its changes are partial and must not be applied.`);
  if (settings.expectedDigest && settings.expectedDigest !== digest) {
    throw new ActionError(`The plan for '${settings.name}' differs from the reviewed plan: digest ${digest}, expected ${settings.expectedDigest}.`, {
      details: ['Plan again and have the new plan reviewed before applying.'],
    });
  }
  if (settings.failOnDestroy && counts.destroy > 0) {
    throw new ActionError(`The plan for '${settings.name}' destroys ${counts.destroy} resource(s) (${counts.replace} of them replaced) and fail-on-destroy is true.`);
  }
}

/** Addresses and actions only (never values), folded away in the log. */
async function logChanges(plan: PlanView['plan']): Promise<void> {
  const changed = plan.resources.filter((resource) => resource.action !== 'no-op' || resource.importing || resource.previousAddress);
  if (changed.length === 0) return;
  const shown = changed.slice(0, LOG_RESOURCES);
  await log.group(`Resource changes (${changed.length})`, async () => {
    for (const resource of shown) {
      const extra = [resource.previousAddress ? `moved from ${resource.previousAddress}` : '', resource.importing ? 'imported' : ''].filter(Boolean).join(', ');
      log.info(`${resource.action.padEnd(7)} ${resource.address}${extra ? ` (${extra})` : ''}`);
    }
    if (changed.length > shown.length) log.info(`… and ${changed.length - shown.length} more (see the job summary)`);
  });
}

interface Target {
  owner: string;
  repo: string;
  issueNumber: number;
}

/** The pull request to comment on: pr-number when set (explicit wins), else the event's; undefined when neither. */
function commentTarget(settings: Settings, event: Record<string, any>): Target | undefined {
  if (settings.mode === 'off') {
    log.info("mode is 'off': no comment is posted; outputs and the job summary are still written.");
    return undefined;
  }
  const fromEvent = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
  const issueNumber = settings.prNumberInput ?? (typeof fromEvent === 'number' ? fromEvent : undefined);
  if (issueNumber === undefined) {
    log.info(`No pull request: the ${process.env.GITHUB_EVENT_NAME ?? ''} event has none and pr-number is not set, so no comment is posted; outputs and the job summary are still written.`);
    return undefined;
  }
  if (!settings.token) {
    throw new InputError(Input.GitHubToken, 'is empty', 'pass a token with pull-requests: write (the default `${{ github.token }}` works), or set mode: off');
  }
  return { ...currentRepository(), issueNumber };
}

/** Posts (or edits) the comment and sets comment-id and comment-url. */
async function post(settings: Settings, target: Target | undefined, identity: string, body: string): Promise<void> {
  if (!target || !settings.token || settings.mode === 'off') return;
  const client = createGitHubClient(settings.token);
  let result;
  try {
    result = await upsertStickyComment({ client, ...target, identity, log }, body, { mode: settings.mode });
  } catch (error) {
    const status = httpStatus(error);
    const why = status === 403 || status === 404
      ? `the token cannot write to it (HTTP ${status}); give the job \`permissions: pull-requests: write\` (pull requests from forks get a read-only token)`
      : errorMessage(error);
    throw new ActionError(`Could not comment the plan on pull request #${target.issueNumber}: ${why}. The plan is in the job summary.`, { cause: error });
  }
  if (!result) return;
  log.info(`Comment ${result.action}: ${result.url}`);
  setOutputs({ [Output.CommentId]: result.id, [Output.CommentUrl]: result.url });
}

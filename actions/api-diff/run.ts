/**
 * api-diff glue: inputs (both documents read and checked before any GitHub call) -> packages/api-diff
 * compareSpecs -> outputs, job summary, the sticky PR comment -> the step fails on a breaking change
 * unless fail-on-breaking is false or the pull request carries breaking-label (an intended break,
 * which create-release then releases as a major version).
 */
import { ActionError, InputError, actionsLogger, errorMessage, readInputs, setOutputs, writeSummary, type ActionContext } from '../../packages/action-kit';
import { compareSpecs, readSpec, renderReport, summarizeChanges, type ApiChange } from '../../packages/api-diff';
import { createGitHubClient, currentRepository, httpStatus, readEvent, runUrl, upsertStickyComment } from '../../packages/github';
import { readApiDiffInputs, type Settings } from './inputs';
import { Input, Output } from './names';

const log = actionsLogger();

export async function apiDiff(_context: ActionContext): Promise<void> {
  const settings = readApiDiffInputs(readInputs());
  const base = readSpec(settings.baseFile, Input.BaseSpec);
  const head = readSpec(settings.headFile, Input.HeadSpec);
  const changes = compareSpecs(base, head);
  const breaking = changes.filter((c) => c.breaking);
  const summary = summarizeChanges(changes);
  const allowedBy = breaking.length > 0 && settings.failOnBreaking ? allowingLabel(settings.breakingLabel) : undefined;
  const failOnBreaking = settings.failOnBreaking && allowedBy === undefined;
  if (allowedBy) log.info(`The pull request carries the label '${allowedBy}': the breaking changes below are an intended break (create-release makes the release major).`);
  log.info(`API ${settings.name}: ${summary}.`);
  for (const change of breaking) log.info(`  breaking: ${change.method ? `${change.method} ` : ''}${change.path}: ${change.message}`);
  setOutputs({
    [Output.Breaking]: breaking.length > 0,
    [Output.AllowedByLabel]: allowedBy !== undefined,
    [Output.Changes]: changes.map(({ kind, path, method, breaking: isBreaking, message }) => ({ kind, path, method, breaking: isBreaking, message })),
    [Output.Summary]: summary,
  });
  const report = renderReport(changes, { name: settings.name, failOnBreaking, allowedByLabel: allowedBy, breakingLabel: settings.breakingLabel, runUrl: runUrl() });
  await writeSummary(report);
  if (settings.comment) await comment(settings, changes, report);
  if (breaking.length && failOnBreaking) {
    const allow = settings.breakingLabel ? `Label the pull request '${settings.breakingLabel}' to allow an intended break (the release is then major), or set fail-on-breaking: false` : 'Set fail-on-breaking: false to allow an intended break';
    throw new ActionError(`${breaking.length} breaking API change${breaking.length === 1 ? '' : 's'} (${settings.name}): ${breaking.slice(0, 3).map((c) => `${c.method ? `${c.method} ` : ''}${c.path}: ${c.message}`).join('; ')}${breaking.length > 3 ? '; ...' : ''}. ${allow}.`);
  }
}

/** `label` when the event's pull request carries it (GitHub's spelling kept), else undefined. */
function allowingLabel(label: string): string | undefined {
  if (label === '') return undefined;
  const labels = (readEvent().pull_request as { labels?: { name?: unknown }[] } | undefined)?.labels ?? [];
  const found = labels.map((l) => l?.name).find((name): name is string => typeof name === 'string' && name.toLowerCase() === label.toLowerCase());
  return found;
}

/** The sticky comment on the pull request: created when there is a change, kept up to date after. */
async function comment(settings: Settings, changes: ApiChange[], report: string): Promise<void> {
  const pull = readEvent().pull_request as { number?: number } | undefined;
  if (!pull?.number) {
    log.info('Not a pull request event: no comment (the report is in the job summary).');
    return;
  }
  if (!settings.token) throw new InputError(Input.GitHubToken, 'is empty but comment is true', "pass ${{ github.token }} with pull-requests: write, or set comment: 'false'");
  try {
    const result = await upsertStickyComment(
      { client: createGitHubClient(settings.token), ...currentRepository(), issueNumber: pull.number, identity: `api-diff:${settings.name}`, log },
      report,
      // No API change and no earlier comment: nothing to say on the PR.
      { onlyIfExists: changes.length === 0 },
    );
    if (result) {
      log.info(`Comment ${result.action}: ${result.url}`);
      setOutputs({ [Output.CommentUrl]: result.url });
    }
  } catch (error) {
    const status = httpStatus(error);
    const why = status === 403 || status === 404 ? `the token cannot write to it (HTTP ${status}); give the job \`permissions: pull-requests: write\`` : errorMessage(error);
    log.warning(`Could not comment on pull request #${pull.number}: ${why}. The report is in the job summary.`);
  }
}

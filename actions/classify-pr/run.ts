/**
 * classify-pr glue: inputs (all validated before any GitHub call) -> changed files -> the
 * classify engine -> labels, sticky comment, outputs and job summary -> the step's verdict.
 */
import * as core from '@actions/core';
import { ActionError, InputError, readInputs, setOutputs, warning, writeSummary, type ActionContext } from '../../packages/action-kit';
import {
  INPUT,
  applyLabels,
  checkBranchFlow,
  classifyChanges,
  jobSummary,
  readClassifyConfig,
  updateComment,
  type Classification,
  type FlowResult,
  type PullTarget,
} from '../../packages/classify';
import { createGitHubClient, currentRepository, GitError, gitRangeFiles, pullRequestFiles, readEvent, runUrl, type ChangedFiles } from '../../packages/github';

export async function classifyPr(_context: ActionContext): Promise<void> {
  const config = readClassifyConfig(readInputs());
  const event = readEvent();
  const pull = event.pull_request as Record<string, any> | undefined;
  const checkout = { cwd: process.env.GITHUB_WORKSPACE || process.cwd() };

  let changes: ChangedFiles;
  let target: PullTarget | undefined;
  if (pull) {
    if (!config.token) throw new InputError(INPUT.token, 'is empty', 'leave it unset (the default is the job token) or pass a token that can read pull requests');
    const { owner, repo } = currentRepository();
    const number = Number(pull.number);
    target = { client: createGitHubClient(config.token), owner, repo, number };
    changes = await pullRequestFiles(target.client, {
      owner,
      repo,
      number,
      changedFiles: typeof pull.changed_files === 'number' ? pull.changed_files : undefined,
      baseSha: pull.base?.sha,
      headSha: pull.head?.sha,
    }, checkout);
  } else {
    const eventName = process.env.GITHUB_EVENT_NAME ?? 'this';
    if (!config.base) throw new InputError(INPUT.base, `is empty and the '${eventName}' event is not a pull request`, "set 'base' (and 'head', default HEAD) to the refs to compare");
    try {
      changes = await gitRangeFiles(checkout, config.base, config.head ?? 'HEAD');
    } catch (error) {
      if (error instanceof GitError) throw new ActionError(`Could not list the files changed between '${config.base}' and '${config.head ?? 'HEAD'}': ${error.message}.`);
      throw error;
    }
  }
  core.info(`Changed files from ${changes.description}.`);

  const result = classifyChanges(changes.files, config.rules);
  const flow = checkBranchFlow(config.flow, pull?.head?.ref, pull?.base?.ref);
  setOutputs({
    type: result.type,
    'infrastructure-files': result.infrastructure.map((file) => file.path),
    'application-files': result.application.map((file) => file.path),
    'files-count': result.infrastructure.length + result.application.length,
    flow: flow.status,
  });
  await logFiles(result);
  core.info(`Type: ${result.type} (${result.infrastructure.length} infrastructure, ${result.application.length} application, ${result.ignored.length} ignored). Branch flow: ${flow.status}.`);

  // Labels and comment are attempted both, and the summary written, even when one of them fails.
  const feedback: string[][] = [];
  const failures: unknown[] = [];
  const attempt = async (name: string, enabled: boolean, off: string, work: () => Promise<string>) => {
    if (!enabled) return void feedback.push([name, off]);
    try {
      feedback.push([name, await work()]);
    } catch (error) {
      failures.push(error);
      feedback.push([name, `failed: ${error instanceof Error ? error.message : String(error)}`]);
    }
  };
  if (target) {
    const pr = target;
    const context = { head: pull?.head?.ref, base: pull?.base?.ref, headSha: pull?.head?.sha, runUrl: runUrl(), infrastructureGlobs: config.rules.infrastructure.globs };
    await attempt('Labels', config.labels, "off ('labels: false')", () => applyLabels(pr, result, config.labelNames));
    await attempt('Comment', config.comment, "off ('comment: false')", () => updateComment(pr, result, context));
  }
  await writeSummary(jobSummary(result, { flow, source: changes.description, failOnMixed: config.failOnMixed, feedback }));
  verdict(result, flow, config.failOnMixed, failures);
}

/** The files of each kind, folded in the log (the job summary has them as tables). */
async function logFiles(result: Classification): Promise<void> {
  const kinds = [
    ['Infrastructure', result.infrastructure],
    ['Application', result.application],
    ['Ignored', result.ignored],
  ] as const;
  for (const [kind, files] of kinds) {
    if (files.length === 0) continue;
    await core.group(`${kind} files (${files.length})`, async () => {
      for (const file of files) core.info(`${file.path}${file.glob ? `  [${file.glob}]` : ''}${file.renamedTo ? `  (renamed to ${file.renamedTo})` : ''}`);
    });
  }
}

const files = (count: number) => `${count} ${count === 1 ? 'file' : 'files'}`;

/** Fails the step for a mixed PR (when asked), a flow violation, and labels or comment that failed, in one message. */
function verdict(result: Classification, flow: FlowResult, failOnMixed: boolean, failures: unknown[]): void {
  const problems: string[] = [];
  if (result.type === 'mixed') {
    const line = `This PR mixes infrastructure (${files(result.infrastructure.length)}) and application (${files(result.application.length)}) changes: split it into an infrastructure PR, merged first, and an application PR (the job summary lists the files of each kind).`;
    if (failOnMixed) problems.push(line);
    else warning(`${line} (not failing: fail-on-mixed is false)`);
  }
  if (flow.status === 'violation') problems.push(flow.message);
  for (const failure of failures) problems.push(failure instanceof Error ? failure.message : String(failure));
  if (problems.length > 0) throw new ActionError(problems[0], { details: problems.slice(1) });
}

/**
 * classify-pr glue: inputs (all validated before any GitHub call) -> changed files -> the
 * classify engine -> labels, sticky comment, outputs and job summary -> the step's verdict.
 */
import { ActionError, InputError, actionsLogger, readInputs, setOutputs, writeSummary, type ActionContext } from '../../packages/action-kit';
import {
  checkBranchFlow,
  classifyChanges,
  jobSummary,
  mixedPolicy,
  publishFeedback,
  skippedHealth,
  sourceEnvironment,
  deploymentSucceeded,
  healthSinceDeploy,
  sourceHealth,
  verdict,
  type DeploymentFacts,
  type SinceDeploy,
  type Classification,
  type PullRepositories,
  type PullTarget,
  type SourceHealthResult,
} from '../../packages/classify';
import { readClassifyConfig, type ClassifyConfig } from './inputs';
import { Input } from './names';
import { classifyOutputs } from './outputs';
import { comparedPaths, createGitHubClient, currentRepository, GitError, gitRangeFiles, latestDeployment, pullRequestFiles, readEvent, runUrl, type ChangedFiles, type GitCheckout } from '../../packages/github';

const log = actionsLogger();

/** The parts of a pull_request event payload classify-pr reads. */
interface PullEvent {
  number: number;
  changed_files?: number;
  /** `head.repo` is null when the fork the PR came from was deleted. */
  head?: { ref?: string; sha?: string; repo?: { full_name?: string } | null };
  base?: { ref?: string; sha?: string; repo?: { full_name?: string } | null };
}

export async function classifyPr(_context: ActionContext): Promise<void> {
  const config = readClassifyConfig(readInputs());
  const pull = readEvent().pull_request as PullEvent | undefined;
  // The token also authenticates git fetches when the checkout kept no credentials.
  const checkout: GitCheckout = { cwd: process.env.GITHUB_WORKSPACE || process.cwd(), log, auth: config.token ? { serverUrl: process.env.GITHUB_SERVER_URL || 'https://github.com', token: config.token } : undefined };

  let target: PullTarget | undefined;
  let changes: ChangedFiles;
  if (pull) {
    target = { client: createGitHubClient(requireToken(config)), ...currentRepository(), number: Number(pull.number), log };
    const { client, owner, repo, number } = target;
    const changedFiles = typeof pull.changed_files === 'number' ? pull.changed_files : undefined;
    changes = await pullRequestFiles(client, { owner, repo, number, changedFiles, baseSha: pull.base?.sha, headSha: pull.head?.sha }, checkout);
  } else {
    changes = await rangeFiles(config, checkout);
  }
  log.info(`Changed files from ${changes.description}.`);

  const result = classifyChanges(changes.files, config.rules);
  // A fork's branch named `staging` is not this repository's staging: head and base repositories decide.
  const repositories = pull ? { headRepository: pull.head?.repo?.full_name, baseRepository: pull.base?.repo?.full_name ?? process.env.GITHUB_REPOSITORY } : undefined;
  const flow = checkBranchFlow(config.flow, pull?.head?.ref, pull?.base?.ref, repositories);
  const source = await checkSourceHealth(config, target, pull, repositories);
  setOutputs(classifyOutputs(result, flow, source));
  await logFiles(result);
  log.info(`Type: ${result.type} (${result.infrastructure.length} infrastructure, ${result.application.length} application, ${result.ignored.length} ignored). Branch flow: ${flow.status}.`);
  if (source.health !== 'skipped') log.info(`Source environment: ${source.message}`);

  const context = { head: pull?.head?.ref, base: pull?.base?.ref, headSha: pull?.head?.sha, runUrl: runUrl(), infrastructureGlobs: config.rules.infrastructure.globs };
  const policy = mixedPolicy(config, pull?.head?.ref, repositories);
  const feedback = target ? await publishFeedback(target, result, config, context, policy) : { rows: [], failures: [] };
  await writeSummary(jobSummary(result, { flow, source: changes.description, mixedAllowedBecause: policy.allowedBecause, feedback: feedback.rows, sourceHealth: source }));

  const outcome = verdict(result, flow, policy, feedback.failures, source);
  for (const line of outcome.warnings) log.warning(line);
  if (outcome.problems.length > 0) throw new ActionError(outcome.problems[0], { details: outcome.problems.slice(1) });
}

/** require-healthy-source: a promotion PR's source environment must run its head, deployed with success. */
async function checkSourceHealth(config: ClassifyConfig, target: PullTarget | undefined, pull: PullEvent | undefined, repositories: PullRepositories | undefined): Promise<SourceHealthResult> {
  if (!config.requireHealthySource) return skippedHealth(`'${Input.RequireHealthySource}' is off`);
  const environment = sourceEnvironment(config, pull?.head?.ref, repositories);
  const headSha = pull?.head?.sha;
  if (!target || !pull?.head?.ref || !environment || !headSha) return skippedHealth(`not a promotion: the head is not a branch of '${Input.SourceEnvironments}' in this repository`);
  const { client, owner, repo } = target;
  const deployment = await latestDeployment(client, { owner, repo }, { environment, task: config.deploymentTask });
  if (deployment && deployment.sha !== headSha && deploymentSucceeded(deployment)) {
    const since = await sinceDeploy(config, target, environment, headSha, deployment);
    if (since) return healthSinceDeploy(environment, pull.head.ref, headSha, since);
  }
  return sourceHealth(environment, pull.head.ref, headSha, deployment);
}

/**
 * A successful deploy of an older commit: what the head adds since, split as deploy-on-merge splits
 * a push, and the environment's last successful Terraform apply. Undefined when the deploy is not
 * in the head's history or the difference is too large to list (then the head needs its own deploy).
 */
async function sinceDeploy(config: ClassifyConfig, target: PullTarget, environment: string, headSha: string, deployment: DeploymentFacts): Promise<SinceDeploy | undefined> {
  const repository = { owner: target.owner, repo: target.repo };
  const { status, paths } = await comparedPaths(target.client, repository, deployment.sha, headSha);
  if (status !== 'ahead' || !paths) return undefined;
  const ignored = paths.filter((path) => config.deployIgnore.matches(path));
  const terraform = paths.filter((path) => !config.deployIgnore.matches(path) && config.terraform.matches(path));
  const shipped = paths.filter((path) => !ignored.includes(path) && !terraform.includes(path));
  if (terraform.length === 0 || shipped.length > 0) return { deployment, shipped, terraform, ignored };
  const apply = await latestDeployment(target.client, repository, { environment, task: config.terraformDeploymentTask });
  if (!apply || !deploymentSucceeded(apply)) return { deployment, shipped, terraform, ignored };
  if (apply.sha === headSha) return { deployment, shipped, terraform, ignored, apply: { deployment: apply, terraformSince: [] } };
  const afterApply = await comparedPaths(target.client, repository, apply.sha, headSha);
  const terraformSince = afterApply.status === 'ahead' && afterApply.paths ? afterApply.paths.filter((path) => !config.deployIgnore.matches(path) && config.terraform.matches(path)) : undefined;
  return { deployment, shipped, terraform, ignored, apply: { deployment: apply, terraformSince } };
}

function requireToken(config: ClassifyConfig): string {
  if (config.token) return config.token;
  throw new InputError(Input.GitHubToken, 'is empty', 'leave it unset (the default is the job token) or pass a token that can read pull requests');
}

/** Outside pull requests: the `base`/`head` inputs, compared with git. */
async function rangeFiles(config: ClassifyConfig, checkout: GitCheckout): Promise<ChangedFiles> {
  const { base, head = 'HEAD' } = config;
  if (!base) {
    throw new InputError(Input.Base, `is empty and the '${process.env.GITHUB_EVENT_NAME ?? 'current'}' event is not a pull request`, "set 'base' (and 'head', default HEAD) to the refs to compare");
  }
  try {
    return await log.group(`git diff ${base}...${head}`, () => gitRangeFiles(checkout, base, head));
  } catch (error) {
    if (error instanceof GitError) throw new ActionError(`Could not list the files changed between '${base}' and '${head}': ${error.message}.`);
    throw error;
  }
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
    await log.group(`${kind} files (${files.length})`, async () => {
      for (const file of files) log.info(`${file.path}${file.glob ? `  [${file.glob}]` : ''}${file.renamedTo ? `  (renamed to ${file.renamedTo})` : ''}`);
    });
  }
}

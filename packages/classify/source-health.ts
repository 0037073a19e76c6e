/**
 * The promotion's source environment must be healthy on the commit being promoted: a
 * `development` -> `staging` PR waits until dev runs its head and its deploy succeeded. Pure: the
 * latest deployment (read by packages/github) in, the verdict and one line saying what to do out.
 */
import { InputError } from '../action-kit';
import { branchName, forkOf, type PullRepositories } from './branch-flow';
import type { GlobSet } from './globs';

export type SourceHealth = 'healthy' | 'unhealthy' | 'pending' | 'not-deployed' | 'skipped';

export interface SourceHealthResult {
  health: SourceHealth;
  /** The source environment, when the PR is a promotion and the check is on. */
  environment?: string;
  /** One line: what is wrong and what to do (or why it is healthy, or skipped). */
  message: string;
}

/** The parts of a GitHub deployment the verdict reads. */
export interface DeploymentFacts {
  id: number;
  sha: string;
  status?: { state: string; logUrl?: string };
  /** One of its statuses was `success`: GitHub's auto_inactive turns it `inactive` when a later deployment there succeeds. */
  succeeded?: boolean;
}

export interface SourceHealthConfig {
  requireHealthySource: boolean;
  /** Head branch -> the environment it deploys to. */
  sourceEnvironments: ReadonlyMap<string, string>;
  deploymentTask: string;
  /** Files deploy-on-merge ignores (its `paths-ignore`): a merge of only these starts no deploy. */
  deployIgnore: GlobSet;
  /** The Terraform deploy-on-merge applies instead of deploying (its `infrastructure-paths`). */
  terraform: GlobSet;
  /** The `task` of the GitHub deployments terraform-apply.yml records for a successful apply. */
  terraformDeploymentTask: string;
}

/** deploy-on-merge.yml's `paths-ignore` and `infrastructure-paths`, the defaults of the two inputs. */
export const DEFAULT_DEPLOY_IGNORE_PATHS: readonly string[] = ['**/*.md'];
export const DEFAULT_TERRAFORM_PATHS: readonly string[] = ['infrastructure/terraform/**'];

export const DEFAULT_SOURCE_ENVIRONMENTS: readonly string[] = ['development=dev', 'staging=staging'];

/** Parses `branch=environment` lines; throws an InputError naming the first bad line. */
export function parseSourceEnvironments(input: string, lines: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  lines.forEach((text, index) => {
    const match = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(text);
    if (!match) throw new InputError(input, `line ${index + 1} '${text}' is not 'branch=environment'`, "write one 'branch=environment' pair per line, e.g. 'development=dev'");
    map.set(branchName(match[1]!), match[2]!);
  });
  return map;
}

/** The environment whose health the PR needs: its head is a source branch of this repository. */
export function sourceEnvironment(config: SourceHealthConfig, headRef: string | undefined, repositories: PullRepositories | undefined): string | undefined {
  if (!config.requireHealthySource || !headRef || !repositories || forkOf(repositories)) return undefined;
  return config.sourceEnvironments.get(branchName(headRef));
}

const short = (sha: string) => sha.slice(0, 7);
const IN_FLIGHT = new Set(['queued', 'pending', 'in_progress']);

export function skippedHealth(reason: string): SourceHealthResult {
  return { health: 'skipped', message: `skipped (${reason})` };
}

/**
 * A deployment whose newest status is `success`, or `inactive` after a success: GitHub's auto_inactive
 * marks a successful deployment inactive once a later one in the same environment succeeds (another
 * task's too, e.g. a Terraform apply after the ECS deploy), and it still describes what runs there.
 */
export function deploymentSucceeded(deployment: DeploymentFacts | undefined): boolean {
  const state = deployment?.status?.state;
  return state === 'success' || (state === 'inactive' && deployment?.succeeded === true);
}

/** The verdict on `environment`, deployed from `branch`, for the promoted head `headSha`. */
export function sourceHealth(environment: string, branch: string, headSha: string, deployment: DeploymentFacts | undefined): SourceHealthResult {
  const prefix = `${environment} is not healthy on ${short(headSha)}`;
  if (!deployment) {
    return { health: 'not-deployed', environment, message: `${prefix}: no deploy of ${environment} recorded — deploy ${branch} before promoting, then re-run this check.` };
  }
  const state = deployment.status?.state;
  const where = `(deployment ${deployment.id}${deployment.status?.logUrl ? `: ${deployment.status.logUrl}` : ''})`;
  if (deployment.sha !== headSha) {
    return { health: 'pending', environment, message: `${prefix}: ${environment} runs ${short(deployment.sha)}, not the promoted head ${short(headSha)}: wait for its deploy, then re-run this check ${where}.` };
  }
  if (state === 'success') return { health: 'healthy', environment, message: `${environment} is healthy on ${short(headSha)} ${where}.` };
  // Marked inactive by a later successful deployment of another task there: it still runs the head.
  if (deploymentSucceeded(deployment)) {
    return { health: 'healthy', environment, message: `${environment} is healthy on ${short(headSha)} (its deploy succeeded; GitHub marked it inactive after a later deployment there) ${where}.` };
  }
  if (state === undefined || IN_FLIGHT.has(state)) {
    return { health: 'pending', environment, message: `${prefix}: its last deploy (of ${short(headSha)}) is still deploying (${state ?? 'no status yet'}): re-run this check when it ends ${where}.` };
  }
  return { health: 'unhealthy', environment, message: `${prefix}: its last deploy (of ${short(headSha)}) ended ${state} — fix ${branch} and redeploy before promoting ${where}.` };
}

/** What the head carries beyond the environment's last successful deploy, as deploy-on-merge splits a push. */
export interface SinceDeploy {
  /** The last successful deploy (task `deployment-task`), an ancestor of the head. */
  deployment: DeploymentFacts;
  /** Files the ECS deploy would ship: neither ignored by deploy-on-merge nor Terraform. */
  shipped: readonly string[];
  terraform: readonly string[];
  ignored: readonly string[];
  /**
   * The environment's last successful Terraform apply (task `terraform-deployment-task`) and the
   * Terraform files changed between it and the head (undefined: it is not in the head's history).
   */
  apply?: { deployment: DeploymentFacts; terraformSince?: readonly string[] };
}

const listed = (files: readonly string[]) => `${files.length} file${files.length === 1 ? '' : 's'}: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''}`;

/**
 * A head the environment does not run, but whose difference from its last successful deploy carries
 * nothing that deploy ships: files deploy-on-merge ignores (docs), and Terraform that its own
 * successful apply of this environment put in place. Such a merge starts no ECS deploy, so waiting
 * for one would block the promotion forever. Anything else stays pending: the deploy is coming.
 */
export function healthSinceDeploy(environment: string, branch: string, headSha: string, since: SinceDeploy): SourceHealthResult {
  const base = since.deployment;
  const relied = `deployment ${base.id} of ${short(base.sha)}${base.status?.logUrl ? ` (${base.status.logUrl})` : ''}`;
  const pending = (why: string): SourceHealthResult => ({ health: 'pending', environment, message: `${environment} is not healthy on ${short(headSha)}: ${environment} runs ${short(base.sha)} (${relied}) and ${why}` });
  if (since.shipped.length > 0) return pending(`the head changes what the deploy ships since (${listed(since.shipped)}): wait for its deploy, then re-run this check.`);
  const reasons = since.ignored.length > 0 ? [`files the deploy ignores (${listed(since.ignored)})`] : [];
  if (since.terraform.length > 0) {
    const apply = since.apply;
    if (!apply) return pending(`Terraform changed since (${listed(since.terraform)}) with no successful apply of ${environment} recorded: apply it (deploy ${branch} or run terraform.yml), then re-run this check.`);
    const applied = `Terraform applied by deployment ${apply.deployment.id} of ${short(apply.deployment.sha)}${apply.deployment.status?.logUrl ? ` (${apply.deployment.status.logUrl})` : ''}`;
    if (!apply.terraformSince) return pending(`Terraform changed since (${listed(since.terraform)}); the last successful apply of ${environment} (${short(apply.deployment.sha)}) is not in the head's history: apply the head's Terraform, then re-run this check.`);
    if (apply.terraformSince.length > 0) return pending(`Terraform changed after its last successful apply (${short(apply.deployment.sha)}: ${listed(apply.terraformSince)}): wait for that apply, then re-run this check.`);
    reasons.push(`${applied} (${listed(since.terraform)})`);
  }
  return { health: 'healthy', environment, message: `${environment} is healthy on ${short(headSha)}: it runs ${short(base.sha)}, relying on ${relied}; the head adds only ${reasons.join(' and ') || 'no file changes'}.` };
}

/**
 * GitHub deployments, as the deploy workflow records them (one per deploy of an environment, with
 * statuses in_progress then success | failure | error): the latest deployment of an environment for
 * a task, and its newest status. GitHub adds `inactive` to a successful deployment once a later one in
 * the same non-production environment succeeds (`auto_inactive`), so whether it ever succeeded is kept.
 */
import { ActionError, errorMessage } from '../action-kit';
import { httpStatus, type GitHubClient } from './client';
import type { RepositoryRef } from './repository';

export interface DeploymentQuery {
  /** The environment name, e.g. `dev`. */
  environment: string;
  /** The deployment task, e.g. `deploy:ecs`. */
  task: string;
}

export interface DeploymentStatus {
  id: number;
  /** error | failure | inactive | in_progress | queued | pending | success */
  state: string;
  description: string;
  /** Where the deploy's log is (the workflow run), when the status names one. */
  logUrl?: string;
}

export interface LatestDeployment {
  id: number;
  /** The commit deployed. */
  sha: string;
  ref: string;
  environment: string;
  task: string;
  /** The newest status; undefined when none was recorded yet. */
  status?: DeploymentStatus;
  /** One of its statuses is `success` (an `inactive` newest status then means superseded, not failed). */
  succeeded: boolean;
}

const highestId = <T extends { id: number }>(items: readonly T[]): T | undefined =>
  items.reduce<T | undefined>((best, item) => (best === undefined || item.id > best.id ? item : best), undefined);

/** A 403 that is not a rate limit: the token lacks the permission. Anything else passes through. */
function readFailure(environment: string, error: unknown): unknown {
  const message = errorMessage(error).split('\n')[0]!;
  if (httpStatus(error) !== 403 || /rate limit/i.test(message)) return error;
  return new ActionError(
    `Could not read the deployments of ${environment}: the token lacks the 'deployments: read' permission (GitHub answered 403: ${message}); give the job \`permissions: deployments: read\`.`,
    { cause: error },
  );
}

/**
 * The latest deployment (highest id) of `query.environment` for `query.task`, with its newest
 * status; undefined when none is recorded. Reads the newest 100 of each, which GitHub lists first.
 */
export async function latestDeployment(client: GitHubClient, repository: RepositoryRef, query: DeploymentQuery): Promise<LatestDeployment | undefined> {
  try {
    const { data: deployments } = await client.rest.repos.listDeployments({ ...repository, environment: query.environment, task: query.task, per_page: 100 });
    const latest = highestId(deployments);
    if (!latest) return undefined;
    const { data: statuses } = await client.rest.repos.listDeploymentStatuses({ ...repository, deployment_id: latest.id, per_page: 100 });
    const newest = highestId(statuses);
    const status = newest ? { id: newest.id, state: newest.state, description: newest.description ?? '', logUrl: newest.log_url || newest.target_url || undefined } : undefined;
    const succeeded = statuses.some((entry) => entry.state === 'success');
    return { id: latest.id, sha: latest.sha, ref: latest.ref, environment: latest.environment, task: latest.task, status, succeeded };
  } catch (error) {
    throw readFailure(query.environment, error);
  }
}

/** A successful deployment of a commit whose payload names the ECS revision it ran (deploy.yml records `task_definition_arn`). */
export interface DeployedRevision {
  deploymentId: number;
  environment: string;
  taskDefinitionArn: string;
  /** The image the deploy shipped, when its payload names it. */
  image?: string;
}

/**
 * The revisions the successful deployments of `sha` for `task` ran, newest first (every environment:
 * the caller picks by task definition family). A rollback's own record (payload `rollback: true`) is
 * not a deploy of that commit's code, so it is left out. Reads the newest 100 deployments of the commit.
 */
export async function deployedRevisions(client: GitHubClient, repository: RepositoryRef, sha: string, task: string): Promise<DeployedRevision[]> {
  try {
    const { data: deployments } = await client.rest.repos.listDeployments({ ...repository, sha, task, per_page: 100 });
    const found: DeployedRevision[] = [];
    for (const deployment of [...deployments].sort((a, b) => b.id - a.id)) {
      const payload = (typeof deployment.payload === 'object' && deployment.payload !== null ? deployment.payload : {}) as Record<string, unknown>;
      const arn = typeof payload.task_definition_arn === 'string' ? payload.task_definition_arn : '';
      if (!arn || payload.rollback === true || deployment.sha !== sha) continue;
      const { data: statuses } = await client.rest.repos.listDeploymentStatuses({ ...repository, deployment_id: deployment.id, per_page: 100 });
      if (!statuses.some((status) => status.state === 'success')) continue;
      found.push({ deploymentId: deployment.id, environment: deployment.environment, taskDefinitionArn: arn, image: typeof payload.image === 'string' ? payload.image : undefined });
    }
    return found;
  } catch (error) {
    throw readFailure(`commit ${sha.slice(0, 7)}`, error);
  }
}

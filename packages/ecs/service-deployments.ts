/**
 * The service's deployment history as ECS keeps it (ListServiceDeployments, 90 days): which rollouts
 * succeeded, which ECS rolled back. It answers two questions the DescribeServices snapshot cannot:
 * was the newest deployment rolled back (after the rollback completed, the service looks "stable" on
 * the old revision), and which revision last served successfully before the one running now (a
 * revision whose rollout failed stays ACTIVE, so revision numbers do not tell).
 */
import { DescribeServiceRevisionsCommand, ListServiceDeploymentsCommand, type ServiceDeploymentBrief, type ServiceDeploymentStatus } from '@aws-sdk/client-ecs';
import { aws } from '../aws';
import type { EcsContext } from './context';

/** The statuses of a service deployment that ECS (circuit breaker, alarms) rolled back or is rolling back. */
const ROLLED_BACK: ServiceDeploymentStatus[] = ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

export interface RolledBackDeployment {
  arn: string;
  status: ServiceDeploymentStatus;
  reason?: string;
  /** The revision ECS rolled back from (the one whose rollout failed). */
  taskDefinitionArn?: string;
}

/** One page of the service's deployments, newest first (sorted here: the order is not documented). */
async function page(ctx: EcsContext, cluster: string, service: string, status: ServiceDeploymentStatus[] | undefined, nextToken?: string) {
  const answer = await aws(
    'ecs:ListServiceDeployments',
    ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster, service, status, maxResults: 100, nextToken })),
  );
  const deployments = [...(answer.serviceDeployments ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  return { deployments, nextToken: answer.nextToken };
}

/** Service revision ARN -> its task definition ARN (DescribeServiceRevisions, 20 at a time). */
async function taskDefinitionsOf(ctx: EcsContext, revisionArns: string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const unique = [...new Set(revisionArns)];
  for (let i = 0; i < unique.length; i += 20) {
    const answer = await aws('ecs:DescribeServiceRevisions', ctx.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: unique.slice(i, i + 20) })));
    for (const revision of answer.serviceRevisions ?? []) {
      if (revision.serviceRevisionArn && revision.taskDefinition) result.set(revision.serviceRevisionArn, revision.taskDefinition);
    }
  }
  return result;
}

export interface HistoryEntry {
  status: string;
  taskDefinition?: string;
  startedAt?: string;
  reason?: string;
}

/** The newest `limit` service deployments with the revision each deployed (for `status`). */
export async function deploymentHistory(ctx: EcsContext, cluster: string, service: string, limit: number): Promise<HistoryEntry[]> {
  const newest = (await page(ctx, cluster, service, undefined)).deployments.slice(0, limit);
  const taskDefinitions = await taskDefinitionsOf(ctx, newest.map((d) => d.targetServiceRevisionArn).filter((arn): arn is string => Boolean(arn)));
  return newest.map((d) => ({
    status: d.status ?? 'UNKNOWN',
    taskDefinition: d.targetServiceRevisionArn ? taskDefinitions.get(d.targetServiceRevisionArn) : undefined,
    startedAt: d.startedAt?.toISOString(),
    reason: d.statusReason,
  }));
}

/** The newest service deployment when ECS rolled it back; undefined when it was not (or there is none). */
export async function newestRolledBack(ctx: EcsContext, cluster: string, service: string): Promise<RolledBackDeployment | undefined> {
  const newest: ServiceDeploymentBrief | undefined = (await page(ctx, cluster, service, undefined)).deployments[0];
  if (!newest?.status || !ROLLED_BACK.includes(newest.status)) return undefined;
  const target = newest.targetServiceRevisionArn;
  // Which revision failed only names it in the message: the rollback is reported even when it cannot be read.
  const taskDefinitionArn = target ? await taskDefinitionsOf(ctx, [target]).then((found) => found.get(target), () => undefined) : undefined;
  return { arn: newest.serviceDeploymentArn ?? '', status: newest.status, reason: newest.statusReason, taskDefinitionArn };
}

/**
 * The task definition of the newest SUCCESSFUL deployment that ran another revision than `runningArn`:
 * the revision that last served before the one running now. Undefined when the history has none.
 */
export async function lastSuccessfulBefore(ctx: EcsContext, cluster: string, service: string, runningArn: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const answer = await page(ctx, cluster, service, ['SUCCESSFUL'], nextToken);
    const targets = answer.deployments.map((d) => d.targetServiceRevisionArn).filter((arn): arn is string => Boolean(arn));
    const taskDefinitions = await taskDefinitionsOf(ctx, targets);
    const before = targets.map((arn) => taskDefinitions.get(arn)).find((arn) => arn !== undefined && arn !== runningArn);
    if (before) return before;
    nextToken = answer.nextToken;
  } while (nextToken);
  return undefined;
}

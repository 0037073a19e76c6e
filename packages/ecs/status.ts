/**
 * `status`: what a service is doing now, read-only (ecspresso's `status`). Per service: the revision it
 * runs and its images, the deployments with their rollout state and counts, the deployment history
 * (which rollouts succeeded, which ECS rolled back), what `previous` would deploy, the newest events,
 * the running tasks and the recently stopped ones with their reasons. Nothing here changes anything.
 */
import { DescribeTaskDefinitionCommand, ListTasksCommand, type Service } from '@aws-sdk/client-ecs';
import { InputError } from '../action-kit';
import { arnResource, aws, shortArn } from '../aws';
import type { EcsContext } from './context';
import { describeTargetServices } from './service';
import { deploymentHistory, lastSuccessfulBefore, type HistoryEntry } from './service-deployments';
import { describeStoppedTasks, describeTasks, formatStoppedTask } from './stopped-tasks';

export interface ServiceStatus {
  name: string;
  status: string;
  taskDefinition: string;
  images: { container: string; image: string }[];
  running: number;
  desired: number;
  pending: number;
  deployments: { id: string; status: string; taskDefinition: string; rolloutState: string; running: number; desired: number; createdAt?: string }[];
  history: HistoryEntry[];
  /** What `previous` resolves to now (undefined when the history has no earlier success). */
  previous?: string;
  events: { at?: string; message: string }[];
  tasks: { id: string; status: string; taskDefinition: string; startedAt?: string }[];
  stopped: string[];
}

/** Reads every service (read-only calls only); unknown services are an InputError naming the input. */
export async function readServiceStatus(ctx: EcsContext, cluster: string, names: string[], inputName = 'services'): Promise<ServiceStatus[]> {
  const described = await describeTargetServices(ctx.ecs, cluster, names);
  const result: ServiceStatus[] = [];
  for (const name of names) {
    const service = described.get(name);
    if (!service) throw new InputError(inputName, `lists '${name}', which does not exist in cluster '${cluster}'`, 'check the names (e.g. connect2-api-service-dev)');
    result.push(await statusOf(ctx, cluster, service));
  }
  return result;
}

async function statusOf(ctx: EcsContext, cluster: string, service: Service): Promise<ServiceStatus> {
  const name = service.serviceName ?? '';
  const taskDefinition = service.taskDefinition ?? '';
  const definition = taskDefinition
    ? (await aws('ecs:DescribeTaskDefinition', ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition })))).taskDefinition
    : undefined;
  const runningArns = (await aws('ecs:ListTasks', ctx.ecs.send(new ListTasksCommand({ cluster, serviceName: name, desiredStatus: 'RUNNING' })))).taskArns ?? [];
  const running = runningArns.length ? await describeTasks(ctx.ecs, cluster, runningArns.slice(0, 100)) : [];
  const stopped = await describeStoppedTasks(ctx.ecs, { cluster, serviceName: name, limit: 5 });
  return {
    name,
    status: service.status ?? 'UNKNOWN',
    taskDefinition,
    images: (definition?.containerDefinitions ?? []).map((c) => ({ container: c.name ?? '', image: c.image ?? '' })),
    running: service.runningCount ?? 0,
    desired: service.desiredCount ?? 0,
    pending: service.pendingCount ?? 0,
    deployments: (service.deployments ?? []).map((d) => ({
      id: d.id ?? '',
      status: d.status ?? '',
      taskDefinition: d.taskDefinition ?? '',
      rolloutState: d.rolloutState ?? 'n/a',
      running: d.runningCount ?? 0,
      desired: d.desiredCount ?? 0,
      createdAt: d.createdAt?.toISOString(),
    })),
    history: await deploymentHistory(ctx, cluster, name, 5),
    previous: taskDefinition ? await lastSuccessfulBefore(ctx, cluster, name, taskDefinition) : undefined,
    events: (service.events ?? []).slice(0, 5).map((e) => ({ at: e.createdAt?.toISOString(), message: e.message ?? '' })),
    tasks: running.map((t) => ({ id: arnResource(t.taskArn ?? ''), status: t.lastStatus ?? '', taskDefinition: t.taskDefinitionArn ?? '', startedAt: t.startedAt?.toISOString() })),
    stopped: stopped.map(formatStoppedTask),
  };
}

/** The status as a person reads it on a terminal. */
export function renderServiceStatus(status: ServiceStatus): string {
  const lines = [
    `${status.name}: ${status.status}, runs ${shortArn(status.taskDefinition)}, ${status.running}/${status.desired} running${status.pending ? `, ${status.pending} pending` : ''}`,
    ...status.images.map((i) => `  image ${i.container}: ${i.image}`),
    '  deployments:',
    ...status.deployments.map((d) => `    ${d.status.padEnd(8)} ${shortArn(d.taskDefinition)} ${d.rolloutState} ${d.running}/${d.desired} running  ${d.id}${d.createdAt ? `  since ${d.createdAt}` : ''}`),
    '  history (newest first):',
    ...(status.history.length ? status.history.map((h) => `    ${h.status.padEnd(20)} ${shortArn(h.taskDefinition)}  ${h.startedAt ?? ''}${h.reason ? `  ${h.reason}` : ''}`) : ['    (none)']),
    `  previous: ${status.previous ? `${shortArn(status.previous)} (what rollback --to previous deploys)` : 'none (no earlier successful deployment of another revision)'}`,
    '  events (newest first):',
    ...status.events.map((e) => `    ${e.at ?? ''} ${e.message}`),
    `  tasks running: ${status.tasks.length ? status.tasks.map((t) => `${t.id} ${shortArn(t.taskDefinition)} ${t.status}`).join(', ') : 'none'}`,
    ...(status.stopped.length ? ['  recently stopped:', ...status.stopped.map((s) => `    ${s}`)] : []),
  ];
  return lines.join('\n');
}

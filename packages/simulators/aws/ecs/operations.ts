/**
 * The ECS operations on the wire: input validation and response shapes as the SDK models them,
 * over the model. Every handler first brings the model up to the clock.
 */
import type {
  Service as SdkService,
  Task as SdkTask,
  TaskDefinition as SdkTaskDefinition,
  DeregisterTaskDefinitionCommandInput,
  DeregisterTaskDefinitionCommandOutput,
  DescribeClustersCommandInput,
  DescribeClustersCommandOutput,
  DescribeServiceDeploymentsCommandInput,
  DescribeServiceDeploymentsCommandOutput,
  DescribeServicesCommandInput,
  DescribeServicesCommandOutput,
  DescribeTaskDefinitionCommandInput,
  DescribeTaskDefinitionCommandOutput,
  DescribeTasksCommandInput,
  DescribeTasksCommandOutput,
  ListClustersCommandInput,
  ListClustersCommandOutput,
  ListServiceDeploymentsCommandInput,
  ListServiceDeploymentsCommandOutput,
  ListServicesCommandInput,
  ListServicesCommandOutput,
  ListTaskDefinitionsCommandInput,
  ListTaskDefinitionsCommandOutput,
  ListTasksCommandInput,
  ListTasksCommandOutput,
  RegisterTaskDefinitionCommandInput,
  RegisterTaskDefinitionCommandOutput,
  RunTaskCommandInput,
  RunTaskCommandOutput,
  StopTaskCommandInput,
  StopTaskCommandOutput,
  UpdateServiceCommandInput,
  UpdateServiceCommandOutput,
} from '@aws-sdk/client-ecs';
import { arnResource } from '../../../aws';
import { clientException, invalidParameter } from '../errors';
import type { EcsModel } from './model';
import { describeService } from './services';
import type { TaskDefinition, TaskDefinitionRegistry } from './task-definitions';
import type { Wire } from './wire';

/**
 * The model's descriptions (tasks, services, task definitions) are built from inputs it keeps as
 * given, so their static types are looser than the SDK's; they are the SDK's shapes on the wire
 * (test/contract/aws.contract.test.ts checks them against botocore's models, member for member).
 */
const task = (described: ReturnType<typeof describeTask>) => described as Wire<SdkTask>;
const service = (described: ReturnType<typeof describeService>) => described as Wire<SdkService>;
const taskDefinition = (described: ReturnType<TaskDefinitionRegistry['describe']>) => described as Wire<SdkTaskDefinition>;
import { describeTask, isLive, statusAt, type Task } from './tasks';

/** The server hands each operation the parsed JSON body; each operation types it as its SDK input. */
type Handler = (input: any) => unknown;


/** What every operation works on: the model, the task definitions, the region and RunTask's idempotency tokens. */
interface EcsOps {
  model: EcsModel;
  taskDefinitions: TaskDefinitionRegistry;
  region: string;
  clientTokens: Map<string, Task[]>;
  /** Brings the model up to the clock and answers the simulated now. */
  now: () => number;
}

export function ecsOperations(model: EcsModel, taskDefinitions: TaskDefinitionRegistry, region: string): Record<string, Handler> {
  const ops: EcsOps = {
    model,
    taskDefinitions,
    region,
    clientTokens: new Map(),
    now: () => {
      model.advance();
      return model.simNow();
    },
  };
  return {
    RegisterTaskDefinition: (input) => registerTaskDefinition(ops, input),
    DescribeTaskDefinition: (input) => describeTaskDefinition(ops, input),
    DeregisterTaskDefinition: (input) => deregisterTaskDefinition(ops, input),
    ListTaskDefinitions: (input) => listTaskDefinitions(ops, input),
    ListClusters: (input) => listClusters(ops, input),
    ListServices: (input) => listServices(ops, input),
    DescribeClusters: (input) => describeClusters(ops, input),
    DescribeServices: (input) => describeServices(ops, input),
    UpdateService: (input) => updateService(ops, input),
    ListServiceDeployments: (input) => listServiceDeployments(ops, input),
    DescribeServiceDeployments: (input) => describeServiceDeployments(ops, input),
    RunTask: (input) => runTask(ops, input),
    DescribeTasks: (input) => describeTasks(ops, input),
    StopTask: (input) => stopTask(ops, input),
    ListTasks: (input) => listTasks(ops, input),
  };
}

function registerTaskDefinition(ops: EcsOps, input: Wire<RegisterTaskDefinitionCommandInput>): Wire<RegisterTaskDefinitionCommandOutput> {
  const { taskDefinitions } = ops;
  const td = taskDefinitions.register(input);
  return { taskDefinition: taskDefinition(taskDefinitions.describe(td)), tags: td.tags.length ? td.tags : undefined };
}

function describeTaskDefinition(ops: EcsOps, input: Wire<DescribeTaskDefinitionCommandInput>): Wire<DescribeTaskDefinitionCommandOutput> {
  const { taskDefinitions } = ops;
  const td = taskDefinitions.resolve(input.taskDefinition);
  return { taskDefinition: taskDefinition(taskDefinitions.describe(td)), tags: input.include?.includes('TAGS') ? td.tags : undefined };
}

function deregisterTaskDefinition(ops: EcsOps, input: Wire<DeregisterTaskDefinitionCommandInput>): Wire<DeregisterTaskDefinitionCommandOutput> {
  const { taskDefinitions } = ops;
  return { taskDefinition: taskDefinition(taskDefinitions.describe(taskDefinitions.deregister(input.taskDefinition ?? ''))) };
}

function listTaskDefinitions(ops: EcsOps, input: Wire<ListTaskDefinitionsCommandInput>): Wire<ListTaskDefinitionsCommandOutput> {
  const { taskDefinitions } = ops;
  return taskDefinitions.list(input);
}

function listClusters(ops: EcsOps, input: Wire<ListClustersCommandInput>): Wire<ListClustersCommandOutput> {
  const { model } = ops;
  const arns = [...model.clusters.values()].map((cluster) => cluster.arn);
  return page(arns, input, 100, 'clusterArns');
}

function listServices(ops: EcsOps, input: Wire<ListServicesCommandInput>): Wire<ListServicesCommandOutput> {
  const { model, now } = ops;
  now();
  const cluster = model.cluster(input.cluster ?? 'default');
  // Every simulated service is a REPLICA service: a DAEMON filter finds none.
  if (input.schedulingStrategy === 'DAEMON') return { serviceArns: [] };
  const arns = [...model.services.values()]
    .filter((service) => service.cluster === cluster && service.status !== 'INACTIVE')
    .filter((service) => !input.launchType || service.placement.launchType === input.launchType)
    .map((service) => service.arn);
  return page(arns, input, 10, 'serviceArns');
}

function describeClusters(ops: EcsOps, input: Wire<DescribeClustersCommandInput>): Wire<DescribeClustersCommandOutput> {
  const { model, region, now } = ops;
  const at = now();
  const names: string[] = input.clusters?.length ? input.clusters : ['default'];
  const clusters = [];
  const failures = [];
  for (const reference of names) {
    const cluster = model.findCluster(reference);
    if (!cluster) {
      failures.push({ arn: reference.startsWith('arn:') ? reference : `arn:aws:ecs:${region}:${model.accountId}:cluster/${reference}`, reason: 'MISSING' });
      continue;
    }
    const tasks = model.tasks.filter((t) => t.clusterName === cluster.name && isLive(t, at));
    clusters.push({
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: tasks.filter((t) => statusAt(t, at) === 'RUNNING').length,
      pendingTasksCount: tasks.filter((t) => ['PROVISIONING', 'PENDING'].includes(statusAt(t, at))).length,
      activeServicesCount: [...model.services.values()].filter((s) => s.cluster === cluster && s.status === 'ACTIVE').length,
      statistics: [],
      tags: input.include?.includes('TAGS') ? cluster.tags : [],
      settings: [{ name: 'containerInsights' as const, value: 'disabled' }],
      capacityProviders: cluster.capacityProviders,
      defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
    });
  }
  return { clusters, failures };
}

function describeServices(ops: EcsOps, input: Wire<DescribeServicesCommandInput>): Wire<DescribeServicesCommandOutput> {
  const { model, region, now } = ops;
  now();
  const cluster = model.cluster(input.cluster);
  const references: string[] = input.services ?? [];
  if (!references.length || references.length > 10) throw invalidParameter('services must contain between 1 and 10 items.');
  const services = [];
  const failures = [];
  for (const reference of references) {
    const found = model.findService(cluster, reference);
    if (!found) {
      failures.push({ arn: reference.startsWith('arn:') ? reference : `arn:aws:ecs:${region}:${model.accountId}:service/${cluster.name}/${reference}`, reason: 'MISSING' });
      continue;
    }
    services.push(service(describeService(found, model.describeDeployments(found), input.include?.includes('TAGS') === true)));
  }
  return { services, failures };
}

function updateService(ops: EcsOps, input: Wire<UpdateServiceCommandInput>): Wire<UpdateServiceCommandOutput> {
  const { model } = ops;
  const updated = model.updateService(input);
  return { service: service(describeService(updated, model.describeDeployments(updated), false)) };
}

function listServiceDeployments(ops: EcsOps, input: Wire<ListServiceDeploymentsCommandInput>): Wire<ListServiceDeploymentsCommandOutput> {
  const { model, now } = ops;
  now();
  const cluster = model.cluster(input.cluster);
  const service = model.service(cluster, input.service);
  const statuses: string[] | undefined = input.status;
  const before: number | undefined = input.createdAt?.before === undefined ? undefined : input.createdAt.before * 1000;
  const after: number | undefined = input.createdAt?.after === undefined ? undefined : input.createdAt.after * 1000;
  const all = model
    .serviceDeploymentRecords(service)
    .filter(({ record }) => !statuses?.length || statuses.includes(record.status))
    .filter(({ record }) => (before === undefined || record.createdAt <= before) && (after === undefined || record.createdAt >= after));
  const offset = input.nextToken ? Number(input.nextToken) || 0 : 0;
  const limit = input.maxResults ?? 20;
  return {
    serviceDeployments: all.slice(offset, offset + limit).map(({ record }) => ({
      serviceDeploymentArn: record.arn,
      serviceArn: record.serviceArn,
      clusterArn: record.clusterArn,
      createdAt: seconds(record.createdAt),
      startedAt: seconds(record.startedAt),
      finishedAt: seconds(record.finishedAt),
      targetServiceRevisionArn: record.targetRevisionArn,
      status: record.status,
      statusReason: record.statusReason,
    })),
    nextToken: offset + limit < all.length ? String(offset + limit) : undefined,
  };
}

function describeServiceDeployments(ops: EcsOps, input: Wire<DescribeServiceDeploymentsCommandInput>): Wire<DescribeServiceDeploymentsCommandOutput> {
  const { model, now } = ops;
  now();
  const arns: string[] = input.serviceDeploymentArns ?? [];
  if (!arns.length || arns.length > 20) throw invalidParameter('serviceDeploymentArns must contain between 1 and 20 items.');
  const records = model.serviceDeploymentRecords();
  const serviceDeployments = [];
  const failures = [];
  for (const arn of arns) {
    const found = records.find(({ record }) => record.arn === arn);
    if (!found) {
      failures.push({ arn, reason: 'MISSING' });
      continue;
    }
    const { service, record } = found;
    serviceDeployments.push({
      serviceDeploymentArn: record.arn,
      serviceArn: record.serviceArn,
      clusterArn: record.clusterArn,
      createdAt: seconds(record.createdAt),
      startedAt: seconds(record.startedAt),
      finishedAt: seconds(record.finishedAt),
      stoppedAt: seconds(record.stoppedAt),
      updatedAt: seconds(record.updatedAt),
      sourceServiceRevisions: record.sources.map((source) => model.revisionCounts(service, source.revisionArn, source.requestedTaskCount)),
      targetServiceRevision: model.revisionCounts(service, record.targetRevisionArn, record.targetDesiredCount),
      status: record.status,
      statusReason: record.statusReason,
      deploymentConfiguration: record.deploymentConfiguration,
      rollback: record.rollback && { ...record.rollback, startedAt: seconds(record.rollback.startedAt) },
      deploymentCircuitBreaker: record.circuitBreaker,
    });
  }
  return { serviceDeployments, failures };
}

function runTask(ops: EcsOps, input: Wire<RunTaskCommandInput>): Wire<RunTaskCommandOutput> {
  const { model, taskDefinitions, region, clientTokens, now } = ops;
  const at = now();
  const cluster = model.cluster(input.cluster);
  if (input.clientToken && clientTokens.has(input.clientToken)) {
    return { tasks: clientTokens.get(input.clientToken)!.map((t) => task(describeTask(t, at, region))), failures: [] };
  }
  const { td, count } = checkRunTask(taskDefinitions, input);
  const usesProvider = input.capacityProviderStrategy?.length || (!input.launchType && cluster.defaultCapacityProviderStrategy.length);
  if (!input.launchType && !usesProvider) {
    // No launch type and no default strategy means EC2, and this simulated cluster has no instances.
    return { tasks: [], failures: [{ arn: cluster.arn, reason: 'No Container Instances were found in your cluster.' }] };
  }
  const tasks: Task[] = [];
  for (let i = 0; i < count; i++) {
    tasks.push(
      model.launch(
        {
          cluster,
          taskDefinition: td,
          group: input.group ?? `family:${td.family}`,
          startedBy: input.startedBy,
          placement: {
            launchType: input.launchType,
            capacityProviderStrategy: input.capacityProviderStrategy?.map((item) => ({ ...item, capacityProvider: item.capacityProvider ?? '' })),
            networkConfiguration: input.networkConfiguration,
            platformVersion: input.platformVersion,
          },
          overrides: input.overrides,
          tags: input.tags?.map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' })),
        },
        at,
      ),
    );
  }
  if (input.clientToken) clientTokens.set(input.clientToken, tasks);
  return { tasks: tasks.map((t) => task(describeTask(t, at, region))), failures: [] };
}

function describeTasks(ops: EcsOps, input: Wire<DescribeTasksCommandInput>): Wire<DescribeTasksCommandOutput> {
  const { model, region, now } = ops;
  const at = now();
  const cluster = model.cluster(input.cluster);
  const references: string[] = input.tasks ?? [];
  if (!references.length || references.length > 100) throw invalidParameter('tasks must contain between 1 and 100 items.');
  const tasks = [];
  const failures = [];
  for (const reference of references) {
    const found = model.findTask(cluster, reference);
    if (found) tasks.push(task(withTags(describeTask(found, at, region), input.include?.includes('TAGS') === true)));
    else failures.push({ arn: reference, reason: 'MISSING' });
  }
  return { tasks, failures };
}

function stopTask(ops: EcsOps, input: Wire<StopTaskCommandInput>): Wire<StopTaskCommandOutput> {
  const { model, region, now } = ops;
  const at = now();
  const cluster = model.cluster(input.cluster);
  const stopped = typeof input.task === 'string' ? model.findTask(cluster, input.task) : undefined;
  if (!stopped) throw invalidParameter('The referenced task was not found.');
  model.stop(stopped, at, 'UserInitiated', input.reason ?? 'Task stopped by user');
  model.advance();
  return { task: task(describeTask(stopped, at, region)) };
}

function listTasks(ops: EcsOps, input: Wire<ListTasksCommandInput>): Wire<ListTasksCommandOutput> {
  const { model, now } = ops;
  const at = now();
  const cluster = model.cluster(input.cluster);
  if (input.serviceName) model.service(cluster, input.serviceName);
  const desired = input.desiredStatus ?? 'RUNNING';
  const all = model.tasks.filter(
    (t) =>
      t.clusterName === cluster.name &&
      (isLive(t, at) ? desired === 'RUNNING' : desired === 'STOPPED') &&
      (!input.serviceName || t.serviceName === arnResource(input.serviceName)) &&
      (!input.family || t.taskDefinition.family === input.family) &&
      (!input.startedBy || t.startedBy === input.startedBy) &&
      (!input.launchType || t.placement.launchType === input.launchType),
  );
  const offset = input.nextToken ? Number(input.nextToken) || 0 : 0;
  const limit = input.maxResults ?? 100;
  return { taskArns: all.slice(offset, offset + limit).map((t) => t.arn), nextToken: offset + limit < all.length ? String(offset + limit) : undefined };
}

/** RunTask's input checks, in the order ECS makes them: the task definition and the task count to launch. */
function checkRunTask(taskDefinitions: TaskDefinitionRegistry, input: Wire<RunTaskCommandInput>): { td: TaskDefinition; count: number } {
  const td = typeof input.taskDefinition === 'string' ? taskDefinitions.find(input.taskDefinition) : undefined;
  if (!td) throw clientException('TaskDefinition not found.');
  if (td.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
  if (input.launchType && input.capacityProviderStrategy?.length) {
    throw invalidParameter('Specifying both a launch type and capacity provider strategy is not supported.');
  }
  const count: number = input.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10) throw invalidParameter('count must be between 1 and 10.');
  if (td.input.networkMode === 'awsvpc' && !input.networkConfiguration?.awsvpcConfiguration) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  for (const override of input.overrides?.containerOverrides ?? []) {
    if (override.name && !td.containerDefinitions.some((c) => c.name === override.name)) {
      throw invalidParameter(`Override for container named ${override.name} is not a container in the TaskDefinition.`);
    }
  }
  return { td, count };
}

/** A List* answer: `maxResults` (1 to 100) a page, `nextToken` the offset of the next page. */
function page(arns: string[], input: { maxResults?: number; nextToken?: string }, defaultSize: number, key: string): Record<string, unknown> {
  const size = input.maxResults ?? defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw invalidParameter('maxResults must be between 1 and 100.');
  const offset = input.nextToken ? Number(input.nextToken) || 0 : 0;
  return { [key]: arns.slice(offset, offset + size), nextToken: offset + size < arns.length ? String(offset + size) : undefined };
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function withTags<T extends { tags?: unknown }>(task: T, include: boolean): T {
  return include ? task : { ...task, tags: undefined };
}

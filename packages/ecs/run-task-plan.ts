/**
 * What a one-off task will be, resolved with read-only calls before anything starts: the task
 * definition (the service's, unless overridden), the container whose command is replaced and whose
 * exit code decides, and where the task runs (copied from the service). Every mistake a user can make
 * here is an InputError naming the input, raised before RunTask.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ContainerDefinition,
  type ECSClient,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { InputError } from '../action-kit';
import { aws, AwsCallError } from '../aws';
import { resolvePlacement, type NetworkOverrides, type TaskPlacement } from './task-network';

export interface RunTaskRequest {
  cluster: string;
  /** Service to copy the task definition and placement from. */
  service?: string;
  /** Task definition (family, family:revision or ARN) overriding the service's. */
  taskDefinition?: string;
  /** Container to override; required when the task definition has several. */
  container?: string;
  command: string[];
  network: NetworkOverrides;
}

export interface RunTaskPlan {
  cluster: string;
  service?: string;
  /** The exact revision that will run (a family alone resolves to its latest ACTIVE revision). */
  taskDefinitionArn: string;
  /** `family:revision`, for people. */
  taskDefinitionName: string;
  container: ContainerDefinition;
  containerNames: string[];
  command: string[];
  placement: TaskPlacement;
}

export async function planRunTask(ecs: ECSClient, request: RunTaskRequest): Promise<RunTaskPlan> {
  const service = request.service ? await describeService(ecs, request.cluster, request.service) : undefined;

  const reference = request.taskDefinition ?? service?.taskDefinition;
  if (!reference) {
    throw new InputError('task-definition', 'is empty and no service was given', `set 'service' to copy its task definition, or 'task-definition' (family:revision or ARN)`);
  }
  const taskDefinition = await describeTaskDefinition(ecs, reference, request.taskDefinition !== undefined);
  const containers = taskDefinition.containerDefinitions ?? [];
  const container = chooseContainer(containers, request.container, taskDefinitionName(taskDefinition));
  const placement = resolvePlacement(service, request.network, taskDefinition.networkMode);

  return {
    cluster: request.cluster,
    service: service?.serviceName,
    taskDefinitionArn: taskDefinition.taskDefinitionArn ?? reference,
    taskDefinitionName: taskDefinitionName(taskDefinition),
    container,
    containerNames: containers.map((c) => c.name ?? ''),
    command: request.command,
    placement,
  };
}

async function describeService(ecs: ECSClient, cluster: string, name: string): Promise<Service> {
  const response = await aws('ecs:DescribeServices', ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).catch((error: unknown) => {
    throw clusterInputError(error, cluster);
  });
  const service = response.services?.[0];
  if (!service || service.status === 'INACTIVE') {
    const reason = response.failures?.[0]?.reason ?? service?.status ?? 'not found';
    throw new InputError('service', `is '${name}', which cluster '${cluster}' does not have (${reason})`, `use the name of an ACTIVE service of '${cluster}', or check 'cluster'`);
  }
  return service;
}

async function describeTaskDefinition(ecs: ECSClient, reference: string, fromInput: boolean): Promise<TaskDefinition> {
  try {
    const response = await aws('ecs:DescribeTaskDefinition', ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference })));
    if (!response.taskDefinition) throw new InputError('task-definition', `is '${reference}', which ECS did not return`, 'use family:revision or an ARN');
    return response.taskDefinition;
  } catch (error) {
    // ECS answers an unknown task definition with a ClientException; name the input it came from.
    if (fromInput && error instanceof AwsCallError && error.code === 'ClientException') {
      throw new InputError('task-definition', `is '${reference}', which ECS cannot describe (${(error.cause as Error).message})`, 'use an existing family:revision or task definition ARN');
    }
    throw error;
  }
}

/** ECS's ClusterNotFoundException as an error naming the input; anything else unchanged. */
export function clusterInputError(error: unknown, cluster: string): unknown {
  if (error instanceof AwsCallError && error.code === 'ClusterNotFoundException') {
    return new InputError('cluster', `is '${cluster}', which ECS does not know in this account and region`, 'use an existing cluster name or ARN (check AWS_REGION too)');
  }
  return error;
}

function chooseContainer(containers: ContainerDefinition[], wanted: string | undefined, definition: string): ContainerDefinition {
  const names = containers.map((c) => `'${c.name}'`).join(', ');
  if (wanted !== undefined) {
    const match = containers.find((c) => c.name === wanted);
    if (!match) throw new InputError('container', `is '${wanted}', which is not a container of ${definition}`, `use one of ${names}`);
    return match;
  }
  if (containers.length === 1) return containers[0];
  throw new InputError('container', `is empty but ${definition} has ${containers.length} containers`, `set it to the one that runs the command: ${names}`);
}

function taskDefinitionName(taskDefinition: TaskDefinition): string {
  return taskDefinition.family && taskDefinition.revision !== undefined ? `${taskDefinition.family}:${taskDefinition.revision}` : (taskDefinition.taskDefinitionArn ?? '?');
}

/**
 * The service as ecs-deploy and wait-stable need it: found, ACTIVE, in an ACTIVE cluster, and rolled
 * out by the ECS deployment controller. Anything else is refused with a sentence that says why, before
 * the first change (a CODE_DEPLOY service is rolled out by CodeDeploy, which this engine does not drive).
 */
import { DescribeClustersCommand, DescribeServicesCommand, type Deployment, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { ActionError, InputError } from '../action-kit';
import { AwsCallError, aws } from '../aws';

export interface ServiceTarget {
  cluster: string;
  service: string;
}

/** Names of the inputs to blame, so errors point at the right `with:` line. */
export interface TargetInputNames {
  cluster?: string;
  service?: string;
}

/** DescribeServices for one service; `undefined` when ECS reports it MISSING. */
export async function describeService(ecs: ECSClient, cluster: string, service: string): Promise<Service | undefined> {
  const answer = await aws('ecs:DescribeServices', ecs.send(new DescribeServicesCommand({ cluster, services: [service] })));
  return answer.services?.[0];
}

/** DescribeServices for up to 10 services per call (the API's limit), keyed by the name asked for. */
export async function describeServices(ecs: ECSClient, cluster: string, services: string[]): Promise<Map<string, Service | undefined>> {
  const result = new Map<string, Service | undefined>();
  for (let i = 0; i < services.length; i += 10) {
    const batch = services.slice(i, i + 10);
    const answer = await aws('ecs:DescribeServices', ecs.send(new DescribeServicesCommand({ cluster, services: batch })));
    for (const name of batch) {
      result.set(name, answer.services?.find((s) => s.serviceName === name || s.serviceArn === name));
    }
  }
  return result;
}

/** Throws an InputError naming `cluster` unless the cluster exists and is ACTIVE. */
async function validateCluster(ecs: ECSClient, cluster: string, names: TargetInputNames = {}): Promise<void> {
  const input = names.cluster ?? 'cluster';
  const answer = await aws('ecs:DescribeClusters', ecs.send(new DescribeClustersCommand({ clusters: [cluster] })));
  const found = answer.clusters?.[0];
  if (!found) {
    throw new InputError(input, `is '${cluster}', which does not exist in this account and region`, 'check the name (e.g. connect2-api-cluster-dev) and AWS_REGION');
  }
  if (found.status !== 'ACTIVE') {
    throw new InputError(input, `is '${cluster}', whose status is ${found.status}`, 'deploy to an ACTIVE cluster');
  }
}

/**
 * DescribeServices for the services a step targets, the cluster described only to explain a failure:
 * ECS answers a missing cluster with ClusterNotFoundException and a service it does not know as MISSING,
 * so a good target costs one request (the cluster's status is then said by DescribeClusters, naming the
 * cluster input, before the caller names the service).
 */
export async function describeTargetServices(ecs: ECSClient, cluster: string, services: string[], names: TargetInputNames = {}): Promise<Map<string, Service | undefined>> {
  let described: Map<string, Service | undefined>;
  try {
    described = await describeServices(ecs, cluster, services);
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'ClusterNotFoundException') await validateCluster(ecs, cluster, names);
    throw error;
  }
  if (services.some((name) => !described.get(name))) await validateCluster(ecs, cluster, names);
  return described;
}

/**
 * Describes and validates the target service: it exists, is ACTIVE and uses the ECS deployment
 * controller. Returns the service as described.
 */
export async function validateService(ecs: ECSClient, target: ServiceTarget, names: TargetInputNames = {}): Promise<Service> {
  const input = names.service ?? 'service';
  const service = (await describeTargetServices(ecs, target.cluster, [target.service], names)).get(target.service);
  if (!service) {
    throw new InputError(input, `is '${target.service}', which does not exist in cluster '${target.cluster}'`, 'check the name (e.g. connect2-api-service-dev) and the cluster');
  }
  checkServiceSupported(service, target, input);
  return service;
}

/** Refuses services this engine cannot deploy or watch. */
export function checkServiceSupported(service: Service, target: ServiceTarget, input = 'service'): void {
  if (service.status !== 'ACTIVE') {
    throw new InputError(input, `is '${target.service}', whose status is ${service.status} (being deleted or deleted)`, 'use an ACTIVE service');
  }
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') {
    throw new ActionError(
      `Service '${target.service}' uses the ${controller} deployment controller, which is not supported: this action drives rolling updates of the ECS deployment controller. ` +
        (controller === 'CODE_DEPLOY'
          ? 'Deploy it with aws-actions/amazon-ecs-deploy-task-definition (codedeploy-appspec) or switch the service to the ECS controller.'
          : 'Deploy it with the tool that owns its task sets.'),
    );
  }
}

/** The PRIMARY deployment (the one ECS is rolling towards). */
export function primaryDeployment(service: Service): Deployment | undefined {
  return service.deployments?.find((d) => d.status === 'PRIMARY');
}

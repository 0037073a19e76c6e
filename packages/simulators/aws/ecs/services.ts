/**
 * ECS clusters, services and deployments as data, and their API shapes. The behaviour (launching,
 * draining, the circuit breaker) lives in the scheduler; this module only says what they look like.
 */
import type { TaskDefinition } from './task-definitions';

export interface Cluster {
  name: string;
  arn: string;
  capacityProviders: string[];
  defaultCapacityProviderStrategy: CapacityProviderItem[];
  tags: { key: string; value: string }[];
}

export interface CapacityProviderItem {
  capacityProvider: string;
  weight?: number;
  base?: number;
}

export interface DeploymentConfiguration {
  deploymentCircuitBreaker?: { enable: boolean; rollback: boolean };
  maximumPercent?: number;
  minimumHealthyPercent?: number;
  [key: string]: unknown;
}

export interface Placement {
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderItem[];
  networkConfiguration?: unknown;
  platformVersion?: string;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** How a deployment ended, for ListServiceDeployments / DescribeServiceDeployments. */
export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: TaskDefinition;
  desiredCount: number;
  placement: Placement;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** The deployment this one rolls back (set on circuit-breaker rollbacks). */
  rollbackOf?: string;
  /** The service revision this deployment runs (a rollback runs the revision it returns to). */
  revisionArn: string;
  /** The service-deployment record (ARN and history) of this deployment. */
  record: ServiceDeploymentRecord;
}

/**
 * A service deployment as the ListServiceDeployments / DescribeServiceDeployments APIs see it. A
 * circuit-breaker rollback shares the record of the deployment it rolls back.
 */
export interface ServiceDeploymentRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: number;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  /** Revisions running when the deployment started (and their task counts then). */
  sources: { revisionArn: string; requestedTaskCount: number }[];
  targetRevisionArn: string;
  targetDesiredCount: number;
  circuitBreaker: { status: 'TRIGGERED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'DISABLED'; failureCount: number; threshold: number };
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  deploymentConfiguration: DeploymentConfiguration;
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface Service {
  arn: string;
  name: string;
  cluster: Cluster;
  createdAt: number;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  placement: Placement;
  deploymentController: { type: string };
  deploymentConfiguration: DeploymentConfiguration;
  /** False: a service from before rolloutState existed (deployments omit it). */
  reportsRolloutState: boolean;
  /** PRIMARY first. Drained deployments are removed, as ECS does. */
  deployments: Deployment[];
  /** Every deployment ever made except rollbacks, oldest first, for the service-deployment APIs. */
  history: Deployment[];
  events: ServiceEvent[];
  /** The task definition of the last deployment that completed: the circuit breaker's rollback target. */
  lastCompleted?: Deployment;
  tags: { key: string; value: string }[];
  [extra: string]: unknown;
}

/** ECS's documented circuit-breaker failure threshold. */
export function failureThreshold(desiredCount: number): number {
  return Math.max(3, Math.min(200, Math.ceil(0.5 * desiredCount)));
}

export interface DeploymentCounts {
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export function describeDeployment(service: Service, d: Deployment, counts: DeploymentCounts) {
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition.taskDefinitionArn,
    desiredCount: d.desiredCount,
    pendingCount: counts.pendingCount,
    runningCount: counts.runningCount,
    failedTasks: counts.failedTasks,
    createdAt: seconds(d.createdAt),
    updatedAt: seconds(d.updatedAt),
    launchType: d.placement.launchType,
    capacityProviderStrategy: d.placement.capacityProviderStrategy,
    platformVersion: d.placement.platformVersion ?? (isFargate(service, d.placement) ? 'LATEST' : undefined),
    platformFamily: isFargate(service, d.placement) ? 'Linux' : undefined,
    networkConfiguration: d.placement.networkConfiguration,
    rolloutState: service.reportsRolloutState ? d.rolloutState : undefined,
    rolloutStateReason: service.reportsRolloutState ? d.rolloutStateReason : undefined,
  };
}

export function describeService(service: Service, deployments: ReturnType<typeof describeDeployment>[], includeTags: boolean) {
  const primary = service.deployments[0];
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.cluster.arn,
    status: service.status,
    desiredCount: primary?.desiredCount ?? 0,
    // As in ECS, the service counts every task it runs, old deployments' included.
    runningCount: deployments.reduce((sum, d) => sum + d.runningCount, 0),
    pendingCount: deployments.reduce((sum, d) => sum + d.pendingCount, 0),
    launchType: primary?.placement.launchType,
    capacityProviderStrategy: primary?.placement.capacityProviderStrategy,
    platformVersion: deployments[0]?.platformVersion,
    platformFamily: deployments[0]?.platformFamily,
    taskDefinition: primary?.taskDefinition.taskDefinitionArn,
    deploymentConfiguration: service.deploymentConfiguration,
    deploymentController: service.deploymentController,
    deployments,
    events: service.events.map((e) => ({ id: e.id, createdAt: seconds(e.createdAt), message: e.message })),
    createdAt: seconds(service.createdAt),
    createdBy: `arn:aws:iam::${service.arn.split(':')[4]}:role/connect2-terraform`,
    networkConfiguration: primary?.placement.networkConfiguration,
    loadBalancers: [],
    serviceRegistries: [],
    placementConstraints: [],
    placementStrategy: [],
    schedulingStrategy: 'REPLICA',
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'DISABLED',
    tags: includeTags ? service.tags : undefined,
  };
}

function isFargate(service: Service, placement: Placement): boolean {
  if (placement.launchType) return placement.launchType === 'FARGATE';
  const strategy = placement.capacityProviderStrategy ?? service.cluster.defaultCapacityProviderStrategy;
  return strategy.some((s) => s.capacityProvider.startsWith('FARGATE'));
}

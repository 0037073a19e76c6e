/**
 * Where a one-off task runs: network configuration, launch type or capacity provider strategy, and
 * platform version. Copied from the service so a migration reaches the database exactly like the
 * service does, with explicit inputs overriding field by field.
 *
 * RunTask accepts a launch type or a capacity provider strategy, never both; with neither it uses
 * the cluster's default capacity provider strategy. Sending `launchType: FARGATE` for a service that
 * runs on capacity providers (or the cluster default) is the bug of aws-actions #793, so a launch type
 * is sent only when the service has one.
 */
import type {
  AwsVpcConfiguration,
  CapacityProviderStrategyItem,
  LaunchType,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  Service,
} from '@aws-sdk/client-ecs';
import { InputError } from '../action-kit';

export type AssignPublicIp = 'ENABLED' | 'DISABLED';

/** Explicit network inputs; each one that is set replaces the service's value. */
export interface NetworkOverrides {
  subnets?: string[];
  securityGroups?: string[];
  assignPublicIp?: AssignPublicIp;
  /** A launch type replacing the service's launch type or capacity provider strategy. */
  launchType?: LaunchType;
}

/** The placement part of a RunTask request. */
export interface TaskPlacement {
  networkConfiguration?: NetworkConfiguration;
  launchType?: LaunchType;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  /** EC2 only: the service's placement rules (Fargate services have none, and Fargate refuses them). */
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
}

/** Input names of the overrides, so errors name what the user wrote. */
export interface NetworkInputNames {
  subnets: string;
  securityGroups: string;
  assignPublicIp: string;
}

const DEFAULT_NAMES: NetworkInputNames = { subnets: 'subnets', securityGroups: 'security-groups', assignPublicIp: 'assign-public-ip' };

/**
 * The placement of a task of `networkMode` (from its task definition), from the service when there is
 * one, then the overrides. Throws an InputError when an awsvpc task would have no subnets.
 */
export function resolvePlacement(
  service: Service | undefined,
  overrides: NetworkOverrides,
  networkMode: string | undefined,
  names: NetworkInputNames = DEFAULT_NAMES,
): TaskPlacement {
  const placement: TaskPlacement = {};

  if (overrides.launchType) {
    placement.launchType = overrides.launchType;
  } else if (service?.capacityProviderStrategy && service.capacityProviderStrategy.length > 0) {
    placement.capacityProviderStrategy = service.capacityProviderStrategy.map(({ capacityProvider, weight, base }) => ({ capacityProvider, weight, base }));
  } else if (service?.launchType) {
    placement.launchType = service.launchType;
  }
  // Only Fargate has platform versions; the service reports one only when it runs there.
  if (service?.platformVersion && (!overrides.launchType || overrides.launchType === 'FARGATE')) placement.platformVersion = service.platformVersion;

  // An EC2 service may pin its tasks (instance type, AZ spread); the migration goes where they go.
  if (overrides.launchType !== 'FARGATE') {
    if (service?.placementConstraints?.length) placement.placementConstraints = service.placementConstraints;
    if (service?.placementStrategy?.length) placement.placementStrategy = service.placementStrategy;
  }

  const fromService = service?.networkConfiguration?.awsvpcConfiguration;
  const awsvpc: AwsVpcConfiguration = {
    subnets: overrides.subnets ?? fromService?.subnets,
    securityGroups: overrides.securityGroups ?? fromService?.securityGroups,
    assignPublicIp: overrides.assignPublicIp ?? fromService?.assignPublicIp,
  };
  const anyNetwork = awsvpc.subnets !== undefined || awsvpc.securityGroups !== undefined || awsvpc.assignPublicIp !== undefined;

  if (networkMode === 'awsvpc' || anyNetwork) {
    if (!awsvpc.subnets || awsvpc.subnets.length === 0) {
      const why = networkMode === 'awsvpc' ? 'the task definition uses the awsvpc network mode' : 'network settings were given';
      const where = service ? `the service ${service.serviceName} has no awsvpc configuration` : 'no service was given';
      throw new InputError(names.subnets, `is empty but ${why} and ${where}`, `set '${names.subnets}' (comma separated subnet IDs) or 'service'`);
    }
    placement.networkConfiguration = {
      awsvpcConfiguration: Object.fromEntries(Object.entries(awsvpc).filter(([, value]) => value !== undefined)) as AwsVpcConfiguration,
    };
  }
  return placement;
}

/** One line for logs and the summary, e.g. `FARGATE (LATEST) in subnet-a, subnet-b; sg-1; public IP DISABLED`. */
export function describePlacement(placement: TaskPlacement): string {
  const capacity = placement.capacityProviderStrategy
    ? `capacity providers ${placement.capacityProviderStrategy.map((item) => `${item.capacityProvider}${item.weight !== undefined ? ` (weight ${item.weight}${item.base ? `, base ${item.base}` : ''})` : ''}`).join(', ')}`
    : placement.launchType
      ? `launch type ${placement.launchType}`
      : "the cluster's default capacity provider strategy";
  const parts = [capacity + (placement.platformVersion ? `, platform ${placement.platformVersion}` : '')];
  const vpc = placement.networkConfiguration?.awsvpcConfiguration;
  if (vpc) {
    parts.push(`subnets ${vpc.subnets?.join(', ')}`);
    if (vpc.securityGroups?.length) parts.push(`security groups ${vpc.securityGroups.join(', ')}`);
    if (vpc.assignPublicIp) parts.push(`public IP ${vpc.assignPublicIp}`);
  }
  return parts.join('; ');
}

/**
 * All three clients at once, for the simulator's tests (not exported by the package index: product code
 * builds only the clients it uses with the per-service factories, so its bundle stays small).
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awsRegion, type AwsClientOptions } from './client-config';
import { createEcrClient } from './ecr-client';
import { createEcsClient } from './ecs-client';
import { createLogsClient } from './logs-client';

export { DEFAULT_MAX_ATTEMPTS } from './client-config';

export interface AwsClients {
  region: string;
  ecs: ECSClient;
  ecr: ECRClient;
  logs: CloudWatchLogsClient;
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const region = options.region ?? awsRegion(options.env);
  const resolved = { ...options, region };
  return { region, ecs: createEcsClient(resolved), ecr: createEcrClient(resolved), logs: createLogsClient(resolved) };
}

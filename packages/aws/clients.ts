/**
 * One factory for the AWS clients. Region comes from the environment (as
 * aws-actions/configure-aws-credentials sets it), retries use the SDK's adaptive mode (client-side
 * rate limiting on throttling), and the standard endpoint variables point the clients anywhere,
 * e.g. at the local simulator.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ActionError } from '../action-kit/errors';

export interface AwsClients {
  region: string;
  ecs: ECSClient;
  ecr: ECRClient;
  logs: CloudWatchLogsClient;
}

export interface AwsClientOptions {
  /** Attempts per call, first included (the `max-attempts` input). */
  maxAttempts?: number;
  region?: string;
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_MAX_ATTEMPTS = 10;

export function awsRegion(env: NodeJS.ProcessEnv = process.env): string {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ActionError('No AWS region: AWS_REGION is not set; set it with aws-actions/configure-aws-credentials (aws-region) or the job env.');
  }
  return region;
}

/** Endpoint for one service: the service-specific variable first, then AWS_ENDPOINT_URL. */
export function awsEndpoint(service: 'ECS' | 'ECR' | 'CLOUDWATCH_LOGS', env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const env = options.env ?? process.env;
  const region = options.region ?? awsRegion(env);
  const common = { region, maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, retryMode: 'adaptive' as const };
  return {
    region,
    ecs: new ECSClient({ ...common, endpoint: awsEndpoint('ECS', env) }),
    ecr: new ECRClient({ ...common, endpoint: awsEndpoint('ECR', env) }),
    logs: new CloudWatchLogsClient({ ...common, endpoint: awsEndpoint('CLOUDWATCH_LOGS', env) }),
  };
}

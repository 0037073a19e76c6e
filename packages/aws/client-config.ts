/**
 * How every AWS client of the bundle is configured. Region comes from the environment (as
 * aws-actions/configure-aws-credentials sets it), retries use the SDK's adaptive mode (client-side
 * rate limiting on throttling), and the standard endpoint variables point the clients anywhere,
 * e.g. at the local simulator. Each service has its own factory module so that a bundle carries
 * only the SDK clients its action uses.
 */
import { ActionError } from '../action-kit';

export type AwsService = 'ECS' | 'ECR' | 'CLOUDWATCH_LOGS';

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
function awsEndpoint(service: AwsService, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** The configuration object every SDK client constructor of the bundle receives. */
export function awsClientConfig(service: AwsService, options: AwsClientOptions = {}) {
  const env = options.env ?? process.env;
  return {
    region: options.region ?? awsRegion(env),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive' as const,
    endpoint: awsEndpoint(service, env),
  };
}

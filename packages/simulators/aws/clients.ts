/**
 * Real SDK clients pointed at the simulator, configured as packages/aws configures them (adaptive
 * retries, max attempts) but with the simulator's static credentials instead of the provider chain,
 * which would read the test process's own environment.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DEFAULT_MAX_ATTEMPTS } from '../../aws';

/** The three clients the tests talk to the simulator with. */
export interface AwsClients {
  region: string;
  ecs: ECSClient;
  ecr: ECRClient;
  logs: CloudWatchLogsClient;
}

export interface SimulatorEnv {
  AWS_ENDPOINT_URL: string;
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_EC2_METADATA_DISABLED: 'true';
}

export function simulatorClients(env: SimulatorEnv, options: { maxAttempts?: number } = {}): AwsClients {
  const config = {
    region: env.AWS_REGION,
    endpoint: env.AWS_ENDPOINT_URL,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive' as const,
  };
  return { region: env.AWS_REGION, ecs: new ECSClient(config), ecr: new ECRClient(config), logs: new CloudWatchLogsClient(config) };
}

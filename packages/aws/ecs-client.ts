import { ECSClient } from '@aws-sdk/client-ecs';
import { awsClientConfig, type AwsClientOptions } from './client-config';

export function createEcsClient(options: AwsClientOptions = {}): ECSClient {
  return new ECSClient(awsClientConfig('ECS', options));
}

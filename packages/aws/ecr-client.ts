import { ECRClient } from '@aws-sdk/client-ecr';
import { awsClientConfig, type AwsClientOptions } from './client-config';

export function createEcrClient(options: AwsClientOptions = {}): ECRClient {
  return new ECRClient(awsClientConfig('ECR', options));
}

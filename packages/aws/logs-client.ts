import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awsClientConfig, type AwsClientOptions } from './client-config';

export function createLogsClient(options: AwsClientOptions = {}): CloudWatchLogsClient {
  return new CloudWatchLogsClient(awsClientConfig('CLOUDWATCH_LOGS', options));
}

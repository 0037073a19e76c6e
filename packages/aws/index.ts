export { awsRegion, DEFAULT_MAX_ATTEMPTS } from './client-config';
export { createEcsClient } from './ecs-client';
export { createEcrClient } from './ecr-client';
export { createLogsClient } from './logs-client';
export { aws, AwsCallError, isAccessDenied, isExpiredCredentials, isThrottling } from './errors';
export { arnResource, shortArn } from './arn';

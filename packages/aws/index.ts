export { createAwsClients, awsRegion, awsEndpoint, DEFAULT_MAX_ATTEMPTS } from './clients';
export type { AwsClients, AwsClientOptions } from './clients';
export { aws, AwsCallError, awsErrorCode, isAccessDenied, isExpiredCredentials, isThrottling } from './errors';

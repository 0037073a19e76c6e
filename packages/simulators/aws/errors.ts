/**
 * Errors as the AWS JSON 1.1 protocol returns them. The SDK maps `__type` to its exception classes
 * and the HTTP status to its retry decisions (429/5xx and throttling codes are retried), so both
 * must be right for the clients to behave as they do against AWS.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const clientException = (message: string) => new AwsServiceError('ClientException', message);
export const invalidParameter = (message: string) => new AwsServiceError('InvalidParameterException', message);
export const clusterNotFound = () => new AwsServiceError('ClusterNotFoundException', 'Cluster not found.');
export const serviceNotFound = () => new AwsServiceError('ServiceNotFoundException', 'Service not found.');
export const unknownOperation = (target: string) =>
  new AwsServiceError('UnknownOperationException', `The simulator does not implement the operation ${target || '(no x-amz-target header)'}.`);

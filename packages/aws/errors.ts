/**
 * AWS errors with their real cause. An AccessDenied or an expired credential is said as such, naming
 * the permission, and is never retried into a "timed out".
 */
import { ActionError } from '../action-kit';

const ACCESS_DENIED = ['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException'];
const EXPIRED = ['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'InvalidClientTokenId', 'TokenRefreshRequired'];
const THROTTLING = ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded'];

/** The AWS error code (`__type` without namespace) of an SDK error. */
function awsErrorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const candidate = (error as { name?: unknown; Code?: unknown }).name ?? (error as { Code?: unknown }).Code;
  return typeof candidate === 'string' ? candidate.split('#').pop() : undefined;
}

export const isAccessDenied = (error: unknown) => ACCESS_DENIED.includes(awsErrorCode(error) ?? '');
export const isExpiredCredentials = (error: unknown) => EXPIRED.includes(awsErrorCode(error) ?? '');
export const isThrottling = (error: unknown) => THROTTLING.includes(awsErrorCode(error) ?? '');

/** A failed AWS call: which permission, what AWS said, what to do. */
export class AwsCallError extends ActionError {
  readonly code: string | undefined;
  readonly permission: string;

  constructor(permission: string, error: unknown) {
    const code = awsErrorCode(error);
    const said = error instanceof Error ? error.message : String(error);
    super(describe(permission, code, said), { cause: error });
    this.code = code;
    this.permission = permission;
  }

  /** True for errors that waiting will not fix. */
  get fatal(): boolean {
    return isAccessDenied(this.cause) || isExpiredCredentials(this.cause);
  }
}

function describe(permission: string, code: string | undefined, said: string): string {
  if (isAccessDenied({ name: code })) {
    return `${permission} was denied (${code}): ${said} Grant ${permission} to the role the job assumes.`;
  }
  if (isExpiredCredentials({ name: code })) {
    return `AWS credentials expired during ${permission} (${code}): ${said} Re-run the job or raise role-duration-seconds in aws-actions/configure-aws-credentials.`;
  }
  return `${permission} failed${code ? ` (${code})` : ''}: ${said}`;
}

/**
 * Awaits an SDK call and rethrows its error as an AwsCallError naming the permission, e.g.
 * `await aws('ecs:DescribeServices', ecs.send(new DescribeServicesCommand(...)))`.
 */
export async function aws<T>(permission: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof AwsCallError) throw error;
    throw new AwsCallError(permission, error);
  }
}

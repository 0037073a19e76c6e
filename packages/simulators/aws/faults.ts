/**
 * Faults on demand: throttling, server errors, latency, AccessDenied, expired credentials and
 * connection resets, for one operation or all, a fraction of the time (seeded, reproducible), a
 * number of times, or only after a while on the simulator's clock (credentials expiring mid-deploy).
 */
import type { Clock } from '../../action-kit';
import { AwsServiceError } from './errors';
import { seededRandom } from './random';
import type { AwsServiceName } from './request-log';

export type FaultKind = 'throttle' | 'server-error' | 'latency' | 'access-denied' | 'expired-token' | 'reset';

export interface FaultSpec {
  kind: FaultKind;
  /** `DescribeServices` or `ecs:DescribeServices`; default every operation. */
  operation?: string;
  /** Fraction of matching calls (default 1). */
  rate?: number;
  /** At most this many times (default unlimited). */
  count?: number;
  /** Only from this long after injection, on the simulator's clock. */
  afterMs?: number;
  /** For `latency`: real milliseconds added before answering (default 200). */
  latencyMs?: number;
}

export interface FaultHandle {
  remove(): void;
  /** How many calls this fault has hit so far. */
  readonly hits: number;
}

/** What the server does for a request a fault hit. */
export type FaultAction =
  | { type: 'error'; error: AwsServiceError }
  | { type: 'delay'; ms: number }
  | { type: 'reset' };

interface ActiveFault {
  spec: FaultSpec;
  since: number;
  hits: number;
}

const ACTION_PREFIX: Record<AwsServiceName, string> = { ecs: 'ecs', ecr: 'ecr', logs: 'logs', sts: 'sts' };

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private readonly random: () => number;

  constructor(
    private readonly clock: Clock,
    private readonly accountId: string,
    seed = 42,
  ) {
    this.random = seededRandom(seed);
  }

  inject(spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { spec, since: this.clock.now(), hits: 0 };
    this.faults.push(fault);
    return {
      remove: () => {
        this.faults = this.faults.filter((f) => f !== fault);
      },
      get hits() {
        return fault.hits;
      },
    };
  }

  clear(): void {
    this.faults = [];
  }

  /** The faults that hit this call, in injection order (latency first, then at most one failure). */
  decide(service: AwsServiceName, operation: string): FaultAction[] {
    const actions: FaultAction[] = [];
    for (const fault of this.faults) {
      const { spec } = fault;
      if (!matches(spec.operation, service, operation)) continue;
      if (spec.count !== undefined && fault.hits >= spec.count) continue;
      if (spec.afterMs !== undefined && this.clock.now() - fault.since < spec.afterMs) continue;
      // Draw only for fractional rates, so rate-1 faults never shift the sequence of others.
      const rate = spec.rate ?? 1;
      if (rate < 1 && this.random() >= rate) continue;
      fault.hits += 1;
      if (spec.kind === 'latency') {
        actions.push({ type: 'delay', ms: spec.latencyMs ?? 200 });
        continue;
      }
      actions.push(spec.kind === 'reset' ? { type: 'reset' } : { type: 'error', error: this.errorFor(spec.kind, service, operation) });
      break;
    }
    return actions;
  }

  private errorFor(kind: Exclude<FaultKind, 'latency' | 'reset'>, service: AwsServiceName, operation: string): AwsServiceError {
    switch (kind) {
      case 'throttle':
        return new AwsServiceError('ThrottlingException', 'Rate exceeded');
      case 'server-error':
        return service === 'logs'
          ? new AwsServiceError('ServiceUnavailableException', 'The service is unavailable. Please try again later.', 503)
          : new AwsServiceError('ServerException', 'Service encountered an internal error. Please try again.', 500);
      case 'access-denied':
        return new AwsServiceError(
          'AccessDeniedException',
          `User: arn:aws:sts::${this.accountId}:assumed-role/connect2-deploy/gha is not authorized to perform: ${ACTION_PREFIX[service]}:${operation} on resource: * because no identity-based policy allows the ${ACTION_PREFIX[service]}:${operation} action`,
        );
      case 'expired-token':
        return new AwsServiceError('ExpiredTokenException', 'The security token included in the request is expired');
    }
  }
}

function matches(filter: string | undefined, service: AwsServiceName, operation: string): boolean {
  if (!filter) return true;
  if (!filter.includes(':')) return filter === operation;
  const [prefix, name] = filter.split(':', 2);
  return name === operation && ACTION_PREFIX[service] === prefix;
}

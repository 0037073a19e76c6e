/** Every request the simulator answered, for assertions ("was anything changed?", "how many retries?"). */
export type AwsServiceName = 'ecs' | 'ecr' | 'logs' | 'sts';

export interface RecordedRequest {
  service: AwsServiceName;
  operation: string;
  /** The parsed JSON body the client sent (the form parameters, for the Query protocol). */
  body: any;
  status: number;
  /** The `__type` of an error answer, or 'ConnectionReset' when the socket was destroyed. */
  errorType?: string;
  /** Clock time (ms) when the request arrived. */
  at: number;
}

/** Operations that change state. Rejected attempts are recorded too: check `status` to tell. */
const MUTATING = /^(Register|Deregister|Update|Run|Stop|Create|Delete|Put|Start|Tag|Untag|BatchDelete|Submit)/;

export class RequestLog {
  readonly entries: RecordedRequest[] = [];

  record(entry: RecordedRequest): void {
    this.entries.push(entry);
  }

  /** Calls of one operation, named `UpdateService` or `ecs:UpdateService`. */
  calls(operation: string): RecordedRequest[] {
    const [service, name] = operation.includes(':') ? operation.split(':', 2) : [undefined, operation];
    return this.entries.filter((entry) => entry.operation === name && (!service || entry.service === service));
  }

  mutating(): RecordedRequest[] {
    return this.entries.filter((entry) => MUTATING.test(entry.operation));
  }

  clear(): void {
    this.entries.length = 0;
  }
}

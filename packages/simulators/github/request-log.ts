/**
 * Every request the simulator answered, for assertions: what was called, with what, and what came
 * back. "Mutating" follows what changes GitHub: REST writes and GraphQL mutations (a GraphQL query
 * is a POST but changes nothing).
 */

export interface RequestLogEntry {
  method: string;
  /** Pathname, percent-decoded (`/repos/o/r/git/ref/tags/v1.0.0`). */
  path: string;
  /** The query string without `?` ('' when none). */
  query: string;
  status: number;
  /** The parsed JSON request body (undefined when none). */
  body: unknown;
  /** Clock time of the request (ms). */
  at: number;
  mutating: boolean;
  /** For POST /graphql: the operation type and its root fields. */
  graphql?: { type: string; fields: string[] };
  /** Set when an injected fault answered. */
  fault?: 'rate-limit' | 'server-error';
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  mutating(): RequestLogEntry[] {
    return this.entries.filter((entry) => entry.mutating);
  }

  /** Entries by method and path (a string is a prefix, a RegExp is tested). */
  calls(method?: string, path?: string | RegExp): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (!method || entry.method === method.toUpperCase()) &&
        (path === undefined || (typeof path === 'string' ? entry.path.startsWith(path) : path.test(entry.path))),
    );
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/**
 * CloudWatch Logs: groups, streams and events written by the ECS model's tasks. Events carry the
 * clock time they are written at and become visible when the clock reaches it, so a tailer polling
 * GetLogEvents sees lines arrive as the task runs. Times here are epoch milliseconds, as in the API.
 */
import type { Clock } from '../../action-kit';
import { FilterPatternError, matchesFilterPattern, parseFilterPattern } from '../../ecs';
import { AwsServiceError, invalidParameter } from './errors';

interface LogEvent {
  timestamp: number;
  message: string;
}

interface LogStream {
  name: string;
  creationTime: number;
  events: LogEvent[];
}

interface LogGroup {
  name: string;
  creationTime: number;
  streams: Map<string, LogStream>;
}

const DEFAULT_LIMIT = 10_000;

export class LogsModel {
  private readonly groups = new Map<string, LogGroup>();

  constructor(
    private readonly clock: Clock,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  seedGroup(name: string, creationTime = this.clock.now()): void {
    if (!this.groups.has(name)) this.groups.set(name, { name, creationTime, streams: new Map() });
  }

  /** True when the group exists now. */
  hasGroup(name: string): boolean {
    const group = this.groups.get(name);
    return group !== undefined && group.creationTime <= this.clock.now();
  }

  /** Creates a stream that appears at `creationTime` (a task reaching RUNNING). */
  createStream(group: string, stream: string, creationTime: number): void {
    this.seedGroup(group, creationTime);
    const g = this.groups.get(group)!;
    if (!g.streams.has(stream)) g.streams.set(stream, { name: stream, creationTime, events: [] });
  }

  /** Writes events that become visible when the clock reaches their timestamps. */
  write(group: string, stream: string, events: LogEvent[]): void {
    const s = this.groups.get(group)?.streams.get(stream);
    if (!s) throw new Error(`simulator: log stream ${group}/${stream} was not created`);
    s.events.push(...events);
    s.events.sort((a, b) => a.timestamp - b.timestamp);
  }

  /** Removes a stream that will never appear (its task stopped before it ran). */
  discardStream(group: string, stream: string): void {
    this.groups.get(group)?.streams.delete(stream);
  }

  /** Drops events after `at` (the task was stopped before it could write them). */
  truncate(group: string, stream: string, at: number): void {
    const s = this.groups.get(group)?.streams.get(stream);
    if (s) s.events = s.events.filter((e) => e.timestamp <= at);
  }

  private group(input: any): LogGroup {
    const name = groupName(input);
    const now = this.clock.now();
    const group = this.groups.get(name);
    if (!group || group.creationTime > now) throw new AwsServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  private visibleStreams(group: LogGroup): LogStream[] {
    const now = this.clock.now();
    return [...group.streams.values()].filter((s) => s.creationTime <= now);
  }

  private visibleEvents(stream: LogStream): LogEvent[] {
    const now = this.clock.now();
    return stream.events.filter((e) => e.timestamp <= now);
  }

  describeLogGroups(input: any) {
    const now = this.clock.now();
    const prefix: string | undefined = input.logGroupNamePrefix;
    const pattern: string | undefined = input.logGroupNamePattern;
    if (prefix && pattern) throw invalidParameter('logGroupNamePrefix and logGroupNamePattern are mutually exclusive.');
    const limit = input.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw invalidParameter('limit must be between 1 and 50.');
    const groups = [...this.groups.values()]
      .filter((g) => g.creationTime <= now && (!prefix || g.name.startsWith(prefix)) && (!pattern || g.name.toLowerCase().includes(pattern.toLowerCase())))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const offset = input.nextToken ? Number(input.nextToken) || 0 : 0;
    const arn = `arn:aws:logs:${this.region}:${this.accountId}:log-group:`;
    return {
      logGroups: groups.slice(offset, offset + limit).map((g) => ({
        logGroupName: g.name,
        creationTime: g.creationTime,
        metricFilterCount: 0,
        arn: `${arn}${g.name}:*`,
        storedBytes: 0,
        logGroupClass: 'STANDARD',
        logGroupArn: `${arn}${g.name}`,
      })),
      nextToken: offset + limit < groups.length ? String(offset + limit) : undefined,
    };
  }

  getLogEvents(input: any) {
    const group = this.group(input);
    const stream = group.streams.get(input.logStreamName);
    if (!stream || stream.creationTime > this.clock.now()) {
      throw new AwsServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
    }
    const events = this.visibleEvents(stream).filter(
      (e) => (input.startTime === undefined || e.timestamp >= input.startTime) && (input.endTime === undefined || e.timestamp < input.endTime),
    );
    const limit = Math.min(input.limit ?? DEFAULT_LIMIT, DEFAULT_LIMIT);
    const token: string | undefined = input.nextToken;
    let start: number;
    let end: number;
    if (token) {
      const position = parseToken(token, events.length);
      if (token.startsWith('b/')) {
        end = position;
        start = Math.max(0, end - limit);
      } else {
        start = position;
        end = Math.min(events.length, start + limit);
      }
    } else if (input.startFromHead) {
      start = 0;
      end = Math.min(events.length, limit);
    } else {
      end = events.length;
      start = Math.max(0, end - limit);
    }
    const page = events.slice(start, end);
    return {
      events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp })),
      // At the end of the stream CloudWatch answers the token it was given: that is how clients
      // know they have caught up.
      nextForwardToken: token?.startsWith('f/') && page.length === 0 ? token : formatToken('f', end),
      nextBackwardToken: token?.startsWith('b/') && page.length === 0 ? token : formatToken('b', start),
    };
  }

  filterLogEvents(input: any) {
    const match = patternMatcher(input.filterPattern);
    const group = this.group(input);
    const names: string[] | undefined = input.logStreamNames;
    const prefix: string | undefined = input.logStreamNamePrefix;
    if (names?.length && prefix) throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive.');
    const streams = this.visibleStreams(group).filter((s) => (!names?.length || names.includes(s.name)) && (!prefix || s.name.startsWith(prefix)));
    const all = streams
      .flatMap((s) => this.visibleEvents(s).map((e, index) => ({ ...e, logStreamName: s.name, index })))
      .filter((e) => (input.startTime === undefined || e.timestamp >= input.startTime) && (input.endTime === undefined || e.timestamp <= input.endTime))
      .filter((e) => match(e.message))
      .sort((a, b) => a.timestamp - b.timestamp || a.logStreamName.localeCompare(b.logStreamName) || a.index - b.index);
    const offset = input.nextToken ? parseToken(input.nextToken, all.length) : 0;
    const limit = Math.min(input.limit ?? DEFAULT_LIMIT, DEFAULT_LIMIT);
    const page = all.slice(offset, offset + limit);
    return {
      events: page.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.timestamp,
        eventId: `${e.timestamp}${String(e.index).padStart(20, '0')}`,
      })),
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
      nextToken: offset + limit < all.length ? formatToken('n', offset + limit) : undefined,
    };
  }

  describeLogStreams(input: any) {
    const group = this.group(input);
    const prefix: string | undefined = input.logStreamNamePrefix;
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (prefix && orderBy === 'LastEventTime') throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const streams = this.visibleStreams(group)
      .filter((s) => !prefix || s.name.startsWith(prefix))
      .map((s) => ({ stream: s, events: this.visibleEvents(s) }));
    streams.sort((a, b) =>
      orderBy === 'LastEventTime'
        ? (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0)
        : a.stream.name.localeCompare(b.stream.name),
    );
    if (input.descending) streams.reverse();
    const offset = input.nextToken ? parseToken(input.nextToken, streams.length) : 0;
    const limit = Math.min(input.limit ?? 50, 50);
    const page = streams.slice(offset, offset + limit);
    return {
      logStreams: page.map(({ stream, events }) => ({
        logStreamName: stream.name,
        creationTime: stream.creationTime,
        firstEventTimestamp: events[0]?.timestamp,
        lastEventTimestamp: events.at(-1)?.timestamp,
        lastIngestionTime: events.at(-1)?.timestamp,
        arn: `arn:aws:logs:${this.region}:${this.accountId}:log-group:${group.name}:log-stream:${stream.name}`,
        storedBytes: 0,
      })),
      nextToken: offset + limit < streams.length ? formatToken('n', offset + limit) : undefined,
    };
  }
}

/** `logGroupName`, or `logGroupIdentifier` (a name or an ARN). */
function groupName(input: any): string {
  const id: string | undefined = input.logGroupName ?? input.logGroupIdentifier;
  if (!id) throw invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');
  const arn = /^arn:aws[^:]*:logs:[^:]*:[^:]*:log-group:([^:]+)/.exec(id);
  return arn ? arn[1] : id;
}

// Tokens look like CloudWatch's (`f/` + 56 digits); the digits are a position in the stream.
function formatToken(kind: 'f' | 'b' | 'n', position: number): string {
  return `${kind}/${String(position).padStart(56, '0')}`;
}

function parseToken(token: string, length: number): number {
  const match = /^[fbn]\/(\d+)$/.exec(token);
  if (!match) throw invalidParameter('The specified nextToken is invalid.');
  return Math.min(Number(match[1]), length);
}

/**
 * CloudWatch's filter pattern rules for unstructured lines (terms, `?` any, `-` none, quoted phrases,
 * `%regex%`); a pattern CloudWatch rejects is its InvalidParameterException. JSON and space-delimited
 * patterns are valid in CloudWatch but not modelled here: the simulator says so rather than guess.
 */
function patternMatcher(pattern: string | undefined): (message: string) => boolean {
  let parsed;
  try {
    parsed = parseFilterPattern(pattern ?? '');
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter(error.message);
    throw error;
  }
  if (parsed.kind === 'structured') throw invalidParameter('simulator: JSON and space-delimited filter patterns are not modelled; use terms, ?terms, -terms, quoted phrases or %regex%.');
  return (message) => matchesFilterPattern(parsed, message);
}

/**
 * The runbook's "no errors in CloudWatch logs": FilterLogEvents over the service's log group(s) with
 * the error pattern, from the rollout's start on. CloudWatch does the matching (the pattern is its
 * filter pattern); this reads every page (nextToken until none), remembers the events it has seen so a
 * later read from the newest timestamp does not count a line twice, and keeps the matches. Matches that
 * tasks of another revision logged are not counted (log-attribution.ts), and the log says so.
 *
 * Faults: throttling and 5xx are retried by the SDK client (adaptive mode); one that outlasts the
 * retries leaves the read for the next poll, with a warning once. The final read of a bake must
 * succeed: a watch that could not read the end of the logs cannot say there were no errors. AccessDenied
 * and expired credentials fail at once, naming logs:FilterLogEvents. A log group that does not exist is
 * a failure too: the watch would be blind.
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { ActionError, errorMessage, type Logger } from '../action-kit';
import { aws, AwsCallError } from '../aws';
import { redactLine } from './redact';

export interface LogMatch {
  group: string;
  stream: string;
  timestamp: number;
  /** Redacted and cut short. */
  message: string;
}

export interface LogWatchOptions {
  logs: CloudWatchLogsClient;
  groups: string[];
  pattern: string;
  /** Epoch ms: lines before this are not read (the rollout's start). */
  sinceMs: number;
  log: Logger;
  /** Pages per group per poll (default 20); the final read reads them all. */
  maxPagesPerPoll?: number;
  /** Matches kept (default 20); more are counted. */
  keep?: number;
  /** The matches not to count (another revision's tasks logged them: log-attribution.ts); none by default. */
  notCounted?: (matches: LogMatch[]) => Promise<LogMatch[]>;
}

export class LogWatch {
  private readonly from = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly warned = new Set<string>();
  readonly matches: LogMatch[] = [];
  /** Every match, including those past `keep`. */
  matchCount = 0;
  /** FilterLogEvents calls made (pages). */
  calls = 0;
  /** Matches not counted: logged by tasks of another revision. */
  notCountedCount = 0;

  constructor(private readonly options: LogWatchOptions) {
    for (const group of options.groups) this.from.set(group, options.sinceMs);
  }

  /** Reads what is new; returns the new matches. A throttled or failing read waits for the next poll. */
  async poll(): Promise<LogMatch[]> {
    return this.readAll(this.options.maxPagesPerPoll ?? 20, false);
  }

  /** Reads to the end; throws when it cannot (the last lines are the ones a bake is about). */
  async final(): Promise<LogMatch[]> {
    return this.readAll(Number.POSITIVE_INFINITY, true);
  }

  private async readAll(maxPages: number, mustFinish: boolean): Promise<LogMatch[]> {
    const found: LogMatch[] = [];
    for (const group of this.options.groups) {
      try {
        found.push(...(await this.readGroup(group, maxPages)));
      } catch (error) {
        if (!(error instanceof AwsCallError)) throw error;
        if (error.code === 'ResourceNotFoundException') {
          throw new ActionError(`The log group ${group} does not exist, so no errors could be looked for: set log-group to the group the service logs to, or log-error-pattern to '' to turn the log watch off.`);
        }
        if (error.fatal || mustFinish) throw error;
        this.warnOnce(`Could not read ${group} (retrying at the next poll): ${errorMessage(error)}`);
      }
    }
    return found;
  }

  private async readGroup(group: string, maxPages: number): Promise<LogMatch[]> {
    const found: LogMatch[] = [];
    let token: string | undefined;
    const startTime = this.from.get(group)!;
    let newest = startTime;
    for (let page = 0; page < maxPages; page++) {
      this.calls++;
      const answer = await aws(
        'logs:FilterLogEvents',
        this.options.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: this.options.pattern, startTime, nextToken: token })),
      );
      const fresh = (answer.events ?? []).map((event) => this.fresh(group, event)).filter((match): match is LogMatch => match !== undefined);
      const skipped = new Set(fresh.length && this.options.notCounted ? await this.options.notCounted(fresh) : []);
      for (const match of fresh) if (!skipped.has(match)) found.push(this.count(match));
      if (skipped.size) this.skip([...skipped]);
      for (const event of answer.events ?? []) newest = Math.max(newest, event.timestamp ?? 0);
      token = answer.nextToken;
      if (!token) break;
    }
    // The next read starts at the newest timestamp seen (inclusive: lines of the same millisecond may
    // still arrive); the ids seen keep those already counted out.
    this.from.set(group, newest);
    return found;
  }

  /** The event as a match, unless an earlier read already saw it. */
  private fresh(group: string, event: FilteredLogEvent): LogMatch | undefined {
    const id = `${group}\u0000${event.logStreamName}\u0000${event.eventId ?? `${event.timestamp}:${event.message}`}`;
    if (this.seen.has(id)) return undefined;
    this.seen.add(id);
    return { group, stream: event.logStreamName ?? '', timestamp: event.timestamp ?? 0, message: redactLine(event.message ?? '') };
  }

  private count(match: LogMatch): LogMatch {
    this.matchCount++;
    if (this.matches.length < (this.options.keep ?? 20)) this.matches.push(match);
    return match;
  }

  /** Says, in the log, which matches were not counted and why (the first of them, redacted). */
  private skip(matches: LogMatch[]): void {
    this.notCountedCount += matches.length;
    this.options.log.info(`Not counted: ${matches.length} line(s) matching '${this.options.pattern}' logged by tasks of another task definition than the one verified (${matches[0].stream}: ${matches[0].message}).`);
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.options.log.warning(message);
  }
}

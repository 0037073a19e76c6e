/**
 * Follows one CloudWatch Logs stream with GetLogEvents and forward tokens (no FilterLogEvents, no
 * live tail session: GetLogEvents is the one permission the README asks for and it pages in order).
 *
 * CloudWatch's protocol: the first call reads from the head; each response carries
 * `nextForwardToken`; when there is nothing new, the response returns the token it was given. So
 * "caught up" is "the token repeated", and a drain after the task stopped reads until it does, which
 * is how the last lines (usually the error) are not lost.
 *
 * The stream does not exist until the container starts, so ResourceNotFound means "not yet". Logs
 * are secondary to the task's outcome: a denied or failing GetLogEvents is reported once as a
 * warning and never fails or orphans the task.
 */
import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type Clock, errorMessage } from '../action-kit';
import { aws, AwsCallError } from '../aws';

export interface LogTailOptions {
  logs: CloudWatchLogsClient;
  group: string;
  stream: string;
  /** Called once per line, in order. */
  onLine(line: string): void;
  /** Called once when the logs cannot be read (e.g. logs:GetLogEvents denied). */
  onWarning(message: string): void;
  /** How many of the last lines to keep for errors and the summary. */
  keepLast?: number;
  /** Pages read per poll while the task runs, so a chatty task does not starve the task poll. */
  maxPagesPerPoll?: number;
}

export interface DrainOptions {
  clock: Clock;
  /** How long to wait for a stream that does not exist yet (0 when the container never ran). */
  waitForStreamMs: number;
  intervalMs?: number;
}

/** Reads of a drain when the stream exists but reading it fails. */
const DRAIN_ATTEMPTS = 3;

export class LogTail {
  private token: string | undefined;
  private disabled = false;
  private streamSeen = false;
  private missingGroup = false;
  private readonly kept: string[] = [];
  private readonly warned = new Set<string>();
  private readonly keepLast: number;
  private readonly maxPages: number;
  /** Lines printed so far. */
  lineCount = 0;

  constructor(private readonly options: LogTailOptions) {
    this.keepLast = options.keepLast ?? 30;
    this.maxPages = options.maxPagesPerPoll ?? 20;
  }

  /** The last lines read, oldest first. */
  get lastLines(): string[] {
    return [...this.kept];
  }

  /**
   * True when the last read found that the log group itself does not exist (CloudWatch's
   * ResourceNotFoundException says "log group", not "log stream"): nothing will ever be written there.
   */
  get groupMissing(): boolean {
    return this.missingGroup;
  }

  /** True once the stream has been found. */
  get found(): boolean {
    return this.streamSeen;
  }

  /** Reads what is new now, up to maxPagesPerPoll pages. Never throws. */
  async poll(): Promise<void> {
    await this.read(this.maxPages);
  }

  /**
   * Reads until the token repeats, waiting a little for a stream that does not exist yet and retrying
   * a failed read twice (the last lines are the ones that matter). Never throws.
   */
  async drain(options: DrainOptions): Promise<void> {
    const started = options.clock.now();
    const interval = options.intervalMs ?? 1000;
    for (let attempt = 1; ; attempt++) {
      const caughtUp = await this.read(Number.POSITIVE_INFINITY);
      if (caughtUp || this.disabled) return;
      const giveUp = this.streamSeen ? attempt >= DRAIN_ATTEMPTS : options.clock.now() - started >= options.waitForStreamMs;
      if (giveUp) return;
      await options.clock.sleep(interval);
    }
  }

  /** True when caught up (token repeated); false when the stream is missing or reading failed. */
  private async read(maxPages: number): Promise<boolean> {
    if (this.disabled) return false;
    for (let page = 0; page < maxPages; page++) {
      let response;
      try {
        response = await aws(
          'logs:GetLogEvents',
          this.options.logs.send(
            new GetLogEventsCommand({
              logGroupName: this.options.group,
              logStreamName: this.options.stream,
              startFromHead: true,
              nextToken: this.token,
            }),
          ),
        );
      } catch (error) {
        if (error instanceof AwsCallError && error.code === 'ResourceNotFoundException') {
          this.missingGroup = /log group/i.test(error.cause instanceof Error ? error.cause.message : '');
          return false;
        }
        if (error instanceof AwsCallError && error.fatal) {
          this.disabled = true;
          this.options.onWarning(`${error.message} The task's logs are not streamed; its outcome is still reported.`);
          return false;
        }
        // Throttling and 5xx were already retried by the client; try again at the next poll.
        this.warnOnce(`Could not read the task's logs (retrying at the next poll): ${errorMessage(error)}`);
        return false;
      }
      this.streamSeen = true;
      this.missingGroup = false;
      for (const event of response.events ?? []) this.emit(event.message ?? '');
      const previous = this.token;
      this.token = response.nextForwardToken ?? previous;
      if (this.token === previous) return true;
    }
    return false;
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.options.onWarning(message);
  }

  private emit(message: string): void {
    for (const line of message.replace(/\r?\n$/, '').split(/\r?\n/)) {
      this.lineCount++;
      this.kept.push(line);
      if (this.kept.length > this.keepLast) this.kept.shift();
      this.options.onLine(line);
    }
  }
}

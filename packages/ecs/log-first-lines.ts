/**
 * The first lines the services logged since the rollout started (uvicorn's "Application startup
 * complete", say), for wait-stable's summary: what the new code printed as it came up, next to the
 * verdict, without opening CloudWatch. One FilterLogEvents page per group (no pattern, up to 50 lines
 * since the rollout started). The old tasks keep logging (health checks) while the new ones start, so
 * the lines are shown by stream, the stream that began logging last first: that is a new task's
 * start-up. Redacted and cut short like the log watch's matches. Best effort: a read that fails is a
 * warning, never the step's failure (the log watch decides that), and costs no retry loop of its own.
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { errorMessage, type Logger } from '../action-kit';
import { aws } from '../aws';
import type { LogMatch } from './log-watch';
import { redactLine } from './redact';

/** Lines shown per log group: enough for a start-up, short enough for a summary. */
export const FIRST_LINES_PER_GROUP = 10;
/** Lines read per group (one page). */
const LINES_READ = 50;

export async function firstLogLines(logs: CloudWatchLogsClient, groups: string[], sinceMs: number, log: Logger): Promise<{ lines: LogMatch[]; calls: number }> {
  const lines: LogMatch[] = [];
  let calls = 0;
  for (const group of groups) {
    calls++;
    try {
      const answer = await aws('logs:FilterLogEvents', logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: sinceMs, limit: LINES_READ })));
      const read = (answer.events ?? []).map((event) => ({ group, stream: event.logStreamName ?? '', timestamp: event.timestamp ?? 0, message: redactLine(event.message ?? '') }));
      lines.push(...newestStreamsFirst(read).slice(0, FIRST_LINES_PER_GROUP));
    } catch (error) {
      log.warning(`Could not read the first log lines of ${group} for the summary: ${errorMessage(error)}`);
    }
  }
  return { lines, calls };
}

/** The lines grouped by stream, in time order within each; the stream whose first line came last first. */
function newestStreamsFirst(lines: LogMatch[]): LogMatch[] {
  const byStream = new Map<string, LogMatch[]>();
  for (const line of lines) byStream.set(line.stream, [...(byStream.get(line.stream) ?? []), line]);
  return [...byStream.values()].sort((a, b) => b[0].timestamp - a[0].timestamp).flat();
}

/**
 * The first lines the new tasks logged (uvicorn's "Application startup complete", say), for
 * wait-stable's summary: what the new code printed as it came up, next to the verdict, without opening
 * CloudWatch. One FilterLogEvents page per group (no pattern, up to 50 lines since the rollout started).
 * The old tasks log too in that window (health checks, their shut-down), so the lines kept are those of
 * the streams of the tasks running now (awslogs names a stream prefix/container/task-id), found with one
 * ListTasks per service; when that cannot be asked, the first lines of the window. Redacted and cut
 * short like the log watch's matches. Best effort: a read that fails is a warning, never the step's
 * failure (the log watch decides that).
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { errorMessage, type Logger } from '../action-kit';
import { arnResource, aws } from '../aws';
import type { EcsContext } from './context';
import type { LogMatch } from './log-watch';
import { redactLine } from './redact';

/** Lines shown per log group: enough for a start-up, short enough for a summary. */
export const FIRST_LINES_PER_GROUP = 10;
/** Lines read per group (one page). */
const LINES_READ = 50;

export interface FirstLinesOptions {
  logs: CloudWatchLogsClient;
  groups: string[];
  sinceMs: number;
  /** The ids of the tasks running now (the new ones, once the rollout completed); empty: no choice by stream. */
  taskIds: Set<string>;
  log: Logger;
}

export async function firstLogLines(options: FirstLinesOptions): Promise<LogMatch[]> {
  const lines: LogMatch[] = [];
  for (const group of options.groups) {
    try {
      const answer = await aws('logs:FilterLogEvents', options.logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: options.sinceMs, limit: LINES_READ })));
      const read = (answer.events ?? []).map((event) => ({ group, stream: event.logStreamName ?? '', timestamp: event.timestamp ?? 0, message: redactLine(event.message ?? '') }));
      const ofRunningTasks = read.filter((line) => options.taskIds.has(line.stream.split('/').at(-1) ?? ''));
      lines.push(...(ofRunningTasks.length ? ofRunningTasks : read).slice(0, FIRST_LINES_PER_GROUP));
    } catch (error) {
      options.log.warning(`Could not read the first log lines of ${group} for the summary: ${errorMessage(error)}`);
    }
  }
  return lines;
}

/** The ids of the services' RUNNING tasks (one ListTasks page each); none when ECS cannot be asked. */
export async function runningTaskIds(ctx: EcsContext, cluster: string, services: string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const service of services) {
    try {
      const answer = await aws('ecs:ListTasks', ctx.ecs.send(new ListTasksCommand({ cluster, serviceName: arnResource(service), desiredStatus: 'RUNNING' })));
      for (const arn of answer.taskArns ?? []) ids.add(arn.split('/').at(-1) ?? '');
    } catch (error) {
      ctx.log.debug(`ListTasks of ${service} for the summary's log lines: ${errorMessage(error)}`);
    }
  }
  return ids;
}

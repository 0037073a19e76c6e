/**
 * Where a container's logs are: the awslogs driver writes each task's output to the stream
 * `<awslogs-stream-prefix>/<container name>/<task id>` of `awslogs-group` in `awslogs-region`.
 * Without a stream prefix the stream is named after the Docker container ID, which nobody can know
 * in advance, so such logs cannot be followed.
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { arnResource } from '../aws';

export interface LogStreamTarget {
  group: string;
  region: string;
  stream: string;
  url: string;
}

/** Why a container's logs cannot be followed, or where they are. */
export type LogTargetResult = { target: LogStreamTarget } | { reason: string };

/** The stream of `taskArn`'s `container`, from its awslogs options; `defaultRegion` when none is set. */
export function logStreamTarget(container: ContainerDefinition, taskArn: string, defaultRegion: string): LogTargetResult {
  const config = container.logConfiguration;
  if (!config) return { reason: `container ${container.name} has no logConfiguration` };
  if (config.logDriver !== 'awslogs') return { reason: `container ${container.name} logs with ${config.logDriver}, not awslogs` };
  const options = config.options ?? {};
  const group = options['awslogs-group'];
  const prefix = options['awslogs-stream-prefix'];
  if (!group) return { reason: `container ${container.name} has no awslogs-group` };
  if (!prefix) return { reason: `container ${container.name} has no awslogs-stream-prefix, so its stream is named after the Docker container ID` };
  const region = options['awslogs-region'] || defaultRegion;
  const stream = `${prefix}/${container.name}/${arnResource(taskArn)}`;
  return { target: { group, region, stream, url: logsConsoleUrl(region, group, stream) } };
}

/**
 * CloudWatch console link to a stream. The console's fragment encodes names twice with `$` standing
 * for `%` (a `/` is `$252F`).
 */
export function logsConsoleUrl(region: string, group: string, stream: string): string {
  const encode = (value: string) => encodeURIComponent(encodeURIComponent(value)).replace(/%/g, '$');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${encode(group)}/log-events/${encode(stream)}`;
}

/**
 * The bake: after the services are stable, `durationMs` of watching before the release is called
 * good. Each poll is one DescribeServices for all services and one FilterLogEvents read per log group.
 * A service task that stops (ECS says "has stopped N running tasks", or fewer tasks run than desired)
 * is looked up (ListTasks + DescribeTasks, only then) and fails the bake with its stop reason; another
 * deployment starting (someone deployed or rolled back) fails it too; so does a log line matching the
 * error pattern. The first failure ends the bake at once.
 */
import type { Service } from '@aws-sdk/client-ecs';
import type { EcsContext } from './context';
import type { LogMatch, LogWatch } from './log-watch';
import { describeServices } from './service';
import { describeStoppedTasks, summarizeStoppedTasks, type StoppedTask } from './stopped-tasks';

export interface BakeService {
  name: string;
  /** The deployment that won the rollout. */
  deploymentId?: string;
}

export interface BakeOptions {
  cluster: string;
  services: BakeService[];
  durationMs: number;
  intervalMs: number;
  watch?: LogWatch;
  signal?: AbortSignal;
}

export interface BakeResult {
  ok: boolean;
  failure?: string;
  elapsedMs: number;
  polls: number;
  describeCalls: number;
  stoppedTasks: StoppedTask[];
  logMatches: LogMatch[];
}

const STOPPED_EVENT = /has stopped \d+ running tasks?/;

export async function bake(ctx: EcsContext, options: BakeOptions): Promise<BakeResult> {
  const start = ctx.clock.now();
  const result: BakeResult = { ok: true, elapsedMs: 0, polls: 0, describeCalls: 0, stoppedTasks: [], logMatches: [] };
  ctx.log.info(`Baking ${options.services.map((s) => s.name).join(', ')} for ${Math.round(options.durationMs / 1000)}s: tasks, deployments${options.watch ? ' and logs' : ''} watched.`);
  while (result.ok) {
    const left = options.durationMs - (ctx.clock.now() - start);
    if (left <= 0) break;
    await ctx.clock.sleep(Math.min(options.intervalMs, left), options.signal ?? ctx.signal);
    result.polls++;
    await pollOnce(ctx, options, start, result);
  }
  result.elapsedMs = ctx.clock.now() - start;
  return result;
}

async function pollOnce(ctx: EcsContext, options: BakeOptions, start: number, result: BakeResult): Promise<void> {
  result.describeCalls++;
  const described = await describeServices(ctx.ecs, options.cluster, options.services.map((s) => s.name));
  for (const target of options.services) {
    const failure = await serviceFailure(ctx, options.cluster, target, described.get(target.name), start, result);
    if (failure) return fail(result, failure);
  }
  const matches = (await options.watch?.poll()) ?? [];
  result.logMatches.push(...matches);
  if (matches.length) fail(result, `a log line matched the error pattern during the bake: ${matches[0].message}`);
}

function fail(result: BakeResult, failure: string): void {
  result.ok = false;
  result.failure = failure;
}

/** Why this service fails the bake now, or undefined while it holds. */
async function serviceFailure(ctx: EcsContext, cluster: string, target: BakeService, service: Service | undefined, start: number, result: BakeResult): Promise<string | undefined> {
  if (!service || service.status !== 'ACTIVE') return `${target.name} is ${service?.status ?? 'gone'}`;
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  if (target.deploymentId && primary?.id !== target.deploymentId) {
    return `${target.name}: another deployment (${primary?.id ?? 'none'}, ${primary?.taskDefinition ?? 'unknown revision'}) replaced ${target.deploymentId} during the bake`;
  }
  const stopEvent = (service.events ?? []).some((e) => (e.createdAt?.getTime() ?? 0) >= start && STOPPED_EVENT.test(e.message ?? ''));
  const short = (service.runningCount ?? 0) < (service.desiredCount ?? 0);
  if (!stopEvent && !short) return undefined;
  // Tasks of the old revision drained at the end of the rollout are expected to stop; the new ones are not.
  const stopped = await describeStoppedTasks(ctx.ecs, { cluster, serviceName: target.name, taskDefinitionArn: primary?.taskDefinition, sinceMs: start, limit: 5 });
  if (stopped.length === 0) return undefined;
  result.stoppedTasks.push(...stopped);
  return `${target.name}: a task stopped during the bake: ${summarizeStoppedTasks(stopped).join('; ')}`;
}

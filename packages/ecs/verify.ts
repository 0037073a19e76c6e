/**
 * wait-stable's verification after the rollout, the runbook's "key API endpoints verified" and "no
 * errors in CloudWatch logs": the verify URLs once the services are stable, the log watch from the
 * rollout's start, the bake, then the verify URLs again. The first failure decides; the result says
 * which URL, which stopped task or which log line (redacted, short).
 */
import { DescribeTaskDefinitionCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { aws } from '../aws';
import { bake, type BakeService } from './bake';
import type { EcsContext } from './context';
import { firstLogLines, runningTaskIds } from './log-first-lines';
import { LogAttribution } from './log-attribution';
import { LogWatch, type LogMatch } from './log-watch';
import { runChecks, type CheckResult, type VerifyCheck } from './verify-checks';

export interface VerifyService extends BakeService {
  /** The running task definition (its awslogs groups are the default log groups). */
  taskDefinitionArn?: string;
  /** When its rollout started (epoch ms): the log watch reads from the earliest of these. */
  rolloutStartMs: number;
}

export interface VerifyOptions {
  cluster: string;
  services: VerifyService[];
  checks: VerifyCheck[];
  bakeMs: number;
  intervalMs: number;
  /** The log watch; absent or an empty pattern turns it off. */
  logs?: { client: CloudWatchLogsClient; pattern: string; group?: string };
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Attempts per verify URL (default 3) and the delay between them (default 2 s). */
  checkAttempts?: number;
  checkRetryDelayMs?: number;
}

export interface Verification {
  status: 'passed' | 'failed' | 'skipped';
  failure?: string;
  checks: CheckResult[];
  bake: { seconds: number; polls: number; describeServicesCalls: number; filterLogEventsCalls: number; stoppedTasks: string[] };
  logGroups: string[];
  logMatches: LogMatch[];
  /** Matches in all, including those not kept. */
  logMatchCount: number;
  /** Matches not counted: tasks of another task definition logged them (the revision before, draining or failed). */
  logMatchesOfOtherRevisions: number;
  /** The first lines logged since the rollout started (a start-up, a crash), redacted: shown in the summary. */
  firstLogLines: LogMatch[];
}

export async function verifyRollout(ctx: EcsContext, options: VerifyOptions): Promise<Verification> {
  const result: Verification = { status: 'passed', checks: [], bake: { seconds: 0, polls: 0, describeServicesCalls: 0, filterLogEventsCalls: 0, stoppedTasks: [] }, logGroups: [], logMatches: [], logMatchCount: 0, logMatchesOfOtherRevisions: 0, firstLogLines: [] };
  const watching = Boolean(options.logs?.pattern.trim());
  if (!options.checks.length && options.bakeMs <= 0 && !watching) return { ...result, status: 'skipped' };
  const watch = watching ? await startWatch(ctx, options, result) : undefined;
  const checkOptions = { clock: ctx.clock, fetch: options.fetch, signal: options.signal, attempts: options.checkAttempts, retryDelayMs: options.checkRetryDelayMs };

  const steps: (() => Promise<string | undefined>)[] = [
    () => checksStep(options.checks, 'after-stable', checkOptions, result),
    async () => logStep(await watch?.poll(), 'since the rollout started'),
    async () => {
      if (options.bakeMs <= 0) return undefined;
      const baked = await bake(ctx, { cluster: options.cluster, services: options.services, durationMs: options.bakeMs, intervalMs: options.intervalMs, watch, signal: options.signal });
      Object.assign(result.bake, { seconds: Math.round(baked.elapsedMs / 1000), polls: baked.polls, describeServicesCalls: baked.describeCalls, stoppedTasks: baked.stoppedTasks.map((t) => t.stoppedReason ?? t.stopCode ?? 'stopped') });
      return baked.failure;
    },
    async () => (options.bakeMs > 0 ? logStep(await watch?.final(), 'by the end of the bake') : undefined),
    () => (options.bakeMs > 0 ? checksStep(options.checks, 'after-bake', checkOptions, result) : Promise.resolve(undefined)),
  ];
  for (const step of steps) {
    const failure = await step();
    if (failure) {
      Object.assign(result, { status: 'failed', failure });
      break;
    }
  }
  if (watch) {
    result.logMatches = watch.matches;
    result.logMatchCount = watch.matchCount;
    result.logMatchesOfOtherRevisions = watch.notCountedCount;
    result.bake.filterLogEventsCalls = watch.calls;
    // Read whatever the verdict: after a failure the first lines are often the explanation.
    const taskIds = await runningTaskIds(ctx, options.cluster, options.services.map((service) => service.name));
    result.firstLogLines = await firstLogLines({ logs: options.logs!.client, groups: result.logGroups, sinceMs: rolloutStartMs(options), taskIds, log: ctx.log });
  }
  return result;
}

async function checksStep(checks: VerifyCheck[], phase: 'after-stable' | 'after-bake', options: Parameters<typeof runChecks>[2], result: Verification): Promise<string | undefined> {
  if (!checks.length) return undefined;
  const answered = await runChecks(checks, phase, options);
  result.checks.push(...answered);
  const bad = answered.filter((c) => !c.ok);
  if (!bad.length) return undefined;
  const when = phase === 'after-stable' ? 'once the services were stable' : 'at the end of the bake';
  return `${bad.map((c) => `${c.method} ${c.url} answered ${c.answer}, expected ${c.expected}`).join('; ')} (${when}, ${bad[0].attempts} attempt(s))`;
}

function logStep(matches: LogMatch[] | undefined, when: string): string | undefined {
  if (!matches?.length) return undefined;
  return `a log line matched the error pattern ${when}: ${matches[0].message} (${matches[0].group} ${matches[0].stream}${matches.length > 1 ? `, and ${matches.length - 1} more` : ''})`;
}

async function startWatch(ctx: EcsContext, options: VerifyOptions, result: Verification): Promise<LogWatch | undefined> {
  const logs = options.logs!;
  const groups = logs.group ? [logs.group] : await awslogsGroups(ctx, options.services);
  result.logGroups = groups;
  if (!groups.length) {
    ctx.log.warning('No log group to watch: the task definition has no awslogs log configuration. Set log-group, or log-error-pattern to an empty string to say no log watch is wanted.');
    return undefined;
  }
  const sinceMs = rolloutStartMs(options);
  ctx.log.info(`Watching ${groups.join(', ')} for '${logs.pattern}' since ${new Date(sinceMs).toISOString()}.`);
  const verified = new Set(options.services.map((s) => s.taskDefinitionArn).filter((arn): arn is string => Boolean(arn)));
  const attribution = verified.size ? new LogAttribution(ctx, options.cluster, verified) : undefined;
  return new LogWatch({ logs: logs.client, groups, pattern: logs.pattern, sinceMs, log: ctx.log, notCounted: attribution && ((matches) => attribution.ofOtherRevisions(matches)) });
}

/** The earliest rollout start of the services: the logs are read from there. */
const rolloutStartMs = (options: VerifyOptions) => Math.min(...options.services.map((s) => s.rolloutStartMs));

/** The awslogs groups of the services' running task definitions (read-only calls). */
async function awslogsGroups(ctx: EcsContext, services: VerifyService[]): Promise<string[]> {
  const groups = new Set<string>();
  for (const arn of new Set(services.map((s) => s.taskDefinitionArn).filter((a): a is string => Boolean(a)))) {
    const answer = await aws('ecs:DescribeTaskDefinition', ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })));
    for (const container of answer.taskDefinition?.containerDefinitions ?? []) {
      const group = awslogsGroup(container);
      if (group) groups.add(group);
    }
  }
  return [...groups];
}

function awslogsGroup(container: ContainerDefinition): string | undefined {
  const config = container.logConfiguration;
  return config?.logDriver === 'awslogs' ? config.options?.['awslogs-group'] : undefined;
}

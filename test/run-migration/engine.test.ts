/**
 * The one-off task engine in process, on a VirtualClock shared with the AWS simulator: a 25-minute
 * migration or a 20-minute timeout takes milliseconds, and the real SDK clients still talk HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { VirtualClock } from '../../packages/action-kit';
import { CancelledError, silentLogger, type Logger } from '../../packages/action-kit';
import { planRunTask, runTask, resultError, startTask, watchTask, type RunTaskContext, type RunTaskPlan, type RunTaskResult } from '../../packages/ecs';
import { CLUSTER, CONTAINER, LOG_GROUP, MIGRATOR, SERVICE, startWorld, taskDefinition, type Simulator } from './world';

const ALEMBIC = ['alembic', 'upgrade', 'head'];

let clock: VirtualClock;
let aws: Simulator;
let image: string;
let lines: string[];
let messages: string[];

// Container output comes as `| line` (containerLine); everything else is a message.
const log: Logger = {
  ...silentLogger,
  info: (m) => void (m.startsWith('| ') ? lines.push(m.slice(2)) : messages.push(m)),
  warning: (m) => void messages.push(`warning: ${m}`),
};

beforeEach(async () => {
  clock = new VirtualClock();
  ({ aws, image } = await startWorld({ clock }));
  lines = [];
  messages = [];
});
afterEach(async () => {
  await aws.close();
});

function context(signal?: AbortSignal): RunTaskContext {
  const clients = aws.clients({ maxAttempts: 3 });
  return { ecs: clients.ecs, logsFor: () => clients.logs, region: 'us-west-2', clock, log, signal };
}

async function plan(overrides: Partial<Parameters<typeof planRunTask>[1]> = {}): Promise<RunTaskPlan> {
  return planRunTask(aws.clients().ecs, { cluster: CLUSTER, service: SERVICE, command: ALEMBIC, network: {}, ...overrides });
}

function run(p: RunTaskPlan, options: { timeoutMs?: number; signal?: AbortSignal; intervalMs?: number } = {}): Promise<RunTaskResult> {
  return runTask(context(options.signal), { plan: p, startedBy: 'test', timeoutMs: options.timeoutMs ?? 20 * 60_000, intervalMs: options.intervalMs ?? 5000 });
}

describe('runTask on a virtual clock', () => {
  it('follows a 25-minute migration to exit 0 and hands over every log line in order', async () => {
    const logLines = Array.from({ length: 120 }, (_, i) => `migration step ${i + 1}`);
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 25 * 60_000, logLines });
    const result = await run(await plan(), { timeoutMs: 30 * 60_000 });

    expect(result.outcome).toBe('succeeded');
    expect(resultError(result)).toBeUndefined();
    expect(lines).toEqual(logLines);
    expect(result.lastLines.at(-1)).toBe('migration step 120');
    // The stream did not exist before the container ran: the tail waited for it instead of failing.
    expect(aws.calls('GetLogEvents')[0].errorType).toBe('ResourceNotFoundException');
    // The lines streamed while the task ran: GetLogEvents was called on many polls, not only at the end.
    expect(aws.calls('GetLogEvents').length).toBeGreaterThan(100);
    expect(aws.calls('StopTask')).toEqual([]);
    // One heartbeat a minute while nothing changes, so a long migration visibly lives.
    const heartbeats = messages.filter((m) => /still RUNNING \(\d+ log line\(s\) so far\)$/.test(m));
    expect(heartbeats.length).toBeGreaterThanOrEqual(20);
    expect(heartbeats.length).toBeLessThanOrEqual(25);
  });

  it('decides from the named container, not from a sidecar listed first', async () => {
    aws.seed.taskDefinition(taskDefinition('connect2-api-dev-sidecar', image, { sidecar: true }));
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 3, afterMs: 2000, logLines: ['boom'] });
    const result = await run(await plan({ taskDefinition: 'connect2-api-dev-sidecar', container: CONTAINER }));

    expect(result.outcome).toBe('failed');
    expect(result.exitCode).toBe(3);
    const error = resultError(result)!;
    expect(error.message).toContain('exited with code 3 in container connect2-api');
    expect(error.details).toContain('| boom');
  });

  it('stops waiting when a non-essential named container exits while the app keeps running, stops the task, reports its exit code', async () => {
    aws.seed.taskDefinition(taskDefinition('connect2-api-dev-migrator', image, { migrator: true }));
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 3, afterMs: 30_000, logLines: ['alembic.util.exc.CommandError: Can\'t locate revision'] });
    const started = clock.now();
    const result = await run(await plan({ taskDefinition: 'connect2-api-dev-migrator', container: MIGRATOR }), { timeoutMs: 20 * 60_000 });

    expect(result.outcome).toBe('failed');
    expect(result.exitCode).toBe(3);
    expect(result.container).toBe(MIGRATOR);
    // Within a poll of the exit (RunTask -> RUNNING takes a few seconds), not at the 20-minute deadline.
    expect(clock.now() - started).toBeLessThan(60_000);
    expect(aws.calls('StopTask')).toHaveLength(1);
    expect((aws.calls('StopTask')[0].body as any).reason).toBe(`container ${MIGRATOR} exited with code 3; the rest of the task is stopped`);
    expect(result.task?.lastStatus).toBe('STOPPED');
    // The app container was stopped by us (143); the migration's own code is the one reported.
    expect(result.task?.containers?.find((c) => c.name === CONTAINER)?.exitCode).toBe(143);
    const error = resultError(result)!;
    expect(error.message).toMatch(/^The command exited with code 3 in container migrate of task \w+: alembic\.util\.exc\.CommandError/);
    expect(lines).toEqual(["alembic.util.exc.CommandError: Can't locate revision"]);
  });

  it('does not stop a task that is already STOPPING because its essential container exited: it waits for STOPPED', async () => {
    // ECS shows the essential container STOPPED with its exit code while the task is still STOPPING;
    // polled in that window, the task is on its way down and there is nothing left to stop.
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 3, afterMs: 2000 });
    const result = await run(await plan(), { intervalMs: 50 });
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 3, stopCode: 'EssentialContainerExited' });
    expect(result.stopRequest).toBeUndefined();
    expect(aws.calls('StopTask')).toEqual([]);
    expect(result.task?.lastStatus).toBe('STOPPED');
  });

  it('reports success when a non-essential named container exits 0 while the app keeps running', async () => {
    aws.seed.taskDefinition(taskDefinition('connect2-api-dev-migrator', image, { migrator: true }));
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 10_000 });
    const result = await run(await plan({ taskDefinition: 'connect2-api-dev-migrator', container: MIGRATOR }), { timeoutMs: 20 * 60_000 });
    expect(result.outcome).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(aws.calls('StopTask')).toHaveLength(1);
    expect(result.task?.lastStatus).toBe('STOPPED');
  });

  it('stops the task at the deadline, waits for STOPPED and reports timed-out', async () => {
    // Six lines spread over an hour: two are written before the 20-minute deadline, the rest never.
    const logLines = Array.from({ length: 6 }, (_, i) => `waiting for lock (${i + 1})`);
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 60 * 60_000, logLines });
    const result = await run(await plan(), { timeoutMs: 20 * 60_000 });

    expect(result.outcome).toBe('timed-out');
    expect(result.task?.lastStatus).toBe('STOPPED');
    expect(result.stopCode).toBe('UserInitiated');
    expect(result.exitCode).toBe(143);
    expect(aws.calls('StopTask')).toHaveLength(1);
    expect((aws.calls('StopTask')[0].body as any).reason).toBe('run-migration timed out after 20 minute(s)');
    expect(resultError(result)!.message).toMatch(/^run-migration timed out after 20 minute\(s\): task \w+ was asked to stop and is STOPPED\.$/);
    expect(lines).toEqual(['waiting for lock (1)', 'waiting for lock (2)']);
  });

  it('stops the task when the signal aborts and reports cancelled', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 60 * 60_000 });
    const controller = new AbortController();
    const p = await plan();
    const running = run(p, { signal: controller.signal });
    // Cancel once the task is RUNNING, as a runner would at an arbitrary moment.
    while (!messages.some((m) => m.includes('-> RUNNING'))) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new CancelledError('SIGINT'));
    const result = await running;

    expect(result.outcome).toBe('cancelled');
    expect(result.task?.lastStatus).toBe('STOPPED');
    expect(result.stopCode).toBe('UserInitiated');
    expect((aws.calls('StopTask')[0].body as any).reason).toMatch(/cancelled \(Cancelled by SIGINT\.\)/);
  });

  it('starts nothing when cancelled before RunTask', async () => {
    const controller = new AbortController();
    controller.abort(new CancelledError('SIGTERM'));
    await expect(run(await plan(), { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(aws.calls('RunTask')).toEqual([]);
  });

  it('leaves the task running when stop-on-cancel is false, and says so', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 60 * 60_000 });
    const controller = new AbortController();
    const running = runTask(context(controller.signal), { plan: await plan(), startedBy: 'test', timeoutMs: 60_000, intervalMs: 5000, stopOnCancel: false });
    while (!messages.some((m) => m.includes('Started task'))) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new CancelledError('SIGINT'));
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(aws.calls('StopTask')).toEqual([]);
    expect(messages.some((m) => m.startsWith('warning:') && m.includes('stop-on-cancel is false'))).toBe(true);
  });

  it('retries throttled DescribeTasks and GetLogEvents calls (the client does) and still succeeds', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 30_000, logLines: ['one', 'two'] });
    aws.faults.inject({ kind: 'throttle', operation: 'DescribeTasks', count: 2 });
    aws.faults.inject({ kind: 'throttle', operation: 'GetLogEvents', count: 2 });
    const result = await run(await plan());
    expect(result.outcome).toBe('succeeded');
    expect(lines).toEqual(['one', 'two']);
  });

  it('fails at once naming ecs:DescribeTasks when it is denied, and still stops the task', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 60 * 60_000 });
    aws.faults.inject({ kind: 'access-denied', operation: 'DescribeTasks' });
    const started = clock.now();
    await expect(run(await plan())).rejects.toThrow(/ecs:DescribeTasks was denied/);
    expect(clock.now() - started).toBeLessThan(60_000);
    expect(aws.calls('StopTask')).toHaveLength(1);
  });

  it('retries a failing read during the drain, so the last lines are not lost', async () => {
    // 100 lines over 29 s: those after the last poll of the running task (25 s) are read by the drain,
    // whose first read fails on every attempt of the client (5xx).
    const logLines = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`);
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 29_000, logLines });
    aws.faults.inject({ kind: 'server-error', operation: 'GetLogEvents', count: 3, afterMs: 29_900 });
    const result = await run(await plan());

    expect(result.outcome).toBe('succeeded');
    expect(aws.calls('GetLogEvents').filter((c) => c.status >= 500)).toHaveLength(3);
    expect(lines).toEqual(logLines);
    expect(messages.filter((m) => m.includes("Could not read the task's logs"))).toHaveLength(1);
  });

  it('reports a denied logs:GetLogEvents once as a warning and still reports the outcome', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 30_000, logLines: ['hidden'] });
    aws.faults.inject({ kind: 'access-denied', operation: 'GetLogEvents' });
    const result = await run(await plan());
    expect(result.outcome).toBe('succeeded');
    expect(messages.filter((m) => m.includes('logs:GetLogEvents was denied'))).toHaveLength(1);
    expect(lines).toEqual([]);
  });

  it('reads no logs with logs: false but still gives the console link', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 30_000, logLines: ['not streamed'] });
    const result = await runTask(context(), { plan: await plan(), startedBy: 'test', timeoutMs: 60_000, intervalMs: 5000, logs: false });
    expect(result.outcome).toBe('succeeded');
    expect(aws.calls('GetLogEvents')).toEqual([]);
    expect(lines).toEqual([]);
    expect(result.logs?.url).toMatch(/^https:\/\/us-west-2\.console\.aws\.amazon\.com\/cloudwatch\/home/);
  });

  it('names a log group that does not exist and the fix, and gives no link to it', async () => {
    await aws.close();
    ({ aws, image } = await startWorld({ clock, requireLogGroups: true }));
    const result = await run(await plan());

    expect(result.outcome).toBe('failed-to-start');
    expect(result.logs).toBeUndefined();
    const warnings = messages.filter((m) => m.startsWith('warning:') && m.includes(LOG_GROUP));
    expect(warnings).toEqual([
      `warning: Log group '${LOG_GROUP}' does not exist in us-west-2, so the output of container connect2-api is not kept (and ECS cannot start a task that logs to it). Create the group (aws logs create-log-group --log-group-name ${LOG_GROUP} --region us-west-2, or an aws_cloudwatch_log_group in Terraform), or set "awslogs-create-group": "true" in the container's logConfiguration options (the execution role then needs logs:CreateLogGroup).`,
    ]);
    const error = resultError(result)!;
    expect(error.message).toMatch(/failed to start: ResourceInitializationError: .*The specified log group does not exist/);
    expect(error.details.join('\n')).not.toContain('console.aws.amazon.com/cloudwatch');
  });

  it('keeps the link when the log group exists (it is created with the task when it runs)', async () => {
    const result = await run(await plan());
    expect(result.outcome).toBe('succeeded');
    expect(result.logs?.url).toMatch(/^https:\/\/us-west-2\.console\.aws\.amazon\.com\/cloudwatch\/home/);
    expect(messages.filter((m) => m.includes('does not exist'))).toEqual([]);
  });

  it('says why logs cannot be followed without an awslogs stream prefix', async () => {
    aws.seed.taskDefinition(taskDefinition('connect2-api-dev-noprefix', image, { streamPrefix: null }));
    const result = await run(await plan({ taskDefinition: 'connect2-api-dev-noprefix' }));
    expect(result.outcome).toBe('succeeded');
    expect(result.logs).toBeUndefined();
    expect(messages.some((m) => m.includes('no awslogs-stream-prefix'))).toBe(true);
  });
});

describe('RunTask idempotency', () => {
  it('retries a RunTask whose connection was reset with the same client token, starting one task', async () => {
    aws.faults.inject({ kind: 'reset', operation: 'RunTask', count: 1 });
    const result = await run(await plan());

    expect(result.outcome).toBe('succeeded');
    const calls = aws.calls('RunTask');
    expect(calls).toHaveLength(2);
    expect((calls[0].body as any).clientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect((calls[1].body as any).clientToken).toBe((calls[0].body as any).clientToken);
    expect(aws.state.tasks(CLUSTER).filter((t) => !t.group.startsWith('service:'))).toHaveLength(1);
  });

  it('treats an answer with neither a task nor a failure as an error', async () => {
    // The simulator always answers one or the other; this is the branch for an API that does not.
    const empty = { send: async () => ({ tasks: [], failures: [] }) } as unknown as ECSClient;
    await expect(startTask(empty, await plan(), { startedBy: 'test' })).rejects.toThrow(
      'RunTask did not start the task in cluster connect2-api-cluster-dev: ECS returned no task and no failure',
    );
  });

  it('gets the already started task back when the same client token is sent again', async () => {
    const p = await plan();
    const ecs = aws.clients().ecs;
    const first = await startTask(ecs, p, { startedBy: 'test', clientToken: '5f0c2f43-0c38-4a5e-9a39-1c1f3f0f6d11' });
    const again = await startTask(ecs, p, { startedBy: 'test', clientToken: '5f0c2f43-0c38-4a5e-9a39-1c1f3f0f6d11' });
    expect(again.taskArn).toBe(first.taskArn);
    expect(aws.state.tasks(CLUSTER).filter((t) => !t.group.startsWith('service:'))).toHaveLength(1);
  });
});

describe('watchTask', () => {
  it('tolerates MISSING for the grace period, then fails saying so', async () => {
    const arn = 'arn:aws:ecs:us-west-2:123456789012:task/connect2-api-cluster-dev/0123456789abcdef0123456789abcdef';
    const started = clock.now();
    await expect(
      watchTask({ ecs: aws.clients().ecs, cluster: CLUSTER, taskArn: arn, clock, intervalMs: 5000, timeoutMs: 600_000, missingGraceMs: 30_000 }),
    ).rejects.toThrow(/is MISSING in DescribeTasks 30s after RunTask/);
    expect(clock.now() - started).toBe(30_000);
    expect(aws.calls('DescribeTasks')).toHaveLength(7);
  });
});

describe('planRunTask', () => {
  it('names the service input when the service does not exist, before RunTask', async () => {
    await expect(plan({ service: 'nope' })).rejects.toThrow(/^Input 'service' is 'nope', which cluster 'connect2-api-cluster-dev' does not have/);
  });

  it('names the cluster input when the cluster does not exist', async () => {
    await expect(plan({ cluster: 'connect2-api-cluster-dve' })).rejects.toThrow(
      "Input 'cluster' is 'connect2-api-cluster-dve', which ECS does not know in this account and region; use an existing cluster name or ARN (check AWS_REGION too).",
    );
    const p = await plan({ service: undefined, taskDefinition: 'connect2-api-dev', network: { subnets: ['subnet-1'] } });
    await expect(startTask(aws.clients().ecs, { ...p, cluster: 'connect2-api-cluster-dve' }, { startedBy: 'test' })).rejects.toThrow(/^Input 'cluster' is 'connect2-api-cluster-dve'/);
  });

  it('names the task-definition input when it cannot be described', async () => {
    await expect(plan({ taskDefinition: 'connect2-api-dev:99' })).rejects.toThrow(/^Input 'task-definition' is 'connect2-api-dev:99', which ECS cannot describe/);
  });

  it('requires subnets for an awsvpc task definition without a service', async () => {
    await expect(plan({ service: undefined, taskDefinition: 'connect2-api-dev' })).rejects.toThrow(/^Input 'subnets' is empty but the task definition uses the awsvpc network mode/);
    const p = await plan({ service: undefined, taskDefinition: 'connect2-api-dev', network: { subnets: ['subnet-1'] } });
    expect(p.placement).toEqual({ networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } } });
  });

  it('uses the task-definition input over the service, pinned to the revision', async () => {
    aws.seed.taskDefinition(taskDefinition('connect2-api-dev', `${image.split(':')[0]}:def456`));
    const p = await plan({ taskDefinition: 'connect2-api-dev:2' });
    expect(p.taskDefinitionArn).toMatch(/task-definition\/connect2-api-dev:2$/);
    expect(p.placement.launchType).toBe('FARGATE');
  });
});

/**
 * run-migration end to end: the built bundle (dist/run-migration/index.js) on Node 24, exactly as the
 * runner starts it (main, then post with the saved state), against the AWS simulator on the real
 * clock with short timings and a 1 s poll interval.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction, type RunActionOptions } from '../harness/run-action';
import { CLUSTER, CONTAINER, LOG_GROUP, MIGRATOR, SECURITY_GROUPS, SERVICE, SUBNETS, startWorld, taskDefinition, type Simulator } from './world';

const ALEMBIC = 'alembic upgrade head';

let aws: Simulator;
let image: string;

beforeAll(async () => {
  ({ aws, image } = await startWorld());
});
afterAll(async () => {
  await aws?.close();
});
beforeEach(() => {
  aws.faults.clear();
  aws.scenarios.clear?.();
});

function run(inputs: Record<string, string>, options: Omit<RunActionOptions, 'inputs' | 'env'> = {}) {
  return runAction('run-migration', {
    inputs: { cluster: CLUSTER, service: SERVICE, 'poll-interval-seconds': '1', ...inputs },
    env: { ...aws.env },
    ...options,
  });
}

/** Requests made since `mark` (the request log is shared by the tests of this file). */
function since(mark: number) {
  return aws.requests.slice(mark);
}

/** The body of the one RunTask request made since `mark`. */
function runTaskRequest(mark: number): Record<string, any> {
  const calls = since(mark).filter((r) => r.operation === 'RunTask');
  expect(calls).toHaveLength(1);
  return calls[0].body as Record<string, any>;
}

/** One-off tasks (not a service's) created since `startedAfter` (epoch ms). */
function oneOffTasks(startedAfter: number) {
  return aws.state.tasks(CLUSTER).filter((task) => !task.group.startsWith('service:') && task.model.createdAt >= startedAfter);
}

function task(arn: string | undefined, simulator: Simulator = aws, cluster = CLUSTER) {
  const found = simulator.state.tasks(cluster).find((t) => t.taskArn === arn);
  if (!found) throw new Error(`no task ${arn} in the simulator`);
  return found;
}

describe('run-migration bundle', () => {
  it('runs alembic, streams its log lines into the job log and succeeds on exit 0', async () => {
    aws.scenarios.forCommand(ALEMBIC, {
      kind: 'exit',
      exitCode: 0,
      afterMs: 2500,
      logLines: ['INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.', 'INFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d, add users'],
    });
    const mark = aws.requests.length;
    const result = await run({});

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('| INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.');
    expect(result.log).toContain('| INFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d, add users');
    expect(result.outputs['exit-code']).toBe('0');
    expect(result.outputs['task-arn']).toMatch(/^arn:aws:ecs:us-west-2:\d+:task\/connect2-api-cluster-dev\/\w+$/);
    expect(result.outputs['stop-code']).toBe('EssentialContainerExited');
    const taskId = result.outputs['task-arn'].split('/').pop();
    expect(result.outputs['logs-url']).toBe(
      `https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Fconnect2-api-dev/log-events/ecs$252Fconnect2-api$252F${taskId}`,
    );
    expect(Number(result.outputs['duration-seconds'])).toBeGreaterThanOrEqual(0);

    const body = runTaskRequest(mark);
    expect(body.overrides.containerOverrides).toEqual([{ name: CONTAINER, command: ['alembic', 'upgrade', 'head'] }]);
    expect(body.startedBy).toBe('connect2-actions/run-migration');
    expect(body.clientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.count).toBe(1);

    expect(result.summary).toContain('Migration succeeded');
    expect(result.summary).toContain('alembic upgrade head');
    expect(result.summary).toContain('launch type FARGATE');
    expect(result.summary).toContain(SUBNETS[0]);
    expect(result.summary).toContain('Running upgrade 1a2b -> 3c4d, add users');
    // main saw the task stop, so the post step has nothing to do.
    expect(result.state.finished).toBe('true');
    expect(since(mark).filter((r) => r.operation === 'StopTask')).toEqual([]);
  });

  it('fails on exit 3 with the code and the last log line in the error', async () => {
    aws.scenarios.forCommand(ALEMBIC, {
      kind: 'exit',
      exitCode: 3,
      afterMs: 1500,
      logLines: ['INFO  [alembic.runtime.migration] Running upgrade 3c4d -> 5e6f', 'sqlalchemy.exc.ProgrammingError: relation "users" already exists'],
    });
    const result = await run({});

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('exited with code 3');
    expect(result.errors[0]).toContain('sqlalchemy.exc.ProgrammingError: relation "users" already exists');
    expect(result.errors[0].split('\n')[0]).toMatch(/exited with code 3 .*: sqlalchemy\.exc\.ProgrammingError: relation "users" already exists$/);
    expect(result.outputs['exit-code']).toBe('3');
    expect(result.summary).toContain('Migration failed');
  });

  it('never lets a log line act as a workflow command', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 1500, logLines: ['::error::injected by the container', '::add-mask::x'] });
    const result = await run({});

    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('| ::error::injected by the container');
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
  });

  it('fails with the stopped reason when the task fails to start (CannotPullContainerError)', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'pull-failure', reason: 'connect2-api-dev:abc123: not found' });
    const result = await run({});

    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('failed to start');
    expect(result.errors[0]).toContain('CannotPullContainerError');
    expect(result.outputs['stop-code']).toBe('TaskFailedToStart');
    expect(result.outputs['exit-code']).toBeUndefined();
  });

  it('copies the network configuration, launch type and platform version from the service', async () => {
    const mark = aws.requests.length;
    const result = await run({});
    expect(result.exitCode).toBe(0);
    const body = runTaskRequest(mark);
    expect(body.networkConfiguration).toEqual({ awsvpcConfiguration: { subnets: SUBNETS, securityGroups: SECURITY_GROUPS, assignPublicIp: 'DISABLED' } });
    expect(body.launchType).toBe('FARGATE');
    expect(body.capacityProviderStrategy).toBeUndefined();
    expect(body.platformVersion).toBe('1.4.0');
    expect(body.taskDefinition).toMatch(/:task-definition\/connect2-api-dev:1$/);
  });

  it('lets explicit network inputs override the service field by field', async () => {
    const mark = aws.requests.length;
    const result = await run({ subnets: 'subnet-0fff9999', 'assign-public-ip': 'ENABLED' });
    expect(result.exitCode).toBe(0);
    const body = runTaskRequest(mark);
    expect(body.networkConfiguration).toEqual({ awsvpcConfiguration: { subnets: ['subnet-0fff9999'], securityGroups: SECURITY_GROUPS, assignPublicIp: 'ENABLED' } });
  });

  it('runs like a capacity-provider service: its strategy is sent and no launch type', async () => {
    aws.seed.service({
      cluster: CLUSTER,
      serviceName: 'connect2-api-service-spot',
      taskDefinition: 'connect2-api-dev',
      desiredCount: 1,
      capacityProviderStrategy: [
        { capacityProvider: 'FARGATE', weight: 1, base: 1 },
        { capacityProvider: 'FARGATE_SPOT', weight: 3 },
      ],
      networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: SECURITY_GROUPS, assignPublicIp: 'DISABLED' } },
    });
    const mark = aws.requests.length;
    const result = await run({ service: 'connect2-api-service-spot' });

    expect(result.errors).toEqual([]);
    const body = runTaskRequest(mark);
    expect(body).not.toHaveProperty('launchType');
    expect(body.capacityProviderStrategy).toEqual([
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 3 },
    ]);
    expect(result.summary).toContain('capacity providers FARGATE');
  });

  // The runner sends SIGINT when a job is cancelled, then SIGTERM if the step has not ended.
  it.each(['SIGTERM', 'SIGINT'] as const)('stops the task when the job is cancelled (%s) mid-run', async (signal) => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 60_000, logLines: ['INFO  long migration starts'] });
    const started = Date.now();
    const mark = aws.requests.length;
    const result = await run({}, { cancel: { signal, whenLogMatches: /Task \w+: (\w+ -> )?RUNNING$/ } });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].split('\n')[0]).toMatch(new RegExp(`^run-migration was cancelled \\(Cancelled by ${signal}\\.\\): task \\w+ was asked to stop and is STOPPED\\.$`));
    const arn = result.state['task-arn'];
    expect(arn).toBeTruthy();
    const stopped = task(arn);
    expect(stopped.lastStatus).toBe('STOPPED');
    expect(stopped.stopCode).toBe('UserInitiated');
    expect(stopped.stoppedReason).toBe(`run-migration was cancelled (Cancelled by ${signal}.)`);
    // main saw it STOPPED, so the post step had nothing left to stop.
    expect(result.state.finished).toBe('true');
    expect(since(mark).filter((r) => r.operation === 'StopTask')).toHaveLength(1);
    // Nothing else was started and left behind.
    expect(oneOffTasks(started).map((t) => [t.taskArn, t.lastStatus])).toEqual([[arn, 'STOPPED']]);
    expect(result.summary).toContain('Migration cancelled and stopped');
  });

  it('has the post step stop the task when main is killed outright', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 60_000 });
    const mark = aws.requests.length;
    const result = await run({}, { cancel: { signal: 'SIGKILL', whenLogMatches: /Started task/ } });

    expect(result.main.signal).toBe('SIGKILL');
    expect(result.state.finished).toBeUndefined();
    expect(result.post?.exitCode).toBe(0);
    expect(result.post?.stdout).toMatch(/Stopped task .*the job ended before the migration finished/);
    const stops = since(mark).filter((r) => r.operation === 'StopTask');
    expect(stops).toHaveLength(1);
    expect((stops[0].body as any).reason).toMatch(/post step/);
    const stopped = task(result.state['task-arn']);
    expect(stopped.lastStatus).toBe('STOPPED');
    expect(stopped.stopCode).toBe('UserInitiated');
  });

  it('stops the task at the timeout and fails saying so', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 60_000, logLines: ['INFO  waiting for a lock'] });
    const result = await run({ 'timeout-minutes': '3s' });

    expect(result.exitCode).toBe(1);
    expect(result.errors[0].split('\n')[0]).toMatch(/^run-migration timed out after 3 s: task \w+ was asked to stop and is STOPPED\.$/);
    const stopped = task(result.outputs['task-arn']);
    expect(stopped.lastStatus).toBe('STOPPED');
    expect(stopped.stopCode).toBe('UserInitiated');
    expect(stopped.stoppedReason).toBe('run-migration timed out after 3 s');
    expect(result.outputs['stop-code']).toBe('UserInitiated');
    expect(result.summary).toContain('timed out');
  });

  it('fails at once naming ecs:RunTask when RunTask is denied', async () => {
    aws.faults.inject({ kind: 'access-denied', operation: 'RunTask' });
    const mark = aws.requests.length;
    const result = await run({});

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('ecs:RunTask was denied');
    expect(result.errors[0]).not.toMatch(/timed out/i);
    const calls = since(mark).map((r) => r.operation);
    expect(calls.filter((op) => op === 'RunTask')).toHaveLength(1);
    expect(calls).not.toContain('DescribeTasks');
  });

  it('fails at once naming ecs:DescribeTasks when it is denied after the start, and stops the task', async () => {
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 60_000 });
    aws.faults.inject({ kind: 'access-denied', operation: 'DescribeTasks' });
    const mark = aws.requests.length;
    const result = await run({});

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^ecs:DescribeTasks was denied \(AccessDeniedException\)/);
    expect(result.outputs['task-arn']).toBe(result.state['task-arn']);
    expect(result.summary).toContain('run-migration failed while following the task');
    expect(result.summary).toContain('ecs:DescribeTasks was denied');
    // main asked ECS to stop it; the post step, unable to look, asked again rather than leave it running.
    const stops = since(mark).filter((r) => r.operation === 'StopTask');
    expect(stops.map((r) => (r.body as any).reason)).toEqual([
      'run-migration failed while watching the task',
      'run-migration post step: the job ended before the migration finished',
    ]);
    expect(result.post?.stdout).toMatch(/Asked ECS to stop task .* without seeing its state/);
    expect(task(result.state['task-arn']).desiredStatus).toBe('STOPPED');
  });

  it('fails before RunTask naming the container when it is unknown, listing the containers', async () => {
    const mark = aws.requests.length;
    const result = await run({ container: 'api' });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([`Input 'container' is 'api', which is not a container of connect2-api-dev:1; use one of 'connect2-api'.`]);
    expect(since(mark).filter((r) => r.operation === 'RunTask')).toEqual([]);
  });

  it('requires the container when the task definition has several', async () => {
    aws.seed.taskDefinition(taskDefinition('connect2-api-dev-sidecar', image, { sidecar: true }));
    const mark = aws.requests.length;
    const result = await run({ 'task-definition': 'connect2-api-dev-sidecar' });

    expect(result.errors[0]).toContain(`Input 'container' is empty`);
    expect(result.errors[0]).toContain(`'xray-daemon', 'connect2-api'`);
    expect(since(mark).filter((r) => r.operation === 'RunTask')).toEqual([]);
  });

  it('reports the exit code of a non-essential container as soon as it exits, and stops the app left running', async () => {
    aws.seed.taskDefinition(taskDefinition('connect2-api-dev-migrator', image, { migrator: true }));
    aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 3, afterMs: 1500, logLines: ['FAILED: Multiple head revisions are present'] });
    const result = await run({ 'task-definition': 'connect2-api-dev-migrator', container: MIGRATOR, 'timeout-minutes': '1' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['exit-code']).toBe('3');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^The command exited with code 3 in container migrate of task \w+: FAILED: Multiple head revisions are present/);
    expect(result.errors[0]).not.toMatch(/timed out/);
    // Seconds, not the one-minute timeout.
    expect(Number(result.outputs['duration-seconds'])).toBeLessThan(20);
    expect(task(result.outputs['task-arn']).lastStatus).toBe('STOPPED');
  });

  it('runs an explicit sh -c script as written: its operators and variables are the shell\'s', async () => {
    const script = ['sh', '-c', 'alembic upgrade head; echo ${DATABASE_URL}'];
    aws.scenarios.forCommand(script, { kind: 'exit', exitCode: 0, afterMs: 1000, logLines: ['postgresql://db/connect2'] });
    const mark = aws.requests.length;
    const result = await run({ command: 'sh -c "alembic upgrade head; echo $DATABASE_URL"' });

    expect(result.errors).toEqual([]);
    expect(result.outputs['exit-code']).toBe('0');
    expect(runTaskRequest(mark).overrides.containerOverrides).toEqual([{ name: CONTAINER, command: script }]);
    expect(result.log).toContain('| postgresql://db/connect2');
  });

  it('fails before any AWS call on a malformed command, suggesting a JSON array', async () => {
    const mark = aws.requests.length;
    const result = await run({ command: 'alembic upgrade head && alembic current' });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `Input 'command' uses shell syntax (operator '&&') but ECS runs the command without a shell; pass a JSON array, e.g. ["sh","-c","alembic upgrade head && alembic current"].`,
    ]);
    expect(since(mark)).toEqual([]);
  });

  it.each([
    [{ 'assign-public-ip': 'maybe' }, "Input 'assign-public-ip' is 'maybe'; use 'ENABLED' or 'DISABLED' (or leave it empty to copy the service's)."],
    [{ 'timeout-minutes': 'soon' }, "Input 'timeout-minutes' is 'soon', not a duration; use a number like '30' (minutes), '90s' or '1h30m'."],
    [{ 'poll-interval-seconds': '0' }, "Input 'poll-interval-seconds' is 0, out of range; use a duration from 1 to 300 seconds."],
    [{ 'launch-type': 'SPOT' }, "Input 'launch-type' is 'SPOT'; use one of 'FARGATE', 'EC2', 'EXTERNAL'."],
    [{ service: '' }, "Input 'task-definition' is empty and so is service; set 'service' (its task definition and network are copied) or 'task-definition'."],
  ])('fails on %o before any AWS call, in one line naming the input', async (inputs, message) => {
    const mark = aws.requests.length;
    const result = await run(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([message]);
    expect(since(mark)).toEqual([]);
  });

  it('fails before RunTask on a startedBy ECS would refuse', async () => {
    const mark = aws.requests.length;
    const result = await run({ 'started-by': 'run-migration for pull request number 1234' });
    expect(result.errors[0]).toMatch(/^Input 'started-by' is 42 characters long/);
    expect(since(mark).filter((r) => r.operation === 'RunTask')).toEqual([]);
  });
});

describe('run-migration bundle, fast tasks', () => {
  let fast: Simulator;
  beforeAll(async () => {
    // The task is PENDING for 1.5 s (room for the first DescribeTasks on a loaded machine), then runs
    // and stops within 0.2 s: with a 2 s poll interval the next DescribeTasks sees it STOPPED.
    ({ aws: fast } = await startWorld({ timing: { provisioningMs: 0, pendingMs: 1500, stopMs: 100 } }));
  });
  afterAll(async () => {
    await fast?.close();
  });

  it('accepts a task that goes from PENDING to STOPPED within one poll and still reads its logs', async () => {
    fast.scenarios.forCommand(['alembic', 'current'], { kind: 'exit', exitCode: 0, afterMs: 100, logLines: ['3c4d (head)'] });
    const result = await runAction('run-migration', {
      inputs: { cluster: CLUSTER, service: SERVICE, command: '["alembic","current"]', 'poll-interval-seconds': '2' },
      env: { ...fast.env },
    });

    expect(result.errors).toEqual([]);
    expect(result.log).toMatch(/PENDING -> STOPPED/);
    expect(result.log).toContain('| 3c4d (head)');
    expect(result.outputs['exit-code']).toBe('0');
  });

  it('sends no launch type and no strategy for a service on the cluster default capacity provider strategy', async () => {
    fast.seed.cluster('connect2-api-cluster-cp', { defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] });
    fast.seed.service({
      cluster: 'connect2-api-cluster-cp',
      serviceName: 'connect2-api-service-default',
      taskDefinition: 'connect2-api-dev',
      desiredCount: 1,
      networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS } },
    });
    const mark = fast.requests.length;
    const result = await runAction('run-migration', {
      inputs: { cluster: 'connect2-api-cluster-cp', service: 'connect2-api-service-default', 'poll-interval-seconds': '1' },
      env: { ...fast.env },
    });
    expect(result.errors).toEqual([]);
    const body = fast.requests.slice(mark).find((r) => r.operation === 'RunTask')!.body as Record<string, any>;
    expect(body).not.toHaveProperty('launchType');
    expect(body).not.toHaveProperty('capacityProviderStrategy');
    expect(body.networkConfiguration).toEqual({ awsvpcConfiguration: { subnets: SUBNETS } });
    expect(task(result.outputs['task-arn'], fast, 'connect2-api-cluster-cp').capacityProviderName).toBe('FARGATE');
  });

  it('fails with ECS\'s reason when RunTask answers failures[] instead of a task', async () => {
    // Without a service nothing says Fargate and this cluster has no default strategy: ECS tries EC2.
    const mark = fast.requests.length;
    const result = await runAction('run-migration', {
      inputs: { cluster: CLUSTER, 'task-definition': 'connect2-api-dev', subnets: SUBNETS.join(','), 'poll-interval-seconds': '1' },
      env: { ...fast.env },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/^RunTask did not start the task in cluster connect2-api-cluster-dev: .*No Container Instances were found/);
    expect(result.errors[0]).toContain("give 'service' to run where it runs, or 'launch-type: FARGATE'");
    expect(fast.requests.slice(mark).map((r) => r.operation)).not.toContain('DescribeTasks');
  });

  it('runs on Fargate without a service when launch-type says so', async () => {
    const mark = fast.requests.length;
    const result = await runAction('run-migration', {
      inputs: { cluster: CLUSTER, 'task-definition': 'connect2-api-dev', subnets: SUBNETS.join(','), 'launch-type': 'FARGATE', 'poll-interval-seconds': '1' },
      env: { ...fast.env },
    });
    expect(result.errors).toEqual([]);
    const body = fast.requests.slice(mark).find((r) => r.operation === 'RunTask')!.body as Record<string, any>;
    expect(body.launchType).toBe('FARGATE');
    expect(body.networkConfiguration).toEqual({ awsvpcConfiguration: { subnets: SUBNETS } });
    expect(fast.requests.slice(mark).map((r) => r.operation)).not.toContain('DescribeServices');
  });
});

describe('run-migration with a log group that does not exist', () => {
  let strict: Simulator;
  beforeAll(async () => {
    ({ aws: strict } = await startWorld({ requireLogGroups: true }));
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('warns naming the group and the fix, and sets no logs-url', async () => {
    const result = await runAction('run-migration', { inputs: { cluster: CLUSTER, service: SERVICE, 'poll-interval-seconds': '1' }, env: { ...strict.env } });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/failed to start: ResourceInitializationError: .*The specified log group does not exist/);
    expect(result.errors[0]).not.toContain('console.aws.amazon.com/cloudwatch');
    const warnings = result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^Log group '${LOG_GROUP}' does not exist in us-west-2.*awslogs-create-group`)));
    expect(result.outputs['logs-url']).toBeUndefined();
    expect(result.summary).not.toContain('console.aws.amazon.com/cloudwatch');
  });
});

describe('run-migration after ecs-deploy register-only (the README example)', () => {
  let world: Simulator;
  beforeAll(async () => {
    ({ aws: world } = await startWorld());
  });
  afterAll(async () => {
    await world?.close();
  });

  it('migrates with the revision ecs-deploy registered, before the service runs it', async () => {
    world.seed.image('connect2-api-dev', 'def456');
    const register = await runAction('ecs-deploy', {
      inputs: { cluster: CLUSTER, service: SERVICE, image: 'connect2-api-dev:def456', container: CONTAINER, 'register-only': 'true' },
      env: { ...world.env },
    });
    expect(register.errors).toEqual([]);
    const revision = register.outputs['task-definition-arn'];
    expect(revision).toMatch(/task-definition\/connect2-api-dev:2$/);

    world.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 1500, logLines: ['Running upgrade 3c4d -> 5e6f'] });
    const mark = world.requests.length;
    const migrate = await runAction('run-migration', {
      inputs: { cluster: CLUSTER, service: SERVICE, 'task-definition': revision, container: CONTAINER, 'poll-interval-seconds': '1' },
      env: { ...world.env },
    });

    expect(migrate.errors).toEqual([]);
    expect(migrate.log).toContain('| Running upgrade 3c4d -> 5e6f');
    const runTask = world.requests.slice(mark).filter((r) => r.operation === 'RunTask');
    expect(runTask).toHaveLength(1);
    expect((runTask[0].body as Record<string, unknown>).taskDefinition).toBe(revision);
    // The migration ran the new image while the service still runs revision 1.
    const ran = world.state.tasks(CLUSTER).find((t) => t.taskArn === migrate.outputs['task-arn']);
    expect(ran?.containers.find((c) => c.name === CONTAINER)?.image).toMatch(/connect2-api-dev(:def456|@sha256:[0-9a-f]{64})$/);
    expect(world.state.service(CLUSTER, SERVICE)?.taskDefinition).toMatch(/connect2-api-dev:1$/);
  });
});

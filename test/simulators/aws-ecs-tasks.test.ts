/**
 * One-off tasks through the real ECS and CloudWatch Logs clients: RunTask as run-migration calls
 * it, the task's life to its exit code, its logs read with forward tokens, StopTask, ListTasks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ClientException,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { GetLogEventsCommand, ResourceNotFoundException, type CloudWatchLogsClient, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { VirtualClock, pollUntil } from '../../packages/action-kit';
import { seedConnect2, startAwsSimulator, type AwsSimulator, type Connect2World } from '../../packages/simulators/aws';

let clock: VirtualClock;
let aws: AwsSimulator;
let ecs: ECSClient;
let logs: CloudWatchLogsClient;
let world: Connect2World;

beforeEach(async () => {
  clock = new VirtualClock();
  aws = await startAwsSimulator({ clock });
  world = seedConnect2(aws);
  ({ ecs, logs } = aws.clients({ maxAttempts: 1 }));
});

afterEach(async () => {
  await aws.close();
});

/** RunTask as run-migration sends it: the service's network configuration and launch type. */
function migration(command?: string[], extra: Partial<RunTaskCommandInput> = {}): RunTaskCommandInput {
  return {
    cluster: world.cluster,
    taskDefinition: world.taskDefinitionArn,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    networkConfiguration: world.networkConfiguration,
    startedBy: 'run-migration',
    overrides: command ? { containerOverrides: [{ name: world.container, command }] } : undefined,
    ...extra,
  };
}

async function describeTask(arn: string): Promise<Task> {
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: world.cluster, tasks: [arn] }));
  return tasks![0];
}

/** Polls DescribeTasks every 100 ms of virtual time until the task is STOPPED; returns the statuses seen. */
async function untilStopped(arn: string): Promise<{ task: Task; statuses: string[] }> {
  const statuses: string[] = [];
  const task = await pollUntil<Task>({ clock, intervalMs: 100, timeoutMs: 3_600_000 }, async () => {
    const task = await describeTask(arn);
    if (statuses.at(-1) !== task.lastStatus) statuses.push(task.lastStatus!);
    return task.lastStatus === 'STOPPED' ? { done: true, value: task } : { done: false };
  });
  return { task, statuses };
}

const streamOf = (taskArn: string) => `ecs/${world.container}/${taskArn.split('/').pop()}`;

describe('RunTask', () => {
  it('runs a one-off task with no scenario to exit code 0', async () => {
    const { tasks, failures } = await ecs.send(new RunTaskCommand(migration(['alembic', 'current'])));
    expect(failures).toEqual([]);
    expect(tasks).toHaveLength(1);
    const [started] = tasks!;
    expect(started).toMatchObject({
      clusterArn: `arn:aws:ecs:us-west-2:123456789012:cluster/${world.cluster}`,
      taskDefinitionArn: world.taskDefinitionArn,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      group: `family:${world.family}`,
      startedBy: 'run-migration',
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      cpu: '512',
      memory: '1024',
      overrides: { containerOverrides: [{ name: world.container, command: ['alembic', 'current'] }] },
    });
    expect(started.taskArn).toMatch(/^arn:aws:ecs:us-west-2:123456789012:task\/connect2-api-cluster-dev\/[0-9a-f]{32}$/);
    expect(started.createdAt).toBeInstanceOf(Date);
    expect(started.containers![0]).toMatchObject({ name: world.container, image: world.image, lastStatus: 'PENDING' });

    const { task, statuses } = await untilStopped(started.taskArn!);
    expect(statuses).toEqual(['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPING', 'STOPPED']);
    expect(task).toMatchObject({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(task.containers![0]).toMatchObject({ exitCode: 0, lastStatus: 'STOPPED', imageDigest: world.digest });
    expect(task.startedAt!.getTime()).toBeLessThan(task.stoppedAt!.getTime());

    // What was asked for is in the request log, as the wire carried it.
    expect(aws.calls('ecs:RunTask')[0].body).toMatchObject({
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: world.networkConfiguration,
      overrides: { containerOverrides: [{ name: world.container, command: ['alembic', 'current'] }] },
    });
  });

  it('runs a migration that exits 3 and whose log lines are read with forward tokens', async () => {
    const lines = ['INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.', 'INFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d', 'ERROR relation "users" already exists'];
    aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 3, afterMs: 30_000, logLines: lines });
    const { tasks } = await ecs.send(new RunTaskCommand(migration(['alembic', 'upgrade', 'head'])));
    const arn = tasks![0].taskArn!;

    // Before the task runs its stream does not exist.
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: streamOf(arn), startFromHead: true }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );

    // Tail it as run-migration does: lines arrive while the task runs.
    const received: OutputLogEvent[] = [];
    let token: string | undefined;
    let sawPartial = false;
    await pollUntil({ clock, intervalMs: 5_000, timeoutMs: 600_000 }, async () => {
      const task = await describeTask(arn);
      if (task.lastStatus === 'RUNNING' || task.lastStatus === 'STOPPED' || task.lastStatus === 'STOPPING') {
        const page = await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: streamOf(arn), startFromHead: true, nextToken: token }));
        received.push(...page.events!);
        token = page.nextForwardToken;
        if (received.length > 0 && received.length < lines.length) sawPartial = true;
      }
      return task.lastStatus === 'STOPPED' ? { done: true, value: task } : { done: false };
    });
    const drained = await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: streamOf(arn), startFromHead: true, nextToken: token }));
    received.push(...drained.events!);

    expect(received.map((e) => e.message)).toEqual(lines);
    expect(sawPartial).toBe(true);
    const task = await describeTask(arn);
    expect(task.containers![0].exitCode).toBe(3);
    expect(task.stopCode).toBe('EssentialContainerExited');
    // Event times are epoch milliseconds within the task's run.
    for (const event of received) {
      expect(event.timestamp).toBeGreaterThanOrEqual(task.startedAt!.getTime());
      expect(event.timestamp).toBeLessThanOrEqual(task.stoppingAt!.getTime());
      expect(event.ingestionTime).toBeGreaterThanOrEqual(event.timestamp!);
    }
    // At the end CloudWatch hands back the very token it was given.
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: streamOf(arn), nextToken: drained.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(drained.nextForwardToken);
    expect(end.nextForwardToken).toMatch(/^f\/\d{56}$/);
  });

  it('a task STOPPING because its essential container exited shows that container STOPPED with its exit code', async () => {
    // ECS: the essential container's exit is what stops the task, so while the task is STOPPING that
    // container is already STOPPED with its exit code (the stop code would contradict a RUNNING one).
    aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 3, afterMs: 2_000 });
    const { tasks } = await ecs.send(new RunTaskCommand(migration(['alembic', 'upgrade', 'head'])));
    let task: Task;
    do {
      clock.advance(50);
      task = await describeTask(tasks![0].taskArn!);
    } while (task.lastStatus !== 'STOPPING' && task.lastStatus !== 'STOPPED');
    expect(task).toMatchObject({ lastStatus: 'STOPPING', stopCode: 'EssentialContainerExited' });
    expect(task.containers![0]).toMatchObject({ name: world.container, lastStatus: 'STOPPED', exitCode: 3 });
  });

  it('reads a whole stream from the head in one call once the task has exited 0', async () => {
    aws.scenarios.forCommand(['alembic', 'upgrade', 'head'], { kind: 'exit', exitCode: 0, logLines: ['one', 'two'] });
    const { tasks } = await ecs.send(new RunTaskCommand(migration(['alembic', 'upgrade', 'head'])));
    const { task } = await untilStopped(tasks![0].taskArn!);
    expect(task.containers![0].exitCode).toBe(0);
    const page = await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: streamOf(task.taskArn!), startFromHead: true }));
    expect(page.events!.map((e) => e.message)).toEqual(['one', 'two']);
    const again = await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: streamOf(task.taskArn!), nextToken: page.nextForwardToken }));
    expect(again.nextForwardToken).toBe(page.nextForwardToken);
  });

  it('is idempotent for a clientToken', async () => {
    const first = await ecs.send(new RunTaskCommand(migration(undefined, { clientToken: 'deploy-42-migrate' })));
    const second = await ecs.send(new RunTaskCommand(migration(undefined, { clientToken: 'deploy-42-migrate' })));
    expect(second.tasks![0].taskArn).toBe(first.tasks![0].taskArn);
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: world.cluster, startedBy: 'run-migration' }));
    expect(taskArns).toEqual([first.tasks![0].taskArn]);
  });

  it('refuses an unknown task definition, awsvpc without a network configuration, and an unknown container', async () => {
    const unknown = await ecs.send(new RunTaskCommand(migration(undefined, { taskDefinition: 'nope:1' }))).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ClientException);
    expect((unknown as Error).message).toBe('TaskDefinition not found.');
    await expect(ecs.send(new RunTaskCommand(migration(undefined, { networkConfiguration: undefined })))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      ecs.send(new RunTaskCommand(migration(undefined, { overrides: { containerOverrides: [{ name: 'web', command: ['true'] }] } }))),
    ).rejects.toThrow('Override for container named web is not a container in the TaskDefinition.');
    expect(aws.state.tasks(world.cluster).filter((t) => t.group === `family:${world.family}`)).toEqual([]);
  });

  it('answers failures for a cluster without capacity (no launch type, no default strategy)', async () => {
    const { tasks, failures } = await ecs.send(new RunTaskCommand(migration(undefined, { launchType: undefined })));
    expect(tasks).toEqual([]);
    expect(failures).toEqual([{ arn: `arn:aws:ecs:us-west-2:123456789012:cluster/${world.cluster}`, reason: 'No Container Instances were found in your cluster.' }]);
  });

  it('places a task with a capacity provider strategy', async () => {
    const { tasks } = await ecs.send(
      new RunTaskCommand(migration(undefined, { launchType: undefined, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] })),
    );
    expect(tasks![0]).toMatchObject({ capacityProviderName: 'FARGATE_SPOT', platformFamily: 'Linux' });
    expect(tasks![0].launchType).toBeUndefined();
  });

  it('fails to start a task whose image cannot be pulled', async () => {
    aws.scenarios.forImage(world.image, { kind: 'pull-failure', reason: 'ref not found' });
    const { tasks } = await ecs.send(new RunTaskCommand(migration(['alembic', 'upgrade', 'head'])));
    const { task, statuses } = await untilStopped(tasks![0].taskArn!);
    expect(statuses).not.toContain('RUNNING');
    expect(task).toMatchObject({ stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): ref not found' });
    expect(task.startedAt).toBeUndefined();
    expect(task.containers![0].exitCode).toBeUndefined();
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: streamOf(task.taskArn!) }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('scenario matching', () => {
  it('applies a scenario attached by digest to a task whose image names the tag, and by repo:tag to the full URI', async () => {
    aws.scenarios.forImage(world.digest, { kind: 'exit', exitCode: 7 });
    const byDigest = await ecs.send(new RunTaskCommand(migration()));
    expect((await untilStopped(byDigest.tasks![0].taskArn!)).task.containers![0].exitCode).toBe(7);

    aws.scenarios.clear();
    aws.scenarios.forImage(`${world.repository}:abc123`, { kind: 'exit', exitCode: 9 });
    const byTag = await ecs.send(new RunTaskCommand(migration()));
    expect((await untilStopped(byTag.tasks![0].taskArn!)).task.containers![0].exitCode).toBe(9);

    // A command scenario wins over the image's.
    aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0 });
    const byCommand = await ecs.send(new RunTaskCommand(migration(['alembic', 'upgrade', 'head'])));
    expect((await untilStopped(byCommand.tasks![0].taskArn!)).task.containers![0].exitCode).toBe(0);
  });
});

describe('StopTask, DescribeTasks, ListTasks', () => {
  it('stops a running task: UserInitiated, the reason given, exit code 143, logs cut at the stop', async () => {
    aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: 600_000, logLines: ['early', 'late'] });
    const { tasks } = await ecs.send(new RunTaskCommand(migration(['alembic', 'upgrade', 'head'])));
    const arn = tasks![0].taskArn!;
    await pollUntil({ clock, intervalMs: 1_000, timeoutMs: 600_000 }, async () => ((await describeTask(arn)).lastStatus === 'RUNNING' ? { done: true, value: 1 } : { done: false }));
    await clock.sleep(250_000); // past the first line (at ~200 s), before the second (~400 s)

    const { task: stopping } = await ecs.send(new StopTaskCommand({ cluster: world.cluster, task: arn, reason: 'run-migration: workflow cancelled' }));
    expect(stopping).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'run-migration: workflow cancelled' });
    const { task } = await untilStopped(arn);
    expect(task.containers![0].exitCode).toBe(143);
    await clock.sleep(600_000);
    const page = await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: streamOf(arn), startFromHead: true }));
    expect(page.events!.map((e) => e.message)).toEqual(['early']);

    // Stopping a stopped task changes nothing.
    const { task: again } = await ecs.send(new StopTaskCommand({ cluster: world.cluster, task: arn, reason: 'again' }));
    expect(again).toMatchObject({ lastStatus: 'STOPPED', stoppedReason: 'run-migration: workflow cancelled' });
  });

  it('stops a task that has not started: no exit code', async () => {
    const { tasks } = await ecs.send(new RunTaskCommand(migration()));
    await ecs.send(new StopTaskCommand({ cluster: world.cluster, task: tasks![0].taskArn!.split('/').pop()!, reason: 'never mind' }));
    const { task } = await untilStopped(tasks![0].taskArn!);
    expect(task.stopCode).toBe('UserInitiated');
    expect(task.containers![0].exitCode).toBeUndefined();
  });

  it('refuses to stop an unknown task', async () => {
    await expect(ecs.send(new StopTaskCommand({ cluster: world.cluster, task: 'f'.repeat(32) }))).rejects.toThrow('The referenced task was not found.');
  });

  it('answers MISSING for unknown task ARNs and accepts task ids', async () => {
    const { tasks: started } = await ecs.send(new RunTaskCommand(migration()));
    const unknown = `arn:aws:ecs:us-west-2:123456789012:task/${world.cluster}/${'0'.repeat(32)}`;
    const { tasks, failures } = await ecs.send(new DescribeTasksCommand({ cluster: world.cluster, tasks: [started![0].taskArn!.split('/').pop()!, unknown] }));
    expect(tasks!.map((t) => t.taskArn)).toEqual([started![0].taskArn]);
    expect(failures).toEqual([{ arn: unknown, reason: 'MISSING' }]);
  });

  it('lists tasks by service, family, startedBy and desired status', async () => {
    const { tasks: started } = await ecs.send(new RunTaskCommand(migration()));
    const oneOff = started![0].taskArn!;
    const service = await ecs.send(new ListTasksCommand({ cluster: world.cluster, serviceName: world.service }));
    expect(service.taskArns).toHaveLength(2);
    expect(service.taskArns).not.toContain(oneOff);
    const family = await ecs.send(new ListTasksCommand({ cluster: world.cluster, family: world.family }));
    expect(family.taskArns).toHaveLength(3);
    const mine = await ecs.send(new ListTasksCommand({ cluster: world.cluster, startedBy: 'run-migration' }));
    expect(mine.taskArns).toEqual([oneOff]);

    await untilStopped(oneOff);
    const running = await ecs.send(new ListTasksCommand({ cluster: world.cluster, startedBy: 'run-migration' }));
    expect(running.taskArns).toEqual([]);
    const stopped = await ecs.send(new ListTasksCommand({ cluster: world.cluster, startedBy: 'run-migration', desiredStatus: 'STOPPED' }));
    expect(stopped.taskArns).toEqual([oneOff]);
  });
});

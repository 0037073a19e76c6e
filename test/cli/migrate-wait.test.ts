/**
 * `connect2 migrate` and `connect2 wait` through the built CLI (a Node 24 process with arguments)
 * against the AWS simulator.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { pollUntil, systemClock } from '../../packages/action-kit';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { CLUSTER, CONTAINER, SERVICE, startWorld, type Simulator } from '../run-migration/world';
import { printedOutputs, runCli } from './run-cli';

let aws: Simulator | AwsSimulator | undefined;
let http: Server | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  http = undefined;
});

const ALEMBIC = 'alembic upgrade head';
const oneOff = (sim: Simulator) => sim.state.tasks(CLUSTER).filter((task) => !task.group.startsWith('service:'));

describe('connect2 migrate', () => {
  it('runs the one-off task, streams its log lines and exits 0', async () => {
    const world = await startWorld();
    aws = world.aws;
    world.aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 2000, logLines: ['INFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d, add users'] });
    const result = await runCli(['migrate', '--cluster', CLUSTER, '--service', SERVICE, '--container', CONTAINER, '--command', ALEMBIC, '--poll-interval-seconds', '1'], { env: { ...world.aws.env } });
    expect(result.stderr).not.toMatch(/^connect2 migrate:/m);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('| INFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d, add users');
    expect(printedOutputs(result.stdout)).toMatchObject({ 'exit-code': '0', 'stop-code': 'EssentialContainerExited' });
    const run = world.aws.requests.filter((r) => r.operation === 'RunTask');
    expect(run).toHaveLength(1);
    expect((run[0].body as any).overrides.containerOverrides).toEqual([{ name: CONTAINER, command: ['alembic', 'upgrade', 'head'] }]);
  });

  it('a failing migration exits 1 with the exit code and the last log line in one error line', async () => {
    const world = await startWorld();
    aws = world.aws;
    world.aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 3, afterMs: 1500, logLines: ['sqlalchemy.exc.ProgrammingError: relation "users" already exists'] });
    const result = await runCli(['migrate', '--cluster', CLUSTER, '--service', SERVICE, '--command', ALEMBIC, '--poll-interval-seconds', '1', '--json'], { env: { ...world.aws.env } });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ command: 'migrate', ok: false, exitCode: 1, outputs: { 'exit-code': '3' } });
    expect(json.error).toMatch(/exited with code 3 .*relation "users" already exists$/);
  });

  it('Ctrl-C stops the task and exits 130', async () => {
    const world = await startWorld();
    aws = world.aws;
    world.aws.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode: 0, afterMs: 60_000, logLines: ['INFO  long migration starts'] });
    const result = await runCli(['migrate', '--cluster', CLUSTER, '--service', SERVICE, '--command', ALEMBIC, '--poll-interval-seconds', '1'], {
      env: { ...world.aws.env },
      interruptWhen: /Task \w+: (\w+ -> )?RUNNING$/m,
    });
    expect(result.interruptedAt).toBeDefined();
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^connect2 migrate: run-migration was cancelled \(Cancelled by SIGINT\.\): task \w+ was asked to stop and is STOPPED\.$/m);
    const tasks = oneOff(world.aws);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].lastStatus).toBe('STOPPED');
    expect(tasks[0].stopCode).toBe('UserInitiated');
    expect(world.aws.requests.filter((r) => r.operation === 'StopTask')).toHaveLength(1);
  });
});

describe('connect2 wait', () => {
  it('waits for two services (given as --services a b), then for the health URL', async () => {
    const sim = await startAwsSimulator();
    aws = sim;
    const world = seedConnect2(sim);
    sim.seed.service({ cluster: world.cluster, serviceName: 'connect2-worker-dev', taskDefinition: world.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration });
    sim.seed.image(world.repository, 'v2', { scenario: { kind: 'slow-start', startMs: 1500 } });
    const next = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:v2`));
    await sim.clients().ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: next }));
    let healthCalls = 0;
    http = createServer((_req, res) => {
      healthCalls++;
      res.writeHead(healthCalls < 3 ? 503 : 200).end('ok');
    });
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/health`;

    const result = await runCli(['wait', '--cluster', world.cluster, '--services', world.service, 'connect2-worker-dev', '--health-url', url, '--poll-interval-seconds', '1', '--json'], { env: { ...sim.env } });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.outputs.status).toBe('stable');
    expect(JSON.parse(json.outputs.services).map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      [world.service, 'stable'],
      ['connect2-worker-dev', 'stable'],
    ]);
    expect(healthCalls).toBeGreaterThanOrEqual(3);
  });

  it('a service the circuit breaker rolled back is not stable: exit 1', async () => {
    const sim = await startAwsSimulator();
    aws = sim;
    const world = seedConnect2(sim);
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1 } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    await sim.clients().ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
    const result = await runCli(['wait', '--cluster', world.cluster, '--services', world.service, '--task-definition', bad, '--poll-interval-seconds', '1', '--timeout-minutes', '2'], { env: { ...sim.env } });
    expect(result.code).toBe(1);
    expect(printedOutputs(result.stdout).status).toBe('rolled-back');
    expect(result.stderr.split('\n').filter((l) => l.startsWith('connect2 wait:'))).toHaveLength(1);
  });

  it('a service whose rollback by the circuit breaker has completed is rolled-back, without --task-definition: exit 1', async () => {
    const sim = await startAwsSimulator();
    aws = sim;
    const world = seedConnect2(sim);
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1 } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    const ecs = sim.clients().ecs;
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    await pollUntil({ clock: systemClock, intervalMs: 500, timeoutMs: 60_000 }, async () => {
      const [service] = (await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: [world.service] }))).services!;
      return service.deployments!.length === 1 && service.deployments![0].rolloutState === 'COMPLETED' && service.deployments![0].taskDefinition === world.taskDefinitionArn ? { done: true, value: service } : { done: false };
    });
    const result = await runCli(['wait', '--cluster', world.cluster, '--services', world.service, '--poll-interval-seconds', '1', '--timeout-minutes', '2'], { env: { ...sim.env } });
    expect(result.code).toBe(1);
    expect(printedOutputs(result.stdout).status).toBe('rolled-back');
    expect(result.stderr).toMatch(/^connect2 wait: .*rollout of connect2-api-dev:2 FAILED .*ECS rolled it back \(ROLLBACK_SUCCESSFUL\)/m);
  });
});

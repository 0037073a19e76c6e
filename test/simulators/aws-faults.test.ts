/**
 * Faults on demand, seen through the real SDK clients: retries through throttling, 5xx and
 * connection resets (the request log shows each attempt), AccessDenied and expired credentials
 * surfacing as the SDK's errors, unknown operations, and the bundle-facing environment.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateServiceCommand, DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { VirtualClock } from '../../packages/action-kit';
import { aws as awsCall, AwsCallError, isAccessDenied, isExpiredCredentials, isThrottling } from '../../packages/aws';
import { seedConnect2, startAwsSimulator, type AwsSimulator, type Connect2World } from '../../packages/simulators/aws';
import { repoRoot } from '../harness/run-action';

let clock: VirtualClock;
let aws: AwsSimulator;
let world: Connect2World;

beforeEach(async () => {
  clock = new VirtualClock();
  aws = await startAwsSimulator({ clock });
  world = seedConnect2(aws);
});

afterEach(async () => {
  await aws.close();
});

const describeService = (ecs: ECSClient) => ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: [world.service] }));

describe('retried faults', () => {
  it('retries through throttling: the log shows the throttled attempts, then the success', async () => {
    const { ecs } = aws.clients({ maxAttempts: 5 });
    const fault = aws.faults.inject({ kind: 'throttle', operation: 'DescribeServices', count: 2 });
    const { services, $metadata } = await describeService(ecs);
    expect(services![0].serviceName).toBe(world.service);
    expect($metadata.attempts).toBe(3);
    expect(fault.hits).toBe(2);
    expect(aws.calls('ecs:DescribeServices').map((r) => [r.status, r.errorType])).toEqual([
      [400, 'ThrottlingException'],
      [400, 'ThrottlingException'],
      [200, undefined],
    ]);
  });

  it('surfaces ThrottlingException when the attempts run out', async () => {
    const { ecs } = aws.clients({ maxAttempts: 2 });
    aws.faults.inject({ kind: 'throttle', operation: 'ecs:DescribeServices' });
    const error = await describeService(ecs).catch((e: unknown) => e);
    expect(isThrottling(error)).toBe(true);
    expect((error as Error).message).toBe('Rate exceeded');
    expect((error as { $metadata: { attempts: number } }).$metadata.attempts).toBe(2);
    expect(aws.calls('DescribeServices')).toHaveLength(2);
  });

  it('retries server errors: 500 ServerException (ECS) and 503 ServiceUnavailableException (Logs)', async () => {
    const { ecs, logs } = aws.clients({ maxAttempts: 3 });
    aws.faults.inject({ kind: 'server-error', operation: 'DescribeServices', count: 1 });
    aws.faults.inject({ kind: 'server-error', operation: 'DescribeLogStreams', count: 1 });
    expect((await describeService(ecs)).$metadata.attempts).toBe(2);
    expect((await logs.send(new DescribeLogStreamsCommand({ logGroupName: world.logGroup }))).$metadata.attempts).toBe(2);
    expect(aws.requests.filter((r) => r.status >= 500).map((r) => [r.service, r.status, r.errorType])).toEqual([
      ['ecs', 500, 'ServerException'],
      ['logs', 503, 'ServiceUnavailableException'],
    ]);
  });

  it('retries through a connection reset', async () => {
    const { ecs } = aws.clients({ maxAttempts: 3 });
    aws.faults.inject({ kind: 'reset', operation: 'ListTasks', count: 1 });
    const { taskArns, $metadata } = await ecs.send(new ListTasksCommand({ cluster: world.cluster, serviceName: world.service }));
    expect(taskArns).toHaveLength(2);
    expect($metadata.attempts).toBe(2);
    expect(aws.calls('ListTasks').map((r) => [r.status, r.errorType])).toEqual([
      [0, 'ConnectionReset'],
      [200, undefined],
    ]);
  });

  it('adds latency without failing the call', async () => {
    const { ecs } = aws.clients({ maxAttempts: 1 });
    const fault = aws.faults.inject({ kind: 'latency', latencyMs: 20, count: 1 });
    const { services } = await describeService(ecs);
    expect(services).toHaveLength(1);
    expect(fault.hits).toBe(1);
  });
});

describe('fatal faults', () => {
  it('answers AccessDeniedException for one operation only, without retries', async () => {
    const { ecs } = aws.clients({ maxAttempts: 5 });
    aws.faults.inject({ kind: 'access-denied', operation: 'ecs:DescribeServices' });
    const error = await awsCall('ecs:DescribeServices', describeService(ecs)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).fatal).toBe(true);
    const cause = (error as AwsCallError).cause;
    expect(isAccessDenied(cause)).toBe(true);
    expect((cause as Error).message).toMatch(
      /^User: arn:aws:sts::123456789012:assumed-role\/connect2-deploy\/gha is not authorized to perform: ecs:DescribeServices on resource: /,
    );
    expect((cause as { $metadata: { httpStatusCode: number; attempts: number } }).$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    // Other operations still work.
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: world.cluster }));
    expect(taskArns).toHaveLength(2);
  });

  it('expires the credentials after a while on the simulator clock', async () => {
    const { ecs, ecr } = aws.clients({ maxAttempts: 3 });
    aws.faults.inject({ kind: 'expired-token', afterMs: 15 * 60_000 });
    await describeService(ecs);
    await clock.sleep(15 * 60_000);
    const error = await ecr.send(new DescribeImagesCommand({ repositoryName: world.repository })).catch((e: unknown) => e);
    expect(isExpiredCredentials(error)).toBe(true);
    expect((error as Error).name).toBe('ExpiredTokenException');
    expect((error as Error).message).toBe('The security token included in the request is expired');
    expect(aws.calls('ecr:DescribeImages').map((r) => r.errorType)).toEqual(['ExpiredTokenException']);
  });

  it('stops applying a removed fault, and clear() removes them all', async () => {
    const { ecs } = aws.clients({ maxAttempts: 1 });
    const fault = aws.faults.inject({ kind: 'access-denied', operation: 'DescribeServices' });
    await expect(describeService(ecs)).rejects.toThrow(/not authorized/);
    fault.remove();
    await expect(describeService(ecs)).resolves.toMatchObject({ services: [{ serviceName: world.service }] });
    aws.faults.inject({ kind: 'expired-token' });
    aws.faults.clear();
    await expect(describeService(ecs)).resolves.toMatchObject({ services: [{ serviceName: world.service }] });
  });
});

describe('fractional rates', () => {
  /** Which of 20 DescribeTasks calls a 30% throttle hits, with the given seed. */
  async function throttledPattern(seed: number): Promise<boolean[]> {
    const sim = await startAwsSimulator({ clock: new VirtualClock(), seed });
    try {
      const w = seedConnect2(sim);
      sim.faults.inject({ kind: 'throttle', operation: 'DescribeTasks', rate: 0.3 });
      // A standard-mode client: the adaptive one would pace itself (in wall time) after each throttle.
      const ecs = new ECSClient({
        region: sim.env.AWS_REGION,
        endpoint: sim.env.AWS_ENDPOINT_URL,
        credentials: { accessKeyId: sim.env.AWS_ACCESS_KEY_ID, secretAccessKey: sim.env.AWS_SECRET_ACCESS_KEY },
        maxAttempts: 1,
      });
      const pattern: boolean[] = [];
      for (let i = 0; i < 20; i++) {
        pattern.push(await ecs.send(new DescribeTasksCommand({ cluster: w.cluster, tasks: ['x'] })).then(() => false, (e: unknown) => isThrottling(e)));
      }
      return pattern;
    } finally {
      await sim.close();
    }
  }

  it('throttles a fraction of the calls, the same ones for the same seed', async () => {
    const first = await throttledPattern(7);
    expect(await throttledPattern(7)).toEqual(first);
    const hits = first.filter(Boolean).length;
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThan(20);
  });
});

describe('protocol', () => {
  it('answers UnknownOperationException for an operation it does not model', async () => {
    const { ecs } = aws.clients({ maxAttempts: 3 });
    const error = await ecs.send(new CreateServiceCommand({ cluster: world.cluster, serviceName: 'x' })).catch((e: unknown) => e);
    expect((error as Error).name).toBe('UnknownOperationException');
    expect((error as Error).message).toContain('AmazonEC2ContainerServiceV20141113.CreateService');
    expect(aws.calls('CreateService')).toHaveLength(1);
  });

  it('records mutating calls, rejected attempts included', async () => {
    const { ecs } = aws.clients({ maxAttempts: 1 });
    aws.faults.inject({ kind: 'access-denied', operation: 'UpdateService' });
    await describeService(ecs);
    await expect(
      awsCall('ecs:UpdateService', ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, forceNewDeployment: true }))),
    ).rejects.toBeInstanceOf(AwsCallError);
    expect(aws.mutatingCalls().map((r) => [r.operation, r.status, r.errorType])).toEqual([['UpdateService', 400, 'AccessDeniedException']]);
    expect(aws.state.service(world.cluster, world.service).deployments).toHaveLength(1);
  });

  it('is reachable by an SDK client in a child process configured only by aws.env', async () => {
    const script = [
      "import { ECSClient, DescribeServicesCommand } from '@aws-sdk/client-ecs';",
      'const ecs = new ECSClient({});',
      `const out = await ecs.send(new DescribeServicesCommand({ cluster: '${world.cluster}', services: ['${world.service}'] }));`,
      'console.log(JSON.stringify({ name: out.services[0].serviceName, running: out.services[0].runningCount }));',
    ].join('\n');
    const home = mkdtempSync(path.join(tmpdir(), 'aws-sim-home-'));
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: home, ...aws.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ name: world.service, running: 2 });
    const call = aws.calls('DescribeServices').at(-1)!;
    expect(call.status).toBe(200);
  });
});

/**
 * wait-stable through its built bundle against the AWS simulator on the real clock, polling every second.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { pollUntil, systemClock } from '../../packages/action-kit';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { runAction } from '../harness/run-action';
import { hasOpenssl, startSelfSignedServer, type SelfSignedServer } from './tls';

let sim: AwsSimulator | undefined;
let http: Server | undefined;
let https: SelfSignedServer | undefined;
afterEach(async () => {
  await https?.close();
  https = undefined;
  await sim?.close();
  sim = undefined;
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  http = undefined;
});

describe('wait-stable bundle', () => {
  it('waits for two services in parallel, then for the health URL to answer 2xx', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    sim.seed.service({ cluster: world.cluster, serviceName: 'connect2-worker-dev', taskDefinition: world.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration });
    sim.seed.image(world.repository, 'v2', { scenario: { kind: 'slow-start', startMs: 1500 } });
    const next = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:v2`));
    const ecs = sim.clients().ecs;
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: next }));
    let healthCalls = 0;
    http = createServer((_req, res) => {
      healthCalls++;
      res.writeHead(healthCalls < 3 ? 503 : 200).end('ok');
    });
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/health`;

    const result = await runAction('wait-stable', {
      inputs: { cluster: world.cluster, services: `${world.service}, connect2-worker-dev`, 'poll-interval-seconds': '1', 'health-url': url, 'health-timeout-seconds': '30' },
      env: { ...sim.env },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('stable');
    const services = JSON.parse(result.outputs.services);
    expect(services).toEqual([
      expect.objectContaining({ name: world.service, status: 'stable', taskDefinition: next, running: 2, desired: 2, deploymentId: expect.stringMatching(/^ecs-svc\//) }),
      expect.objectContaining({ name: 'connect2-worker-dev', status: 'stable', taskDefinition: world.taskDefinitionArn }),
    ]);
    expect(sim.state.service(world.cluster, world.service).deployments?.[0]).toMatchObject({ taskDefinition: next, rolloutState: 'COMPLETED' });
    expect(healthCalls).toBeGreaterThanOrEqual(3);
    expect(result.log).toMatch(/health: .* -> HTTP 503/);
    expect(result.summary).toMatch(/answered 200/);
    expect(sim.mutatingCalls()).toHaveLength(1); // only the test's own UpdateService
  });

  it('a circuit-breaker rollback with task-definition given is rolled-back', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1, reason: 'boom' } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    await sim.clients().ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    const result = await runAction('wait-stable', {
      inputs: { cluster: world.cluster, services: world.service, 'task-definition': bad, 'poll-interval-seconds': '1', 'timeout-minutes': '2' },
      env: { ...sim.env },
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('rolled-back');
    expect(JSON.parse(result.outputs.services)[0]).toMatchObject({ name: world.service, status: 'rolled-back', taskDefinition: world.taskDefinitionArn });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/rolled-back: rollout of connect2-api-dev:2 FAILED/);
    expect(result.errors[0]).toMatch(/EssentialContainerExited/);
    expect(sim.mutatingCalls()).toHaveLength(1);
  });

  it('after the circuit breaker rolled the newest deployment back, the service is rolled-back, not stable (no task-definition given)', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1, reason: 'boom' } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    const ecs = sim.clients().ecs;
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    // The rollback has completed: one COMPLETED PRIMARY deployment of revision 1, all tasks running.
    await pollUntil({ clock: systemClock, intervalMs: 500, timeoutMs: 60_000 }, async () => {
      const [service] = (await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: [world.service] }))).services!;
      return service.deployments!.length === 1 && service.deployments![0].rolloutState === 'COMPLETED' && service.deployments![0].taskDefinition === world.taskDefinitionArn ? { done: true, value: service } : { done: false };
    });
    const result = await runAction('wait-stable', {
      inputs: { cluster: world.cluster, services: world.service, 'poll-interval-seconds': '1', 'timeout-minutes': '2' },
      env: { ...sim.env },
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('rolled-back');
    expect(JSON.parse(result.outputs.services)[0]).toMatchObject({ name: world.service, status: 'rolled-back', taskDefinition: world.taskDefinitionArn });
    expect(result.errors).toEqual([expect.stringMatching(/rolled-back: rollout of connect2-api-dev:2 FAILED \(ECS deployment circuit breaker: tasks failed to start\.\); ECS rolled it back \(ROLLBACK_SUCCESSFUL\), it runs connect2-api-dev:1 again/)]);
    expect(sim.calls('ListServiceDeployments').length).toBeGreaterThanOrEqual(1);
  });

  it('keeps health-timeout-seconds hard when the health URL hangs', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    // Accepts the connection, never answers.
    http = createServer(() => undefined);
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/health`;
    let healthFrom = 0;
    let failedAt = 0;
    // The shortest budget the input takes (1 s): the hanging request is cut at the deadline, not at its own
    // 10 s request timeout. The engine's case with several requests (the second one capped by the time
    // left) is test/ecs/health.test.ts, on a VirtualClock.
    const result = await runAction('wait-stable', {
      inputs: { cluster: world.cluster, services: world.service, 'poll-interval-seconds': '1', 'health-url': url, 'health-timeout-seconds': '1' },
      env: { ...sim.env },
      onLine: (line) => {
        if (!healthFrom && /COMPLETED|stable/.test(line)) healthFrom = Date.now();
        if (!failedAt && line.startsWith('::error::')) failedAt = Date.now();
      },
    });
    expect(result.outputs.status).toBe('failed');
    expect(result.errors).toEqual([expect.stringMatching(/^Health check failed: .* did not answer 2xx within 1s \(last: TimeoutError, 1 attempt/)]);
    const healthSeconds = (failedAt - healthFrom) / 1000;
    console.log(`health phase with health-timeout-seconds 1: ${healthSeconds.toFixed(1)} s`);
    // Was 15 s + 7 s with a 15 s budget (the second request kept its own 10 s timeout); a request that
    // kept its 10 s timeout here would take 10 s.
    expect(healthSeconds).toBeGreaterThanOrEqual(0.9);
    expect(healthSeconds).toBeLessThan(10);
  });

  it('fails at once on a self-signed health URL, naming the reason and NODE_EXTRA_CA_CERTS, which then fixes it', async (context) => {
    if (!hasOpenssl()) return context.skip();
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    https = await startSelfSignedServer();
    const inputs = { cluster: world.cluster, services: world.service, 'poll-interval-seconds': '1', 'health-url': https.url, 'health-timeout-seconds': '60' };
    const started = Date.now();
    const result = await runAction('wait-stable', { inputs, env: { ...sim.env } });
    const seconds = (Date.now() - started) / 1000;
    console.log(`self-signed health URL failed after ${seconds.toFixed(1)} s (health-timeout-seconds 60), ${https.connections()} connection(s)`);
    expect(result.outputs.status).toBe('failed');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/presented a certificate Node does not trust \(DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate/);
    expect(result.errors[0]).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(https.connections()).toBe(1);
    expect(seconds).toBeLessThan(15);

    // The fix the message names: the certificate's CA in NODE_EXTRA_CA_CERTS.
    const fixed = await runAction('wait-stable', { inputs, env: { ...sim.env, NODE_EXTRA_CA_CERTS: https.certFile } });
    expect(fixed.errors).toEqual([]);
    expect(fixed.outputs.status).toBe('stable');
  });

  it('several services, one fails: each is reported as it is, and the failure is named once', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const ecs = sim.clients().ecs;
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1, reason: 'ImportError: no module named app.settings' } });
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 120_000 } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    const slow = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:slow`));
    for (const name of ['connect2-worker-dev', 'connect2-scheduler-dev']) {
      sim.seed.service({ cluster: world.cluster, serviceName: name, taskDefinition: world.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration });
    }
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: 'connect2-worker-dev', taskDefinition: slow }));
    const result = await runAction('wait-stable', {
      inputs: { cluster: world.cluster, services: `${world.service}, connect2-worker-dev, connect2-scheduler-dev`, 'poll-interval-seconds': '1', 'timeout-minutes': '2' },
      env: { ...sim.env },
    });
    expect(result.exitCode).not.toBe(0);
    const services = JSON.parse(result.outputs.services);
    expect(services).toEqual([
      expect.objectContaining({ name: world.service, status: expect.stringMatching(/^(failed|rolled-back)$/) }),
      expect.objectContaining({ name: 'connect2-worker-dev', status: 'in-progress', taskDefinition: slow, running: expect.any(Number), desired: 2, deploymentId: expect.stringMatching(/^ecs-svc\//) }),
      expect.objectContaining({ name: 'connect2-scheduler-dev', status: 'stable', taskDefinition: world.taskDefinitionArn, running: 2, desired: 2 }),
    ]);
    expect(result.errors).toHaveLength(1);
    const failure = services[0].reason as string;
    // The reason once, not once per service.
    expect(result.errors[0].split(failure).length - 1).toBe(1);
    expect(result.errors[0]).toMatch(/connect2-worker-dev was still rolling out/);
    expect(result.errors[0]).not.toMatch(/connect2-scheduler-dev/);
  });

  it('a service that does not exist is an input error', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const result = await runAction('wait-stable', { inputs: { cluster: world.cluster, services: 'ghost', 'poll-interval-seconds': '1' }, env: { ...sim.env } });
    expect(result.errors).toEqual([expect.stringMatching(/^Input 'services' lists 'ghost', which does not exist/)]);
  });

  it('poll-interval-seconds below 1 is refused naming the input', async () => {
    const result = await runAction('wait-stable', { inputs: { cluster: 'c', services: 's', 'poll-interval-seconds': '0' }, env: { AWS_REGION: 'us-west-2' } });
    expect(result.errors).toEqual([expect.stringMatching(/^Input 'poll-interval-seconds' is 0, out of range; use a duration from 1 to 300 seconds\.$/)]);
  });
});

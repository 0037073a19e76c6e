/**
 * The engine against the AWS simulator in process: real SDK clients over HTTP, the simulator and the
 * engine on one VirtualClock, so every sleep jumps time and a rollout takes milliseconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { silentLogger, VirtualClock } from '../../packages/action-kit';
import { AwsCallError } from '../../packages/aws';
import { deploy, waitForServices, type DeployOptions, type EcsContext } from '../../packages/ecs';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2, type Connect2Options, type Connect2World } from '../../packages/simulators/aws/fixtures';

let sim: AwsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(options: Connect2Options = {}) {
  const clock = new VirtualClock();
  sim = await startAwsSimulator({ clock });
  const world = seedConnect2(sim, options);
  const clients = sim.clients({ maxAttempts: 3 });
  const lines: string[] = [];
  const ctx: EcsContext = { ecs: clients.ecs, ecr: clients.ecr, clock, log: { ...silentLogger, info: (l) => lines.push(l), warning: (l) => lines.push(`WARN ${l}`) } };
  return { sim, world, ctx, lines, clock };
}

function options(world: Connect2World, over: Partial<DeployOptions> = {}): DeployOptions {
  return {
    cluster: world.cluster,
    service: world.service,
    container: world.container,
    resolveDigest: true,
    forceNewDeployment: false,
    registerOnly: false,
    wait: true,
    rollbackOnFailure: true,
    intervalMs: 5000,
    timeoutMs: 10 * 60_000,
    ...over,
  };
}

const primaryTd = (s: AwsSimulator, w: Connect2World) => s.state.service(w.cluster, w.service).deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;

describe('deploy (engine, virtual clock)', () => {
  it('deploys a tag by digest, then finds the same deploy unchanged', async () => {
    const { sim, world, ctx } = await setup();
    const digest = sim.seed.image(world.repository, 'v2');
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2` }));
    expect(result.status).toBe('deployed');
    expect(result.image).toBe(`${world.repositoryUri}@${digest}`);
    expect(result.previousTaskDefinitionArn).toBe(world.taskDefinitionArn);
    expect(result.deploymentId).toMatch(/^ecs-svc\//);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
    const service = sim.state.service(world.cluster, world.service);
    expect(service.taskDefinition).toBe(result.taskDefinitionArn);
    expect(service.deployments?.find((d) => d.id === result.deploymentId)?.rolloutState).toBe('COMPLETED');
    expect(result.changes).toContainEqual(expect.objectContaining({ field: 'image', after: `${world.repositoryUri}@${digest}` }));
    // The timeline saw both deployments in flight before the old one drained.
    expect(result.timeline.entries.some((e) => e.kind === 'counts' && /ACTIVE/.test(e.message) && /PRIMARY/.test(e.message))).toBe(true);

    const again = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2` }));
    expect(again.status).toBe('unchanged');
    expect(again.taskDefinitionArn).toBe(result.taskDefinitionArn);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
    expect(sim.calls('UpdateService')).toHaveLength(1);

    const forced = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2`, forceNewDeployment: true }));
    expect(forced.status).toBe('deployed');
    expect(forced.deploymentId).not.toBe(result.deploymentId);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
  });

  it('asks nothing twice: no DescribeClusters for a good target, and the watch starts from UpdateService\'s answer', async () => {
    const { sim, world, ctx } = await setup();
    sim.seed.image(world.repository, 'v2');
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2` }));
    expect(result.status).toBe('deployed');
    const calls = sim.requests.map((r) => ({ operation: r.operation, at: r.at }));
    expect(calls.map((c) => c.operation)).not.toContain('DescribeClusters');
    const update = calls.findIndex((c) => c.operation === 'UpdateService');
    const after = calls[update + 1];
    // The next request is a poll one wait later, not a DescribeServices repeating what UpdateService said.
    expect(after.operation).toBe('DescribeServices');
    expect(after.at).toBeGreaterThan(calls[update].at);
    // The first watch line still shows the new deployment's counts, read from UpdateService's answer.
    expect(result.timeline.entries.find((e) => e.kind === 'counts')?.at).toBe(calls[update].at);
  });

  it('deploying over a rollout still in flight warns that the rollback target is unproven, then supersedes it', async () => {
    const { sim, world, ctx, lines } = await setup();
    sim.seed.image(world.repository, 'stuck', { scenario: { kind: 'slow-start', startMs: 600_000 } });
    sim.seed.image(world.repository, 'fix');
    const stuck = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:stuck`));
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: stuck }));
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:fix` }));
    expect(lines.some((l) => /^WARN Service connect2-api-service-dev has a deployment in progress .*connect2-api-dev:2.*return to connect2-api-dev:2, which has not completed/.test(l))).toBe(true);
    expect(result.previousTaskDefinitionArn).toBe(stuck);
    expect(result.status).toBe('deployed');
  });

  it('unchanged while the same revision is still rolling out: watches that rollout instead of calling it done', async () => {
    const { sim, world, ctx } = await setup();
    sim.seed.image(world.repository, 'v2', { scenario: { kind: 'slow-start', startMs: 30_000 } });
    const started = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2`, wait: false }));
    expect(started.status).toBe('deployed');
    const again = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2` }));
    expect(again.status).toBe('unchanged');
    expect(again.watch?.outcome).toBe('completed');
    expect(again.deploymentId).toBe(started.deploymentId);
    expect(sim.calls('UpdateService')).toHaveLength(1);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);

    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop' } });
    await deploy(ctx, options(world, { image: `${world.repositoryUri}:bad`, wait: false }));
    const rerun = await deploy(ctx, options(world, { image: `${world.repositoryUri}:bad` }));
    expect(rerun.status).toBe('rolled-back');
    expect(rerun.stoppedTasks.length).toBeGreaterThan(0);
    expect(sim.calls('UpdateService')).toHaveLength(2);
  });

  it('register-only registers and stops; the next deploy reuses that revision', async () => {
    const { sim, world, ctx } = await setup();
    sim.seed.image(world.repository, 'v2');
    const registered = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2`, registerOnly: true }));
    expect(registered.status).toBe('registered');
    expect(sim.calls('UpdateService')).toHaveLength(0);
    expect(primaryTd(sim, world)).toBe(world.taskDefinitionArn);
    const deployed = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2` }));
    expect(deployed.status).toBe('deployed');
    expect(deployed.taskDefinitionArn).toBe(registered.taskDefinitionArn);
    expect(deployed.reusedTaskDefinition).toBe(true);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
  });

  it('crash loop with the circuit breaker rolling back: rolled-back at once, no second rollback, stopped tasks described', async () => {
    const { sim, world, ctx } = await setup();
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 3, reason: 'ImportError: no module named app' } });
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:bad` }));
    expect(result.status).toBe('rolled-back');
    expect(result.rollback?.action).toBe('already');
    expect(result.reason).toMatch(/FAILED/);
    expect(sim.calls('UpdateService')).toHaveLength(1);
    expect(primaryTd(sim, world)).toBe(world.taskDefinitionArn);
    expect(result.stoppedTasks.length).toBeGreaterThan(0);
    expect(result.stoppedTasks[0]).toMatchObject({ stopCode: 'EssentialContainerExited', taskDefinitionArn: result.taskDefinitionArn });
    expect(result.stoppedTasks[0].containers[0].exitCode).toBe(3);
  });

  it('crash loop with a breaker that does not roll back: failed, then rolled back by this step', async () => {
    const { sim, world, ctx } = await setup({ circuitBreaker: { enable: true, rollback: false } });
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1 } });
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:bad` }));
    expect(result.status).toBe('rolled-back');
    expect(result.rollback).toMatchObject({ action: 'update-service', settled: true });
    expect(sim.calls('UpdateService')).toHaveLength(2);
    expect(primaryTd(sim, world)).toBe(world.taskDefinitionArn);
    expect(sim.state.service(world.cluster, world.service).deployments).toHaveLength(1);

    const noRollback = await deploy(ctx, options(world, { image: `${world.repositoryUri}:bad`, rollbackOnFailure: false }));
    expect(noRollback.status).toBe('failed');
    expect(sim.calls('UpdateService')).toHaveLength(3);
  });

  it('a rollback that does not settle either is reported as failed, never as rolled back', async () => {
    const { sim, world, ctx } = await setup({ circuitBreaker: { enable: true, rollback: false }, scenario: { kind: 'crash-loop', exitCode: 9 } });
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1 } });
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:bad` }));
    expect(result.rollback).toMatchObject({ action: 'update-service', settled: false });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/rollback to connect2-api-dev:1 did not settle: rollout of connect2-api-dev:1 FAILED/);
  });

  it('crash loop without a circuit breaker: timed out, then rolled back; without rollback: timed-out', async () => {
    const { sim, world, ctx } = await setup({ circuitBreaker: { enable: false, rollback: false } });
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop' } });
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:bad`, timeoutMs: 60_000 }));
    expect(result.status).toBe('rolled-back');
    expect(result.watch?.outcome).toBe('timed-out');
    expect(result.stoppedTasks.length).toBeGreaterThan(0);
    expect(primaryTd(sim, world)).toBe(world.taskDefinitionArn);
    const timedOut = await deploy(ctx, options(world, { image: `${world.repositoryUri}:bad`, timeoutMs: 30_000, rollbackOnFailure: false }));
    expect(timedOut.status).toBe('timed-out');
  });

  it('a service without rolloutState: deployed when alone, full and of the new revision', async () => {
    const { sim, world, ctx } = await setup({ rolloutState: false });
    sim.seed.image(world.repository, 'v2');
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2` }));
    expect(result.status).toBe('deployed');
    expect(result.watch?.deployment?.rolloutState).toBeUndefined();
    const service = sim.state.service(world.cluster, world.service);
    expect(service.deployments).toHaveLength(1);
    expect(service.runningCount).toBe(2);
  });

  it('another task definition made PRIMARY mid-rollout: fails without rolling back over it', async () => {
    const { sim, world, ctx, lines } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 120_000 } });
    const other = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:abc123`));
    const intruder = sim.clients().ecs;
    let sent: Promise<unknown> | undefined;
    ctx.log = {
      ...silentLogger,
      info: (l) => {
        lines.push(l);
        if (!sent && / IN_PROGRESS /.test(l)) sent = intruder.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: other }));
      },
      warning: (l) => lines.push(l),
    };
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:slow` }));
    await sent;
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/another task definition became PRIMARY/);
    expect(result.reason).toMatch(/not rolling back/);
    expect(primaryTd(sim, world)).toBe(other);
  });

  it('a forced redeploy of the same revision mid-rollout: follows the new deployment to completion', async () => {
    const { sim, world, ctx, lines } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 30_000 } });
    const other = sim.clients().ecs;
    let sent: Promise<unknown> | undefined;
    ctx.log = {
      ...silentLogger,
      info: (l) => {
        lines.push(l);
        if (!sent && / IN_PROGRESS /.test(l)) sent = other.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, forceNewDeployment: true }));
      },
      warning: (l) => lines.push(l),
    };
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:slow` }));
    await sent;
    expect(result.status).toBe('deployed');
    const started = /UpdateService: .* deployment (ecs-svc\/\d+)/.exec(lines.join('\n'))?.[1];
    expect(started).toBeDefined();
    expect(result.deploymentId).not.toBe(started);
    expect(lines.some((l) => /was replaced by .* of the same revision: following/.test(l))).toBe(true);
    expect(result.watch?.deploymentId).toBe(sim.state.service(world.cluster, world.service).deployments?.[0].id);
    expect(primaryTd(sim, world)).toBe(result.taskDefinitionArn);
  });

  it('cancellation: stops waiting, rolls back, says so', async () => {
    const { sim, world, ctx, lines } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 120_000 } });
    const controller = new AbortController();
    ctx.log = {
      ...silentLogger,
      info: (l) => {
        lines.push(l);
        if (/IN_PROGRESS/.test(l)) controller.abort(new Error('cancelled by test'));
      },
      warning: (l) => lines.push(l),
    };
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:slow`, signal: controller.signal, cancelRollbackTimeoutMs: 120_000 }));
    expect(result.cancelled).toBe(true);
    expect(result.status).toBe('rolled-back');
    expect(sim.calls('UpdateService')).toHaveLength(2);
    expect(primaryTd(sim, world)).toBe(world.taskDefinitionArn);
  });

  it('refuses bad targets before any mutating call', async () => {
    const { sim, world, ctx } = await setup();
    await expect(deploy(ctx, options(world, { image: `${world.repositoryUri}:missing` }))).rejects.toThrow(/^Input 'image' .*has no image with tag 'missing'/);
    await expect(deploy(ctx, options(world, { image: `${world.repositoryUri}:abc123`, container: 'web' }))).rejects.toThrow(/^Input 'container' is 'web'/);
    await expect(deploy(ctx, options(world, { service: 'nope' }))).rejects.toThrow(/^Input 'service' is 'nope', which does not exist/);
    await expect(deploy(ctx, options(world, { cluster: 'nope' }))).rejects.toThrow(/^Input 'cluster' is 'nope'/);
    sim.seed.service({ cluster: world.cluster, serviceName: 'blue-green', taskDefinition: world.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration, deploymentController: { type: 'CODE_DEPLOY' } });
    await expect(deploy(ctx, options(world, { service: 'blue-green' }))).rejects.toThrow(/CODE_DEPLOY deployment controller, which is not supported/);
    expect(sim.mutatingCalls()).toEqual([]);
  });

  it('5xx outlasting the SDK retries while validating: fails naming the call, nothing changed', async () => {
    const { sim, world, ctx } = await setup();
    sim.seed.image(world.repository, 'v2');
    // maxAttempts is 3 in these clients: 4 failures exhaust the retries of the first DescribeServices.
    sim.faults.inject({ kind: 'server-error', operation: 'DescribeServices', count: 4 });
    const error = await deploy(ctx, options(world, { image: `${world.repositoryUri}:v2` })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as Error).message).toMatch(/^ecs:DescribeServices failed \(ServerException\)/);
    expect(sim.calls('DescribeServices')).toHaveLength(3);
    expect(sim.mutatingCalls()).toEqual([]);
  });

  it('5xx during the watch: warned, retried at the next poll, still deployed', async () => {
    const { sim, world, ctx, lines } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 20_000 } });
    let injected = false;
    ctx.log = {
      ...silentLogger,
      info: (l) => {
        lines.push(l);
        if (!injected && /IN_PROGRESS/.test(l)) {
          injected = true;
          sim.faults.inject({ kind: 'server-error', operation: 'DescribeServices', count: 3 });
        }
      },
      warning: (l) => lines.push(`WARN ${l}`),
    };
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:slow` }));
    expect(result.status).toBe('deployed');
    expect(lines.some((l) => /WARN ecs:DescribeServices failed \(ServerException\).*retrying at the next poll/.test(l))).toBe(true);
  });

  it('credentials expiring mid-watch fail at once with the real cause, not a timeout', async () => {
    const { sim, world, ctx } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 600_000 } });
    sim.faults.inject({ kind: 'expired-token', afterMs: 20_000 });
    const error = await deploy(ctx, options(world, { image: `${world.repositoryUri}:slow` })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toMatch(/^AWS credentials expired during ecs:DescribeServices \(ExpiredTokenException\)/);
    expect(sim.requests.filter((r) => r.errorType === 'ExpiredTokenException')).toHaveLength(1);
  });

  it('connection resets outlasting the SDK retries during the watch are retried at the next poll', async () => {
    const { sim, world, ctx, lines } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 20_000 } });
    let injected = false;
    ctx.log = {
      ...silentLogger,
      info: (l) => {
        lines.push(l);
        if (!injected && /IN_PROGRESS/.test(l)) {
          injected = true;
          sim.faults.inject({ kind: 'reset', operation: 'DescribeServices', count: 3 });
        }
      },
      warning: (l) => lines.push(`WARN ${l}`),
    };
    const result = await deploy(ctx, options(world, { image: `${world.repositoryUri}:slow` }));
    expect(result.status).toBe('deployed');
    expect(lines.filter((l) => /WARN ecs:DescribeServices failed.*retrying at the next poll/.test(l))).toHaveLength(1);
  });

  it('AccessDenied fails at once naming the permission', async () => {
    const { sim, world, ctx } = await setup();
    sim.faults.inject({ kind: 'access-denied', operation: 'DescribeServices' });
    const error = await deploy(ctx, options(world, { image: `${world.repositoryUri}:abc123` })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toMatch(/^ecs:DescribeServices was denied \(AccessDeniedException\)/);
    expect(sim.calls('DescribeServices')).toHaveLength(1);
  });
});

describe('waitForServices (engine, virtual clock)', () => {
  it('waits for several services in parallel; a rolled-back one makes the wait rolled-back', async () => {
    const { sim, world, ctx } = await setup();
    sim.seed.service({ cluster: world.cluster, serviceName: 'worker', taskDefinition: world.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration });
    const stable = await waitForServices(ctx, { cluster: world.cluster, services: [world.service, 'worker'], intervalMs: 5000, timeoutMs: 60_000 });
    expect(stable.status).toBe('stable');
    expect(stable.services.map((s) => s.status)).toEqual(['stable', 'stable']);

    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop' } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    const rolled = await waitForServices(ctx, { cluster: world.cluster, services: [world.service], taskDefinitionArn: bad, intervalMs: 5000, timeoutMs: 10 * 60_000 });
    expect(rolled.status).toBe('rolled-back');
    expect(rolled.services[0].stoppedTasks.length).toBeGreaterThan(0);
  });

  it('a crash loop without circuit breaker times out, with the stopped tasks', async () => {
    const { sim, world, ctx } = await setup({ circuitBreaker: { enable: false, rollback: false } });
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 137 } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    const result = await waitForServices(ctx, { cluster: world.cluster, services: [world.service], intervalMs: 5000, timeoutMs: 60_000 });
    expect(result.status).toBe('timed-out');
    expect(result.services[0].reason).toMatch(/^timed out after \d+s waiting for ecs-svc\//);
    expect(result.services[0].stoppedTasks[0].containers[0].exitCode).toBe(137);
  });

  it('a COMPLETED deployment whose tasks crash afterwards is not called stable', async () => {
    const { sim, world, ctx } = await setup({ circuitBreaker: { enable: false, rollback: false } });
    sim.seed.image(world.repository, 'late-crash', { scenario: { kind: 'crash-loop', exitCode: 2 } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:late-crash`));
    // Seeded services start with one COMPLETED deployment, whatever its tasks then do.
    sim.seed.service({ cluster: world.cluster, serviceName: 'flapping', taskDefinition: bad, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration });
    const result = await waitForServices(ctx, { cluster: world.cluster, services: ['flapping'], intervalMs: 5000, timeoutMs: 60_000 });
    expect(result.services[0].watch?.deployment?.rolloutState).toBe('COMPLETED');
    expect(result.status).toBe('timed-out');
    expect(result.services[0].stoppedTasks[0]?.containers[0].exitCode).toBe(2);
  });

  it('the first failure ends the wait for the other services', async () => {
    const { sim, world, ctx } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 600_000 } });
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop' } });
    sim.seed.service({ cluster: world.cluster, serviceName: 'worker', taskDefinition: world.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration });
    const slow = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:slow`));
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: 'worker', taskDefinition: slow }));
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    const result = await waitForServices(ctx, { cluster: world.cluster, services: ['worker', world.service], intervalMs: 5000, timeoutMs: 30 * 60_000 });
    expect(result.status).toBe('rolled-back');
    expect(result.services.map((s) => s.status)).toEqual(['in-progress', 'rolled-back']);
    expect(result.elapsedMs).toBeLessThan(5 * 60_000);
    // The service the failure interrupted is reported as it really is: still rolling out, with its numbers.
    const worker = result.services[0];
    expect(worker).toMatchObject({ taskDefinition: slow, desiredCount: 2, deploymentId: expect.stringMatching(/^ecs-svc\//) });
    expect(worker.runningCount).toEqual(expect.any(Number));
    expect(worker.reason).toMatch(/^still rolling out .*when the wait ended$/);
    // The failure is named by the service that failed, not repeated by the others.
    const failure = result.services[1].reason;
    expect(worker.reason).not.toContain(failure);
  });

  it('a wait shows the events of the deployment it follows, not the service history', async () => {
    const { world, ctx, lines } = await setup();
    const earlier: string[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await ctx.ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, forceNewDeployment: true }));
      earlier.push(answer.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id ?? '');
      await ctx.clock.sleep(60_000);
    }
    const last = earlier.pop();
    const before = lines.length;
    const result = await waitForServices(ctx, { cluster: world.cluster, services: [world.service], intervalMs: 5000, timeoutMs: 60_000 });
    expect(result.status).toBe('stable');
    expect(result.services[0].deploymentId).toBe(last);
    const shown = lines.slice(before).filter((l) => / event: /.test(l));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(10);
    expect(shown.some((l) => earlier.some((id) => l.includes(id)))).toBe(false);
  });

  it('a long history of the followed deployment is cut to its last ten events', async () => {
    const { world, ctx, lines } = await setup();
    // Rescaling keeps the same deployment and adds start/stop events to it.
    for (let i = 0; i < 20; i++) {
      await ctx.ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, desiredCount: i % 2 ? 2 : 3 }));
      await ctx.clock.sleep(60_000);
    }
    const before = lines.length;
    const result = await waitForServices(ctx, { cluster: world.cluster, services: [world.service], intervalMs: 5000, timeoutMs: 60_000 });
    expect(result.status).toBe('stable');
    const shown = lines.slice(before);
    expect(shown.filter((l) => / event: /.test(l))).toHaveLength(10);
    expect(shown.some((l) => /\d+ earlier service events not shown/.test(l))).toBe(true);
  });

  it('waiting for a revision whose failed deployment is already gone: rolled-back, with its stopped tasks', async () => {
    const { sim, world, ctx } = await setup();
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 4 } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    await ctx.clock.sleep(120_000); // the breaker trips, rolls back, and the failed deployment is dropped
    expect(sim.state.service(world.cluster, world.service).deployments?.some((d) => d.taskDefinition === bad)).toBe(false);
    const result = await waitForServices(ctx, { cluster: world.cluster, services: [world.service], taskDefinitionArn: bad, intervalMs: 5000, timeoutMs: 60_000 });
    expect(result.status).toBe('rolled-back');
    // The watcher alone sees only that another revision is PRIMARY; the deployment history says why.
    expect(result.services[0].reason).toMatch(/^rollout of connect2-api-dev:2 FAILED \(ECS deployment circuit breaker: tasks failed to start\.\); ECS rolled it back \(ROLLBACK_SUCCESSFUL\), it runs connect2-api-dev:1 again$/);
    expect(result.services[0].stoppedTasks[0]?.containers[0].exitCode).toBe(4);
  });

  it('an unknown service is an input error before waiting', async () => {
    const { world, ctx } = await setup();
    await expect(waitForServices(ctx, { cluster: world.cluster, services: ['ghost'], intervalMs: 5000, timeoutMs: 60_000 })).rejects.toThrow(/^Input 'services' lists 'ghost'/);
    await expect(waitForServices(ctx, { cluster: 'nope', services: [world.service], intervalMs: 5000, timeoutMs: 60_000 })).rejects.toThrow(/^Input 'cluster' is 'nope', which does not exist/);
  });

  it('one DescribeServices validates the services and is the first poll: no DescribeClusters for a good target', async () => {
    const { sim, world, ctx } = await setup();
    const result = await waitForServices(ctx, { cluster: world.cluster, services: [world.service], intervalMs: 5000, timeoutMs: 60_000 });
    expect(result.status).toBe('stable');
    // Then the deployment history, which tells a rollback by ECS from a success.
    expect(sim.requests.map((r) => r.operation)).toEqual(['DescribeServices', 'ListServiceDeployments']);
  });
});

/**
 * The watch's pace end to end: the engine and the AWS simulator on one VirtualClock (real SDK over HTTP),
 * an 8 s rollout (tasks start in 4.5 s, health checks 2 s, the old tasks drain 1.5 s) at the default
 * 5 s interval. Clock times are the simulator's own, not a stopwatch's: no timed assertion.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, VirtualClock } from '../../packages/action-kit';
import { deploy, type DeployOptions, type EcsContext } from '../../packages/ecs';
import { startAwsSimulator, type AwsSimulator, type EcsTiming } from '../../packages/simulators/aws';
import { seedConnect2, type Connect2World } from '../../packages/simulators/aws/fixtures';

/** The simulator's state dates in epoch seconds, as the API does on the wire. */
const epochMs = (value: unknown) => (typeof value === 'number' ? value * 1000 : new Date(value as string | Date).getTime());

let sim: AwsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(timing: Partial<EcsTiming> = {}) {
  const clock = new VirtualClock();
  sim = await startAwsSimulator({ clock, timing: { healthyAfterMs: 2000, stopMs: 1500, ...timing } });
  const world = seedConnect2(sim);
  const ctx: EcsContext = { ...sim.clients({ maxAttempts: 3 }), clock, log: silentLogger };
  return { sim, world, ctx };
}

const options = (world: Connect2World, tag: string): DeployOptions => ({
  cluster: world.cluster,
  service: world.service,
  container: world.container,
  image: `${world.repositoryUri}:${tag}`,
  resolveDigest: true,
  forceNewDeployment: false,
  registerOnly: false,
  wait: true,
  rollbackOnFailure: true,
  intervalMs: 5000,
  timeoutMs: 10 * 60_000,
});

/** Deploys an image whose tasks take 4.3 s to start; the lag from ECS's event to the verdict and the requests spent. */
async function deployEightSeconds(s: AwsSimulator, world: Connect2World, ctx: EcsContext, tag: string) {
  s.seed.image(world.repository, tag, { scenario: { kind: 'slow-start', startMs: 4300 } });
  const before = s.requests.length;
  const result = await deploy(ctx, options(world, tag));
  expect(result.status).toBe('deployed');
  const completed = s.state.service(world.cluster, world.service).events?.find((e) => e.message?.includes(`(deployment ${result.deploymentId}) deployment completed`));
  const deployment = s.state.service(world.cluster, world.service).deployments?.find((d) => d.id === result.deploymentId);
  return {
    rolloutMs: epochMs(completed?.createdAt) - epochMs(deployment?.createdAt),
    lagMs: (result.watch?.endedAt ?? NaN) - epochMs(completed?.createdAt),
    requests: s.requests.length - before,
    polls: result.watch?.polls,
  };
}

describe('the pace of the watch (engine, virtual clock)', () => {
  it('a service with no rollout in its events: sees the completion within 1 s, polling every second once the new tasks run', async () => {
    const { sim, world, ctx } = await setup();
    const first = await deployEightSeconds(sim, world, ctx, 'v2');
    expect(first.rolloutMs).toBeGreaterThanOrEqual(7500);
    expect(first.lagMs).toBeGreaterThanOrEqual(0);
    expect(first.lagMs).toBeLessThanOrEqual(1000);
  });

  it('the next rollout of that service: within 1 s and in at most 10 requests, the end foreseen from the last one', async () => {
    const { sim, world, ctx } = await setup();
    await deployEightSeconds(sim, world, ctx, 'v2');
    const next = await deployEightSeconds(sim, world, ctx, 'v3');
    expect(next.rolloutMs).toBeGreaterThanOrEqual(7500);
    expect(next.lagMs).toBeGreaterThanOrEqual(0);
    expect(next.lagMs).toBeLessThanOrEqual(1000);
    expect(next.polls).toBe(3);
    expect(next.requests).toBeLessThanOrEqual(10);
  });

  it('a crash loop (1.5 s to provision, exit 1.5 s after starting): the circuit breaker\'s failure is seen within 1 s, failed tasks making the pace fast', async () => {
    const { sim, world, ctx } = await setup({ crashAfterMs: 1500, provisioningMs: 1500 });
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1 } });
    const result = await deploy(ctx, options(world, 'bad'));
    expect(result.status).toBe('rolled-back');
    const failed = sim.state.service(world.cluster, world.service).events?.find((e) => /deployment failed/.test(e.message ?? ''));
    const lagMs = (result.watch?.endedAt ?? NaN) - epochMs(failed?.createdAt);
    expect(lagMs).toBeGreaterThanOrEqual(0);
    expect(lagMs).toBeLessThanOrEqual(1000);
  });
});

/**
 * ecs-deploy through its built bundle (dist/ecs-deploy, Node 24, as the runner starts it) against the
 * AWS simulator on the real clock with its short default timings, polling every second.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2, type Connect2Options } from '../../packages/simulators/aws/fixtures';
import { runAction, type RunActionOptions } from '../harness/run-action';

let sim: AwsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(options: Connect2Options = {}) {
  sim = await startAwsSimulator();
  const world = seedConnect2(sim, options);
  const run = (inputs: Record<string, string>, extra: Partial<RunActionOptions> = {}) =>
    runAction('ecs-deploy', {
      inputs: { cluster: world.cluster, service: world.service, container: world.container, 'poll-interval-seconds': '1', 'timeout-minutes': '2', ...inputs },
      env: { ...sim!.env },
      ...extra,
    });
  return { sim, world, run };
}

/** DescribeServices answers epoch seconds on the wire; the model may hold a Date. */
const epochMs = (value: unknown) => (typeof value === 'number' ? value * 1000 : new Date(value as string | Date).getTime());

const primaryTd = (s: AwsSimulator, cluster: string, service: string) => s.state.service(cluster, service).deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;

describe('ecs-deploy bundle', () => {
  it('deploys a tag resolved to its digest; the same deploy again is unchanged and registers nothing', async () => {
    const { sim, world, run } = await setup();
    const digest = sim.seed.image(world.repository, 'v2');
    const first = await run({ image: `${world.repositoryUri}:v2` });
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({
      status: 'deployed',
      image: `${world.repositoryUri}@${digest}`,
      'previous-task-definition-arn': world.taskDefinitionArn,
    });
    expect(first.outputs['deployment-id']).toMatch(/^ecs-svc\//);
    expect(Number(first.outputs['duration-seconds'])).toBeGreaterThanOrEqual(0);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
    const service = sim.state.service(world.cluster, world.service);
    expect(service.taskDefinition).toBe(first.outputs['task-definition-arn']);
    expect(service.deployments?.find((d) => d.id === first.outputs['deployment-id'])?.rolloutState).toBe('COMPLETED');
    // The registered revision pins the digest.
    const registered = sim.calls('RegisterTaskDefinition')[0].body;
    expect(registered.containerDefinitions[0].image).toBe(`${world.repositoryUri}@${digest}`);
    expect(first.summary).toMatch(/Task definition changes/);
    expect(first.summary).toContain(`${world.repositoryUri}@${digest}`);
    expect(first.summary).toMatch(/deployment completed/);
    expect(first.summary).toContain('https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/connect2-api-cluster-dev/services/connect2-api-service-dev/deployments?region=us-west-2');
    expect(first.log).toMatch(/\[\s*\d+s\] .*PRIMARY/);

    const again = await run({ image: `${world.repositoryUri}:v2` });
    expect(again.exitCode).toBe(0);
    expect(again.outputs.status).toBe('unchanged');
    expect(again.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
    expect(sim.calls('UpdateService')).toHaveLength(1);
  });

  it('takes a task definition file as the template, registers once with register-only, then rolls out that revision', async () => {
    const { sim, world, run } = await setup();
    const digest = sim.seed.image(world.repository, 'v3');
    const { taskDefinition } = await sim.clients().ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: world.taskDefinitionArn }));
    const workspace = mkdtempSync(path.join(tmpdir(), 'ws-'));
    // As `aws ecs describe-task-definition` writes it (wrapped, read-only fields included), plus a new variable.
    const edited = { ...taskDefinition, containerDefinitions: taskDefinition!.containerDefinitions!.map((c) => ({ ...c, environment: [{ name: 'FEATURE_X', value: 'on' }] })) };
    writeFileSync(path.join(workspace, 'task-definition.json'), JSON.stringify({ taskDefinition: edited }));

    const registered = await run({ image: `${world.repositoryUri}:v3`, 'task-definition': 'task-definition.json', 'register-only': 'true' }, { cwd: workspace });
    expect(registered.errors).toEqual([]);
    expect(registered.outputs.status).toBe('registered');
    expect(sim.calls('UpdateService')).toHaveLength(0);
    const body = sim.calls('RegisterTaskDefinition')[0].body;
    expect(body).not.toHaveProperty('revision');
    expect(body).not.toHaveProperty('taskDefinitionArn');
    expect(body.containerDefinitions[0]).toMatchObject({ image: `${world.repositoryUri}@${digest}`, environment: [{ name: 'FEATURE_X', value: 'on' }] });
    expect(registered.summary).toMatch(/added FEATURE_X/);
    expect(registered.summary).not.toMatch(/\bon\b.*FEATURE_X|FEATURE_X.*\bon\b/);

    const deployed = await run({ image: `${world.repositoryUri}:v3`, 'task-definition': 'task-definition.json' }, { cwd: workspace });
    expect(deployed.outputs.status).toBe('deployed');
    expect(deployed.outputs['task-definition-arn']).toBe(registered.outputs['task-definition-arn']);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
    expect(primaryTd(sim, world.cluster, world.service)).toBe(registered.outputs['task-definition-arn']);
  });

  it('a crash-looping image fails within a poll of the rollout failing, names why tasks stopped, and ends on the previous revision', async () => {
    const { sim, world, run } = await setup();
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 3, reason: 'ModuleNotFoundError: app.settings' } });
    let errorSeenAt = 0;
    const result = await run({ image: `${world.repositoryUri}:bad` }, { onLine: (line) => { if (!errorSeenAt && line.startsWith('::error::')) errorSeenAt = Date.now(); } });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/FAILED/);
    expect(result.errors[0]).toMatch(/rolled back to connect2-api-dev:1/);
    expect(result.errors[0]).toMatch(/EssentialContainerExited/);
    expect(result.errors[0]).toMatch(/exit 3/);
    expect(result.summary).toMatch(/Why tasks stopped/);
    expect(primaryTd(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
    expect(sim.calls('UpdateService')).toHaveLength(1);
    // The simulator's event for the failure vs the moment the step reported it: within about one
    // poll interval (1 s) plus the stopped-task lookup; the bound is deliberately loose.
    const failed = sim.state.service(world.cluster, world.service).events?.find((e) => /deployment failed/.test(e.message ?? ''));
    expect(failed?.createdAt).toBeDefined();
    const failedAt = epochMs(failed!.createdAt);
    expect(errorSeenAt).toBeGreaterThanOrEqual(failedAt);
    expect(errorSeenAt - failedAt).toBeLessThan(4000);
  });

  it.each([
    ['an image reference the registry grammar rejects', () => ({ image: 'ghcr.io/Acme/App:1' }), /^Input 'image' is 'ghcr\.io\/Acme\/App:1': repository 'Acme\/App' must be lowercase; use 'ghcr\.io\/acme\/app:1'\.$/],
    ['a missing image tag', (w: { repositoryUri: string }) => ({ image: `${w.repositoryUri}:nope` }), /^Input 'image' .*has no image with tag 'nope'/],
    ['an unknown container', (w: { repositoryUri: string }) => ({ image: `${w.repositoryUri}:abc123`, container: 'web' }), /^Input 'container' is 'web', which is not a container/],
    ['a missing service', (w: { repositoryUri: string }) => ({ image: `${w.repositoryUri}:abc123`, service: 'ghost' }), /^Input 'service' is 'ghost', which does not exist/],
    ['a CODE_DEPLOY service', (w: { repositoryUri: string }) => ({ image: `${w.repositoryUri}:abc123`, service: 'blue-green' }), /CODE_DEPLOY deployment controller, which is not supported/],
  ])('%s fails before any mutating call', async (_name, inputs, message) => {
    const { sim, world, run } = await setup();
    sim.seed.service({ cluster: world.cluster, serviceName: 'blue-green', taskDefinition: world.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration, deploymentController: { type: 'CODE_DEPLOY' } });
    const result = await run(inputs(world));
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toContain(result.errors[0].split('\n')[0]);
    expect(sim.mutatingCalls()).toEqual([]);
  });

  it('an image outside ECR is registered with a warning that names what was not verified', async () => {
    const { sim, run } = await setup();
    const result = await run({ image: 'ghcr.io/acme/connect2-api:v7', 'register-only': 'true' });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('registered');
    const warnings = result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toContainEqual(expect.stringMatching(/^ghcr\.io\/acme\/connect2-api:v7 is not in ECR: registry ghcr\.io was not asked whether tag 'v7' exists, nor which digest it points to; it is deployed by tag/));
    expect(sim.calls('DescribeImages')).toHaveLength(0);
  });

  it('AccessDenied on DescribeServices fails at once naming the permission', async () => {
    const { sim, world, run } = await setup();
    sim.faults.inject({ kind: 'access-denied', operation: 'DescribeServices' });
    const result = await run({ image: `${world.repositoryUri}:abc123` });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toEqual([expect.stringMatching(/^ecs:DescribeServices was denied \(AccessDeniedException\).*Grant ecs:DescribeServices/)]);
    expect(result.errors[0]).not.toMatch(/timed out/i);
    expect(sim.calls('DescribeServices')).toHaveLength(1);
    expect(sim.mutatingCalls()).toEqual([]);
  });

  it('credentials expiring mid-wait still leave the outputs a rollback step needs', async () => {
    const { sim, world, run } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 60_000 } });
    let injected = false;
    const result = await run(
      { image: `${world.repositoryUri}:slow` },
      {
        onLine: (line) => {
          // Right after UpdateService: every later call fails as with expired STS credentials.
          if (!injected && /UpdateService: /.test(line)) {
            injected = true;
            sim.faults.inject({ kind: 'expired-token' });
          }
        },
      },
    );
    expect(injected).toBe(true);
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/ExpiredToken/);
    const update = sim.calls('UpdateService');
    expect(update).toHaveLength(1);
    const deployed = sim.state.service(world.cluster, world.service).deployments?.find((d) => d.status === 'PRIMARY');
    expect(result.outputs).toMatchObject({
      status: 'failed',
      'task-definition-arn': update[0].body.taskDefinition,
      'previous-task-definition-arn': world.taskDefinitionArn,
      'deployment-id': deployed?.id,
    });
    expect(result.outputs.image).toMatch(/@sha256:/);
    expect(result.summary).toContain(world.taskDefinitionArn.split('/').pop()!);
  });

  it('still deploys with 30% of calls throttled', async () => {
    const { sim, world, run } = await setup();
    sim.seed.image(world.repository, 'v2');
    const throttle = sim.faults.inject({ kind: 'throttle', rate: 0.3 });
    const result = await run({ image: `${world.repositoryUri}:v2` });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('deployed');
    expect(throttle.hits).toBeGreaterThan(0);
    expect(sim.requests.filter((r) => r.errorType === 'ThrottlingException').length).toBe(throttle.hits);
  });

  it('SIGTERM during the wait rolls back and fails', async () => {
    const { sim, world, run } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 60_000 } });
    const result = await run({ image: `${world.repositoryUri}:slow` }, { cancel: { signal: 'SIGTERM', whenLogMatches: /IN_PROGRESS/ } });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/Cancelled by SIGTERM.*rolled back to connect2-api-dev:1/);
    expect(sim.calls('UpdateService')).toHaveLength(2);
    expect(sim.calls('UpdateService')[1].body.taskDefinition).toBe(world.taskDefinitionArn);
    expect(primaryTd(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
    // main finished its own rollback: the post step does nothing more.
    expect(result.post?.stdout ?? '').not.toMatch(/rolling .* back/);
  });

  it('the post step rolls back when main was killed mid-rollout', async () => {
    const { sim, world, run } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 60_000 } });
    const result = await run({ image: `${world.repositoryUri}:slow` }, { cancel: { signal: 'SIGKILL', whenLogMatches: /IN_PROGRESS/ } });
    expect(result.main.signal).toBe('SIGKILL');
    expect(result.post?.stdout).toMatch(/did not finish .* rolling connect2-api-service-dev back to connect2-api-dev:1/);
    expect(sim.calls('UpdateService')).toHaveLength(2);
    expect(primaryTd(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
  });
});

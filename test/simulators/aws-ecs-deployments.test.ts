/**
 * The ECS deployment model through the real ECS client: services, task definitions, rolling
 * updates, the circuit breaker and its rollback, service deployments. Everything runs on a virtual
 * clock shared by the test's poll loop and the simulator, so minutes of rollout take milliseconds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ClientException,
  ClusterNotFoundException,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  ServiceNotFoundException,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { VirtualClock, pollUntil, stopwatch } from '../../packages/action-kit';
import { seedConnect2, startAwsSimulator, type AwsSimulator, type Connect2World } from '../../packages/simulators/aws';

let clock: VirtualClock;
let aws: AwsSimulator;
let ecs: ECSClient;
let world: Connect2World;

beforeEach(async () => {
  clock = new VirtualClock();
  aws = await startAwsSimulator({ clock });
  world = seedConnect2(aws);
  ecs = aws.clients({ maxAttempts: 1 }).ecs;
});

afterEach(async () => {
  await aws.close();
});

async function describe1(): Promise<Service> {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: [world.service] }));
  return services![0];
}

/** Registers a revision of the service's family with another image; returns its ARN. */
async function registerImage(tag: string, scenario?: Parameters<AwsSimulator['scenarios']['forImage']>[1]): Promise<string> {
  const digest = aws.seed.image(world.repository, tag);
  if (scenario) aws.scenarios.forImage(`${world.repository}:${tag}`, scenario);
  // Deploy by digest, as ecs-deploy does: the scenario attached by tag must still apply.
  const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand(world.taskDefinitionInput(`${world.repositoryUri}@${digest}`)));
  return taskDefinition!.taskDefinitionArn!;
}

/** Polls DescribeServices every `intervalMs` of virtual time until `done`, returning every snapshot seen. */
async function watch(done: (service: Service) => boolean, intervalMs = 15_000): Promise<Service[]> {
  const seen: Service[] = [];
  await pollUntil({ clock, intervalMs, timeoutMs: 3_600_000 }, async () => {
    const service = await describe1();
    seen.push(service);
    return done(service) ? { done: true, value: service } : { done: false };
  });
  return seen;
}

describe('clusters and task definitions', () => {
  it('describes clusters, with MISSING failures for unknown ones', async () => {
    const { clusters, failures } = await ecs.send(new DescribeClustersCommand({ clusters: [world.cluster, 'nope'] }));
    expect(clusters).toHaveLength(1);
    expect(clusters![0]).toMatchObject({
      clusterArn: `arn:aws:ecs:us-west-2:123456789012:cluster/${world.cluster}`,
      clusterName: world.cluster,
      status: 'ACTIVE',
      runningTasksCount: 2,
      pendingTasksCount: 0,
      activeServicesCount: 1,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    });
    expect(failures).toEqual([{ arn: 'arn:aws:ecs:us-west-2:123456789012:cluster/nope', reason: 'MISSING' }]);
  });

  it('registers revisions, describes them with tags, lists and deregisters them', async () => {
    const { taskDefinition, tags } = await ecs.send(new RegisterTaskDefinitionCommand(world.taskDefinitionInput(`${world.repositoryUri}:next`)));
    expect(taskDefinition).toMatchObject({
      taskDefinitionArn: `arn:aws:ecs:us-west-2:123456789012:task-definition/${world.family}:2`,
      family: world.family,
      revision: 2,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      requiresCompatibilities: ['FARGATE'],
      compatibilities: ['EC2', 'FARGATE'],
    });
    expect(taskDefinition!.registeredAt).toBeInstanceOf(Date);
    expect(taskDefinition!.containerDefinitions![0]).toMatchObject({ name: world.container, image: `${world.repositoryUri}:next`, essential: true });
    expect(tags).toEqual([{ key: 'Environment', value: 'dev' }]);

    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: world.family, include: ['TAGS'] }));
    expect(described.taskDefinition!.revision).toBe(2);
    expect(described.tags).toEqual([{ key: 'Environment', value: 'dev' }]);
    const untagged = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${world.family}:1` }));
    expect(untagged.taskDefinition!.taskDefinitionArn).toBe(world.taskDefinitionArn);
    expect(untagged.tags).toBeUndefined();

    const listed = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: world.family, sort: 'DESC' }));
    expect(listed.taskDefinitionArns).toEqual([taskDefinition!.taskDefinitionArn, world.taskDefinitionArn]);

    const { taskDefinition: gone } = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinition!.taskDefinitionArn }));
    expect(gone).toMatchObject({ status: 'INACTIVE', revision: 2 });
    expect(gone!.deregisteredAt).toBeInstanceOf(Date);
    const active = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: world.family }));
    expect(active.taskDefinitionArns).toEqual([world.taskDefinitionArn]);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: world.family, status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns).toEqual([taskDefinition!.taskDefinitionArn]);
    // The family's latest ACTIVE revision is 1 again.
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: world.family }));
    expect(latest.taskDefinition!.revision).toBe(1);
  });

  it('answers ClientException for an unknown task definition', async () => {
    const error = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:7' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientException);
    expect((error as ClientException).message).toBe('Unable to describe task definition.');
  });
});

describe('services', () => {
  it('describes a seeded service as ECS does: one COMPLETED PRIMARY deployment, counts, events', async () => {
    const service = await describe1();
    expect(service).toMatchObject({
      serviceArn: `arn:aws:ecs:us-west-2:123456789012:service/${world.cluster}/${world.service}`,
      serviceName: world.service,
      clusterArn: `arn:aws:ecs:us-west-2:123456789012:cluster/${world.cluster}`,
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition: world.taskDefinitionArn,
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
      networkConfiguration: world.networkConfiguration,
      schedulingStrategy: 'REPLICA',
    });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: world.taskDefinitionArn,
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState: 'COMPLETED',
      launchType: 'FARGATE',
    });
    expect(service.deployments![0].id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(service.deployments![0].createdAt).toBeInstanceOf(Date);
    expect(service.events![0]).toMatchObject({ message: `(service ${world.service}) has reached a steady state.` });
    expect(service.events![0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(service.events![0].createdAt).toBeInstanceOf(Date);
  });

  it('answers MISSING failures, ServiceNotFoundException and ClusterNotFoundException', async () => {
    const { services, failures } = await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: ['nope'] }));
    expect(services).toEqual([]);
    expect(failures).toEqual([{ arn: `arn:aws:ecs:us-west-2:123456789012:service/${world.cluster}/nope`, reason: 'MISSING' }]);
    await expect(ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: [world.service] }))).rejects.toBeInstanceOf(ClusterNotFoundException);
    await expect(ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: 'nope', forceNewDeployment: true }))).rejects.toBeInstanceOf(
      ServiceNotFoundException,
    );
    await expect(ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: 'nope:1' }))).rejects.toThrow(
      'TaskDefinition not found.',
    );
  });

  it('omits rolloutState for a service seeded without it (old ECS behaviour)', async () => {
    aws.seed.service({ cluster: world.cluster, serviceName: 'legacy', taskDefinition: world.taskDefinitionArn, desiredCount: 1, launchType: 'FARGATE', rolloutState: false });
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: ['legacy'] }));
    expect(services![0].deployments![0].status).toBe('PRIMARY');
    expect(services![0].deployments![0].rolloutState).toBeUndefined();
    expect(services![0].deployments![0].rolloutStateReason).toBeUndefined();
  });

  it('refuses a task definition change on a CODE_DEPLOY service', async () => {
    aws.seed.service({
      cluster: world.cluster,
      serviceName: 'blue-green',
      taskDefinition: world.taskDefinitionArn,
      launchType: 'FARGATE',
      deploymentController: { type: 'CODE_DEPLOY' },
    });
    const next = await registerImage('next');
    await expect(ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: 'blue-green', taskDefinition: next }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });
});

describe('rolling deployment', () => {
  it('creates a PRIMARY deployment, replaces the old tasks as new ones get healthy, and completes', async () => {
    const next = await registerImage('v2');
    const { service: updated } = await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: next }));
    expect(updated!.taskDefinition).toBe(next);
    expect(updated!.deployments!.map((d) => [d.status, d.taskDefinition, d.rolloutState])).toEqual([
      ['PRIMARY', next, 'IN_PROGRESS'],
      ['ACTIVE', world.taskDefinitionArn, 'COMPLETED'],
    ]);
    const primaryId = updated!.deployments![0].id!;
    expect(updated!.deployments![0]).toMatchObject({ rolloutStateReason: `ECS deployment ${primaryId} in progress.`, desiredCount: 2, failedTasks: 0 });

    const seen = await watch((s) => s.deployments![0].rolloutState === 'COMPLETED');
    const final = seen.at(-1)!;
    expect(final.deployments).toHaveLength(1);
    expect(final.deployments![0]).toMatchObject({ id: primaryId, status: 'PRIMARY', taskDefinition: next, runningCount: 2, pendingCount: 0, failedTasks: 0 });
    expect(final).toMatchObject({ runningCount: 2, pendingCount: 0, desiredCount: 2, taskDefinition: next });

    const messages = final.events!.map((e) => e.message ?? '');
    const newest = messages.slice(0, messages.indexOf(`(service ${world.service}) has reached a steady state.`, 1) + 1);
    expect(newest[0]).toBe(`(service ${world.service}) has reached a steady state.`);
    expect(newest[1]).toBe(`(service ${world.service}) (deployment ${primaryId}) deployment completed.`);
    expect(newest.some((m) => /^\(service connect2-api-service-dev\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m))).toBe(true);
    expect(newest.some((m) => /^\(service connect2-api-service-dev\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m))).toBe(true);
    const times = final.events!.map((e) => e.createdAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // The old tasks were drained by the scheduler; the new ones run the digest-pinned image.
    const stopped = await ecs.send(new ListTasksCommand({ cluster: world.cluster, serviceName: world.service, desiredStatus: 'STOPPED' }));
    const { tasks: old } = await ecs.send(new DescribeTasksCommand({ cluster: world.cluster, tasks: stopped.taskArns }));
    expect(old).toHaveLength(2);
    for (const task of old!) {
      expect(task).toMatchObject({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', taskDefinitionArn: world.taskDefinitionArn });
      expect(task.containers![0].exitCode).toBe(143);
    }
    const running = await ecs.send(new ListTasksCommand({ cluster: world.cluster, serviceName: world.service }));
    const { tasks: current } = await ecs.send(new DescribeTasksCommand({ cluster: world.cluster, tasks: running.taskArns }));
    expect(current!.map((t) => [t.lastStatus, t.taskDefinitionArn, t.group, t.startedBy])).toEqual([
      ['RUNNING', next, `service:${world.service}`, primaryId],
      ['RUNNING', next, `service:${world.service}`, primaryId],
    ]);
  });

  it('runs a 10-minute rollout on the virtual clock', async () => {
    const next = await registerImage('slow', { kind: 'slow-start', startMs: 10 * 60_000 });
    const elapsed = stopwatch(clock);
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: next }));
    const seen = await watch((s) => s.deployments![0].rolloutState === 'COMPLETED');
    expect(elapsed.elapsedMs()).toBeGreaterThanOrEqual(10 * 60_000);
    expect(elapsed.elapsedMs()).toBeLessThan(12 * 60_000);
    // While the new tasks were starting, the old ones kept serving.
    const midway = seen.find((s) => s.deployments!.length === 2 && s.deployments![0].pendingCount === 2);
    expect(midway?.deployments![1]).toMatchObject({ status: 'ACTIVE', runningCount: 2 });
    expect(seen.at(-1)!.deployments![0]).toMatchObject({ taskDefinition: next, runningCount: 2 });
  });

  it('rescales without a new deployment when only desiredCount changes', async () => {
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, desiredCount: 3 }));
    expect(service!.deployments).toHaveLength(1);
    expect(service!.deployments![0]).toMatchObject({ desiredCount: 3, pendingCount: 1, rolloutState: 'COMPLETED' });
    const seen = await watch((s) => s.runningCount === 3);
    expect(seen.at(-1)!.deployments).toHaveLength(1);
  });

  it('starts a new deployment of the same task definition on forceNewDeployment', async () => {
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, forceNewDeployment: true }));
    expect(service!.deployments!.map((d) => [d.status, d.taskDefinition])).toEqual([
      ['PRIMARY', world.taskDefinitionArn],
      ['ACTIVE', world.taskDefinitionArn],
    ]);
    const seen = await watch((s) => s.deployments!.length === 1 && s.deployments![0].rolloutState === 'COMPLETED');
    expect(seen.at(-1)!.deployments![0].id).toBe(service!.deployments![0].id);
  });
});

describe('circuit breaker', () => {
  it('fails a crash-looping deployment at the threshold and rolls back to the last completed one', async () => {
    const bad = await registerImage('bad', { kind: 'crash-loop', exitCode: 1, reason: 'Traceback: ImportError' });
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    const failedId = service!.deployments![0].id!;

    // The default timings crash a task every ~1.2 s: poll often enough to see the FAILED state.
    const seen = await watch((s) => s.deployments!.length === 1 && s.deployments![0].rolloutState === 'COMPLETED', 250);
    const failing = seen.find((s) => s.deployments!.some((d) => d.id === failedId && d.rolloutState === 'FAILED'));
    const failed = failing!.deployments!.find((d) => d.id === failedId)!;
    expect(failed).toMatchObject({ status: 'ACTIVE', taskDefinition: bad, rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    // threshold = max(3, min(200, ceil(0.5 * 2))) = 3
    expect(failed.failedTasks).toBeGreaterThanOrEqual(3);
    expect(failing!.deployments![0]).toMatchObject({ status: 'PRIMARY', taskDefinition: world.taskDefinitionArn });

    const final = seen.at(-1)!;
    const rollbackId = final.deployments![0].id!;
    expect(rollbackId).not.toBe(failedId);
    expect(final).toMatchObject({ taskDefinition: world.taskDefinitionArn, runningCount: 2 });
    const messages = final.events!.map((e) => e.message ?? '');
    const failedAt = messages.indexOf(`(service ${world.service}) (deployment ${failedId}) deployment failed: tasks failed to start.`);
    const rollingBackAt = messages.indexOf(`(service ${world.service}) rolling back to deployment ${rollbackId}.`);
    const completedAt = messages.indexOf(`(service ${world.service}) (deployment ${rollbackId}) deployment completed.`);
    expect(completedAt).toBeGreaterThanOrEqual(0);
    expect(rollingBackAt).toBeGreaterThan(completedAt);
    expect(failedAt).toBeGreaterThan(rollingBackAt);

    // The crashed tasks say why.
    const stopped = await ecs.send(new ListTasksCommand({ cluster: world.cluster, family: world.family, desiredStatus: 'STOPPED' }));
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: world.cluster, tasks: stopped.taskArns }));
    const crashed = tasks!.filter((t) => t.taskDefinitionArn === bad);
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    for (const task of crashed) {
      expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
      expect(task.containers![0]).toMatchObject({ exitCode: 1, reason: 'Traceback: ImportError', lastStatus: 'STOPPED' });
    }

    // In the service-deployment API the rollback belongs to the failed deployment.
    const { serviceDeployments } = await ecs.send(new ListServiceDeploymentsCommand({ cluster: world.cluster, service: world.service }));
    expect(serviceDeployments!.map((d) => d.status)).toEqual(['ROLLBACK_SUCCESSFUL', 'SUCCESSFUL']);
    const brief = serviceDeployments![0];
    expect(brief.serviceDeploymentArn).toMatch(/^arn:aws:ecs:us-west-2:123456789012:service-deployment\/connect2-api-cluster-dev\/connect2-api-service-dev\/\w+$/);
    expect(brief).toMatchObject({ serviceArn: final.serviceArn, clusterArn: final.clusterArn, statusReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    const { serviceDeployments: full, failures } = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief.serviceDeploymentArn!, `${brief.serviceDeploymentArn!}x`] }),
    );
    expect(failures).toEqual([{ arn: `${brief.serviceDeploymentArn!}x`, reason: 'MISSING' }]);
    expect(full![0]).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      deploymentCircuitBreaker: { status: 'TRIGGERED', threshold: 3 },
      rollback: { reason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.' },
      targetServiceRevision: { requestedTaskCount: 2, runningTaskCount: 0 },
    });
    expect(full![0].rollback!.serviceRevisionArn).toBe(full![0].sourceServiceRevisions![0].arn);
    expect(full![0].finishedAt).toBeInstanceOf(Date);
    expect(full![0].deploymentCircuitBreaker!.failureCount).toBeGreaterThanOrEqual(3);
  });

  it('fails a deployment whose image cannot be pulled and stops there without rollback', async () => {
    aws.seed.service({
      cluster: world.cluster,
      serviceName: 'no-rollback',
      taskDefinition: world.taskDefinitionArn,
      desiredCount: 8,
      launchType: 'FARGATE',
      networkConfiguration: world.networkConfiguration,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    const missing = await registerImage('missing', { kind: 'pull-failure' });
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: 'no-rollback', taskDefinition: missing }));
    const seen: Service[] = [];
    await pollUntil({ clock, intervalMs: 15_000, timeoutMs: 3_600_000 }, async () => {
      const { services } = await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: ['no-rollback'] }));
      seen.push(services![0]);
      return services![0].deployments![0].rolloutState === 'FAILED' ? { done: true, value: true } : { done: false };
    });
    const final = seen.at(-1)!;
    // threshold = max(3, min(200, ceil(0.5 * 8))) = 4; the old tasks keep serving.
    expect(final.deployments!.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'FAILED'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    expect(final.deployments![0].failedTasks).toBeGreaterThanOrEqual(4);
    expect(final.deployments![1].runningCount).toBe(8);
    expect(final.events!.some((e) => e.message?.includes('rolling back'))).toBe(false);

    // Ten minutes later nothing more was launched for the failed deployment.
    const launched = aws.state.tasks(world.cluster).filter((t) => t.taskDefinitionArn === missing).length;
    await clock.sleep(600_000);
    expect(aws.state.tasks(world.cluster).filter((t) => t.taskDefinitionArn === missing)).toHaveLength(launched);

    const stopped = await ecs.send(new ListTasksCommand({ cluster: world.cluster, serviceName: 'no-rollback', desiredStatus: 'STOPPED' }));
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: world.cluster, tasks: stopped.taskArns }));
    expect(tasks!.length).toBeGreaterThanOrEqual(4);
    for (const task of tasks!) {
      expect(task.stopCode).toBe('TaskFailedToStart');
      expect(task.stoppedReason).toMatch(/^CannotPullContainerError: pull image manifest has been retried 5 time\(s\): /);
      expect(task.startedAt).toBeUndefined();
      expect(task.containers![0].exitCode).toBeUndefined();
    }
    const { serviceDeployments } = await ecs.send(new ListServiceDeploymentsCommand({ cluster: world.cluster, service: 'no-rollback', status: ['STOPPED'] }));
    expect(serviceDeployments).toHaveLength(1);
  });

  it('keeps a crash loop IN_PROGRESS when the service has no circuit breaker', async () => {
    aws.seed.service({
      cluster: world.cluster,
      serviceName: 'no-breaker',
      taskDefinition: world.taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: world.networkConfiguration,
    });
    const bad = await registerImage('bad', { kind: 'crash-loop' });
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: 'no-breaker', taskDefinition: bad }));
    await clock.sleep(600_000);
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: ['no-breaker'] }));
    const [primary, old] = services![0].deployments!;
    expect(primary).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: bad });
    expect(primary.failedTasks).toBeGreaterThan(100);
    expect(old).toMatchObject({ status: 'ACTIVE', runningCount: 2 });
  });
});

describe('service deployments', () => {
  it('lists and describes a successful deployment and the one it superseded', async () => {
    const next = await registerImage('v2');
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: next }));
    const { serviceDeployments: during } = await ecs.send(new ListServiceDeploymentsCommand({ cluster: world.cluster, service: world.service }));
    expect(during!.map((d) => d.status)).toEqual(['IN_PROGRESS', 'SUCCESSFUL']);
    await watch((s) => s.deployments![0].rolloutState === 'COMPLETED');

    const { serviceDeployments } = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster: world.cluster, service: world.service, status: ['SUCCESSFUL'], maxResults: 1 }),
    );
    expect(serviceDeployments).toHaveLength(1);
    const [brief] = serviceDeployments!;
    expect(brief.startedAt).toBeInstanceOf(Date);
    expect(brief.finishedAt!.getTime()).toBeGreaterThan(brief.startedAt!.getTime());
    const { serviceDeployments: full } = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief.serviceDeploymentArn!] }));
    expect(full![0]).toMatchObject({
      status: 'SUCCESSFUL',
      targetServiceRevision: { arn: brief.targetServiceRevisionArn, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
      sourceServiceRevisions: [{ requestedTaskCount: 2, runningTaskCount: 0 }],
      deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    expect(full![0].targetServiceRevision!.arn).toMatch(/^arn:aws:ecs:us-west-2:123456789012:service-revision\/connect2-api-cluster-dev\/connect2-api-service-dev\/\d{19}$/);
  });

  it('describes the service revisions a deployment history names: their task definition and images', async () => {
    const next = await registerImage('v2');
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: next }));
    await watch((s) => s.deployments![0].rolloutState === 'COMPLETED');
    const { serviceDeployments } = await ecs.send(new ListServiceDeploymentsCommand({ cluster: world.cluster, service: world.service }));
    const arns = serviceDeployments!.map((d) => d.targetServiceRevisionArn!);
    const { serviceRevisions, failures } = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [...arns, `${arns[0]}9`] }));
    expect(failures).toEqual([{ arn: `${arns[0]}9`, reason: 'MISSING' }]);
    expect(serviceRevisions!.map((r) => r.taskDefinition)).toEqual([next, world.taskDefinitionArn]);
    expect(serviceRevisions![0]).toMatchObject({ serviceRevisionArn: arns[0], serviceArn: serviceDeployments![0].serviceArn, containerImages: [{ containerName: world.container, image: expect.stringContaining('@sha256:') }] });
    await expect(ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [] }))).rejects.toThrow(/between 1 and 20/);
  });
});

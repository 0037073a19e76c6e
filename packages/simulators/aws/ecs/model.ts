/**
 * The ECS model: clusters, services, deployments and tasks, moved forward lazily. Before answering
 * a request the model steps through every moment at which a task changed state since the last
 * request (a discrete-event simulation on the injected clock), and at each one the service
 * scheduler does what ECS does: launch missing tasks, stop old ones as new ones become healthy,
 * complete or fail the rollout, roll back. No timers run, so a virtual clock can jump 10 minutes.
 */
import type { Clock } from '../../../action-kit';
import { arnResource } from '../../../aws';
import type { EcrModel } from '../ecr';
import { AwsServiceError, clientException, clusterNotFound, invalidParameter, serviceNotFound } from '../errors';
import type { LogsModel } from '../logs';
import type { IdSource } from '../random';
import type { Scenario, ScenarioRegistry } from '../scenarios';
import type { EcsTiming } from '../timing';
import {
  describeDeployment,
  failureThreshold,
  type CapacityProviderItem,
  type Cluster,
  type Deployment,
  type DeploymentConfiguration,
  type DeploymentCounts,
  type Placement,
  type Service,
  type ServiceDeploymentRecord,
} from './services';
import type { ContainerRuntime, ImageSnapshot } from './processes';
import type { TaskDefinition, TaskDefinitionRegistry } from './task-definitions';
import { containersOf, isHealthy, isLive, planTimeline, requestStop, statusAt, transitions, type StopCode, type Task } from './tasks';

export interface EcsModelDeps {
  clock: Clock;
  region: string;
  accountId: string;
  timing: EcsTiming;
  ids: IdSource;
  taskDefinitions: TaskDefinitionRegistry;
  ecr: EcrModel;
  logs: LogsModel;
  scenarios: ScenarioRegistry;
  /**
   * As ECS does: a task whose awslogs group does not exist (and without `awslogs-create-group: true`)
   * fails to start with ResourceInitializationError. Off by default: groups are then created when a
   * task first writes to them.
   */
  requireLogGroups?: boolean;
  /** Runs tasks of snapshot images as local processes (processes.ts); other images follow their scenarios. */
  runtime?: ContainerRuntime;
}

export interface SeedServiceInput extends Placement {
  cluster: string;
  serviceName: string;
  taskDefinition: string;
  desiredCount?: number;
  deploymentController?: { type: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL' };
  deploymentConfiguration?: DeploymentConfiguration;
  rolloutState?: boolean;
  tags?: { key: string; value: string }[];
}

export interface LaunchRequest {
  cluster: Cluster;
  taskDefinition: TaskDefinition;
  group: string;
  startedBy?: string;
  placement: Placement;
  overrides?: { containerOverrides?: { name?: string; command?: string[] }[]; [key: string]: unknown };
  tags?: { key: string; value: string }[];
  service?: Service;
  deployment?: Deployment;
}

export class EcsModel {
  readonly clusters = new Map<string, Cluster>();
  readonly services = new Map<string, Service>();
  readonly tasks: Task[] = [];
  /** Tasks that have not reached STOPPED yet: the only ones whose transitions still matter. */
  private unsettled = new Set<Task>();
  /** Tasks per deployment id: the scheduler asks for them at every step, so no scan of all tasks. */
  private readonly byDeployment = new Map<string, Task[]>();
  private simTime: number;

  constructor(private readonly deps: EcsModelDeps) {
    this.simTime = deps.clock.now();
  }

  get accountId(): string {
    return this.deps.accountId;
  }

  /** The time requests are answered at. */
  simNow(): number {
    return this.deps.clock.now();
  }

  // ---- lookups -------------------------------------------------------------------------------

  private arn(resource: string): string {
    return `arn:aws:ecs:${this.deps.region}:${this.deps.accountId}:${resource}`;
  }

  cluster(reference: unknown): Cluster {
    const name = typeof reference === 'string' && reference ? arnResource(reference) : 'default';
    const cluster = this.clusters.get(name);
    if (!cluster) throw clusterNotFound();
    return cluster;
  }

  findCluster(reference: string): Cluster | undefined {
    return this.clusters.get(arnResource(reference));
  }

  service(cluster: Cluster, reference: unknown): Service {
    const found = typeof reference === 'string' ? this.findService(cluster, reference) : undefined;
    if (!found) throw serviceNotFound();
    return found;
  }

  findService(cluster: Cluster, reference: string): Service | undefined {
    return this.services.get(`${cluster.name}/${arnResource(reference)}`);
  }

  tasksOf(deployment: Deployment): Task[] {
    return this.byDeployment.get(deployment.id) ?? [];
  }

  counts(deployment: Deployment, now = this.deps.clock.now()): DeploymentCounts {
    let runningCount = 0;
    let pendingCount = 0;
    let failedTasks = 0;
    for (const task of this.tasksOf(deployment)) {
      const status = statusAt(task, now);
      if (status === 'RUNNING') runningCount += 1;
      else if (status === 'PENDING' || status === 'PROVISIONING') pendingCount += 1;
      if (task.failed && task.stoppingAt !== undefined && task.stoppingAt <= now) failedTasks += 1;
    }
    return { runningCount, pendingCount, failedTasks };
  }

  describeDeployments(service: Service) {
    return service.deployments.map((d) => describeDeployment(service, d, this.counts(d)));
  }

  /** Task counts of a service revision now (summed over the live deployments that run it). */
  revisionCounts(service: Service, revisionArn: string, requestedTaskCount: number) {
    const running = service.deployments.filter((d) => d.revisionArn === revisionArn).map((d) => this.counts(d));
    return {
      arn: revisionArn,
      requestedTaskCount,
      runningTaskCount: running.reduce((sum, c) => sum + c.runningCount, 0),
      pendingTaskCount: running.reduce((sum, c) => sum + c.pendingCount, 0),
    };
  }

  /** Every service-deployment record of the cluster's services, newest first. */
  serviceDeploymentRecords(service?: Service): { service: Service; record: ServiceDeploymentRecord }[] {
    const services = service ? [service] : [...this.services.values()];
    return services
      .flatMap((s) => s.history.map((d) => ({ service: s, record: d.record })))
      .sort((a, b) => b.record.createdAt - a.record.createdAt);
  }

  // ---- seeding -------------------------------------------------------------------------------

  seedCluster(name: string, options: { capacityProviders?: string[]; defaultCapacityProviderStrategy?: CapacityProviderItem[] } = {}): string {
    const cluster: Cluster = {
      name,
      arn: this.arn(`cluster/${name}`),
      capacityProviders: options.capacityProviders ?? ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: options.defaultCapacityProviderStrategy ?? [],
      tags: [],
    };
    this.clusters.set(name, cluster);
    return cluster.arn;
  }

  /** A service as Terraform leaves it: one COMPLETED PRIMARY deployment with its tasks running. */
  seedService(input: SeedServiceInput): string {
    this.advance();
    const now = this.deps.clock.now();
    const cluster = this.cluster(input.cluster);
    const td = this.deps.taskDefinitions.find(input.taskDefinition);
    if (!td) throw new Error(`simulator seed: unknown task definition ${input.taskDefinition}`);
    const circuitBreaker = input.deploymentConfiguration?.deploymentCircuitBreaker ?? { enable: false, rollback: false };
    const service: Service = {
      arn: this.arn(`service/${cluster.name}/${input.serviceName}`),
      name: input.serviceName,
      cluster,
      createdAt: now - 3_600_000,
      status: 'ACTIVE',
      placement: placementOf(input),
      deploymentController: input.deploymentController ?? { type: 'ECS' },
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, ...input.deploymentConfiguration, deploymentCircuitBreaker: circuitBreaker },
      reportsRolloutState: input.rolloutState !== false,
      deployments: [],
      history: [],
      events: [],
      tags: input.tags ?? [],
    };
    this.services.set(`${cluster.name}/${service.name}`, service);
    const deployment = this.newDeployment(service, td, input.desiredCount ?? 2, service.placement, now - 120_000);
    deployment.rolloutState = 'COMPLETED';
    deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
    deployment.record.status = 'SUCCESSFUL';
    deployment.record.finishedAt = now - 60_000;
    if (circuitBreaker.enable) deployment.record.circuitBreaker.status = 'MONITORING_COMPLETE';
    service.lastCompleted = deployment;
    // Its tasks have been up for a while: launched in the past, already healthy.
    for (let i = 0; i < deployment.desiredCount; i++) this.launch(this.serviceLaunch(service, deployment), now - 120_000);
    this.event(service, `(service ${service.name}) has reached a steady state.`, now - 60_000);
    return service.arn;
  }

  // ---- the clock -----------------------------------------------------------------------------

  /** Brings the model up to `clock.now()`, stepping through every task transition on the way. */
  advance(): void {
    const now = this.deps.clock.now();
    for (;;) {
      let next = Infinity;
      for (const task of this.unsettled) {
        for (const t of transitions(task)) if (t > this.simTime && t <= now && t < next) next = t;
      }
      if (next === Infinity) break;
      this.simTime = next;
      this.schedule(next);
    }
    if (now > this.simTime) this.simTime = now;
    this.schedule(this.simTime);
  }

  private schedule(at: number): void {
    for (const task of this.unsettled) if (task.stoppedAt !== undefined && task.stoppedAt <= at) this.unsettled.delete(task);
    for (const service of this.services.values()) this.reconcile(service, at);
  }

  // ---- the service scheduler -----------------------------------------------------------------

  private reconcile(service: Service, at: number): void {
    if (service.status !== 'ACTIVE' || !service.deployments.length) return;
    this.tripCircuitBreaker(service, at);
    const primary = service.deployments[0];
    const primaryTasks = this.tasksOf(primary);
    const live = primaryTasks.filter((t) => isLive(t, at));

    // Keep the PRIMARY at its desired count, unless its rollout failed (ECS stops launching then).
    if (primary.rolloutState !== 'FAILED' && live.length < primary.desiredCount) {
      const started = [];
      for (let i = live.length; i < primary.desiredCount; i++) started.push(this.launch(this.serviceLaunch(service, primary), at));
      primary.updatedAt = at;
      this.event(service, `(service ${service.name}) has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`, at);
    } else if (live.length > primary.desiredCount) {
      this.stopTasks(service, live.slice(primary.desiredCount).reverse(), at, primary);
    }

    // Rolling update with minimumHealthyPercent 100: an old task stops for every new healthy one.
    const healthy = primaryTasks.filter((t) => isHealthy(t, at)).length;
    const oldLive = service.deployments
      .slice(1)
      .reverse()
      .flatMap((d) => this.tasksOf(d).filter((t) => isLive(t, at)));
    const excess = oldLive.length - Math.max(0, primary.desiredCount - healthy);
    if (excess > 0) this.stopTasks(service, oldLive.slice(0, excess), at, primary);

    // Drained deployments disappear once every task of theirs has STOPPED.
    const drained = service.deployments.slice(1).filter((d) => this.tasksOf(d).every((t) => t.stoppedAt !== undefined && t.stoppedAt <= at));
    for (const d of drained) {
      d.status = 'INACTIVE';
      d.updatedAt = at;
    }
    service.deployments = service.deployments.filter((d) => !drained.includes(d));

    const running = primaryTasks.filter((t) => isLive(t, at) && statusAt(t, at) === 'RUNNING').length;
    if (primary.rolloutState === 'IN_PROGRESS' && service.deployments.length === 1 && healthy === primary.desiredCount && running === primary.desiredCount) {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
      primary.updatedAt = at;
      primary.record.status = primary.rollbackOf ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
      primary.record.finishedAt = at;
      primary.record.updatedAt = at;
      if (primary.record.circuitBreaker.status === 'MONITORING') primary.record.circuitBreaker.status = 'MONITORING_COMPLETE';
      service.lastCompleted = primary;
      this.event(service, `(service ${service.name}) (deployment ${primary.id}) deployment completed.`, at);
      this.event(service, `(service ${service.name}) has reached a steady state.`, at);
    }
  }

  private tripCircuitBreaker(service: Service, at: number): void {
    const primary = service.deployments[0];
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    if (!breaker?.enable || primary.rolloutState !== 'IN_PROGRESS') return;
    const { failedTasks } = this.counts(primary, at);
    const threshold = failureThreshold(primary.desiredCount);
    if (!primary.rollbackOf) primary.record.circuitBreaker.failureCount = failedTasks;
    if (failedTasks < threshold) return;

    primary.rolloutState = 'FAILED';
    primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    primary.updatedAt = at;
    primary.record.status = primary.rollbackOf ? 'ROLLBACK_FAILED' : 'ROLLBACK_REQUESTED';
    primary.record.statusReason = primary.rolloutStateReason;
    primary.record.updatedAt = at;
    primary.record.circuitBreaker.status = 'TRIGGERED';
    this.event(service, `(service ${service.name}) (deployment ${primary.id}) deployment failed: tasks failed to start.`, at);

    const target = service.lastCompleted;
    if (!breaker.rollback || primary.rollbackOf || !target || target === primary) {
      if (!primary.rollbackOf) primary.record.status = 'STOPPED';
      primary.record.finishedAt = at;
      return;
    }
    // As in ECS, the rollback is a new deployment in DescribeServices but part of the same service
    // deployment (its record moves to ROLLBACK_IN_PROGRESS) in the service-deployment APIs.
    const rollback = this.newDeployment(service, target.taskDefinition, primary.desiredCount, target.placement, at, { rollbackOf: primary, revisionArn: target.revisionArn });
    primary.record.status = 'ROLLBACK_IN_PROGRESS';
    primary.record.rollback = {
      reason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.',
      startedAt: at,
      serviceRevisionArn: target.revisionArn,
    };
    primary.record.updatedAt = at;
    this.event(service, `(service ${service.name}) rolling back to deployment ${rollback.id}.`, at);
  }

  /** Creates a PRIMARY deployment and demotes the current one to ACTIVE. */
  private newDeployment(
    service: Service,
    td: TaskDefinition,
    desiredCount: number,
    placement: Placement,
    at: number,
    rollback?: { rollbackOf: Deployment; revisionArn: string },
  ): Deployment {
    // A service deployment superseded before it finished is STOPPED.
    for (const d of service.deployments) {
      if (d.record.status === 'IN_PROGRESS' || d.record.status === 'PENDING') {
        d.record.status = 'STOPPED';
        d.record.stoppedAt = at;
        d.record.updatedAt = at;
      }
    }
    const previous = service.deployments[0];
    if (previous) {
      previous.status = 'ACTIVE';
      previous.updatedAt = at;
    }
    const id = this.deps.ids.deploymentId();
    const revisionArn = rollback?.revisionArn ?? this.arn(`service-revision/${service.cluster.name}/${service.name}/${id.split('/')[1]}`);
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    const threshold = failureThreshold(desiredCount);
    const record: ServiceDeploymentRecord = rollback?.rollbackOf.record ?? {
      arn: this.arn(`service-deployment/${service.cluster.name}/${service.name}/${this.deps.ids.hex(22)}`),
      serviceArn: service.arn,
      clusterArn: service.cluster.arn,
      createdAt: at,
      startedAt: at,
      updatedAt: at,
      status: 'IN_PROGRESS',
      sources: service.deployments.map((d) => ({ revisionArn: d.revisionArn, requestedTaskCount: d.desiredCount })),
      targetRevisionArn: revisionArn,
      targetDesiredCount: desiredCount,
      circuitBreaker: { status: breaker?.enable ? 'MONITORING' : 'DISABLED', failureCount: 0, threshold },
      deploymentConfiguration: service.deploymentConfiguration,
    };
    const deployment: Deployment = {
      id,
      status: 'PRIMARY',
      taskDefinition: td,
      desiredCount,
      placement,
      createdAt: at,
      updatedAt: at,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${id} in progress.`,
      rollbackOf: rollback?.rollbackOf.id,
      revisionArn,
      record,
    };
    service.deployments.unshift(deployment);
    if (!rollback) service.history.push(deployment);
    return deployment;
  }

  private stopTasks(service: Service, tasks: Task[], at: number, primary: Deployment): void {
    const stopped = tasks.filter((t) => this.stop(t, at, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${primary.id})`));
    if (stopped.length) {
      this.event(service, `(service ${service.name}) has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${t.id})`).join(' ')}.`, at);
    }
  }

  private event(service: Service, message: string, at: number): void {
    service.events.unshift({ id: this.deps.ids.uuid(), createdAt: at, message });
    if (service.events.length > 100) service.events.length = 100;
  }

  // ---- UpdateService -------------------------------------------------------------------------

  updateService(input: any): Service {
    this.advance();
    const at = this.deps.clock.now();
    const cluster = this.cluster(input.cluster);
    const service = this.service(cluster, input.service);
    if (service.status !== 'ACTIVE') throw new AwsServiceError('ServiceNotActiveException', 'Service was not ACTIVE.');
    const primary = service.deployments[0];
    let td = primary.taskDefinition;
    if (input.taskDefinition !== undefined) {
      const found = this.deps.taskDefinitions.find(input.taskDefinition);
      if (!found) throw clientException('TaskDefinition not found.');
      if (found.status !== 'ACTIVE') throw clientException(`TaskDefinition is inactive`);
      if (service.deploymentController.type !== 'ECS' && found !== td) {
        throw invalidParameter(
          'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
        );
      }
      td = found;
    }
    if (input.desiredCount !== undefined && (!Number.isInteger(input.desiredCount) || input.desiredCount < 0)) {
      throw invalidParameter('Invalid desiredCount.');
    }
    if (input.deploymentConfiguration) {
      service.deploymentConfiguration = { ...service.deploymentConfiguration, ...input.deploymentConfiguration };
    }
    const placement: Placement = {
      ...primary.placement,
      ...(input.capacityProviderStrategy ? { capacityProviderStrategy: input.capacityProviderStrategy, launchType: undefined } : {}),
      ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
      ...(input.platformVersion ? { platformVersion: input.platformVersion } : {}),
    };
    const desiredCount = input.desiredCount ?? primary.desiredCount;
    const placementChanged = JSON.stringify(placement) !== JSON.stringify(primary.placement);
    if (td !== primary.taskDefinition || input.forceNewDeployment || placementChanged) {
      service.placement = placement;
      this.newDeployment(service, td, desiredCount, placement, at);
    } else if (desiredCount !== primary.desiredCount) {
      primary.desiredCount = desiredCount;
      primary.updatedAt = at;
    }
    this.schedule(at);
    return service;
  }

  // ---- tasks ---------------------------------------------------------------------------------

  private serviceLaunch(service: Service, deployment: Deployment): LaunchRequest {
    return {
      cluster: service.cluster,
      taskDefinition: deployment.taskDefinition,
      group: `service:${service.name}`,
      startedBy: deployment.id,
      placement: deployment.placement,
      service,
      deployment,
    };
  }

  /** Launches one task at `at`: plans its life from its scenario and its log stream. */
  launch(request: LaunchRequest, at: number): Task {
    const { cluster, taskDefinition: td } = request;
    const id = this.deps.ids.taskId();
    const overrides = request.overrides ?? {};
    const commandOverride = overrides.containerOverrides?.find((o) => o.command?.length);
    const containers = containersOf(td, (image) => this.deps.ecr.aliases(image).digest, () => this.deps.ids.uuid());
    const oneOff = !request.service;
    const imageScenario = (name: string) => {
      const image = containers.find((c) => c.name === name)!.image;
      return this.deps.scenarios.imageScenario(image, this.deps.ecr.aliases(image).aliases);
    };
    const essential = containers.filter((c) => c.essential);
    let main = commandOverride?.name ?? essential.find((c) => imageScenario(c.name))?.name ?? essential[0]?.name ?? containers[0].name;
    if (!containers.some((c) => c.name === main)) main = containers[0].name;
    // A one-off task's command is its override, or else what its task definition says.
    const command = commandOverride?.command ?? td.containerDefinitions.find((c) => c.name === main)?.command;
    let scenario: Scenario | undefined = oneOff ? this.deps.scenarios.commandScenario(command) : undefined;
    if (!scenario) scenario = imageScenario(main);
    // A one-off task of a long-running image still ends: it runs its command and exits 0.
    if (oneOff && (scenario?.kind === 'healthy' || scenario?.kind === 'slow-start')) scenario = undefined;
    const missingGroup = this.deps.requireLogGroups ? this.missingLogGroup(td) : undefined;
    // It fails to start like a pull failure, with the reason ECS gives for the log group.
    if (missingGroup) scenario = { kind: 'pull-failure' };

    const task: Task = {
      id,
      arn: this.arn(`task/${cluster.name}/${id}`),
      clusterName: cluster.name,
      clusterArn: cluster.arn,
      taskDefinition: td,
      group: request.group,
      startedBy: request.startedBy,
      serviceName: request.service?.name,
      deploymentId: request.deployment?.id,
      overrides,
      tags: request.tags ?? [],
      placement: this.taskPlacement(cluster, request.placement),
      containers,
      mainContainer: main,
      createdAt: at,
      pendingAt: at,
      failed: false,
    };
    const snapshot = this.snapshotOf(task);
    if (snapshot) return this.launchProcess(task, snapshot, commandOverride?.command, at);
    const lines = planTimeline(task, scenario, this.deps.timing, oneOff);
    if (missingGroup) {
      task.stoppedReason = `ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1`;
      for (const c of task.containers) c.reason = undefined;
    }
    this.tasks.push(task);
    this.unsettled.add(task);
    if (task.deploymentId) {
      const list = this.byDeployment.get(task.deploymentId) ?? [];
      list.push(task);
      this.byDeployment.set(task.deploymentId, list);
    }
    this.openLogStreams(task, lines);
    return task;
  }

  private snapshotOf(task: Task): ImageSnapshot | undefined {
    const digest = task.containers.find((c) => c.name === task.mainContainer)?.imageDigest;
    return digest ? this.deps.runtime?.options.image(digest) : undefined;
  }

  /** A task whose main container is a real process: its life follows the process (processes.ts). */
  private launchProcess(task: Task, snapshot: ImageSnapshot, command: string[] | undefined, at: number): Task {
    const runtime = this.deps.runtime!;
    const definition = task.taskDefinition.containerDefinitions.find((c) => c.name === task.mainContainer)!;
    task.pendingAt = at + this.deps.timing.provisioningMs;
    this.tasks.push(task);
    this.unsettled.add(task);
    if (task.deploymentId) this.byDeployment.set(task.deploymentId, [...(this.byDeployment.get(task.deploymentId) ?? []), task]);
    const missing = runtime.missingSecrets(definition);
    if (missing.length > 0) {
      // As ECS: the task never starts when a secret cannot be retrieved.
      task.stoppingAt = task.pendingAt + this.deps.timing.pendingMs;
      task.stoppedAt = task.stoppingAt;
      task.stopCode = 'TaskFailedToStart';
      task.stoppedReason = `ResourceInitializationError: unable to pull secrets or registry auth: retrieve secret from ${missing[0]}: ResourceNotFoundException: Secrets Manager can't find the specified secret.`;
      task.failed = true;
      return task;
    }
    const target = this.logTargets(task).find((t) => t.container === task.mainContainer);
    if (target) this.deps.logs.createStream(target.group, target.stream, this.deps.clock.now());
    const overrideEnv = task.overrides.containerOverrides?.find((o) => o.name === task.mainContainer)?.environment;
    const now = () => Math.max(this.deps.clock.now(), task.pendingAt);
    void runtime.start({ container: definition, snapshot, command, environment: overrideEnv }, this.processHooks(task, target), now).then((running) => {
      task.process = running;
      if (task.stoppingAt !== undefined) running.stop();
    });
    return task;
  }

  private processHooks(task: Task, target: { group: string; stream: string } | undefined) {
    const main = task.containers.find((c) => c.name === task.mainContainer)!;
    return {
      running: (at: number) => {
        if (task.stoppingAt !== undefined) return;
        task.runningAt = at;
        task.healthyAt = at;
      },
      exited: (exitCode: number, at: number) => {
        for (const c of task.containers) c.exitCode = c === main ? exitCode : 0;
        if (task.stoppingAt !== undefined) return;
        task.stoppingAt = at;
        task.stoppedAt = at + this.deps.timing.stopMs;
        task.stopCode = 'EssentialContainerExited';
        task.stoppedReason = 'Essential container in task exited';
        // A service task that exits is a failed task for the circuit breaker; a one-off task just ended.
        task.failed = task.serviceName !== undefined;
      },
      log: (message: string, at: number) => {
        if (target) this.deps.logs.write(target.group, target.stream, [{ timestamp: at, message }]);
      },
    };
  }

  private taskPlacement(cluster: Cluster, placement: Placement) {
    const strategy = placement.launchType ? undefined : (placement.capacityProviderStrategy ?? cluster.defaultCapacityProviderStrategy);
    const provider = strategy?.find((s) => (s.base ?? 0) > 0) ?? strategy?.find((s) => (s.weight ?? 0) > 0) ?? strategy?.[0];
    return {
      launchType: placement.launchType ?? (provider ? undefined : 'EC2'),
      capacityProviderName: provider?.capacityProvider,
      platformVersion: placement.platformVersion,
      networkConfiguration: placement.networkConfiguration,
    };
  }

  /** The first awslogs group of a task definition that does not exist and would not be created. */
  private missingLogGroup(td: Task['taskDefinition']): string | undefined {
    for (const c of td.containerDefinitions) {
      const options = c.logConfiguration?.logDriver === 'awslogs' ? c.logConfiguration.options : undefined;
      const group = options?.['awslogs-group'];
      if (group && options['awslogs-create-group'] !== 'true' && !this.deps.logs.hasGroup(group)) return group;
    }
    return undefined;
  }

  private logTargets(task: Task): { container: string; group: string; stream: string }[] {
    return task.taskDefinition.containerDefinitions
      .filter((c) => c.logConfiguration?.logDriver === 'awslogs' && c.logConfiguration.options?.['awslogs-group'])
      .map((c) => {
        const options = c.logConfiguration!.options!;
        const prefix = options['awslogs-stream-prefix'];
        return { container: c.name, group: options['awslogs-group'], stream: prefix ? `${prefix}/${c.name}/${task.id}` : task.id };
      });
  }

  private openLogStreams(task: Task, lines: { container: string; timestamp: number; message: string }[]): void {
    if (task.runningAt === undefined) return;
    for (const target of this.logTargets(task)) {
      this.deps.logs.createStream(target.group, target.stream, task.runningAt);
      this.deps.logs.write(
        target.group,
        target.stream,
        lines.filter((l) => l.container === target.container).map(({ timestamp, message }) => ({ timestamp, message })),
      );
    }
  }

  /** Stops a task (StopTask or the scheduler); its unwritten log lines are never written. */
  stop(task: Task, at: number, code: StopCode, reason: string): boolean {
    const hadStream = task.runningAt !== undefined;
    if (!requestStop(task, at, code, reason, this.deps.timing)) return false;
    this.unsettled.add(task);
    if (this.deps.runtime?.options.image(task.containers.find((c) => c.name === task.mainContainer)?.imageDigest ?? '')) {
      // A process: SIGTERM (SIGKILL after the stop timeout); it writes its own last lines and exit code.
      task.process?.stop();
      return true;
    }
    if (hadStream) {
      for (const target of this.logTargets(task)) {
        if (task.runningAt === undefined) this.deps.logs.discardStream(target.group, target.stream);
        else this.deps.logs.truncate(target.group, target.stream, at);
      }
    }
    return true;
  }

  findTask(cluster: Cluster, reference: string): Task | undefined {
    const id = arnResource(reference);
    return this.tasks.find((t) => t.clusterName === cluster.name && t.id === id);
  }
}

function placementOf(input: Placement): Placement {
  return {
    launchType: input.launchType,
    capacityProviderStrategy: input.capacityProviderStrategy,
    networkConfiguration: input.networkConfiguration,
    platformVersion: input.platformVersion,
  };
}

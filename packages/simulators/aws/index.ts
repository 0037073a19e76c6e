/**
 * The local AWS simulator (ECS, ECR, CloudWatch Logs, STS GetCallerIdentity) for tests and the rehearsal. See
 * packages/simulators/README.md for the contract.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../action-kit';
import { arnResource } from '../../aws';
import { simulatorClients, type AwsClients, type SimulatorEnv } from './clients';
import { EcrModel } from './ecr';
import { EcsModel, type SeedServiceInput } from './ecs/model';
import { ecsOperations } from './ecs/operations';
import { ContainerRuntime, type ImageSnapshot } from './ecs/processes';
import { startLoadBalancer, type LoadBalancer } from './load-balancer';
import { describeService, type CapacityProviderItem, type Service } from './ecs/services';
import { TaskDefinitionRegistry } from './ecs/task-definitions';
import { describeTask, isHealthy, type Task } from './ecs/tasks';
import { FaultInjector, type FaultHandle, type FaultSpec } from './faults';
import { LogsModel } from './logs';
import { IdSource } from './random';
import { RequestLog, type RecordedRequest } from './request-log';
import { ScenarioRegistry, type Scenario } from './scenarios';
import type { AwsServiceName } from './request-log';
import { createAwsServer, type Operations } from './server';
import { DEFAULT_TIMING, type EcsTiming } from './timing';

export type { Scenario } from './scenarios';
export type { ImageSnapshot } from './ecs/processes';
export type { LoadBalancer } from './load-balancer';
export type { EcsTiming } from './timing';
export type { FaultSpec, FaultHandle } from './faults';
export type { RecordedRequest } from './request-log';
export type { AwsClients, SimulatorEnv } from './clients';

export interface AwsSimulatorOptions {
  clock?: Clock;
  region?: string;
  accountId?: string;
  timing?: Partial<EcsTiming>;
  /** Seed of ids and fractional fault rates (default 42). */
  seed?: number;
  /** Tasks logging to an awslogs group that does not exist fail to start, as in ECS (default false). */
  requireLogGroups?: boolean;
  /**
   * Run tasks of snapshot images (seed.image with `snapshot`) as local processes: `executable` maps the
   * base image's programs to this machine's (`uvicorn` -> python -m uvicorn); SIGKILL after stopTimeoutMs.
   */
  processes?: { executable?(name: string): string[] | undefined; stopTimeoutMs?: number };
}

export interface AwsSimulator {
  url: string;
  env: SimulatorEnv;
  clock: Clock;
  clients(options?: { maxAttempts?: number }): AwsClients;
  close(): Promise<void>;
  seed: {
    cluster(name: string, options?: { capacityProviders?: string[]; defaultCapacityProviderStrategy?: CapacityProviderItem[] }): string;
    repository(name: string): { repositoryUri: string; repositoryArn: string };
    image(repository: string, tag: string, options?: { scenario?: Scenario; digest?: string; snapshot?: ImageSnapshot }): string;
    /** A Secrets Manager secret (its ARN is what a task definition's `secrets[].valueFrom` names). */
    secret(name: string, value: string): string;
    /** An SSM parameter (valueFrom: its ARN or its name). */
    parameter(name: string, value: string): string;
    taskDefinition(input: Record<string, unknown>): string;
    service(input: SeedServiceInput): string;
    logGroup(name: string): void;
    /** Lines written to a stream (created if needed) at `at` (default now), visible from then on. */
    logLines(group: string, stream: string, messages: string[], at?: number): void;
  };
  scenarios: {
    forImage(image: string, scenario: Scenario): void;
    forCommand(command: string | string[], scenario: Scenario): void;
    clear(): void;
  };
  faults: { inject(spec: FaultSpec): FaultHandle; clear(): void };
  /** A load balancer in front of the service's RUNNING process tasks (closed with the simulator). */
  loadBalancer(cluster: string, service: string): Promise<LoadBalancer>;
  readonly requests: RecordedRequest[];
  calls(operation: string): RecordedRequest[];
  mutatingCalls(): RecordedRequest[];
  state: {
    /** The service as DescribeServices shows it now, plus the model object. */
    service(cluster: string, name: string): ReturnType<typeof describeService> & { model: Service };
    tasks(cluster?: string): (ReturnType<typeof describeTask> & { model: Task })[];
  };
}

export async function startAwsSimulator(options: AwsSimulatorOptions = {}): Promise<AwsSimulator> {
  const models = createModels(options);
  const { clock, region, ecs, ecr, logs, taskDefinitions, scenarios, faults, log, snapshots, runtime } = models;
  const server = createAwsServer({ clock, faults, log, ids: new IdSource(`requests:${models.seed}`), operations: operationsOf(models) });
  const url = await listen(server);
  const env = simulatorEnv(url, region);
  const balancers: LoadBalancer[] = [];

  return {
    url,
    env,
    clock,
    clients: (clientOptions) => simulatorClients(env, clientOptions),
    close: async () => {
      await Promise.all(balancers.map((balancer) => balancer.close()));
      await runtime?.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
    seed: {
      cluster: (name, clusterOptions) => ecs.seedCluster(name, clusterOptions),
      repository: (name) => ecr.seedRepository(name),
      image: (repository, tag, imageOptions = {}) => {
        const digest = ecr.seedImage(repository, tag, imageOptions.digest);
        if (imageOptions.scenario) scenarios.forImage(`${repository}:${tag}`, imageOptions.scenario);
        if (imageOptions.snapshot) snapshots.set(digest, imageOptions.snapshot);
        return digest;
      },
      ...secretSeeds(models),
      taskDefinition: (input) => taskDefinitions.register(input).taskDefinitionArn,
      service: (input) => ecs.seedService(input),
      logGroup: (name) => logs.seedGroup(name),
      logLines: (group, stream, messages, at = clock.now()) => {
        logs.createStream(group, stream, at);
        logs.write(group, stream, messages.map((message) => ({ timestamp: at, message })));
      },
    },
    scenarios: {
      forImage: (image, scenario) => scenarios.forImage(image, scenario),
      forCommand: (command, scenario) => scenarios.forCommand(command, scenario),
      clear: () => scenarios.clear(),
    },
    faults: { inject: (spec) => faults.inject(spec), clear: () => faults.clear() },
    loadBalancer: (cluster, service) => serviceLoadBalancer(models, balancers, cluster, service),
    get requests() {
      return log.entries;
    },
    calls: (operation) => log.calls(operation),
    mutatingCalls: () => log.mutating(),
    state: stateApi(models),
  };
}

type Models = ReturnType<typeof createModels>;

/** Secrets Manager secrets and SSM parameters, for the `secrets` of task definitions. */
function secretSeeds({ region, accountId, secrets }: Models): Pick<AwsSimulator['seed'], 'secret' | 'parameter'> {
  return {
    secret: (name, value) => {
      const arn = `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${Buffer.from(name).toString('hex').slice(0, 6)}`;
      secrets.set(arn, value);
      return arn;
    },
    parameter: (name, value) => {
      const arn = `arn:aws:ssm:${region}:${accountId}:parameter/${name.replace(/^\//, '')}`;
      secrets.set(arn, value);
      secrets.set(name, value);
      return arn;
    },
  };
}

/** A load balancer whose targets are the service's healthy process tasks, now. */
async function serviceLoadBalancer({ ecs, clock }: Models, balancers: LoadBalancer[], cluster: string, service: string): Promise<LoadBalancer> {
  const balancer = await startLoadBalancer(() => {
    ecs.advance();
    const now = clock.now();
    return ecs.tasks.filter((t) => t.clusterName === arnResource(cluster) && t.serviceName === service && t.process?.port && isHealthy(t, now)).map((t) => t.process!.port!);
  });
  balancers.push(balancer);
  return balancer;
}

/** The services' models over one clock, account and seed, with the fault injector and the request log. */
function createModels(options: AwsSimulatorOptions) {
  const clock = options.clock ?? systemClock;
  const region = options.region ?? 'us-west-2';
  const accountId = options.accountId ?? '123456789012';
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const seed = options.seed ?? 42;
  const ids = new IdSource(`model:${seed}`);
  const scenarios = new ScenarioRegistry();
  const ecr = new EcrModel(clock, region, accountId);
  const logs = new LogsModel(clock, region, accountId);
  const taskDefinitions = new TaskDefinitionRegistry(clock, region, accountId);
  // Images that are snapshots (by digest), and the secrets tasks may name: the processes' world.
  const snapshots = new Map<string, ImageSnapshot>();
  const secrets = new Map<string, string>();
  const runtime = options.processes
    ? new ContainerRuntime({ ...options.processes, image: (digest) => snapshots.get(digest), secret: (valueFrom) => secrets.get(valueFrom) })
    : undefined;
  const ecs = new EcsModel({ clock, region, accountId, timing, ids, taskDefinitions, ecr, logs, scenarios, requireLogGroups: options.requireLogGroups, runtime });
  const faults = new FaultInjector(clock, accountId, seed);
  return { clock, region, accountId, seed, scenarios, ecr, logs, taskDefinitions, ecs, faults, log: new RequestLog(), snapshots, secrets, runtime };
}

/** The operations each service answers, by service. */
function operationsOf({ ecs, ecr, logs, taskDefinitions, region, accountId }: Models): Record<AwsServiceName, Operations> {
  return {
    ecs: ecsOperations(ecs, taskDefinitions, region),
    ecr: {
      DescribeImages: (input) => ecr.describeImages(input),
      BatchGetImage: (input) => ecr.batchGetImage(input),
      DescribeRepositories: (input) => ecr.describeRepositories(input),
    },
    logs: {
      GetLogEvents: (input) => (ecs.advance(), logs.getLogEvents(input)),
      FilterLogEvents: (input) => (ecs.advance(), logs.filterLogEvents(input)),
      DescribeLogStreams: (input) => (ecs.advance(), logs.describeLogStreams(input)),
      DescribeLogGroups: (input) => (ecs.advance(), logs.describeLogGroups(input)),
    },
    sts: {
      // The simulator's static credentials belong to one IAM user of the account.
      GetCallerIdentity: () => ({ UserId: 'AIDASIMULATOR0000000', Account: accountId, Arn: `arn:aws:iam::${accountId}:user/simulator` }),
    },
  };
}

/** Listens on 127.0.0.1 and answers the base URL. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The environment that points the AWS SDK and CLI at the simulator. */
function simulatorEnv(url: string, region: string): SimulatorEnv {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'AKIASIMULATOR0000000',
    AWS_SECRET_ACCESS_KEY: 'simulator-secret-access-key',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

function stateApi({ ecs, clock, region }: Models): AwsSimulator['state'] {
  return {
    service: (cluster, name) => {
      ecs.advance();
      const service = ecs.service(ecs.cluster(cluster), name);
      return { ...describeService(service, ecs.describeDeployments(service), true), model: service };
    },
    tasks: (cluster) => {
      ecs.advance();
      const now = clock.now();
      return ecs.tasks.filter((t) => !cluster || t.clusterName === arnResource(cluster)).map((t) => ({ ...describeTask(t, now, region), model: t }));
    },
  };
}

export { seedConnect2 } from './fixtures';
export type { Connect2World } from './fixtures';

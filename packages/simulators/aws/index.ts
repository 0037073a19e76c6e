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
import { describeService, type CapacityProviderItem, type Service } from './ecs/services';
import { TaskDefinitionRegistry } from './ecs/task-definitions';
import { describeTask, type Task } from './ecs/tasks';
import { FaultInjector, type FaultHandle, type FaultSpec } from './faults';
import { LogsModel } from './logs';
import { IdSource } from './random';
import { RequestLog, type RecordedRequest } from './request-log';
import { ScenarioRegistry, type Scenario } from './scenarios';
import type { AwsServiceName } from './request-log';
import { createAwsServer, type Operations } from './server';
import { DEFAULT_TIMING, type EcsTiming } from './timing';

export type { Scenario } from './scenarios';
export type { EcsTiming } from './timing';
export type { FaultSpec, FaultKind, FaultHandle } from './faults';
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
    image(repository: string, tag: string, options?: { scenario?: Scenario; digest?: string }): string;
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
  const { clock, region, ecs, ecr, logs, taskDefinitions, scenarios, faults, log } = models;
  const server = createAwsServer({ clock, faults, log, ids: new IdSource(`requests:${models.seed}`), operations: operationsOf(models) });
  const url = await listen(server);
  const env = simulatorEnv(url, region);

  return {
    url,
    env,
    clock,
    clients: (clientOptions) => simulatorClients(env, clientOptions),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    seed: {
      cluster: (name, clusterOptions) => ecs.seedCluster(name, clusterOptions),
      repository: (name) => ecr.seedRepository(name),
      image: (repository, tag, imageOptions = {}) => {
        const digest = ecr.seedImage(repository, tag, imageOptions.digest);
        if (imageOptions.scenario) scenarios.forImage(`${repository}:${tag}`, imageOptions.scenario);
        return digest;
      },
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
    get requests() {
      return log.entries;
    },
    calls: (operation) => log.calls(operation),
    mutatingCalls: () => log.mutating(),
    state: stateApi(models),
  };
}

type Models = ReturnType<typeof createModels>;

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
  const ecs = new EcsModel({ clock, region, accountId, timing, ids, taskDefinitions, ecr, logs, scenarios, requireLogGroups: options.requireLogGroups });
  const faults = new FaultInjector(clock, accountId, seed);
  return { clock, region, accountId, seed, scenarios, ecr, logs, taskDefinitions, ecs, faults, log: new RequestLog() };
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
export type { Connect2World, Connect2Options } from './fixtures';

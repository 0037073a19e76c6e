/**
 * A short, dedicated set of AWS calls through the recording proxy, with the real SDK clients: every
 * operation the simulator serves (what ecs-deploy, wait-stable, run-migration and the templates'
 * `aws` commands call), a rollout and a one-off task taken through their states on a virtual clock,
 * and the errors and faults the product meets.
 */
import { BatchGetImageCommand, DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { VirtualClock } from '../../packages/action-kit';
import { seedConnect2, type AwsSimulator } from '../../packages/simulators/aws';
import type { Recorder } from './recorder';

const swallow = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch {
    // The error answer is what is recorded.
  }
};

export async function awsCalls(aws: AwsSimulator, clock: VirtualClock, recorder: Recorder): Promise<void> {
  const world = seedConnect2(aws, { scenario: { kind: 'healthy', logLines: ['INFO started'] } });
  aws.seed.image(world.repository, 'v2');
  aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, logLines: ['INFO  [alembic] upgrade'] });
  const config = { region: aws.env.AWS_REGION, endpoint: recorder.url, credentials: { accessKeyId: aws.env.AWS_ACCESS_KEY_ID, secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY }, maxAttempts: 1 };
  const [ecs, ecr, logs, sts] = [new ECSClient(config), new ECRClient(config), new CloudWatchLogsClient(config), new STSClient(config)];
  const { cluster, service } = world;

  await sts.send(new GetCallerIdentityCommand({}));
  await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [world.repository] }));
  await ecr.send(new DescribeImagesCommand({ repositoryName: world.repository, imageIds: [{ imageTag: 'v2' }] }));
  await ecr.send(new BatchGetImageCommand({ repositoryName: world.repository, imageIds: [{ imageTag: 'v2' }] }));
  await ecs.send(new ListClustersCommand({}));
  await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
  await ecs.send(new ListServicesCommand({ cluster }));
  await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: world.taskDefinitionArn, include: ['TAGS'] }));
  const registered = await ecs.send(new RegisterTaskDefinitionCommand(world.taskDefinitionInput(`${world.repositoryUri}:v2`)));
  await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: world.family }));
  await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: registered.taskDefinition!.taskDefinitionArn }));
  const run = await ecs.send(new RunTaskCommand({ cluster, taskDefinition: registered.taskDefinition!.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration, startedBy: 'run-migration', overrides: { containerOverrides: [{ name: world.container, command: ['alembic', 'upgrade', 'head'] }] } }));
  const migration = run.tasks![0]!.taskArn!;
  for (const step of [0, 600, 1_000, 2_000, 30_000]) {
    clock.advance(step);
    await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    await ecs.send(new DescribeTasksCommand({ cluster, tasks: [migration] }));
  }
  const deployments = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }));
  await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: deployments.serviceDeployments!.map((d) => d.serviceDeploymentArn!) }));
  const { taskArns } = await ecs.send(new ListTasksCommand({ cluster, serviceName: service }));
  await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }));
  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: world.logGroup, orderBy: 'LastEventTime', descending: true }));
  await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/' }));
  await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: streams.logStreams![0]!.logStreamName!, startFromHead: true }));
  await logs.send(new FilterLogEventsCommand({ logGroupName: world.logGroup }));
  const stopped = await ecs.send(new RunTaskCommand({ cluster, taskDefinition: world.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration }));
  clock.advance(1_000);
  await ecs.send(new StopTaskCommand({ cluster, task: stopped.tasks![0]!.taskArn!, reason: 'cancelled' }));
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: world.taskDefinitionArn }));
  // Errors, as the product meets them.
  await swallow(ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: [service] })));
  await swallow(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:1' })));
  await swallow(ecs.send(new UpdateServiceCommand({ cluster, service: 'nope', desiredCount: 1 })));
  await swallow(ecr.send(new DescribeImagesCommand({ repositoryName: 'nope', imageIds: [{ imageTag: 'v2' }] })));
  await swallow(ecr.send(new DescribeImagesCommand({ repositoryName: world.repository, imageIds: [{ imageTag: 'missing' }] })));
  await swallow(logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/nope', logStreamName: 'x' })));
  aws.faults.inject({ kind: 'throttle', operation: 'DescribeServices', count: 1 });
  await swallow(ecs.send(new DescribeServicesCommand({ cluster, services: [service] })));
  aws.faults.inject({ kind: 'access-denied', operation: 'ListTasks', count: 1 });
  await swallow(ecs.send(new ListTasksCommand({ cluster })));
  aws.faults.inject({ kind: 'expired-token', operation: 'GetCallerIdentity', count: 1 });
  await swallow(sts.send(new GetCallerIdentityCommand({})));
}

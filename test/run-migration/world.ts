/**
 * The world run-migration tests run in: the AWS simulator seeded with the runbook's dev cluster, an
 * ECR image, a task definition whose container logs with awslogs, and a Fargate service with an
 * awsvpc network configuration.
 */
import { startAwsSimulator } from '../../packages/simulators/aws';

export const CLUSTER = 'connect2-api-cluster-dev';
export const SERVICE = 'connect2-api-service-dev';
export const CONTAINER = 'connect2-api';
export const LOG_GROUP = '/ecs/connect2-api-dev';
export const SUBNETS = ['subnet-0aaa1111', 'subnet-0bbb2222'];
export const SECURITY_GROUPS = ['sg-0ccc3333'];

export type Simulator = Awaited<ReturnType<typeof startAwsSimulator>>;

export type SimulatorOptions = NonNullable<Parameters<typeof startAwsSimulator>[0]>;

export async function startWorld(options: SimulatorOptions = {}): Promise<{ aws: Simulator; image: string; family: string }> {
  const aws = await startAwsSimulator(options);
  aws.seed.cluster(CLUSTER);
  const { repositoryUri } = aws.seed.repository('connect2-api-dev');
  aws.seed.image('connect2-api-dev', 'abc123');
  const image = `${repositoryUri}:abc123`;
  const family = 'connect2-api-dev';
  aws.seed.taskDefinition(taskDefinition(family, image));
  aws.seed.service({
    cluster: CLUSTER,
    serviceName: SERVICE,
    taskDefinition: family,
    desiredCount: 1,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: SECURITY_GROUPS, assignPublicIp: 'DISABLED' } },
  });
  return { aws, image, family };
}

/** The non-essential container of `taskDefinition(..., { migrator: true })`, the app staying essential. */
export const MIGRATOR = 'migrate';

/**
 * A Fargate task definition with the app container (awslogs) and, when asked, a sidecar listed first,
 * or a non-essential `migrate` container (awslogs too) next to the essential app, which keeps running.
 */
export function taskDefinition(family: string, image: string, options: { sidecar?: boolean; streamPrefix?: string | null; migrator?: boolean } = {}) {
  const app = {
    name: CONTAINER,
    image,
    essential: true,
    command: ['uvicorn', 'app.main:app'],
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': LOG_GROUP,
        'awslogs-region': 'us-west-2',
        ...(options.streamPrefix === null ? {} : { 'awslogs-stream-prefix': options.streamPrefix ?? 'ecs' }),
      },
    },
  };
  const sidecar = { name: 'xray-daemon', image: 'public.ecr.aws/xray/aws-xray-daemon:3', essential: false };
  const migrator = { ...app, name: MIGRATOR, essential: false, command: ['alembic', 'upgrade', 'head'] };
  return {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::123456789012:role/connect2-api-execution',
    containerDefinitions: options.sidecar ? [sidecar, app] : options.migrator ? [app, migrator] : [app],
  };
}

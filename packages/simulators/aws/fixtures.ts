/**
 * The Connect 2.0 dev environment as Terraform leaves it, seeded in one call: a cluster, an ECR
 * repository with one image, a Fargate task definition logging to CloudWatch, and a service running
 * it. Tests and the rehearsal start from here and change one thing.
 */
import type { AwsSimulator } from './index';
import type { Scenario } from './scenarios';

export interface Connect2Options {
  env?: string;
  tag?: string;
  desiredCount?: number;
  circuitBreaker?: { enable: boolean; rollback: boolean };
  rolloutState?: boolean;
  /** Scenario of the initial image. */
  scenario?: Scenario;
}

export interface Connect2World {
  cluster: string;
  service: string;
  repository: string;
  repositoryUri: string;
  family: string;
  container: string;
  logGroup: string;
  taskDefinitionArn: string;
  image: string;
  digest: string;
  networkConfiguration: { awsvpcConfiguration: { subnets: string[]; securityGroups: string[]; assignPublicIp: 'DISABLED' } };
  /** A task definition input like the seeded one but with another image (for RegisterTaskDefinition). */
  taskDefinitionInput(image: string): any;
}

export function seedConnect2(aws: AwsSimulator, options: Connect2Options = {}): Connect2World {
  const env = options.env ?? 'dev';
  const tag = options.tag ?? 'abc123';
  const cluster = `connect2-api-cluster-${env}`;
  const service = `connect2-api-service-${env}`;
  const repository = `connect2-api-${env}`;
  const family = `connect2-api-${env}`;
  const container = 'connect2-api';
  const logGroup = `/ecs/connect2-api-${env}`;
  const networkConfiguration = {
    awsvpcConfiguration: { subnets: [`subnet-${env}-a`, `subnet-${env}-b`], securityGroups: [`sg-connect2-api-${env}`], assignPublicIp: 'DISABLED' as const },
  };
  aws.seed.cluster(cluster);
  const { repositoryUri } = aws.seed.repository(repository);
  const digest = aws.seed.image(repository, tag, { scenario: options.scenario });
  aws.seed.logGroup(logGroup);
  const taskDefinitionInput = (image: string) => ({
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    executionRoleArn: `arn:aws:iam::123456789012:role/connect2-api-execution-${env}`,
    containerDefinitions: [
      {
        name: container,
        image,
        essential: true,
        portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
        command: ['uvicorn', 'app.main:app', '--host', '0.0.0.0'],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': logGroup, 'awslogs-region': 'us-west-2', 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
    tags: [{ key: 'Environment', value: env }],
  });
  const image = `${repositoryUri}:${tag}`;
  const taskDefinitionArn = aws.seed.taskDefinition(taskDefinitionInput(image));
  aws.seed.service({
    cluster,
    serviceName: service,
    taskDefinition: taskDefinitionArn,
    desiredCount: options.desiredCount ?? 2,
    launchType: 'FARGATE',
    networkConfiguration,
    deploymentConfiguration: { deploymentCircuitBreaker: options.circuitBreaker ?? { enable: true, rollback: true } },
    rolloutState: options.rolloutState,
  });
  return { cluster, service, repository, repositoryUri, family, container, logGroup, taskDefinitionArn, image, digest, networkConfiguration, taskDefinitionInput };
}

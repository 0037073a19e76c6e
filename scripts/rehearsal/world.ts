/**
 * The Connect 2.0 world the rehearsal plays in: three environments named as in the runbook, each with
 * an ECS cluster and service, an ECR repository and a task definition logging to CloudWatch, and on
 * the GitHub side the application repository with its three long-lived branches.
 */
import type { startAwsSimulator } from '../../packages/simulators/aws';
import type { startGitHubSimulator } from '../../packages/simulators/github';
import type { RealImages } from './real-app';

export type AwsSimulator = Awaited<ReturnType<typeof startAwsSimulator>>;
export type GitHubSimulator = Awaited<ReturnType<typeof startGitHubSimulator>>;

export const OWNER = 'connect2';
export const REPO = 'connect2-api';
export const FULL_REPO = `${OWNER}/${REPO}`;
const CONTAINER = 'connect2-api';

export interface Environment {
  /** Short name used in resource names: dev, staging, prod. */
  name: 'dev' | 'staging' | 'prod';
  branch: 'development' | 'staging' | 'main';
  cluster: string;
  service: string;
  repository: string;
  repositoryUri: string;
  family: string;
}

export const ENVIRONMENTS: Environment[] = (
  [
    ['dev', 'development'],
    ['staging', 'staging'],
    ['prod', 'main'],
  ] as const
).map(([name, branch]) => ({
  name,
  branch,
  cluster: `connect2-api-cluster-${name}`,
  service: `connect2-api-service-${name}`,
  repository: `connect2-api-${name}`,
  repositoryUri: '',
  family: `connect2-api-${name}`,
}));

export function environment(name: Environment['name']): Environment {
  const found = ENVIRONMENTS.find((env) => env.name === name);
  if (!found) throw new Error(`no environment ${name}`);
  return found;
}

/** The repository the pipeline pushes to: one for all environments, so a promotion deploys the digest development built. */
const IMAGE_REPOSITORY = 'connect2-api';

/**
 * Seeds clusters, repositories, the first image, task definitions and services. With `real`, the first
 * image is the initial import's snapshot (its tasks run as processes) and each task definition takes
 * DATABASE_URL from its environment's secret; the container health check asks the app's /health.
 */
export function seedAws(aws: AwsSimulator, initialTag: string, real?: RealImages): void {
  aws.seed.repository(IMAGE_REPOSITORY);
  for (const env of ENVIRONMENTS) {
    aws.seed.cluster(env.cluster);
    env.repositoryUri = aws.seed.repository(env.repository).repositoryUri;
    aws.seed.image(env.repository, initialTag, real ? { snapshot: real.snapshot, digest: real.snapshot.digest } : {});
    const taskDefinition = aws.seed.taskDefinition({
      family: env.family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      executionRoleArn: `arn:aws:iam::123456789012:role/connect2-api-execution-${env.name}`,
      containerDefinitions: [
        {
          name: CONTAINER,
          image: `${env.repositoryUri}:${initialTag}`,
          essential: true,
          portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
          environment: [
            { name: 'ENVIRONMENT', value: env.name },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
          ...(real
            ? {
                secrets: [{ name: 'DATABASE_URL', valueFrom: real.databaseSecrets[env.name] }],
                healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/health || exit 1'], interval: 10, timeout: 5, retries: 3, startPeriod: 10 },
              }
            : {}),
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': `/ecs/connect2-api-${env.name}`, 'awslogs-region': 'us-west-2', 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ],
    });
    aws.seed.service({
      cluster: env.cluster,
      serviceName: env.service,
      taskDefinition,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: [`subnet-${env.name}-a`, `subnet-${env.name}-b`], securityGroups: [`sg-connect2-api-${env.name}`], assignPublicIp: 'DISABLED' },
      },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
  }
}

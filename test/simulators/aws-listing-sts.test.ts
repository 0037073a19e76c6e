/**
 * What a person tries first against `npm run sim`: list the clusters, the services, the log groups,
 * and ask who they are. Through the real SDK clients (ECS, CloudWatch Logs, STS on the Query
 * protocol), and through the AWS CLI when one is installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterNotFoundException, ListClustersCommand, ListServicesCommand, paginateListServices, type ECSClient } from '@aws-sdk/client-ecs';
import { DescribeLogGroupsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { VirtualClock } from '../../packages/action-kit';
import { seedConnect2, startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';

let aws: AwsSimulator;
let ecs: ECSClient;
let logs: CloudWatchLogsClient;

const stsClient = () =>
  new STSClient({
    region: aws.env.AWS_REGION,
    endpoint: aws.url,
    credentials: { accessKeyId: aws.env.AWS_ACCESS_KEY_ID, secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });

beforeEach(async () => {
  aws = await startAwsSimulator({ clock: new VirtualClock() });
  seedConnect2(aws);
  aws.seed.cluster('connect2-api-cluster-staging');
  ({ ecs, logs } = aws.clients({ maxAttempts: 1 }));
});

afterEach(async () => {
  await aws.close();
});

describe('ECS ListClusters and ListServices', () => {
  it('lists every cluster ARN, a page at a time', async () => {
    const all = await ecs.send(new ListClustersCommand({}));
    expect(all.clusterArns).toEqual([
      'arn:aws:ecs:us-west-2:123456789012:cluster/connect2-api-cluster-dev',
      'arn:aws:ecs:us-west-2:123456789012:cluster/connect2-api-cluster-staging',
    ]);
    expect(all.nextToken).toBeUndefined();
    const first = await ecs.send(new ListClustersCommand({ maxResults: 1 }));
    expect(first.clusterArns).toHaveLength(1);
    const second = await ecs.send(new ListClustersCommand({ maxResults: 1, nextToken: first.nextToken }));
    expect([...first.clusterArns!, ...second.clusterArns!]).toEqual(all.clusterArns);
    expect(second.nextToken).toBeUndefined();
  });

  it('lists the services of a cluster, by name or ARN, and fails for a missing cluster', async () => {
    aws.seed.service({ cluster: 'connect2-api-cluster-dev', serviceName: 'connect2-worker-dev', taskDefinition: aws.state.service('connect2-api-cluster-dev', 'connect2-api-service-dev').taskDefinition!, launchType: 'FARGATE' });
    const arns: string[] = [];
    for await (const page of paginateListServices({ client: ecs, pageSize: 1 }, { cluster: 'arn:aws:ecs:us-west-2:123456789012:cluster/connect2-api-cluster-dev' })) {
      arns.push(...(page.serviceArns ?? []));
    }
    expect(arns).toEqual([
      'arn:aws:ecs:us-west-2:123456789012:service/connect2-api-cluster-dev/connect2-api-service-dev',
      'arn:aws:ecs:us-west-2:123456789012:service/connect2-api-cluster-dev/connect2-worker-dev',
    ]);
    expect((await ecs.send(new ListServicesCommand({ cluster: 'connect2-api-cluster-staging' }))).serviceArns).toEqual([]);
    expect((await ecs.send(new ListServicesCommand({ cluster: 'connect2-api-cluster-dev', launchType: 'EC2' }))).serviceArns).toEqual([]);
    const error = await ecs.send(new ListServicesCommand({ cluster: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterNotFoundException);
  });
});

describe('CloudWatch Logs DescribeLogGroups', () => {
  it('lists the groups, by prefix, with their ARNs', async () => {
    aws.seed.logGroup('/ecs/connect2-api-dev');
    aws.seed.logGroup('/ecs/connect2-api-staging');
    aws.seed.logGroup('/aws/lambda/other');
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/' }));
    expect(logGroups!.map((g) => g.logGroupName)).toEqual(['/ecs/connect2-api-dev', '/ecs/connect2-api-staging']);
    expect(logGroups![0]).toMatchObject({
      arn: 'arn:aws:logs:us-west-2:123456789012:log-group:/ecs/connect2-api-dev:*',
      logGroupArn: 'arn:aws:logs:us-west-2:123456789012:log-group:/ecs/connect2-api-dev',
      storedBytes: 0,
    });
    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 2 }));
    expect(first.logGroups).toHaveLength(2);
    const rest = await logs.send(new DescribeLogGroupsCommand({ limit: 2, nextToken: first.nextToken }));
    expect(rest.logGroups!.map((g) => g.logGroupName)).toEqual(['/ecs/connect2-api-staging']);
    expect(rest.nextToken).toBeUndefined();
  });
});

describe('STS GetCallerIdentity (Query protocol)', () => {
  it('answers the caller as XML the SDK parses, and logs the request', async () => {
    const identity = await stsClient().send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/simulator', UserId: 'AIDASIMULATOR0000000' });
    expect(aws.calls('sts:GetCallerIdentity')).toHaveLength(1);
    expect(aws.calls('sts:GetCallerIdentity')[0].body).toMatchObject({ Action: 'GetCallerIdentity', Version: '2011-06-15' });
  });

  it('answers an unknown Query action with an XML error the SDK raises', async () => {
    const response = await fetch(aws.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=AssumeRole&Version=2011-06-15',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/text\/xml/);
    const text = await response.text();
    expect(text).toContain('<Code>UnknownOperationException</Code>');
    expect(text).toContain('<ErrorResponse');
  });
});

const cli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const hasCli = cli.status === 0;
if (!hasCli) console.log('SKIPPED: the AWS CLI through the simulator (no `aws` on PATH)');

describe.skipIf(!hasCli)('the AWS CLI against the simulator', () => {
  // Asynchronous: the simulator answers from this process, so a synchronous spawn would deadlock.
  const run = async (...args: string[]) => {
    const result = await promisify(execFile)('aws', ['--endpoint-url', aws.url, '--output', 'json', ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_DEFAULT_REGION: aws.env.AWS_REGION, AWS_ACCESS_KEY_ID: aws.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: aws.env.AWS_SECRET_ACCESS_KEY, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  };

  it(`lists clusters, services and log groups, and says who the caller is (${`${cli.stdout ?? ''}${cli.stderr ?? ''}`.trim().split(' ')[0] || 'no CLI'})`, async () => {
    aws.seed.logGroup('/ecs/connect2-api-dev');
    expect((await run('ecs', 'list-clusters')).clusterArns).toHaveLength(2);
    expect((await run('ecs', 'list-services', '--cluster', 'connect2-api-cluster-dev')).serviceArns).toEqual([
      'arn:aws:ecs:us-west-2:123456789012:service/connect2-api-cluster-dev/connect2-api-service-dev',
    ]);
    const { logGroups } = await run('logs', 'describe-log-groups');
    expect(logGroups.map((g: { logGroupName: string }) => g.logGroupName)).toEqual(['/ecs/connect2-api-dev']);
    expect(await run('sts', 'get-caller-identity')).toEqual({ UserId: 'AIDASIMULATOR0000000', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/simulator' });
  }, 180_000); // four AWS CLI processes (Python start-up each): minutes on a loaded 2-core machine
});

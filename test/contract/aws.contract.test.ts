// The AWS simulator's answers against AWS's own service models (botocore's service-2.json, shipped
// with the AWS CLI): ecs, ecr, logs and sts, output shapes member for member, types, enums, required
// members and errors. Without the AWS CLI's botocore, the suite says SKIPPED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../packages/action-kit';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { awsCalls } from './aws-flow';
import { awsOperationOf, botocoreDataDir, checkAwsExchange, describeAwsFinding } from './botocore';
import { startRecorder, type Exchange, type Recorder } from './recorder';

const dataDir = botocoreDataDir();
if (!dataDir) console.log('SKIPPED: AWS contract tests (no botocore data directory: install the AWS CLI, or set BOTOCORE_DATA_DIR)');

let aws: AwsSimulator;
let recorder: Recorder;
let exchanges: Exchange[] = [];

beforeAll(async () => {
  if (!dataDir) return;
  const clock = new VirtualClock();
  aws = await startAwsSimulator({ clock });
  recorder = await startRecorder(aws.url);
  await awsCalls(aws, clock, recorder);
  exchanges = recorder.exchanges;
});

afterAll(async () => {
  await recorder?.close();
  await aws?.close();
});

const check = (exchange: Exchange) => checkAwsExchange(dataDir!, exchange).map(describeAwsFinding);

describe.skipIf(!dataDir)('AWS answers hold to botocore’s service models', () => {
  it('every recorded answer matches its operation’s output or error shapes', () => {
    expect(exchanges.flatMap(check)).toEqual([]);
  });

  it('the recording crossed every operation the simulator serves, errors and faults included', () => {
    const seen = new Set(exchanges.map((e) => `${awsOperationOf(e)?.service}:${awsOperationOf(e)?.operation}${e.status >= 400 ? ` ${e.status}` : ''}`));
    for (const operation of ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:ListTaskDefinitions', 'ecs:ListClusters', 'ecs:DescribeClusters', 'ecs:ListServices', 'ecs:DescribeServices', 'ecs:UpdateService', 'ecs:ListServiceDeployments', 'ecs:DescribeServiceDeployments', 'ecs:RunTask', 'ecs:DescribeTasks', 'ecs:StopTask', 'ecs:ListTasks', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:DescribeRepositories', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:DescribeLogStreams', 'logs:DescribeLogGroups', 'sts:GetCallerIdentity', 'ecs:DescribeServices 400', 'sts:GetCallerIdentity 400', 'logs:GetLogEvents 400']) {
      expect(seen, operation).toContain(operation);
    }
  });
});

/** ECS's own consistency: a task stopped by its essential container's exit shows that container exited. */
function stopCodeContradictions(exchange: Exchange): string[] {
  if (awsOperationOf(exchange)?.operation !== 'DescribeTasks' || exchange.status !== 200) return [];
  const tasks = ((exchange.body as { tasks?: any[] }).tasks ?? []) as { taskArn: string; lastStatus: string; stopCode?: string; containers: { lastStatus: string; exitCode?: number }[] }[];
  return tasks
    .filter((task) => task.stopCode === 'EssentialContainerExited' && !task.containers.some((c) => c.lastStatus === 'STOPPED' && c.exitCode !== undefined))
    .map((task) => `${task.taskArn} ${task.lastStatus}: stopCode EssentialContainerExited while no container has exited`);
}

describe.skipIf(!dataDir)('answers consistent with themselves', () => {
  it('a task stopping for EssentialContainerExited shows the container that exited, in every state seen', () => {
    const states = exchanges.flatMap((e) => (awsOperationOf(e)?.operation === 'DescribeTasks' && e.status === 200 ? ((e.body as { tasks: { lastStatus: string }[] }).tasks.map((t) => t.lastStatus)) : []));
    expect(states, 'the recording caught a task while STOPPING').toContain('STOPPING');
    expect(exchanges.flatMap(stopCodeContradictions)).toEqual([]);
  });
});

describe.skipIf(!dataDir)('the check catches a broken answer (the contract is not vacuous)', () => {
  const broken = (operation: string, mutate: (body: any) => void): string[] => {
    const copy = structuredClone(exchanges.find((e) => `${awsOperationOf(e)?.service}:${awsOperationOf(e)?.operation}` === operation && e.status === 200)!);
    mutate(copy.body);
    return check(copy);
  };

  it('a wrong type, an unknown enum value, a member the model lacks, an undeclared error', () => {
    expect(broken('ecs:DescribeServices', (body) => (body.services[0].desiredCount = '2'))).toEqual([expect.stringMatching(/^ecs:DescribeServices services\[\]\.desiredCount: is string .*integer/)]);
    expect(broken('ecs:DescribeServices', (body) => (body.services[0].deployments[0].rolloutState = 'DONE'))).toEqual([expect.stringMatching(/^ecs:DescribeServices services\[\]\.deployments\[\]\.rolloutState: "DONE" is not one of/)]);
    expect(broken('ecs:DescribeTasks', (body) => (body.tasks[0].exitCode = 0))).toEqual(['ecs:DescribeTasks tasks[].exitCode: is not a member of this structure in the model']);
    expect(broken('ecs:DescribeTasks', (body) => (body.tasks[0].createdAt = '2026-01-01T00:00:00Z'))).toEqual([expect.stringMatching(/^ecs:DescribeTasks tasks\[\]\.createdAt: is string .*timestamp/)]);
    const error = structuredClone(exchanges.find((e) => awsOperationOf(e)?.operation === 'DescribeServices' && e.status === 400)!);
    (error.body as Record<string, unknown>).__type = 'NoSuchThing';
    expect(check(error)).toEqual([expect.stringMatching(/^ecs:DescribeServices __type: "NoSuchThing" is neither an error of this operation/)]);
  });
});

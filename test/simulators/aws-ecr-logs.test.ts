/**
 * ECR and CloudWatch Logs through their real clients: images by tag and digest, manifests,
 * repositories, and the log reading operations beyond GetLogEvents.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ImageNotFoundException,
  RepositoryNotFoundException,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import {
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ResourceNotFoundException,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { RunTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { VirtualClock } from '../../packages/action-kit';
import { seedConnect2, startAwsSimulator, type AwsSimulator, type Connect2World } from '../../packages/simulators/aws';

let clock: VirtualClock;
let aws: AwsSimulator;
let ecr: ECRClient;
let ecs: ECSClient;
let logs: CloudWatchLogsClient;
let world: Connect2World;

beforeEach(async () => {
  clock = new VirtualClock();
  aws = await startAwsSimulator({ clock });
  world = seedConnect2(aws);
  ({ ecr, ecs, logs } = aws.clients({ maxAttempts: 1 }));
});

afterEach(async () => {
  await aws.close();
});

describe('ECR', () => {
  it('describes repositories, and answers RepositoryNotFoundException for a missing one', async () => {
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [world.repository] }));
    expect(repositories).toHaveLength(1);
    expect(repositories![0]).toMatchObject({
      repositoryArn: `arn:aws:ecr:us-west-2:123456789012:repository/${world.repository}`,
      registryId: '123456789012',
      repositoryName: world.repository,
      repositoryUri: `123456789012.dkr.ecr.us-west-2.amazonaws.com/${world.repository}`,
      imageTagMutability: 'MUTABLE',
    });
    expect(repositories![0].createdAt).toBeInstanceOf(Date);
    const all = await ecr.send(new DescribeRepositoriesCommand({}));
    expect(all.repositories!.map((r) => r.repositoryName)).toEqual([world.repository]);
    const error = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryNotFoundException);
    expect((error as Error).message).toBe("The repository with name 'nope' does not exist in the registry with id '123456789012'");
  });

  it('resolves a tag to its digest and a digest to its tags', async () => {
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: world.repository, imageIds: [{ imageTag: 'abc123' }] }));
    expect(imageDetails).toHaveLength(1);
    expect(imageDetails![0]).toMatchObject({ registryId: '123456789012', repositoryName: world.repository, imageDigest: world.digest, imageTags: ['abc123'] });
    expect(imageDetails![0].imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(imageDetails![0].imagePushedAt).toBeInstanceOf(Date);
    expect(imageDetails![0].imageSizeInBytes).toBeGreaterThan(0);

    const byDigest = await ecr.send(new DescribeImagesCommand({ repositoryName: world.repository, imageIds: [{ imageDigest: world.digest }] }));
    expect(byDigest.imageDetails![0].imageTags).toEqual(['abc123']);

    // Digests are deterministic per repository and tag, unless given.
    const given = `sha256:${'ab'.repeat(32)}`;
    expect(aws.seed.image(world.repository, 'pinned', { digest: given })).toBe(given);
    aws.seed.image(world.repository, 'latest', { digest: given });
    const listed = await ecr.send(new DescribeImagesCommand({ repositoryName: world.repository }));
    expect(listed.imageDetails!.map((d) => [d.imageDigest, d.imageTags])).toEqual([
      [world.digest, ['abc123']],
      [given, ['pinned', 'latest']],
    ]);
  });

  it('answers ImageNotFoundException for a missing tag', async () => {
    const error = await ecr.send(new DescribeImagesCommand({ repositoryName: world.repository, imageIds: [{ imageTag: 'nope' }] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageNotFoundException);
    expect((error as Error).message).toBe(
      `The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name '${world.repository}' in the registry with id '123456789012'`,
    );
  });

  it('returns manifests with BatchGetImage and failures for missing images', async () => {
    const { images, failures } = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: world.repository,
        imageIds: [{ imageTag: 'abc123' }, { imageTag: 'nope' }, { imageDigest: `sha256:${'0'.repeat(64)}` }, { imageTag: 'abc123', imageDigest: `sha256:${'0'.repeat(64)}` }],
      }),
    );
    expect(images).toHaveLength(1);
    expect(images![0]).toMatchObject({
      registryId: '123456789012',
      repositoryName: world.repository,
      imageId: { imageDigest: world.digest, imageTag: 'abc123' },
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    const manifest = JSON.parse(images![0].imageManifest!);
    expect(manifest).toMatchObject({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });
    expect(manifest.layers.length).toBeGreaterThan(0);
    expect(failures).toEqual([
      { imageId: { imageTag: 'nope' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
      { imageId: { imageDigest: `sha256:${'0'.repeat(64)}` }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
      {
        imageId: { imageTag: 'abc123', imageDigest: `sha256:${'0'.repeat(64)}` },
        failureCode: 'ImageTagDoesNotMatchDigest',
        failureReason: 'Invalid image digest or tag',
      },
    ]);
  });
});

describe('CloudWatch Logs', () => {
  /** Runs two one-off tasks that log and exit; returns their stream names. */
  async function twoTasksLogged(): Promise<string[]> {
    aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: 4_000, logLines: ['INFO upgrade 1a2b', 'INFO done'] });
    aws.scenarios.forCommand('alembic current', { kind: 'exit', exitCode: 0, afterMs: 4_000, logLines: ['1a2b (head)'] });
    const streams: string[] = [];
    for (const command of [['alembic', 'upgrade', 'head'], ['alembic', 'current']]) {
      const { tasks } = await ecs.send(
        new RunTaskCommand({
          cluster: world.cluster,
          taskDefinition: world.taskDefinitionArn,
          launchType: 'FARGATE',
          networkConfiguration: world.networkConfiguration,
          overrides: { containerOverrides: [{ name: world.container, command }] },
        }),
      );
      streams.push(`ecs/${world.container}/${tasks![0].taskArn!.split('/').pop()}`);
      await clock.sleep(1_000);
    }
    await clock.sleep(60_000);
    return streams;
  }

  it('filters events across streams by pattern and by stream', async () => {
    const [upgrade, current] = await twoTasksLogged();
    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: world.logGroup }));
    // Lines are spread over each task's run: the upgrade's two, then the later task's one.
    expect(all.events!.map((e) => [e.logStreamName, e.message])).toEqual([
      [upgrade, 'INFO upgrade 1a2b'],
      [upgrade, 'INFO done'],
      [current, '1a2b (head)'],
    ]);
    expect(all.events![0].eventId).toEqual(expect.any(String));
    expect(all.events![0].timestamp).toBeGreaterThan(0);
    const matching = await logs.send(new FilterLogEventsCommand({ logGroupName: world.logGroup, filterPattern: '"1a2b"' }));
    expect(matching.events!.map((e) => e.message)).toEqual(['INFO upgrade 1a2b', '1a2b (head)']);
    const oneStream = await logs.send(new FilterLogEventsCommand({ logGroupName: world.logGroup, logStreamNames: [current] }));
    expect(oneStream.events!.map((e) => e.message)).toEqual(['1a2b (head)']);
    const paged = await logs.send(new FilterLogEventsCommand({ logGroupName: world.logGroup, limit: 2 }));
    expect(paged.events).toHaveLength(2);
    const rest = await logs.send(new FilterLogEventsCommand({ logGroupName: world.logGroup, limit: 2, nextToken: paged.nextToken }));
    expect(rest.events!.map((e) => e.message)).toEqual(['1a2b (head)']);
    expect(rest.nextToken).toBeUndefined();
  });

  it('describes log streams by prefix and by last event time', async () => {
    const [upgrade, current] = await twoTasksLogged();
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: world.logGroup, logStreamNamePrefix: 'ecs/' }));
    // The service's two running tasks have their (empty) streams too.
    const names = logStreams!.map((s) => s.logStreamName!);
    expect(names).toHaveLength(4);
    expect(names).toEqual(expect.arrayContaining([upgrade, current]));
    expect(names).toEqual([...names].sort());
    expect(logStreams!.filter((s) => s.lastEventTimestamp === undefined)).toHaveLength(2);
    const stream = logStreams!.find((s) => s.logStreamName === upgrade)!;
    expect(stream.arn).toBe(`arn:aws:logs:us-west-2:123456789012:log-group:${world.logGroup}:log-stream:${upgrade}`);
    expect(stream.creationTime).toBeLessThanOrEqual(stream.firstEventTimestamp!);
    expect(stream.lastEventTimestamp).toBeGreaterThan(stream.firstEventTimestamp!);
    const newest = await logs.send(new DescribeLogStreamsCommand({ logGroupName: world.logGroup, orderBy: 'LastEventTime', descending: true, limit: 1 }));
    expect(newest.logStreams!.map((s) => s.logStreamName)).toEqual([current]);
  });

  it('reads GetLogEvents backwards from the end by default and answers ResourceNotFoundException for missing groups and streams', async () => {
    const [upgrade] = await twoTasksLogged();
    const latest = await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: upgrade, limit: 1 }));
    expect(latest.events!.map((e) => e.message)).toEqual(['INFO done']);
    const before = await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: upgrade, nextToken: latest.nextBackwardToken }));
    expect(before.events!.map((e) => e.message)).toEqual(['INFO upgrade 1a2b']);

    const noGroup = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/nope', logStreamName: upgrade })).catch((e: unknown) => e);
    expect(noGroup).toBeInstanceOf(ResourceNotFoundException);
    expect((noGroup as Error).message).toBe('The specified log group does not exist.');
    const noStream = await logs.send(new GetLogEventsCommand({ logGroupName: world.logGroup, logStreamName: 'ecs/nope' })).catch((e: unknown) => e);
    expect(noStream).toBeInstanceOf(ResourceNotFoundException);
    expect((noStream as Error).message).toBe('The specified log stream does not exist.');
    await expect(logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs/nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

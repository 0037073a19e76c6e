/**
 * ecs-deploy with an existing revision in `task-definition` (a rollback): its ARN, `family:revision`
 * or `previous`, through the built bundle against the AWS simulator. Without `image` the revision is
 * deployed as it is (no RegisterTaskDefinition) and watched like any rollout; with `image` it is the
 * template of a new revision. Every wrong value fails with one line naming the input, before any change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DeregisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { runAction } from '../harness/run-action';

let sim: AwsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** The seeded service on revision 1, and revision 2 (image v2, a FEATURE variable) registered beside it. */
async function setup() {
  sim = await startAwsSimulator();
  const world = seedConnect2(sim);
  const digest = sim.seed.image(world.repository, 'v2');
  const v2 = world.taskDefinitionInput(`${world.repositoryUri}@${digest}`);
  v2.containerDefinitions[0].environment = [{ name: 'FEATURE', value: 'two' }];
  const second = sim.seed.taskDefinition(v2);
  const run = (inputs: Record<string, string>) =>
    runAction('ecs-deploy', {
      inputs: { cluster: world.cluster, service: world.service, container: world.container, 'poll-interval-seconds': '1', 'timeout-minutes': '2', ...inputs },
      env: { ...sim!.env },
    });
  const running = () => sim!.state.service(world.cluster, world.service).deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;
  return { sim, world, second, secondImage: `${world.repositoryUri}@${digest}`, run, running };
}

describe('ecs-deploy: an existing revision in task-definition', () => {
  it('family:revision without image deploys that revision as it is; previous then returns to revision 1', async () => {
    const { sim, world, second, secondImage, run, running } = await setup();
    const forward = await run({ 'task-definition': `${world.family}:2` });
    expect(forward.errors).toEqual([]);
    expect(forward.outputs).toMatchObject({
      status: 'deployed',
      'task-definition-arn': second,
      'previous-task-definition-arn': world.taskDefinitionArn,
      image: secondImage,
    });
    expect(forward.outputs['deployment-id']).toMatch(/^ecs-svc\//);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(sim.calls('UpdateService').map((c) => c.body.taskDefinition)).toEqual([second]);
    expect(running()).toBe(second);

    const back = await run({ 'task-definition': 'previous' });
    expect(back.errors).toEqual([]);
    expect(back.outputs).toMatchObject({
      status: 'deployed',
      'task-definition-arn': world.taskDefinitionArn,
      'previous-task-definition-arn': second,
      image: world.image,
    });
    // `previous` is read from the service's deployment history, not from revision numbers.
    expect(sim.calls('ListServiceDeployments')[0].body).toMatchObject({ cluster: world.cluster, service: world.service, status: ['SUCCESSFUL'] });
    expect(sim.calls('ListTaskDefinitions')).toHaveLength(0);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(running()).toBe(world.taskDefinitionArn);
  });

  it('an ARN the service already runs is unchanged; with force-new-deployment it is rolled out again', async () => {
    const { sim, world, run } = await setup();
    const same = await run({ 'task-definition': world.taskDefinitionArn });
    expect(same.errors).toEqual([]);
    expect(same.outputs).toMatchObject({ status: 'unchanged', 'task-definition-arn': world.taskDefinitionArn, 'previous-task-definition-arn': world.taskDefinitionArn, image: world.image });
    expect(sim.mutatingCalls()).toEqual([]);

    const forced = await run({ 'task-definition': world.taskDefinitionArn, 'force-new-deployment': 'true' });
    expect(forced.outputs.status).toBe('deployed');
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(sim.calls('UpdateService')[0].body).toMatchObject({ taskDefinition: world.taskDefinitionArn, forceNewDeployment: true });
  });

  it('an existing revision with image is the template of a new revision', async () => {
    const { sim, world, second, run } = await setup();
    const digest = sim.seed.image(world.repository, 'v3');
    const result = await run({ 'task-definition': second, image: `${world.repositoryUri}:v3` });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('deployed');
    expect(result.outputs['task-definition-arn']).toBe(`arn:aws:ecs:us-west-2:123456789012:task-definition/${world.family}:3`);
    const registered = sim.calls('RegisterTaskDefinition');
    expect(registered).toHaveLength(1);
    expect(registered[0].body.containerDefinitions[0]).toMatchObject({ image: `${world.repositoryUri}@${digest}`, environment: [{ name: 'FEATURE', value: 'two' }] });
  });

  it('a revision of another family is refused, naming both families, with or without image', async () => {
    const { sim, world, run } = await setup();
    const prod = sim.seed.taskDefinition({ ...world.taskDefinitionInput(world.image), family: 'connect2-api-prod' });
    const cases: Record<string, string>[] = [{ 'task-definition': 'connect2-api-prod:1' }, { 'task-definition': prod, image: world.image }];
    for (const inputs of cases) {
      const result = await run(inputs);
      expect(result.exitCode).not.toBe(0);
      expect(result.errors).toEqual([
        expect.stringMatching(/^Input 'task-definition' is '[^']+', a revision of family connect2-api-prod, but connect2-api-service-dev runs family connect2-api-dev; give a revision of connect2-api-dev/),
      ]);
      expect(result.outputs.status).toBe('failed');
    }
    expect(sim.mutatingCalls()).toEqual([]);
  });

  it('a revision that fails its rollout is rolled back to what ran before', async () => {
    const { sim, world, run, running } = await setup();
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 3, reason: 'boom' } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    const result = await run({ 'task-definition': bad });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', 'task-definition-arn': bad, 'previous-task-definition-arn': world.taskDefinitionArn });
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(running()).toBe(world.taskDefinitionArn);
  });

  it.each([
    ['a malformed ARN', () => ({ 'task-definition': 'arn:aws:ecs:us-west-2:123456789012:task-definition/connect2-api-dev' }), /^Input 'task-definition' is 'arn:aws:ecs:us-west-2:123456789012:task-definition\/connect2-api-dev', which is not a task definition ARN; use arn:aws:ecs:<region>:<account>:task-definition\/<family>:<revision>, /],
    ['revision 0', () => ({ 'task-definition': 'connect2-api-dev:0' }), /^Input 'task-definition' is 'connect2-api-dev:0', whose revision '0' is not a revision number; use connect2-api-dev:<revision>/],
    ['a revision that does not exist', () => ({ 'task-definition': 'connect2-api-dev:9' }), /^Input 'task-definition' is 'connect2-api-dev:9', which is not a task definition revision in this account and region; give an existing revision/],
    ['an ARN of another account that does not exist', () => ({ 'task-definition': 'arn:aws:ecs:us-west-2:210987654321:task-definition/other:1' }), /^Input 'task-definition' is 'arn:aws:ecs:us-west-2:210987654321:task-definition\/other:1', which is not a task definition revision/],
    ['previous with no earlier successful deployment', () => ({ 'task-definition': 'previous' }), /^Input 'task-definition' is 'previous', but the deployment history of connect2-api-service-dev has no successful deployment of another revision than connect2-api-dev:1, the one it runs; give the revision to deploy/],
    ['a family without a revision', () => ({ 'task-definition': 'connect2-api-dev' }), /^Input 'task-definition' is 'connect2-api-dev', a task definition family without a revision; use connect2-api-dev:<revision>, its ARN \(arn:aws:ecs:<region>:<account>:task-definition\/connect2-api-dev:<revision>\), previous, a release tag \(v1\.2\.3\), or the path of a task definition JSON file \(\.\/connect2-api-dev for a file of that name\)\.$/],
    ['register-only with an existing revision and no image', () => ({ 'task-definition': 'connect2-api-dev:2', 'register-only': 'true' }), /^Input 'register-only' is true, but 'task-definition' names the existing revision 'connect2-api-dev:2' and 'image' is empty: there is nothing to register; /],
  ])('%s fails before any change', async (_name, inputs, message) => {
    const { sim, run } = await setup();
    const result = await run(inputs());
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(result.outputs.status).toBe('failed');
    expect(sim.mutatingCalls()).toEqual([]);
  });

  it('a deregistered revision fails before any change', async () => {
    const { sim, world, second, run } = await setup();
    await sim.clients().ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: second }));
    const mark = sim.requests.length;
    const result = await run({ 'task-definition': `${world.family}:2` });
    expect(result.errors).toEqual([expect.stringMatching(/^Input 'task-definition' is 'connect2-api-dev:2', which is INACTIVE \(deregistered\); give an ACTIVE revision/)]);
    expect(sim.requests.slice(mark).filter((r) => ['RegisterTaskDefinition', 'UpdateService'].includes(r.operation))).toEqual([]);
  });

  it('previous is the revision that last served, never a newer one whose rollout failed (it stays ACTIVE)', async () => {
    const { sim, world, second, run, running } = await setup();
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 3, reason: 'boom' } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    expect((await run({ 'task-definition': bad })).outputs.status).toBe('rolled-back');
    expect((await run({ 'task-definition': second })).outputs.status).toBe('deployed');
    expect(running()).toBe(second);
    // Revisions by number: 3 (bad, never served), 2 (running), 1. The one that served before 3 is 1.
    const back = await run({ 'task-definition': 'previous' });
    expect(back.errors).toEqual([]);
    expect(back.outputs).toMatchObject({ status: 'deployed', 'task-definition-arn': world.taskDefinitionArn, 'previous-task-definition-arn': second });
    expect(running()).toBe(world.taskDefinitionArn);
  });

  it('previous that was deregistered since fails before any change, naming it', async () => {
    const { sim, world, second, run } = await setup();
    await run({ 'task-definition': second });
    await sim.clients().ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: world.taskDefinitionArn }));
    const mark = sim.requests.length;
    const back = await run({ 'task-definition': 'previous' });
    expect(back.errors).toEqual([expect.stringMatching(/^Input 'task-definition' is 'previous' \(connect2-api-dev:1\), which is INACTIVE \(deregistered\); give an ACTIVE revision/)]);
    expect(sim.requests.slice(mark).filter((r) => ['RegisterTaskDefinition', 'UpdateService'].includes(r.operation))).toEqual([]);
  });
});

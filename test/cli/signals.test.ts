/**
 * Signals and dead pipes on the built CLI, as on a bad day: `connect2 deploy ... 2>&1 | tee deploy.log`
 * and Ctrl-C (the reader dies with the signal, every later write gets EPIPE), SIGHUP when the SSH
 * session drops, SIGTERM, and a second signal during the clean-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { CLUSTER, SERVICE, startWorld, type Simulator } from '../run-migration/world';
import { runCli, type CliOptions } from './run-cli';

let aws: AwsSimulator | Simulator | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

async function slowRollout() {
  const sim = await startAwsSimulator();
  aws = sim;
  const world = seedConnect2(sim);
  sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 60_000 } });
  const args = ['deploy', '--cluster', world.cluster, '--service', world.service, '--container', world.container, '--image', `${world.repositoryUri}:slow`, '--poll-interval-seconds', '1', '--timeout-minutes', '2'];
  const deploy = (options: CliOptions) => runCli(args, { env: { ...sim.env }, interruptWhen: /IN_PROGRESS/, ...options });
  const primary = () => sim.state.service(world.cluster, world.service).deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;
  return { sim, world, deploy, primary };
}

describe('connect2 deploy: a signal with the output piped to a reader that dies with it', () => {
  it.each(['SIGINT', 'SIGHUP', 'SIGTERM'] as const)('%s: rolled back to the previous revision, exit 130, no crash on EPIPE', async (signal) => {
    const { sim, world, deploy, primary } = await slowRollout();
    const result = await deploy({ signal, readerDiesWithSignal: true });
    expect(result.interruptedAt).toBeDefined();
    expect(result.signal).toBeNull();
    expect(result.code).toBe(130);
    expect(sim.calls('UpdateService')).toHaveLength(2);
    expect(sim.calls('UpdateService')[1].body.taskDefinition).toBe(world.taskDefinitionArn);
    expect(primary()).toBe(world.taskDefinitionArn);
  });
});

describe('connect2 deploy: a second signal during the rollback', () => {
  it('says what it leaves running (service, revision, the command to roll back) and exits 3, not 130', async () => {
    const { world, deploy } = await slowRollout();
    const result = await deploy({ signal: 'SIGTERM', againWhen: /SIGTERM: cancelling as a cancelled job does \(rolling back\)/ });
    expect(result.code).toBe(3);
    const line = result.stderr.split('\n').find((l) => l.startsWith('SIGTERM again:'));
    expect(line).toContain(`service ${world.service} (cluster ${world.cluster}) may still be rolling out arn:aws:ecs:us-west-2:123456789012:task-definition/connect2-api-dev:2`);
    expect(line).toContain(`it was not rolled back to ${world.taskDefinitionArn}`);
    expect(line).toContain(`connect2 rollback --cluster ${world.cluster} --service ${world.service} --to ${world.taskDefinitionArn}`);
  });
});

describe('connect2 migrate: Ctrl-C with the output piped to a reader that dies with it', () => {
  it('stops the one-off task and exits 130', async () => {
    const world = await startWorld();
    aws = world.aws;
    world.aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: 60_000, logLines: ['INFO  long migration starts'] });
    const result = await runCli(['migrate', '--cluster', CLUSTER, '--service', SERVICE, '--command', 'alembic upgrade head', '--poll-interval-seconds', '1'], {
      env: { ...world.aws.env },
      interruptWhen: /Task \w+: (\w+ -> )?RUNNING$/m,
      readerDiesWithSignal: true,
    });
    expect(result.code).toBe(130);
    const tasks = world.aws.state.tasks(CLUSTER).filter((task) => !task.group.startsWith('service:'));
    expect(tasks).toHaveLength(1);
    expect(tasks[0].lastStatus).toBe('STOPPED');
  });

  it('a second Ctrl-C names the task it leaves running and how to stop it; exit 3', async () => {
    const world = await startWorld();
    aws = world.aws;
    world.aws.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 0, afterMs: 60_000, logLines: ['INFO  long migration starts'] });
    const result = await runCli(['migrate', '--cluster', CLUSTER, '--service', SERVICE, '--command', 'alembic upgrade head', '--poll-interval-seconds', '1'], {
      env: { ...world.aws.env },
      interruptWhen: /Task \w+: (\w+ -> )?RUNNING$/m,
      againWhen: /SIGINT: cancelling/,
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^SIGINT again: .*Left running: task arn:aws:ecs:[^ ]+ \(cluster [^)]+\) may still be running\. Stop it: aws ecs stop-task --cluster \S+ --task arn:aws:ecs:\S+$/m);
  });
});

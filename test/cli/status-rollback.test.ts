/**
 * `connect2 status` (read-only) and `connect2 rollback` through the built CLI against the AWS simulator,
 * and the terminal's own messages: --version, an empty flag, a missing AWS profile, expired credentials.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { pollUntil, systemClock } from '../../packages/action-kit';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { printedOutputs, runCli } from './run-cli';

let sim: AwsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Revision 2 deployed and completed, then revision 3 (a crash loop) rolled back by the circuit breaker. */
async function history() {
  sim = await startAwsSimulator();
  const s = sim;
  const world = seedConnect2(s);
  const good = s.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}@${s.seed.image(world.repository, 'v2')}`));
  s.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1, reason: 'boom' } });
  const bad = s.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
  const ecs = s.clients().ecs;
  const settled = (taskDefinition: string) =>
    pollUntil({ clock: systemClock, intervalMs: 300, timeoutMs: 60_000 }, async () => {
      const [service] = (await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: [world.service] }))).services!;
      const only = service.deployments!.length === 1 ? service.deployments![0] : undefined;
      return only?.rolloutState === 'COMPLETED' && only.taskDefinition === taskDefinition && service.runningCount === service.desiredCount ? { done: true, value: true } : { done: false };
    });
  await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: good }));
  await settled(good);
  await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
  await settled(good);
  return { sim: s, world, good, bad };
}

const primary = (s: AwsSimulator, cluster: string, service: string) => s.state.service(cluster, service).deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;

describe('connect2 status', () => {
  it('shows the running revision, deployments, the history with the rollback by ECS, what previous is, events and tasks; changes nothing', async () => {
    const { sim, world } = await history();
    const mark = sim.mutatingCalls().length;
    const result = await runCli(['status', '--cluster', world.cluster, '--services', world.service], { env: { ...sim.env } });
    expect(result.stderr).not.toMatch(/^connect2 status:/m);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${world.service}: ACTIVE, runs connect2-api-dev:2, 2/2 running$`, 'm'));
    expect(result.stdout).toMatch(/^ {4}PRIMARY +connect2-api-dev:2 COMPLETED 2\/2 running/m);
    expect(result.stdout).toMatch(/^ {4}ROLLBACK_SUCCESSFUL +connect2-api-dev:3 /m);
    expect(result.stdout).toMatch(/^ {4}SUCCESSFUL +connect2-api-dev:2 /m);
    expect(result.stdout).toMatch(/^ {2}previous: connect2-api-dev:1 \(what rollback --to previous deploys\)$/m);
    expect(result.stdout).toMatch(/^ {2}tasks running: \w+ connect2-api-dev:2 RUNNING, \w+ connect2-api-dev:2 RUNNING$/m);
    expect(result.stdout).toMatch(/^ {2}recently stopped:$/m);
    expect(sim.mutatingCalls().length).toBe(mark);

    const json = await runCli(['status', '--cluster', world.cluster, '--services', world.service, '--json'], { env: { ...sim.env } });
    const services = JSON.parse(JSON.parse(json.stdout).outputs.services);
    expect(services[0]).toMatchObject({ name: world.service, previous: world.taskDefinitionArn, running: 2, desired: 2 });
  });

  it('an unknown service: exit 2, one line', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const result = await runCli(['status', '--cluster', world.cluster, '--services', 'nope'], { env: { ...sim.env } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^connect2 status: --services lists 'nope', which does not exist in cluster /);
  });
});

describe('connect2 rollback', () => {
  it('--to previous puts back the revision that last served (1), never the newer one whose rollout failed (3); watched', async () => {
    const { sim, world, good } = await history();
    const result = await runCli(['rollback', '--cluster', world.cluster, '--service', world.service, '--container', world.container, '--poll-interval-seconds', '1'], { env: { ...sim.env } });
    expect(result.stderr).not.toMatch(/^connect2 rollback:/m);
    expect(result.code).toBe(0);
    expect(printedOutputs(result.stdout)).toMatchObject({ status: 'deployed', 'task-definition-arn': world.taskDefinitionArn, 'previous-task-definition-arn': good });
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(sim.calls('RunTask')).toHaveLength(0);
    expect(primary(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
  });

  it('--downgrade-to runs alembic downgrade with the revision running now, then deploys the target', async () => {
    const { sim, world, good } = await history();
    sim.scenarios.forCommand('alembic downgrade -1', { kind: 'exit', exitCode: 0, afterMs: 1000, logLines: ['INFO  Running downgrade 3c4d -> 1a2b'] });
    const result = await runCli(['rollback', '--cluster', world.cluster, '--service', world.service, '--container', world.container, '--to', `${world.family}:1`, '--downgrade-to', '-1', '--poll-interval-seconds', '1'], {
      env: { ...sim.env },
    });
    expect(result.stderr).not.toMatch(/^connect2 rollback:/m);
    expect(result.code).toBe(0);
    const runTask = sim.calls('RunTask');
    expect(runTask).toHaveLength(1);
    expect(runTask[0].body).toMatchObject({ taskDefinition: good, overrides: { containerOverrides: [{ name: world.container, command: ['alembic', 'downgrade', '-1'] }] } });
    expect(sim.calls('UpdateService').at(-1)!.body.taskDefinition).toBe(world.taskDefinitionArn);
    expect(primary(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
  });

  it('a failing downgrade stops the rollback before any deploy: exit 1', async () => {
    const { sim, world } = await history();
    sim.scenarios.forCommand('alembic downgrade base', { kind: 'exit', exitCode: 2, afterMs: 500, logLines: ['FAILED: cannot drop table users'] });
    const before = sim.calls('UpdateService').length;
    const result = await runCli(['rollback', '--cluster', world.cluster, '--service', world.service, '--container', world.container, '--downgrade-to', 'base', '--poll-interval-seconds', '1'], { env: { ...sim.env } });
    expect(result.code).toBe(1);
    expect(sim.calls('UpdateService').length).toBe(before);
  });

  it.each([
    ['a release tag', ['--to', 'v1.2.3'], /^connect2 rollback: --to v1\.2\.3 is a release tag: .*give the task definition \(connect2 status lists the revisions the service ran\) or previous\.$/],
    ['a bare family', ['--to', 'connect2-api-dev'], /^connect2 rollback: --task-definition is 'connect2-api-dev', a task definition family without a revision; use connect2-api-dev:<revision>/],
    ['a malformed downgrade revision', ['--downgrade-to', 'x; rm -rf /'], /^connect2 rollback: --downgrade-to 'x; rm -rf \/' is not an Alembic revision/],
  ])('%s: exit 2, one line, nothing changed', async (_name, flags, message) => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const result = await runCli(['rollback', '--cluster', world.cluster, '--service', world.service, ...flags], { env: { ...sim.env } });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('connect2 rollback:'))).toEqual([expect.stringMatching(message)]);
    expect(sim.mutatingCalls()).toEqual([]);
  });
});

describe('connect2 on a terminal', () => {
  it('--version names the package version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^connect2 \d+\.\d+\.\d+ \(connect2-actions\)\n$/);
  });

  it('an empty flag (an unset shell variable) is refused before anything runs', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const result = await runCli(['migrate', '--cluster', world.cluster, '--service', world.service, '--task-definition', ''], { env: { ...sim.env } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("connect2 migrate: Flag --task-definition is empty (an unset or empty shell variable?); give it a value, or leave the flag out for its default.");
    expect(sim.requests).toHaveLength(0);
  });

  it('an AWS profile that does not exist is named', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const result = await runCli(['status', '--cluster', world.cluster, '--services', world.service], { env: { ...sim.env, AWS_PROFILE: 'connect2-prod' } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^connect2 status: AWS_PROFILE is 'connect2-prod', but there is no profile 'connect2-prod' in \/nonexistent or \/nonexistent; /);
    expect(sim.requests).toHaveLength(0);
  });

  it('expired credentials get advice for a shell, not for a CI job', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    sim.faults.inject({ kind: 'expired-token' });
    const result = await runCli(['status', '--cluster', world.cluster, '--services', world.service], { env: { ...sim.env } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^connect2 status: .*ExpiredToken.* Log in again \(aws sso login, or fresh keys in the environment\) and run the command again\.$/m);
    expect(result.stderr).not.toMatch(/Re-run the job|role-duration-seconds/);
  });
});

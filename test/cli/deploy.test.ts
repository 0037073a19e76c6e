/**
 * `connect2 deploy` through the built CLI (a Node 24 process with arguments) against the AWS simulator.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { printedOutputs, runCli, type CliOptions } from './run-cli';

let sim: AwsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup() {
  sim = await startAwsSimulator();
  const world = seedConnect2(sim);
  const base = ['--cluster', world.cluster, '--service', world.service, '--container', world.container, '--poll-interval-seconds', '1', '--timeout-minutes', '2'];
  const deploy = (args: string[], options: CliOptions = {}) => runCli(['deploy', ...base, ...args], { env: { ...sim!.env }, ...options });
  return { sim, world, deploy };
}

const primaryTd = (s: AwsSimulator, cluster: string, service: string) => s.state.service(cluster, service).deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;

describe('connect2 deploy', () => {
  it('resolves the tag to its digest, deploys and watches; the same deploy again registers nothing', async () => {
    const { sim, world, deploy } = await setup();
    const digest = sim.seed.image(world.repository, 'v2');
    const first = await deploy(['--image', `${world.repositoryUri}:v2`]);
    expect(first.stderr).not.toMatch(/^connect2 deploy:/m);
    expect(first.code).toBe(0);
    const outputs = printedOutputs(first.stdout);
    expect(outputs).toMatchObject({ status: 'deployed', image: `${world.repositoryUri}@${digest}`, 'previous-task-definition-arn': world.taskDefinitionArn });
    expect(sim.calls('RegisterTaskDefinition')[0].body.containerDefinitions[0].image).toBe(`${world.repositoryUri}@${digest}`);
    expect(primaryTd(sim, world.cluster, world.service)).toBe(outputs['task-definition-arn']);
    // Progress lines of the rollout, as plain lines when stderr is not a terminal; no workflow commands.
    expect(first.stderr).toMatch(/\[\s*\d+s\] .*PRIMARY/);
    expect(first.stderr).not.toMatch(/^::/m);

    const again = await deploy(['--image', `${world.repositoryUri}:v2`, '--json']);
    expect(again.code).toBe(0);
    const json = JSON.parse(again.stdout);
    expect(json).toMatchObject({ command: 'deploy', ok: true, exitCode: 0, outputs: { status: 'unchanged', 'task-definition-arn': outputs['task-definition-arn'] } });
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
    expect(sim.calls('UpdateService')).toHaveLength(1);
  });

  it('--register-only registers the revision and changes no service; --no-wait starts the rollout and returns', async () => {
    const { sim, world, deploy } = await setup();
    sim.seed.image(world.repository, 'v3');
    const registered = await deploy(['--image', `${world.repositoryUri}:v3`, '--register-only']);
    expect(registered.code).toBe(0);
    expect(printedOutputs(registered.stdout).status).toBe('registered');
    expect(sim.calls('UpdateService')).toHaveLength(0);
    const started = await deploy(['--image', `${world.repositoryUri}:v3`, '--no-wait']);
    expect(started.code).toBe(0);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
    expect(sim.calls('UpdateService')).toHaveLength(1);
  });

  it('a crash-looping image is rolled back: exit 1 and one error line', async () => {
    const { sim, world, deploy } = await setup();
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 3, reason: 'ModuleNotFoundError: app.settings' } });
    const result = await deploy(['--image', `${world.repositoryUri}:bad`]);
    expect(result.code).toBe(1);
    expect(printedOutputs(result.stdout).status).toBe('rolled-back');
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('connect2 deploy:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/rolled back to connect2-api-dev:1/);
    expect(primaryTd(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
  });

  it('Ctrl-C during the rollout rolls back to the previous revision and exits 130', async () => {
    const { sim, world, deploy } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 60_000 } });
    const result = await deploy(['--image', `${world.repositoryUri}:slow`], { interruptWhen: /IN_PROGRESS/ });
    expect(result.interruptedAt).toBeDefined();
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/SIGINT: cancelling as a cancelled job does \(rolling back\)/);
    expect(result.stderr).toMatch(/^connect2 deploy: .*Cancelled by SIGINT.*rolled back to connect2-api-dev:1/m);
    expect(printedOutputs(result.stdout).status).toBe('rolled-back');
    expect(sim.calls('UpdateService')).toHaveLength(2);
    expect(sim.calls('UpdateService')[1].body.taskDefinition).toBe(world.taskDefinitionArn);
    expect(primaryTd(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
  });
});

const haveNpx = spawnSync('npx', ['--version'], { stdio: 'ignore' }).status === 0;
if (!haveNpx) console.warn('SKIPPED: no npx on PATH; the Ctrl-C-through-npx test is skipped.');

describe.skipIf(!haveNpx)('connect2 deploy started with npx, Ctrl-C on the terminal (SIGINT to npm and the CLI)', () => {
  it('npx waits for the rollback; the shell sees 130 (npm re-raises SIGINT after the CLI exits 130)', async () => {
    const { sim, world, deploy } = await setup();
    sim.seed.image(world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 60_000 } });
    const result = await deploy(['--image', `${world.repositoryUri}:slow`], { interruptWhen: /IN_PROGRESS/, viaNpx: true });
    expect(result.interruptedAt).toBeDefined();
    // npm ends by the signal (a shell reports 128 + 2 = 130), and only after the CLI printed its result.
    expect(result.code === 130 || result.signal === 'SIGINT').toBe(true);
    expect(result.errorLineAt).toBeDefined();
    expect(result.exitedAt!).toBeGreaterThanOrEqual(result.errorLineAt!);
    expect(result.stderr).not.toMatch(/SIGINT again: exiting/);
    expect(result.stderr).toMatch(/^connect2 deploy: .*Cancelled by SIGINT.*rolled back to connect2-api-dev:1/m);
    expect(sim.calls('UpdateService')).toHaveLength(2);
    expect(primaryTd(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
  });
});

describe('connect2 bad flags: one line, exit 2, nothing sent to AWS', () => {
  const cases: [string, (w: { cluster: string; service: string; repositoryUri: string }) => string[], RegExp][] = [
    ['an unknown flag', (w) => ['deploy', '--cluster', w.cluster, '--service', w.service, '--imagee', 'x'], /^connect2 deploy: Unknown flag --imagee for connect2 deploy; did you mean --image\? flags: --cluster, /],
    ['a missing required input', (w) => ['deploy', '--service', w.service], /^connect2 deploy: --cluster is required but was empty; pass --cluster VALUE\.$/],
    ['a malformed image', (w) => ['deploy', '--cluster', w.cluster, '--service', w.service, '--image', 'Bad Image!'], /^connect2 deploy: --image /],
    ['a malformed number', (w) => ['deploy', '--cluster', w.cluster, '--service', w.service, '--timeout-minutes', 'soon'], /^connect2 deploy: --timeout-minutes is 'soon', not a duration; use a number like /],
    ['a boolean that is not one', (w) => ['deploy', '--cluster', w.cluster, '--service', w.service, '--wait=maybe'], /^connect2 deploy: --wait is 'maybe', not a boolean; use 'true' or 'false'\.$/],
    ['a flag without its value', () => ['migrate', '--cluster'], /^connect2 migrate: Flag --cluster needs a value; /],
    ['a stray word', (w) => ['wait', '--cluster', w.cluster, 'oops'], /^connect2 wait: Unexpected argument 'oops'/],
    ['an unknown command', () => ['deplyo'], /^connect2: unknown command 'deplyo'; use one of deploy, migrate, wait, status, rollback, plan, release/],
    ['a credentials flag', (w) => ['deploy', '--cluster', w.cluster, '--service', w.service, '--profile', 'prod'], /^connect2 deploy: Unknown flag --profile for connect2 deploy; /],
  ];
  it.each(cases)('%s', async (_name, args, expected) => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const result = await runCli(args(world), { env: { ...sim.env } });
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    expect(result.stdout).toBe('');
    expect(sim.requests).toHaveLength(0);
  });
});

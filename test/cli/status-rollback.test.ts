/**
 * `connect2 status` (read-only) and `connect2 rollback` through the built CLI against the AWS simulator,
 * and the terminal's own messages: --version, an empty flag, a missing AWS profile, expired credentials.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { pollUntil, systemClock } from '../../packages/action-kit';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { startGitHubSimulator } from '../../packages/simulators/github';
import { printedOutputs, runCli } from './run-cli';

type GitHubSimulator = Awaited<ReturnType<typeof startGitHubSimulator>>;

let sim: AwsSimulator | undefined;
let github: GitHubSimulator | undefined;
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
    ['a bare family', ['--to', 'connect2-api-dev'], /^connect2 rollback: --to is 'connect2-api-dev', a task definition family without a revision; use connect2-api-dev:<revision>/],
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

/**
 * The GitHub side of a release as the pipeline leaves it: tags v1.0.0 and v1.1.0 on two commits, v1.2.0 on a
 * third that was never deployed, and the deployments deploy.yml recorded (task deploy:ecs, payload with the
 * image and task definition): v1.0.0 ran revision 1 in dev and revision 7 of the prod family; v1.1.0 ran
 * revision 2 in dev; a rollback's own record (payload rollback: true) onto revision 3 is not a deploy of v1.1.0.
 */
async function releases(world: ReturnType<typeof seedConnect2>, good: string, bad: string) {
  const gh = await startGitHubSimulator();
  github = gh;
  gh.seed.repo('connect2', 'connect2-api', { defaultBranch: 'main' });
  const repo = 'connect2/connect2-api';
  const first = gh.seed.commit(repo, { message: 'feat: users', parents: [], author: 'alice' });
  const second = gh.seed.commit(repo, { message: 'fix: quotes', parents: [first], author: 'bob' });
  const third = gh.seed.commit(repo, { message: 'feat: export', parents: [second], author: 'carol' });
  gh.seed.branch(repo, 'main', third);
  gh.seed.tag(repo, 'v1.0.0', first);
  gh.seed.tag(repo, 'v1.1.0', second);
  gh.seed.tag(repo, 'v1.2.0', third);
  const api = async (method: string, route: string, body: unknown) => {
    const response = await fetch(`${gh.url}/repos/${repo}${route}`, { method, headers: { authorization: `token ${gh.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: number };
  };
  const deployed = async (sha: string, environment: string, payload: Record<string, unknown>, state: string) => {
    const { id } = await api('POST', '/deployments', { ref: sha, environment, task: 'deploy:ecs', auto_merge: false, required_contexts: [], payload });
    await api('POST', `/deployments/${id}/statuses`, { state });
  };
  await deployed(first, 'dev', { image: 'connect2-api@sha256:1', task_definition_arn: world.taskDefinitionArn }, 'success');
  await deployed(first, 'prod', { image: 'connect2-api@sha256:1', task_definition_arn: world.taskDefinitionArn.replace('connect2-api-dev:1', 'connect2-api-prod:7') }, 'success');
  await deployed(second, 'dev', { image: 'connect2-api@sha256:2', task_definition_arn: good }, 'success');
  await deployed(second, 'dev', { task_definition_arn: bad, rollback: true }, 'success');
  await deployed(third, 'dev', { image: 'connect2-api@sha256:3', task_definition_arn: bad }, 'failure');
  return { gh, env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: repo, GITHUB_TOKEN: gh.token } };
}

describe('connect2 rollback --to <release tag>', () => {
  afterEach(async () => {
    await github?.close();
    github = undefined;
  });

  it("puts back the revision that release's deploy ran on this service (its family, from the GitHub deployments), as it is", async () => {
    const { sim, world, good, bad } = await history();
    const { env } = await releases(world, good, bad);
    const result = await runCli(['rollback', '--cluster', world.cluster, '--service', world.service, '--container', world.container, '--to', 'v1.0.0', '--poll-interval-seconds', '1'], { env: { ...sim.env, ...env } });
    expect(result.stderr).not.toMatch(/^connect2 rollback:/m);
    expect(result.code).toBe(0);
    expect(printedOutputs(result.stdout)).toMatchObject({ status: 'deployed', 'task-definition-arn': world.taskDefinitionArn, 'previous-task-definition-arn': good });
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(primary(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
  });

  it.each([
    ['a tag that does not exist', 'v9.9.9', /^connect2 rollback: --to is 'v9\.9\.9', but connect2\/connect2-api has no tag v9\.9\.9; give an existing release tag/],
    ['a tag never deployed successfully here', 'v1.2.0', /^connect2 rollback: --to is 'v1\.2\.0' \(commit [0-9a-f]{7}\), but no successful deploy of that commit recorded a revision of connect2-api-dev connect2-api-service-dev runs; give a release deployed to this service/],
  ])('%s: exit 2, one line naming --to, nothing changed in AWS or GitHub', async (_name, tag, message) => {
    const { sim, world, good, bad } = await history();
    const { gh, env } = await releases(world, good, bad);
    const awsMark = sim.mutatingCalls().length;
    const ghMark = gh.requests.length;
    const result = await runCli(['rollback', '--cluster', world.cluster, '--service', world.service, '--container', world.container, '--to', tag], { env: { ...sim.env, ...env } });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('connect2 rollback:'))).toEqual([expect.stringMatching(message)]);
    expect(sim.mutatingCalls().length).toBe(awsMark);
    expect(gh.requests.slice(ghMark).filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('without a GitHub token: exit 2 before any call, saying which variable to set', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const result = await runCli(['rollback', '--cluster', world.cluster, '--service', world.service, '--to', 'v1.0.0'], { env: { ...sim.env, GITHUB_REPOSITORY: 'connect2/connect2-api' } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^connect2 rollback: --to v1\.0\.0 is a release tag, resolved through the repository's GitHub deployments: set GITHUB_TOKEN /);
    expect(sim.requests).toHaveLength(0);
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

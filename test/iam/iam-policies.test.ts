/**
 * The least-privilege IAM policy of each AWS-using action, checked against what its committed bundle
 * really sends. Each bundle runs (test/harness/run-action.ts) against the AWS simulator through the
 * scenarios that reach every AWS call of its code; the simulator's request log gives the operations
 * (`x-amz-target` -> `ecs:RegisterTaskDefinition`), and the IAM-only requirements AWS documents but no
 * API call shows are added from the requests that carry them:
 *   - iam:PassRole when RegisterTaskDefinition or RunTask hands a task or execution role to ECS;
 *   - ecs:TagResource when RegisterTaskDefinition or RunTask carries tags (tag-on-create; see
 *     https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html).
 * The operations are written to .iam/operations.json (`npm run iam` turns them into
 * <action>/iam-policy.json and the README tables); the test fails when the code sends an operation the
 * committed policy lacks, when the policy grants one nothing needs, and when a README table differs.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { pollUntil, systemClock } from '../../packages/action-kit';
import { startAwsSimulator, type AwsSimulator, type RecordedRequest } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { repoRoot, runAction, type ActionRun, type RunActionOptions } from '../harness/run-action';
import { CLUSTER, SERVICE, startWorld } from '../run-migration/world';
import {
  AWS_ACTIONS,
  CATALOG,
  OPERATIONS_FILE,
  policyFile,
  combinedPolicy,
  policyFor,
  readPolicy,
  renderReadme,
  type RecordedOperation,
} from '../../scripts/iam-policies.mjs';

type Operations = Record<string, RecordedOperation>;
const observed: Record<string, Operations> = Object.fromEntries(AWS_ACTIONS.map((a) => [a, {}]));

function note(action: string, op: string, scenario: string, requiredBy?: string): void {
  const entry = (observed[action][op] ??= { sent: [], requiredBy: [] });
  if (requiredBy) {
    if (!entry.requiredBy.includes(requiredBy)) entry.requiredBy.push(requiredBy);
  } else if (!entry.sent.includes(scenario)) {
    entry.sent.push(scenario);
  }
}

/** The roles a request hands to ECS: those of the task definition it registers or runs, and overrides. */
async function passedRoles(sim: AwsSimulator, request: RecordedRequest): Promise<string[]> {
  const body = request.body ?? {};
  const roles = [body.taskRoleArn, body.executionRoleArn, body.overrides?.taskRoleArn, body.overrides?.executionRoleArn];
  if (request.operation === 'RunTask' && body.taskDefinition) {
    const { taskDefinition } = await sim.clients().ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: body.taskDefinition }));
    roles.push(taskDefinition?.taskRoleArn, taskDefinition?.executionRoleArn);
  }
  return roles.filter((r): r is string => typeof r === 'string' && r !== '');
}

/** Records what the bundle sent while `run` ran (the test's own seeding calls are outside the window). */
async function exercise(action: string, scenario: string, sim: AwsSimulator, run: () => Promise<ActionRun>): Promise<ActionRun> {
  const mark = sim.requests.length;
  const result = await run();
  const requests = sim.requests.slice(mark);
  expect(requests.length, `${action} (${scenario}) sent no AWS request`).toBeGreaterThan(0);
  for (const request of requests) {
    const op = `${request.service}:${request.operation}`;
    note(action, op, scenario);
    if (request.operation === 'RegisterTaskDefinition' || request.operation === 'RunTask') {
      if ((await passedRoles(sim, request)).length) note(action, 'iam:PassRole', scenario, op);
      if (request.body?.tags?.length || (request.body?.propagateTags && request.body.propagateTags !== 'NONE')) note(action, 'ecs:TagResource', scenario, op);
    }
  }
  return result;
}

const sims: AwsSimulator[] = [];
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function connect2() {
  const sim = await startAwsSimulator();
  sims.push(sim);
  return { sim, world: seedConnect2(sim) };
}

const primaryTd = (s: AwsSimulator, cluster: string, service: string) => s.state.service(cluster, service).deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;

describe('ecs-deploy: every AWS call path', () => {
  const deploy = async (scenario: string, inputs: Record<string, string>, extra: Partial<RunActionOptions> = {}, setup?: Awaited<ReturnType<typeof connect2>>) => {
    const { sim, world } = setup ?? (await connect2());
    const result = await exercise('ecs-deploy', scenario, sim, () =>
      runAction('ecs-deploy', {
        inputs: { cluster: world.cluster, service: world.service, container: world.container, 'poll-interval-seconds': '1', 'timeout-minutes': '2', ...inputs },
        env: { ...sim.env },
        ...extra,
      }),
    );
    return { sim, world, result };
  };

  it('a healthy deploy by tag (tag -> digest, register with the tags, roll out)', async () => {
    const setup = await connect2();
    setup.sim.seed.image(setup.world.repository, 'v2');
    const { sim, result } = await deploy('healthy deploy by tag', { image: `${setup.world.repositoryUri}:v2` }, {}, setup);
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('deployed');
    expect(sim.calls('ecr:DescribeImages').length).toBeGreaterThan(0);
    expect(sim.calls('RegisterTaskDefinition')[0].body.tags).toEqual([{ key: 'Environment', value: 'dev' }]);
  });

  it('a task-definition file as the template: register-only, then the rollout reuses that revision', async () => {
    const setup = await connect2();
    const { sim, world } = setup;
    sim.seed.image(world.repository, 'v3');
    const { taskDefinition } = await sim.clients().ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: world.taskDefinitionArn }));
    const workspace = mkdtempSync(path.join(tmpdir(), 'ws-'));
    writeFileSync(path.join(workspace, 'task-definition.json'), JSON.stringify({ taskDefinition: { ...taskDefinition, cpu: '1024', memory: '2048' } }));
    const inputs = { image: `${world.repositoryUri}:v3`, 'task-definition': 'task-definition.json' };
    const registered = await deploy('task-definition file, register-only', { ...inputs, 'register-only': 'true' }, { cwd: workspace }, setup);
    expect(registered.result.outputs.status).toBe('registered');
    const deployed = await deploy('task-definition file, rollout of the registered revision', inputs, { cwd: workspace }, setup);
    expect(deployed.result.outputs.status).toBe('deployed');
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
  });

  it('a crash loop: the failed rollout is rolled back and the stopped tasks are described', async () => {
    const setup = await connect2();
    setup.sim.seed.image(setup.world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 3, reason: 'ModuleNotFoundError: app.settings' } });
    const { sim, world, result } = await deploy('crash loop, rolled back', { image: `${setup.world.repositoryUri}:bad` }, {}, setup);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.errors[0]).toMatch(/EssentialContainerExited/);
    expect(primaryTd(sim, world.cluster, world.service)).toBe(world.taskDefinitionArn);
  });

  it('SIGTERM mid-rollout: main rolls back', async () => {
    const setup = await connect2();
    setup.sim.seed.image(setup.world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 60_000 } });
    const { sim, result } = await deploy('cancelled (SIGTERM), rolled back', { image: `${setup.world.repositoryUri}:slow` }, { cancel: { signal: 'SIGTERM', whenLogMatches: /IN_PROGRESS/ } }, setup);
    expect(result.outputs.status).toBe('rolled-back');
    expect(sim.calls('UpdateService')).toHaveLength(2);
  });

  it('SIGKILL mid-rollout: the post step rolls back', async () => {
    const setup = await connect2();
    setup.sim.seed.image(setup.world.repository, 'slow', { scenario: { kind: 'slow-start', startMs: 60_000 } });
    const { sim, result } = await deploy('killed (SIGKILL), post step rolls back', { image: `${setup.world.repositoryUri}:slow` }, { cancel: { signal: 'SIGKILL', whenLogMatches: /IN_PROGRESS/ } }, setup);
    expect(result.post?.stdout).toMatch(/rolling connect2-api-service-dev back/);
    expect(sim.calls('UpdateService')).toHaveLength(2);
  });

  it('an existing revision deployed as it is, then task-definition: previous (a rollback)', async () => {
    const setup = await connect2();
    const { sim, world } = setup;
    const second = sim.seed.taskDefinition(world.taskDefinitionInput(world.image));
    const forward = await deploy('existing revision as it is', { 'task-definition': second }, {}, setup);
    expect(forward.result.outputs.status).toBe('deployed');
    const back = await deploy('task-definition: previous (rollback)', { 'task-definition': 'previous' }, {}, setup);
    expect(back.result.outputs['task-definition-arn']).toBe(world.taskDefinitionArn);
    expect(sim.calls('ListServiceDeployments')).toHaveLength(1);
    expect(sim.calls('DescribeServiceRevisions').length).toBeGreaterThanOrEqual(1);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(0);
  });

  it('force-new-deployment with the current image: no registration, a new deployment', async () => {
    const { sim, result } = await deploy('force-new-deployment', { 'force-new-deployment': 'true' });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('deployed');
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(sim.calls('UpdateService')[0].body.forceNewDeployment).toBe(true);
  });

  it('a service that is not found: the cluster is described to say which of the two is wrong', async () => {
    const { sim, result } = await deploy('service not found', { service: 'connect2-api-service-typo' });
    expect(result.errors[0]).toMatch(/^Input 'service' is 'connect2-api-service-typo', which does not exist/);
    expect(sim.calls('DescribeClusters')).toHaveLength(1);
    expect(sim.mutatingCalls()).toEqual([]);
  });
});

describe('wait-stable: every AWS call path', () => {
  it('a service that is not found: the cluster is described to say which of the two is wrong', async () => {
    const { sim, world } = await connect2();
    const result = await exercise('wait-stable', 'service not found', sim, () => runAction('wait-stable', { inputs: { cluster: world.cluster, services: 'connect2-api-service-typo' }, env: { ...sim.env } }));
    expect(result.errors[0]).toMatch(/^Input 'services' lists 'connect2-api-service-typo', which does not exist/);
    expect(sim.calls('DescribeClusters')).toHaveLength(1);
  });

  it('two services and a health URL', async () => {
    const { sim, world } = await connect2();
    sim.seed.service({ cluster: world.cluster, serviceName: 'connect2-worker-dev', taskDefinition: world.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: world.networkConfiguration });
    sim.seed.image(world.repository, 'v2', { scenario: { kind: 'slow-start', startMs: 1500 } });
    const next = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:v2`));
    await sim.clients().ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: next }));
    let calls = 0;
    const http = createServer((_req, res) => res.writeHead(++calls < 2 ? 503 : 200).end('ok'));
    servers.push(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/health`;
    const result = await exercise('wait-stable', 'two services and a health URL', sim, () =>
      runAction('wait-stable', {
        // The verification too: verify URLs, a bake, the log watch (FilterLogEvents with the default pattern).
        inputs: { cluster: world.cluster, services: `${world.service}, connect2-worker-dev`, 'poll-interval-seconds': '1', 'health-url': url, 'health-timeout-seconds': '30', 'verify-urls': url, 'bake-seconds': '2' },
        env: { ...sim.env },
      }),
    );
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('stable');
  });

  it('a rolled-back service, task-definition given as family:revision', async () => {
    const { sim, world } = await connect2();
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1, reason: 'boom' } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    await sim.clients().ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    const result = await exercise('wait-stable', 'rolled-back service, task-definition as family:revision', sim, () =>
      runAction('wait-stable', {
        inputs: { cluster: world.cluster, services: world.service, 'task-definition': `${world.family}:2`, 'poll-interval-seconds': '1', 'timeout-minutes': '2' },
        env: { ...sim.env },
      }),
    );
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.errors[0]).toMatch(/EssentialContainerExited/);
  });

  it('a service ECS rolled back before the wait (no task-definition): its deployment history is read', async () => {
    const { sim, world } = await connect2();
    sim.seed.image(world.repository, 'bad', { scenario: { kind: 'crash-loop', exitCode: 1, reason: 'boom' } });
    const bad = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:bad`));
    const ecs = sim.clients().ecs;
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: bad }));
    await pollUntil({ clock: systemClock, intervalMs: 500, timeoutMs: 60_000 }, async () => {
      const [service] = (await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: [world.service] }))).services!;
      return service.deployments!.length === 1 && service.deployments![0].rolloutState === 'COMPLETED' ? { done: true, value: service } : { done: false };
    });
    const result = await exercise('wait-stable', 'service rolled back by ECS before the wait', sim, () =>
      runAction('wait-stable', { inputs: { cluster: world.cluster, services: world.service, 'poll-interval-seconds': '1', 'timeout-minutes': '2' }, env: { ...sim.env } }),
    );
    expect(result.outputs.status).toBe('rolled-back');
  });
});

describe('run-migration: every AWS call path', () => {
  const ALEMBIC = 'alembic upgrade head';
  const migrate = async (scenario: string, inputs: Record<string, string> = {}, extra: Partial<RunActionOptions> = {}, options: Parameters<typeof startWorld>[0] = {}, script?: (sim: AwsSimulator) => void) => {
    const { aws: sim } = await startWorld(options);
    sims.push(sim);
    script?.(sim);
    const result = await exercise('run-migration', scenario, sim, () =>
      runAction('run-migration', { inputs: { cluster: CLUSTER, service: SERVICE, 'poll-interval-seconds': '1', ...inputs }, env: { ...sim.env }, ...extra }),
    );
    return { sim, result };
  };
  const exit = (exitCode: number, afterMs = 1500) => (sim: AwsSimulator) =>
    sim.scenarios.forCommand(ALEMBIC, { kind: 'exit', exitCode, afterMs, logLines: ['INFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d'] });

  it('a migration whose log lines are streamed', async () => {
    const { result } = await migrate('migration with logs', {}, {}, {}, exit(0));
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('| INFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d');
  });

  it('a failing exit code', async () => {
    const { result } = await migrate('failing exit', {}, {}, {}, exit(3));
    expect(result.exitCode).toBe(1);
    expect(result.outputs['exit-code']).toBe('3');
  });

  it('the timeout stops the task', async () => {
    const { sim, result } = await migrate('timeout, StopTask', { 'timeout-minutes': '3s' }, {}, {}, exit(0, 60_000));
    expect(result.errors[0]).toMatch(/timed out after 3 s/);
    expect(sim.calls('StopTask')).toHaveLength(1);
  });

  it('SIGTERM stops the task', async () => {
    const { sim, result } = await migrate('cancelled (SIGTERM), StopTask', {}, { cancel: { signal: 'SIGTERM', whenLogMatches: /Task \w+: (\w+ -> )?RUNNING$/ } }, {}, exit(0, 60_000));
    expect(result.errors[0]).toMatch(/was cancelled/);
    expect(sim.calls('StopTask')).toHaveLength(1);
  });

  it('SIGKILL: the post step stops the task', async () => {
    const { sim, result } = await migrate('killed (SIGKILL), post step StopTask', {}, { cancel: { signal: 'SIGKILL', whenLogMatches: /Task \w+: (\w+ -> )?RUNNING$/ } }, {}, exit(0, 60_000));
    expect(result.main.signal).toBe('SIGKILL');
    expect(sim.calls('StopTask')).toHaveLength(1);
    expect(sim.calls('StopTask')[0].body.reason).toMatch(/post step/);
  });

  it('a log group that does not exist', async () => {
    const { result } = await migrate('missing log group', {}, {}, { requireLogGroups: true });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.some((a) => a.level === 'warning' && /Log group .* does not exist/.test(a.message))).toBe(true);
  });
});

/** `new XxxCommand(` in the engine and the action glue, with the service its import names. */
function commandsInSource(): Map<string, string[]> {
  const services: Record<string, string> = { 'client-ecs': 'ecs', 'client-ecr': 'ecr', 'client-cloudwatch-logs': 'logs', 'client-sts': 'sts' };
  const found = new Map<string, string[]>();
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [full] : [];
    });
  for (const file of ['packages/ecs', 'packages/aws', 'actions'].flatMap((dir) => walk(path.join(repoRoot, dir)))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/new (\w+)Command\(/g)) {
      const imported = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/([\w-]+)'/g)].find((m) => new RegExp(`\\b${match[1]}Command\\b`).test(m[1]));
      const service = imported ? services[imported[2]] : undefined;
      if (!service) continue; // not an AWS SDK command (e.g. an action-kit one)
      const op = `${service}:${match[1]}`;
      found.set(op, [...(found.get(op) ?? []), path.relative(repoRoot, file)]);
    }
  }
  return found;
}

/**
 * Operations the code can send that no scenario above reaches, each with the reason it is not (and
 * whether the policy must still grant it). Empty today: every `new XxxCommand(` is exercised.
 */
const UNEXERCISED: Record<string, string> = {};

describe('the policies', () => {
  it('every AWS command in the code is sent in some scenario (or listed with a reason)', () => {
    const sent = new Set(Object.values(observed).flatMap((ops) => Object.entries(ops).filter(([, o]) => o.sent.length).map(([op]) => op)));
    const inCode = commandsInSource();
    expect(inCode.size).toBeGreaterThan(5);
    const missed = [...inCode].filter(([op]) => !sent.has(op) && !UNEXERCISED[op]).map(([op, files]) => `${op} (${files.join(', ')}) is sent by no scenario of test/iam: add one, or list it in UNEXERCISED with the reason`);
    expect(missed).toEqual([]);
    const stale = Object.keys(UNEXERCISED).filter((op) => sent.has(op) || !inCode.has(op));
    expect(stale, 'UNEXERCISED lists operations that are now exercised or gone').toEqual([]);
  });

  it('records the operations in .iam/operations.json (for npm run iam)', () => {
    mkdirSync(path.dirname(OPERATIONS_FILE), { recursive: true });
    const sorted = Object.fromEntries(AWS_ACTIONS.map((action) => [action, Object.fromEntries(Object.entries(observed[action]).sort(([a], [b]) => a.localeCompare(b)))]));
    writeFileSync(OPERATIONS_FILE, JSON.stringify({ actions: sorted }, null, 2) + '\n');
    for (const action of AWS_ACTIONS) expect(Object.keys(observed[action]).length, `no operation recorded for ${action}`).toBeGreaterThan(0);
    for (const op of Object.values(observed).flatMap(Object.keys)) expect(CATALOG[op], `${op} has no entry in scripts/iam-policies.mjs CATALOG`).toBeDefined();
  });

  it.each(AWS_ACTIONS)('%s/iam-policy.json grants every operation the bundle sends, and nothing more', (action) => {
    let policy;
    try {
      policy = readPolicy(action);
    } catch {
      throw new Error(`${path.relative(repoRoot, policyFile(action))} is missing: run npx vitest run test/iam, then npm run iam`);
    }
    expect(policy.Version).toBe('2012-10-17');
    for (const statement of policy.Statement) {
      expect(statement.Sid).toMatch(/^[A-Za-z0-9]+$/);
      expect(statement.Effect).toBe('Allow');
      expect(statement.Action).toEqual([...statement.Action].sort());
    }
    const granted = new Set(policy.Statement.flatMap((s) => s.Action));
    const needed = observed[action];
    const describe = (op: string) => (needed[op].sent.length ? `sent in: ${needed[op].sent.join('; ')}` : `required by ${needed[op].requiredBy.join(', ')}`);
    const lacking = Object.keys(needed)
      .filter((op) => !granted.has(op))
      .map((op) => `${action} needs ${op} (${describe(op)}), which ${action}/iam-policy.json lacks: run npm run iam`);
    expect(lacking).toEqual([]);
    const unneeded = [...granted].filter((op) => !needed[op]).map((op) => `${action}/iam-policy.json grants ${op}, which no scenario sends and no documented rule requires`);
    expect(unneeded).toEqual([]);
    // Resources and conditions as the generator writes them (no hand edits that drift).
    expect(policy).toEqual(policyFor(action, needed));
  });

  it.each(AWS_ACTIONS)('%s/README.md shows the AWS permissions of its iam-policy.json', (action) => {
    const { current, next } = renderReadme(action);
    expect(current === next, `${action}/README.md: the AWS permissions table differs from iam-policy.json: run npm run iam`).toBe(true);
  });

  it('combinedPolicy: one deploy-role policy of several actions plus the ECR push, optionally narrowed', () => {
    const actions = ['ecr-push', 'ecs-deploy', 'run-migration', 'wait-stable'];
    const combined = combinedPolicy(actions);
    const granted = combined.Statement.flatMap((s) => s.Action);
    expect(new Set(granted).size, 'an action is granted by two statements').toBe(granted.length);
    for (const action of AWS_ACTIONS) for (const op of readPolicy(action).Statement.flatMap((s) => s.Action)) expect(granted).toContain(op);
    expect(granted).toEqual(expect.arrayContaining(['ecr:GetAuthorizationToken', 'ecr:PutImage', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage']));
    // DescribeImages and the push share the repository statement.
    expect(combined.Statement.find((s) => s.Action.includes('ecr:PutImage'))?.Action).toContain('ecr:DescribeImages');
    const narrowed = combinedPolicy(actions, { account: '123456789012', region: 'us-west-2', cluster: 'connect2-api-cluster-dev', repository: 'connect2-api-dev', logGroup: '/ecs/connect2-api-dev', family: 'connect2-api-dev', roles: ['arn:aws:iam::123456789012:role/connect2-api-execution-dev'] });
    const resource = (op: string) => narrowed.Statement.find((s) => s.Action.includes(op))?.Resource;
    expect(resource('ecs:UpdateService')).toBe('arn:aws:ecs:us-west-2:123456789012:service/connect2-api-cluster-dev/*');
    expect(resource('ecs:StopTask')).toBe('arn:aws:ecs:us-west-2:123456789012:task/connect2-api-cluster-dev/*');
    expect(resource('ecs:RunTask')).toBe('arn:aws:ecs:us-west-2:123456789012:task-definition/connect2-api-dev:*');
    expect(resource('ecr:PutImage')).toBe('arn:aws:ecr:us-west-2:123456789012:repository/connect2-api-dev');
    expect(resource('logs:GetLogEvents')).toBe('arn:aws:logs:us-west-2:123456789012:log-group:/ecs/connect2-api-dev:log-stream:*');
    expect(resource('iam:PassRole')).toBe('arn:aws:iam::123456789012:role/connect2-api-execution-dev');
    expect(resource('ecr:GetAuthorizationToken')).toBe('*');
  });
});

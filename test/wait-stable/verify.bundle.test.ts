/**
 * wait-stable's verification through its built bundle against the AWS simulator on the real clock:
 * verify URLs after stable and after the bake, the bake (a task stopping), the log watch (FilterLogEvents
 * from the rollout's start, throttled and denied), and a bad input that stops it before any AWS call. A key
 * endpoint failing after stable is test/ecs/verify-rollout.test.ts, in process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { startAwsSimulator, type AwsSimulator, type Scenario } from '../../packages/simulators/aws';
import { seedConnect2, type Connect2World } from '../../packages/simulators/aws/fixtures';
import { runAction } from '../harness/run-action';
import { startKeyEndpoints, type KeyEndpoints } from '../harness/key-endpoints';

let sim: AwsSimulator | undefined;
let endpoints: KeyEndpoints | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await endpoints?.close();
  endpoints = undefined;
});

/** The app's key endpoints, closed after each test. */
async function startApp(statuses: Record<string, number> = {}): Promise<KeyEndpoints> {
  endpoints = await startKeyEndpoints(statuses);
  return endpoints;
}

/** The dev world with a rollout of `tag` (with `scenario`) started. */
async function rollout(tag: string, scenario?: Scenario): Promise<{ world: Connect2World; next: string }> {
  sim = await startAwsSimulator();
  const world = seedConnect2(sim);
  sim.seed.image(world.repository, tag, scenario ? { scenario } : {});
  const next = sim.seed.taskDefinition(world.taskDefinitionInput(`${world.repositoryUri}:${tag}`));
  await sim.clients().ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, taskDefinition: next }));
  return { world, next };
}

const base = (world: Connect2World, extra: Record<string, string>) => ({ cluster: world.cluster, services: world.service, 'poll-interval-seconds': '1', 'timeout-minutes': '2', 'log-error-pattern': '?ERROR ?CRITICAL ?Traceback', ...extra });

describe('wait-stable verification (bundle)', () => {
  it('healthy: verify URLs after stable and after the bake, logs read from the rollout start through throttling', async () => {
    const { world, next } = await rollout('v2', { kind: 'healthy', logLines: ['INFO: Application startup complete.'] });
    const app = await startApp();
    sim!.faults.inject({ kind: 'throttle', operation: 'FilterLogEvents', count: 2 });
    const result = await runAction('wait-stable', {
      inputs: base(world, { 'task-definition': next, 'bake-seconds': '4', 'verify-urls': `${app.base}/health\nGET ${app.base}/api/v1/users?token=s3cret 200` }),
      env: { ...sim!.env },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('stable');
    const verification = JSON.parse(result.outputs.verification);
    expect(verification).toMatchObject({ status: 'passed', logGroups: [world.logGroup], logMatchCount: 0 });
    expect(verification.checks.map((c: { phase: string; url: string; answer: string }) => `${c.phase} ${c.url} ${c.answer}`)).toEqual([
      `after-stable ${app.base}/health 200`,
      `after-stable ${app.base}/api/v1/users?token=*** 200`,
      `after-bake ${app.base}/health 200`,
      `after-bake ${app.base}/api/v1/users?token=*** 200`,
    ]);
    expect(verification.bake.polls).toBeGreaterThanOrEqual(3);
    expect(verification.bake.describeServicesCalls).toBe(verification.bake.polls);
    const filters = sim!.calls('FilterLogEvents');
    expect(filters.filter((c) => c.errorType === 'ThrottlingException')).toHaveLength(2);
    // From the rollout's start: the deployment's createdAt, before the wait began.
    const deployment = sim!.state.service(world.cluster, world.service).deployments!.find((d) => d.taskDefinition === next)!;
    expect(filters[0].body.startTime).toBe(Math.round(Number(deployment.createdAt) * 1000)); // the wire's epoch seconds
    expect(filters[0].body.filterPattern).toBe('?ERROR ?CRITICAL ?Traceback');
    expect(result.summary).toMatch(/Verification: `passed`/);
    // What the new tasks printed as they came up, in the summary beside the verdict.
    expect(verification.firstLogLines.map((l: { message: string }) => l.message)).toContain('INFO: Application startup complete.');
    expect(result.summary).toMatch(/First log lines since the rollout started \(\d+\):\n\n`{3,}[^\n]*\n[^`]*INFO: Application startup complete\./);
    expect(result.log + result.summary).not.toMatch(/s3cret/);
    expect(sim!.mutatingCalls()).toHaveLength(1); // the test's own UpdateService
  });

  it('a Traceback logged during the bake fails the step naming the line, redacted and short', async () => {
    const secretLine = `ERROR request failed token=abcd1234efgh5678 ${'x'.repeat(400)}`;
    const { world, next } = await rollout('tb', { kind: 'healthy', logLines: ['Traceback (most recent call last):', secretLine], logAfterMs: 3000 });
    const result = await runAction('wait-stable', { inputs: base(world, { 'task-definition': next, 'bake-seconds': '20' }), env: { ...sim!.env } });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(result.errors).toHaveLength(1);
    // Found by the bake's reads, or, when the stable wait itself outlasted the 3 s (a loaded machine), by the read at stable.
    expect(result.errors[0]).toMatch(/^Verification failed: a log line matched the error pattern (during the bake|since the rollout started): Traceback \(most recent call last\):/);
    const verification = JSON.parse(result.outputs.verification);
    expect(verification.status).toBe('failed');
    expect(verification.bake.seconds).toBeLessThan(20);
    expect(result.summary).toContain('First log lines since the rollout started');
    expect(result.summary + result.log).not.toContain('abcd1234efgh5678');
    const messages = verification.logMatches.map((m: { message: string }) => m.message);
    expect(messages[0]).toBe('Traceback (most recent call last):');
    // Each of the two new tasks logs both lines; the ERROR line is there when the bake read past it.
    const errorLine = messages.find((m: string) => m.startsWith('ERROR'));
    if (errorLine) {
      expect(errorLine).toMatch(/^ERROR request failed token=\*\*\* x+…$/);
      expect(errorLine.length).toBeLessThanOrEqual(200);
    }
    expect(result.log + result.summary + result.outputs.verification).not.toMatch(/abcd1234efgh5678/);
    expect(sim!.mutatingCalls()).toHaveLength(1);
  });

  it('a service task stopping during the bake fails the step with its stop reason', async () => {
    const { world, next } = await rollout('dies', { kind: 'crash-loop', exitCode: 137, afterMs: 5000, reason: 'OutOfMemoryError: Container killed due to memory usage' });
    const result = await runAction('wait-stable', { inputs: base(world, { 'task-definition': next, 'bake-seconds': '25', 'log-error-pattern': '' }), env: { ...sim!.env } });
    expect(result.outputs.status).toBe('failed');
    expect(result.errors[0]).toMatch(/^Verification failed: connect2-api-service-dev: a task stopped during the bake: .*EssentialContainerExited: Essential container in task exited; connect2-api exit 137 \(OutOfMemoryError/);
    const verification = JSON.parse(result.outputs.verification);
    expect(verification.bake.stoppedTasks[0]).toBe('Essential container in task exited');
    expect(verification.logGroups).toEqual([]);
    expect(sim!.calls('FilterLogEvents')).toHaveLength(0);
  });

  it('logs:FilterLogEvents denied fails the step naming the permission', async () => {
    const { world, next } = await rollout('v2');
    sim!.faults.inject({ kind: 'access-denied', operation: 'FilterLogEvents' });
    const result = await runAction('wait-stable', { inputs: base(world, { 'task-definition': next }), env: { ...sim!.env } });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors[0]).toMatch(/logs:FilterLogEvents/);
    expect(result.errors[0]).toMatch(/AccessDenied|not authorized/);
  });

  // One bad input through the bundle, for the wiring (the step fails in one line before any AWS call); every
  // bad verification input is read in process in test/wait-stable/inputs.test.ts.
  it.each([
    ['verify-urls', { 'verify-urls': 'FETCH https://api.example.com/health' }, /^Input 'verify-urls' has the line 'FETCH https:\/\/api.example.com\/health', where 'FETCH' is not a URL/],
  ])('bad %s: one line naming it, before any AWS call', async (_name, extra, message) => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const result = await runAction('wait-stable', { inputs: { ...base(world, {}), ...extra }, env: { ...sim.env } });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(sim.requests).toHaveLength(0);
  });
});

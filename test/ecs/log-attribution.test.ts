/**
 * The log watch counts the errors of the code being verified, not another revision's: after a failed
 * rollout the circuit breaker rolled back, the next deploy that keeps the running revision watches from
 * that deployment's start, while the failed revision's tasks were still logging Tracebacks. Read in
 * process from the AWS simulator over HTTP: tasks of two revisions, each logging to its awslogs stream.
 */
import { DescribeTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger, systemClock } from '../../packages/action-kit';
import { verifyRollout } from '../../packages/ecs';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';

let sim: AwsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const CLUSTER = 'connect2-dev';
const GROUP = '/ecs/connect2-api-dev';

/** A simulator with one task of each of two revisions of the family; their ids and the revisions' ARNs. */
async function twoRevisions(): Promise<{ sim: AwsSimulator; good: string; bad: string; goodTask: string; badTask: string }> {
  sim = await startAwsSimulator();
  sim.seed.cluster(CLUSTER);
  sim.seed.logGroup(GROUP);
  const revision = () => sim!.seed.taskDefinition({ family: 'connect2-api-dev', containerDefinitions: [{ name: 'api', image: 'app:1', essential: true, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-region': 'us-west-2', 'awslogs-stream-prefix': 'ecs' } } }] });
  const good = revision();
  const bad = revision();
  const run = async (taskDefinition: string) => (await sim!.clients().ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition, launchType: 'FARGATE' }))).tasks![0].taskArn!.split('/').at(-1)!;
  const tasks = { goodTask: await run(good), badTask: await run(bad) };
  // Their awslogs streams appear once they run.
  await until(async () => (await sim!.clients().ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: Object.values(tasks) }))).tasks!.every((task) => task.lastStatus === 'RUNNING'));
  return { sim, good, bad, ...tasks };
}

/** Orchestration, not an assertion: resolves once `ready()` holds (polled), or after 20 s anyway. */
async function until(ready: () => Promise<boolean>): Promise<void> {
  const start = Date.now();
  while (!(await ready()) && Date.now() - start < 20_000) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function watch(sim: AwsSimulator, verified: string, sinceMs: number) {
  const log = recordingLogger();
  const verification = await verifyRollout({ ecs: sim.clients().ecs, clock: systemClock, log }, {
    cluster: CLUSTER,
    services: [{ name: 'connect2-api-service-dev', taskDefinitionArn: verified, rolloutStartMs: sinceMs }],
    checks: [],
    bakeMs: 0,
    intervalMs: 1000,
    logs: { client: sim.clients().logs, pattern: 'Traceback' },
  });
  return { verification, log };
}

describe('the log watch counts only the verified revision’s errors', () => {
  it("does not count a Traceback another revision's task logged in the window, and says so", async () => {
    const { sim, good, badTask, goodTask } = await twoRevisions();
    const now = Date.now();
    sim.seed.logLines(GROUP, `ecs/api/${badTask}`, ['Traceback (most recent call last):', 'ModuleNotFoundError: No module named gunicorn'], now - 5_000);
    sim.seed.logLines(GROUP, `ecs/api/${goodTask}`, ['INFO:     Application startup complete.'], now - 4_000);
    const { verification, log } = await watch(sim, good, now - 10_000);
    expect(verification.status).toBe('passed');
    expect(verification.logMatchCount).toBe(0);
    expect(verification.logMatchesOfOtherRevisions).toBe(1);
    expect(log.text('info')).toContain(`Not counted: 1 line(s) matching 'Traceback' logged by tasks of another task definition than the one verified (ecs/api/${badTask}: Traceback (most recent call last):).`);
  });

  it("counts the verified revision's Traceback, and a line whose task cannot be told", async () => {
    const { sim, good, goodTask, badTask } = await twoRevisions();
    const now = Date.now();
    sim.seed.logLines(GROUP, `ecs/api/${goodTask}`, ['Traceback (most recent call last):'], now - 5_000);
    const own = await watch(sim, good, now - 10_000);
    expect(own.verification.status).toBe('failed');
    expect(own.verification.failure).toContain(`Traceback (most recent call last): (${GROUP} ecs/api/${goodTask})`);

    // A stream awslogs did not name, and a task ECS does not know: nothing says they are another revision's.
    sim.seed.logLines(GROUP, 'sidecar-stream', ['Traceback (most recent call last):'], now - 3_000);
    sim.seed.logLines(GROUP, 'ecs/api/0123456789abcdef0123456789abcdef', ['Traceback (most recent call last):'], now - 3_000);
    const unknown = await watch(sim, good, now - 4_000);
    expect(unknown.verification.logMatchCount).toBe(2);
    expect(unknown.verification.status).toBe('failed');

    // DescribeTasks refused (a role without it): the other revision's line counts (a watch must not go blind by doubt).
    sim.seed.logLines(GROUP, `ecs/api/${badTask}`, ['Traceback (most recent call last):'], now - 1_000);
    sim.faults.inject({ kind: 'access-denied', operation: 'DescribeTasks' });
    const blind = await watch(sim, good, now - 2_000);
    expect(blind.verification.logMatchCount).toBe(1);
    expect(blind.verification.logMatchesOfOtherRevisions).toBe(0);
  });
});

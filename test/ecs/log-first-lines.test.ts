/**
 * The first log lines for wait-stable's summary, read in process from the AWS simulator over HTTP:
 * from the rollout's start, the running tasks' streams (not the old tasks' health checks or shut-down),
 * a few per group, redacted; a group that cannot be read is a warning, never a failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../packages/action-kit';
import { firstLogLines, FIRST_LINES_PER_GROUP } from '../../packages/ecs';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';

let sim: AwsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('firstLogLines', () => {
  it("keeps the running tasks' lines since the rollout started, a few per group, redacted; a missing group is a warning", async () => {
    sim = await startAwsSimulator();
    const now = Date.now();
    sim.seed.logLines('/ecs/app', 'ecs/app/0ld', ['old task: before the rollout'], now - 30_000);
    sim.seed.logLines('/ecs/app', 'ecs/app/n3w', ['INFO: Uvicorn running on http://0.0.0.0:8000 token=abcd1234efgh', ...Array.from({ length: FIRST_LINES_PER_GROUP + 5 }, (_, i) => `line ${i + 1}`)], now - 10_000);
    // The old task shuts down after the new one started: the window's lines are not all the new task's.
    sim.seed.logLines('/ecs/app', 'ecs/app/0ld', ['INFO: Shutting down', 'INFO: Finished server process'], now - 5_000);
    const log = recordingLogger();
    const options = { logs: sim.clients().logs, groups: ['/ecs/app', '/ecs/missing'], sinceMs: now - 20_000, log };
    const lines = await firstLogLines({ ...options, taskIds: new Set(['n3w']) });
    expect(lines).toHaveLength(FIRST_LINES_PER_GROUP);
    expect(lines[0]).toMatchObject({ group: '/ecs/app', stream: 'ecs/app/n3w', message: 'INFO: Uvicorn running on http://0.0.0.0:8000 token=***' });
    expect(new Set(lines.map((l) => l.stream))).toEqual(new Set(['ecs/app/n3w']));
    expect(log.text('warning')).toMatch(/^Could not read the first log lines of \/ecs\/missing for the summary: .*does not exist/);
    // No task ids (ListTasks not allowed): the window's first lines, whoever wrote them.
    const unsorted = await firstLogLines({ ...options, groups: ['/ecs/app'], taskIds: new Set() });
    expect(unsorted.map((l) => l.message)).not.toContain('old task: before the rollout');
    expect(unsorted[0].stream).toBe('ecs/app/n3w');
  });
});

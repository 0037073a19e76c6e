/**
 * The first log lines for wait-stable's summary, read in process from the AWS simulator over HTTP:
 * from the rollout's start, a few per group, redacted; a group that cannot be read is a warning, never
 * a failure (the log watch decides failures).
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
  it('reads the first lines since the rollout started, the newest stream first, a few per group, redacted; a missing group is a warning', async () => {
    sim = await startAwsSimulator();
    const now = Date.now();
    sim.seed.logLines('/ecs/app', 'ecs/app/old', ['old task: before the rollout'], now - 30_000);
    // The old task keeps answering health checks while the new one starts.
    sim.seed.logLines('/ecs/app', 'ecs/app/old', ['INFO: "GET /health HTTP/1.1" 200 OK', 'INFO: "GET /health HTTP/1.1" 200 OK'], now - 15_000);
    sim.seed.logLines('/ecs/app', 'ecs/app/task1', ['INFO: Uvicorn running on http://0.0.0.0:8000 token=abcd1234efgh', ...Array.from({ length: FIRST_LINES_PER_GROUP + 5 }, (_, i) => `line ${i + 1}`)], now - 10_000);
    const log = recordingLogger();
    const { lines, calls } = await firstLogLines(sim.clients().logs, ['/ecs/app', '/ecs/missing'], now - 20_000, log);
    expect(calls).toBe(2);
    expect(lines).toHaveLength(FIRST_LINES_PER_GROUP);
    expect(lines[0]).toMatchObject({ group: '/ecs/app', stream: 'ecs/app/task1', message: 'INFO: Uvicorn running on http://0.0.0.0:8000 token=***' });
    expect(lines.map((l) => l.message)).not.toContain('old task: before the rollout');
    expect(lines.map((l) => l.stream)).not.toContain('ecs/app/old'); // the new task's lines fill the ten
    expect(log.text('warning')).toMatch(/^Could not read the first log lines of \/ecs\/missing for the summary: .*does not exist/);
  });
});

/**
 * wait-stable verification figures: the bake's cost in AWS calls. A 10-minute bake of the dev service
 * with the default 5 s poll interval and the default log watch, played in process on a VirtualClock
 * against the AWS simulator (the same engine the bundle runs; the clock only makes ten minutes quick),
 * counted from the simulator's request log: FilterLogEvents and DescribeServices per minute.
 */
import { recordingLogger, VirtualClock } from '../../packages/action-kit';
import { verifyRollout } from '../../packages/ecs';
import { startAwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import type { BenchFigure } from './types';

const BAKE_MINUTES = 10;
const INTERVAL_MS = 5000;

export async function run(): Promise<BenchFigure[]> {
  const clock = new VirtualClock();
  const sim = await startAwsSimulator({ clock });
  try {
    const world = seedConnect2(sim);
    const { ecs, logs } = sim.clients();
    // Steady traffic in the log group: a healthy service writes lines, none of them errors.
    for (let minute = 0; minute < BAKE_MINUTES; minute++) sim.seed.logLines(world.logGroup, 'ecs/connect2-api/steady', [`INFO GET /api/v1/users 200 (minute ${minute})`], clock.now() + minute * 60_000);
    const before = sim.requests.length;
    const result = await verifyRollout(
      { ecs, clock, log: recordingLogger() },
      {
        cluster: world.cluster,
        services: [{ name: world.service, taskDefinitionArn: world.taskDefinitionArn, rolloutStartMs: clock.now() - 60_000 }],
        checks: [],
        bakeMs: BAKE_MINUTES * 60_000,
        intervalMs: INTERVAL_MS,
        logs: { client: logs, pattern: '?ERROR ?CRITICAL ?Traceback' },
      },
    );
    if (result.status !== 'passed') throw new Error(`bench: the bake did not pass: ${result.failure}`);
    const during = sim.requests.slice(before);
    const count = (operation: string) => during.filter((r) => r.operation === operation).length;
    const perMinute = (n: number) => Number((n / BAKE_MINUTES).toFixed(1));
    const filter = count('FilterLogEvents');
    const describe = count('DescribeServices');
    const note = `${BAKE_MINUTES}-minute bake, poll-interval-seconds ${INTERVAL_MS / 1000}, one service, one log group; ${during.length} calls in all (${count('DescribeTaskDefinition')} DescribeTaskDefinition for the log group)`;
    return [
      { name: 'wait-stable bake: FilterLogEvents calls per minute', value: perMinute(filter), unit: 'calls/min', note },
      { name: 'wait-stable bake: DescribeServices calls per minute', value: perMinute(describe), unit: 'calls/min', note },
      { name: 'wait-stable bake: FilterLogEvents + DescribeServices per minute', value: perMinute(filter + describe), unit: 'calls/min', note: 'CloudWatch Logs allows 5 FilterLogEvents/s per account and region; ECS DescribeServices is throttled per account too' },
    ];
  } finally {
    await sim.close();
  }
}

/**
 * run-migration figures: how long after the task stops (STOPPED in the simulator's model) the step
 * ends, with the default 5 s poll interval and with 1 s, and how much of that is the log drain.
 * The built bundle runs through the runner-faithful harness against the AWS simulator on the real
 * clock. Tasks of different lengths stop at different points of the poll cycle, so the delay is
 * sampled across it (target: at most one poll interval plus the drain).
 */
import { startAwsSimulator } from '../../packages/simulators/aws';
import { runAction } from '../../test/harness/run-action';
import { median, type BenchFigure } from './types';

const CLUSTER = 'connect2-api-cluster-dev';
const SERVICE = 'connect2-api-service-dev';
/** Task run lengths (ms): spread over a 5 s poll cycle. */
const RUN_LENGTHS = [1200, 2900, 4100, 5600, 7300];

interface Sample {
  /** Task STOPPED (model) -> main step exited. */
  delayMs: number;
  /** The drain the action reported. */
  drainMs: number;
}

async function sample(intervalSeconds: number): Promise<Sample[]> {
  const aws = await startAwsSimulator();
  try {
    aws.seed.cluster(CLUSTER);
    const { repositoryUri } = aws.seed.repository('connect2-api-dev');
    aws.seed.image('connect2-api-dev', 'abc123');
    aws.seed.taskDefinition({
      family: 'connect2-api-dev',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'connect2-api',
          image: `${repositoryUri}:abc123`,
          essential: true,
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/connect2-api-dev', 'awslogs-region': 'us-west-2', 'awslogs-stream-prefix': 'ecs' } },
        },
      ],
    });
    aws.seed.service({
      cluster: CLUSTER,
      serviceName: SERVICE,
      taskDefinition: 'connect2-api-dev',
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0aaa1111'], securityGroups: ['sg-0ccc3333'] } },
    });

    const samples: Sample[] = [];
    for (const [i, afterMs] of RUN_LENGTHS.entries()) {
      const command = ['alembic', 'upgrade', `rev${i}`];
      const logLines = Array.from({ length: 200 }, (_, n) => `INFO  [alembic.runtime.migration] step ${n + 1} of rev${i}`);
      aws.scenarios.forCommand(command, { kind: 'exit', exitCode: 0, afterMs, logLines });
      const started = Date.now();
      const run = await runAction('run-migration', {
        inputs: { cluster: CLUSTER, service: SERVICE, command: JSON.stringify(command), 'poll-interval-seconds': String(intervalSeconds) },
        env: { ...aws.env },
        skipPost: true,
      });
      if (run.exitCode !== 0) throw new Error(`run-migration failed in the bench: ${run.errors.join(' ')}`);
      const ended = started + run.main.durationMs;
      const task = aws.state.tasks(CLUSTER).find((t) => t.taskArn === run.outputs['task-arn']);
      if (task?.model.stoppedAt === undefined) throw new Error('the simulator has no STOPPED time for the task');
      const drained = /Drained the log stream in (\d+) ms/.exec(run.log);
      samples.push({ delayMs: ended - task.model.stoppedAt, drainMs: drained ? Number(drained[1]) : Number.NaN });
    }
    return samples;
  } finally {
    await aws.close();
  }
}

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const interval of [5, 1]) {
    const samples = await sample(interval);
    const delays = samples.map((s) => s.delayMs);
    const drains = samples.map((s) => s.drainMs);
    const note = `${samples.length} tasks of ${RUN_LENGTHS.map((ms) => ms / 1000).join('/')} s with 200 log lines each; poll interval ${interval} s`;
    figures.push(
      { name: `run-migration: task STOPPED -> step ended, median (poll ${interval} s)`, value: Math.round(median(delays)), unit: 'ms', note },
      { name: `run-migration: task STOPPED -> step ended, max (poll ${interval} s)`, value: Math.round(Math.max(...delays)), unit: 'ms', note: `target: at most ${interval * 1000} ms + the drain` },
      { name: `run-migration: log drain after STOPPED, median (poll ${interval} s)`, value: Math.round(median(drains)), unit: 'ms', note: `share of the median delay: ${Math.round((100 * median(drains)) / Math.max(1, median(delays)))} %` },
    );
  }
  return figures;
}

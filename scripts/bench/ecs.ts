/**
 * ECS engine figures, measured through the built bundles (dist/ecs-deploy, Node 24, as the runner
 * starts them) against the AWS simulator on the real clock, in one run:
 * - detection lag: from the simulator marking the rollout COMPLETED (its "deployment completed" event)
 *   to the step ending, with the default 5 s poll interval. Rollout completion is independent of the
 *   poll phase in real life, so the deploys use start times spread evenly across one interval;
 * - failure detection: from the circuit breaker's "deployment failed" event to the step's error line;
 * - API calls per deploy, from the simulator's request log;
 * - an 8 s rollout (tasks start in 4.5 s, health checks 2 s, the old tasks drain 1.5 s) at the default
 *   interval: lag and requests for a fresh service and for its next deploy (the watch foresees the end
 *   from the last rollout's events), beside the figures of fixed 5 s polling (before #25: 2.1 s, 10);
 * - bundle sizes.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { startAwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { repoRoot, runAction } from '../../test/harness/run-action';
import { median, type BenchFigure } from './types';

const ANCHOR =
  'anchor aws-actions/amazon-ecs-deploy-task-definition (index.js, updateEcsService): waitUntilServicesStable({ minDelay: WAIT_DEFAULT_DELAY_SEC = 15, maxWaitTime }) ' +
  'with no maxDelay, so the SDK default maxDelay 600 s applies (client-ecs serviceDefaults { minDelay: 15, maxDelay: 600 }); ' +
  'smithy runPolling checks once at once, then waits random(15 s, min(15 s * 2^(n-1), 600 s)) before check n+1, 600 s flat from the 7th wait';

/**
 * The anchor's polling rule (smithy util-waiter exponentialBackoffWithJitter with minDelay 15 s,
 * maxDelay 600 s) simulated for a rollout that completes `completesAtS` after UpdateService: the lag
 * from completion to the first check that sees it. A model of its schedule, not a measurement.
 */
function anchorLagSeconds(completesAtS: number, draws = 10_000): { median: number; p90: number } {
  const lags: number[] = [];
  const minDelay = 15;
  const maxDelay = 600;
  const ceiling = Math.log(maxDelay / minDelay) / Math.log(2) + 1;
  for (let d = 0; d < draws; d++) {
    let t = 0;
    for (let attempt = 1; t < completesAtS; attempt++) {
      const capped = attempt > ceiling ? maxDelay : Math.min(minDelay * 2 ** (attempt - 1), maxDelay);
      t += attempt > ceiling ? maxDelay : minDelay + Math.random() * (capped - minDelay);
    }
    lags.push(t - completesAtS);
  }
  lags.sort((a, b) => a - b);
  return { median: median(lags), p90: lags[Math.floor(lags.length * 0.9)] };
}

const epochMs = (value: unknown) => (typeof value === 'number' ? value * 1000 : new Date(value as string | Date).getTime());
const round = (n: number) => Math.round(n * 100) / 100;

/** The figures of fixed 5 s polling, measured before the adaptive pace (#25), on this bench's spread rollouts. */
const BEFORE = { lagS: 2.1, requests: 10 };
/** Calls per 8 s deploy with the adaptive pace, before DescribeClusters and the poll at 0 s were dropped (2026-12-07). */
const ADAPTIVE_BEFORE = { fresh: 12, next: 10 };

interface EightSecondDeploy {
  lagS: number;
  requests: number;
}

/** One deploy of an image whose tasks start in 4.3 s, through the bundle; lag from ECS's event to the step's end. */
async function eightSecondDeploy(sim: Awaited<ReturnType<typeof startAwsSimulator>>, world: ReturnType<typeof seedConnect2>, tag: string): Promise<EightSecondDeploy> {
  sim.seed.image(world.repository, tag, { scenario: { kind: 'slow-start', startMs: 4300 } });
  const before = sim.requests.length;
  const started = Date.now();
  const result = await runAction('ecs-deploy', {
    inputs: { cluster: world.cluster, service: world.service, container: world.container, image: `${world.repositoryUri}:${tag}` },
    env: { ...sim.env },
  });
  if (result.outputs.status !== 'deployed') throw new Error(`8 s deploy ${tag} ended ${result.outputs.status}: ${result.errors.join(' ')}`);
  const deploymentId = result.outputs['deployment-id'];
  const completed = sim.state.service(world.cluster, world.service).events?.find((e) => e.message?.includes(`(deployment ${deploymentId}) deployment completed`));
  if (!completed?.createdAt) throw new Error('no "deployment completed" event in the simulator');
  return { lagS: (started + result.main.durationMs - epochMs(completed.createdAt)) / 1000, requests: sim.requests.length - before };
}

const EIGHT_SECONDS = { healthyAfterMs: 2000, stopMs: 1500 };

/** Three fresh services (no rollout in their events), then one service deployed five times (the first not counted). */
async function eightSecondRollouts(): Promise<{ fresh: EightSecondDeploy[]; next: EightSecondDeploy[] }> {
  const fresh: EightSecondDeploy[] = [];
  for (let i = 0; i < 3; i++) {
    const sim = await startAwsSimulator({ timing: EIGHT_SECONDS });
    try {
      fresh.push(await eightSecondDeploy(sim, seedConnect2(sim), `fresh${i}`));
    } finally {
      await sim.close();
    }
  }
  const next: EightSecondDeploy[] = [];
  const sim = await startAwsSimulator({ timing: EIGHT_SECONDS });
  try {
    const world = seedConnect2(sim);
    await eightSecondDeploy(sim, world, 'first');
    for (let i = 0; i < 4; i++) next.push(await eightSecondDeploy(sim, world, `next${i}`));
  } finally {
    await sim.close();
  }
  return { fresh, next };
}

function eightSecondFigures(runs: { fresh: EightSecondDeploy[]; next: EightSecondDeploy[] }): BenchFigure[] {
  const figures = (label: string, list: EightSecondDeploy[], why: string, previous: number): BenchFigure[] => [
    {
      name: `8 s rollout, ${label}: lag, rollout COMPLETED -> step ends (median of ${list.length}, poll 5 s default)`,
      value: round(median(list.map((d) => d.lagS))),
      unit: 's',
      note: `max ${round(Math.max(...list.map((d) => d.lagS)))} s; before (fixed 5 s polls): ${BEFORE.lagS} s; ${why}`,
    },
    {
      name: `8 s rollout, ${label}: AWS API calls per deploy (median of ${list.length})`,
      value: median(list.map((d) => d.requests)),
      unit: 'calls',
      note: `max ${Math.max(...list.map((d) => d.requests))}; before: ${BEFORE.requests} calls (fixed polls), ${previous} with the adaptive pace before the first poll read UpdateService's answer; 6 of them are not polls (DescribeServices, DescribeTaskDefinition of the running revision and of the family's latest, DescribeImages, RegisterTaskDefinition, UpdateService)`,
    },
  ];
  return [
    ...figures('a fresh service', runs.fresh, "no rollout in its events: UpdateService's answer is the first poll, then every 5 s while tasks start, every second once they run", ADAPTIVE_BEFORE.fresh),
    ...figures(
      "the service's next deploy",
      runs.next,
      "the end foreseen from the last rollout (its 'deployment completed' event and its deployment's createdAt): UpdateService's answer, then polls at 5 and 8.25 s",
      ADAPTIVE_BEFORE.next,
    ),
  ];
}

const INTERVAL_SECONDS = 5;
const HEALTHY_DEPLOYS = 6;

/** Healthy deploys whose completion moments are spread across one poll interval: lag and calls of each. */
async function healthyDeploys(): Promise<{ lags: number[]; callsPerDeploy: number[]; byOperation: Map<string, number> }> {
  const lags: number[] = [];
  const callsPerDeploy: number[] = [];
  const byOperation = new Map<string, number>();
  for (let i = 0; i < HEALTHY_DEPLOYS; i++) {
    const sim = await startAwsSimulator();
    try {
      const world = seedConnect2(sim);
      // Completion moments spread across one poll interval (plus the ~1 s the simulator needs anyway).
      sim.seed.image(world.repository, `v${i}`, { scenario: { kind: 'slow-start', startMs: 300 + Math.round((i * INTERVAL_SECONDS * 1000) / HEALTHY_DEPLOYS) } });
      const before = sim.requests.length;
      const started = Date.now();
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: world.cluster, service: world.service, container: world.container, image: `${world.repositoryUri}:v${i}`, 'poll-interval-seconds': String(INTERVAL_SECONDS) },
        env: { ...sim.env },
      });
      if (result.outputs.status !== 'deployed') throw new Error(`deploy ${i} ended ${result.outputs.status}: ${result.errors.join(' ')}`);
      const ended = started + result.main.durationMs;
      const deploymentId = result.outputs['deployment-id'];
      const completed = sim.state.service(world.cluster, world.service).events?.find((e) => e.message?.includes(`(deployment ${deploymentId}) deployment completed`));
      if (!completed?.createdAt) throw new Error('no "deployment completed" event in the simulator');
      lags.push((ended - epochMs(completed.createdAt)) / 1000);
      const calls = sim.requests.slice(before);
      callsPerDeploy.push(calls.length);
      for (const call of calls) byOperation.set(call.operation, (byOperation.get(call.operation) ?? 0) + 1);
    } finally {
      await sim.close();
    }
  }
  return { lags, callsPerDeploy, byOperation };
}

/** Crash-looping deploys, the failure moment spread across the poll phase: circuit breaker -> step error. */
async function failureLags(): Promise<number[]> {
  const lags: number[] = [];
  for (let i = 0; i < 3; i++) {
    // The failure moment spread across the poll phase by slower task provisioning.
    const sim = await startAwsSimulator({ timing: { provisioningMs: 200 + i * 1600 } });
    try {
      const world = seedConnect2(sim);
      sim.seed.image(world.repository, `bad${i}`, { scenario: { kind: 'crash-loop', exitCode: 1 } });
      let errorAt = 0;
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: world.cluster, service: world.service, container: world.container, image: `${world.repositoryUri}:bad${i}`, 'poll-interval-seconds': String(INTERVAL_SECONDS) },
        env: { ...sim.env },
        onLine: (line) => {
          if (!errorAt && line.startsWith('::error::')) errorAt = Date.now();
        },
      });
      if (result.outputs.status !== 'rolled-back') throw new Error(`crash loop ${i} ended ${result.outputs.status}`);
      const failed = sim.state.service(world.cluster, world.service).events?.find((e) => /deployment failed/.test(e.message ?? ''));
      if (!failed?.createdAt || !errorAt) throw new Error('no failure event or error line');
      lags.push((errorAt - epochMs(failed.createdAt)) / 1000);
    } finally {
      await sim.close();
    }
  }
  return lags;
}


/** The anchor's lag for long rollouts: its polling rule simulated, not measured. */
const anchorFigures = (): BenchFigure[] =>
  [120, 600].map((seconds) => {
    const anchor = anchorLagSeconds(seconds);
    return {
      name: `anchor's detection lag for a rollout completing ${seconds / 60} min after UpdateService (its polling rule simulated, not measured)`,
      value: Math.round(anchor.median * 10) / 10,
      unit: 's',
      note: `median of 10,000 draws, p90 ${Math.round(anchor.p90)} s; ours is bounded by the poll interval (5 s) whatever the rollout length`,
    };
  });

export async function run(): Promise<BenchFigure[]> {
  const eight = await eightSecondRollouts();
  const { lags, callsPerDeploy, byOperation } = await healthyDeploys();
  const failures = await failureLags();
  const size = (action: string) => statSync(path.join(repoRoot, 'dist', action, 'index.js')).size;
  const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
  const breakdown = [...byOperation].map(([op, n]) => `${op} ${round(n / HEALTHY_DEPLOYS)}`).join(', ');
  return [
    {
      name: `detection lag, rollout COMPLETED -> ecs-deploy step ends (median of ${HEALTHY_DEPLOYS}, poll ${INTERVAL_SECONDS} s default)`,
      value: round(median(lags)),
      unit: 's',
      note: `min ${round(Math.min(...lags))} s, max ${round(Math.max(...lags))} s; ${ANCHOR}`,
    },
    {
      name: `failure detection, circuit breaker "deployment failed" -> step error (median of ${failures.length}, poll ${INTERVAL_SECONDS} s)`,
      value: round(median(failures)),
      unit: 's',
      note: `max ${round(Math.max(...failures))} s, includes describing the stopped tasks; the anchor's waiter success rule (one deployment, running = desired) also matches the rolled-back service, so it reported success (#191, #494) and since v2.6.2 notices only once the rolled-back service is stable again`,
    },
    {
      name: 'AWS API calls per healthy deploy (request log, poll 5 s)',
      value: round(median(callsPerDeploy)),
      unit: 'calls',
      note: `median of ${HEALTHY_DEPLOYS}; mean per deploy: ${breakdown}`,
    },
    ...anchorFigures(),
    ...eightSecondFigures(eight),
    { name: 'bundle size dist/ecs-deploy/index.js', value: kib(size('ecs-deploy')), unit: 'KiB' },
    { name: 'bundle size dist/wait-stable/index.js', value: kib(size('wait-stable')), unit: 'KiB' },
  ];
}

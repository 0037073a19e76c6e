/**
 * One ECS task and its life on the clock. A task's timeline (PROVISIONING -> PENDING -> RUNNING ->
 * STOPPED) is planned when it launches, from its scenario; a stop request can only cut it short.
 * What a client sees is computed from the timeline at `now`, so no timers run in the server.
 */
import type { Scenario } from '../scenarios';
import type { EcsTiming } from '../timing';
import type { ContainerDefinition, TaskDefinition } from './task-definitions';

export type StopCode = 'TaskFailedToStart' | 'EssentialContainerExited' | 'UserInitiated' | 'ServiceSchedulerInitiated';

export interface TaskContainer {
  name: string;
  image: string;
  imageDigest?: string;
  runtimeId: string;
  essential: boolean;
  /** Exit code when the task ends on its own (the scenario container); others exit 0 with it. */
  exitCode?: number;
  reason?: string;
  /**
   * When a non-essential container exits on its own while the task keeps running (its other,
   * essential containers do not stop with it): it shows STOPPED with its exit code from then on.
   */
  exitedAt?: number;
}

export interface TaskPlacement {
  launchType?: string;
  capacityProviderName?: string;
  platformVersion?: string;
  networkConfiguration?: unknown;
}

export interface Task {
  id: string;
  arn: string;
  clusterName: string;
  clusterArn: string;
  taskDefinition: TaskDefinition;
  group: string;
  startedBy?: string;
  serviceName?: string;
  deploymentId?: string;
  overrides: { containerOverrides?: any[]; [key: string]: unknown };
  tags: { key: string; value: string }[];
  placement: TaskPlacement;
  containers: TaskContainer[];
  /** The container whose scenario drives the task (override target or first essential). */
  mainContainer: string;
  createdAt: number;
  pendingAt: number;
  /** Undefined when the task never runs (pull failure). */
  runningAt?: number;
  /** When the scheduler counts it healthy; undefined when it exits first. */
  healthyAt?: number;
  /** When it starts stopping (container exit, failed start, or a stop request). */
  stoppingAt?: number;
  stoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  /** True when the task ended on its own with a failure (counts towards the circuit breaker). */
  failed: boolean;
  /** The main container's process, when the image is a snapshot (processes.ts). */
  process?: { port?: number; pid?: number; stop(): void };
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'STOPPED';

export function statusAt(task: Task, now: number): TaskStatus {
  if (task.stoppedAt !== undefined && task.stoppedAt <= now) return 'STOPPED';
  if (task.stoppingAt !== undefined && task.stoppingAt <= now) return task.runningAt !== undefined && task.runningAt <= task.stoppingAt ? 'STOPPING' : 'DEACTIVATING';
  if (task.runningAt !== undefined && task.runningAt <= now) return 'RUNNING';
  if (task.pendingAt <= now) return 'PENDING';
  return 'PROVISIONING';
}

/** Desired RUNNING at `now` (the scheduler still counts it as one of the service's tasks). */
export const isLive = (task: Task, now: number) => task.stoppingAt === undefined || task.stoppingAt > now;
export const isHealthy = (task: Task, now: number) => isLive(task, now) && task.healthyAt !== undefined && task.healthyAt <= now;

/** Every time at which something about the task changes (the model steps through these). */
export function transitions(task: Task): number[] {
  return [task.pendingAt, task.runningAt, task.healthyAt, task.stoppingAt, task.stoppedAt].filter((t): t is number => t !== undefined);
}

export interface PlannedLine {
  container: string;
  timestamp: number;
  message: string;
}

/**
 * Plans the timeline from the scenario: `oneOff` tasks without an exiting scenario run for a short
 * while and exit 0; service tasks stay up unless the scenario makes them exit or fail to start.
 */
export function planTimeline(task: Task, scenario: Scenario | undefined, timing: EcsTiming, oneOff: boolean): PlannedLine[] {
  const start = task.createdAt;
  task.pendingAt = start + timing.provisioningMs;
  if (scenario?.kind === 'pull-failure') {
    task.stoppingAt = task.pendingAt + timing.pendingMs;
    task.stoppedAt = task.stoppingAt;
    task.stopCode = 'TaskFailedToStart';
    const image = task.containers.find((c) => c.name === task.mainContainer)?.image ?? '';
    task.stoppedReason = `CannotPullContainerError: pull image manifest has been retried 5 time(s): ${scenario.reason ?? `failed to resolve ref ${image}: not found`}`;
    task.failed = true;
    for (const c of task.containers) c.reason = c.name === task.mainContainer ? task.stoppedReason : undefined;
    return [];
  }
  const startMs = scenario && (scenario.kind === 'healthy' || scenario.kind === 'slow-start') ? (scenario.startMs ?? timing.pendingMs) : timing.pendingMs;
  const runningAt = task.pendingAt + startMs;
  task.runningAt = runningAt;
  task.healthyAt = runningAt + timing.healthyAfterMs;

  let exit: { exitCode: number; afterMs: number; reason?: string; failure: boolean } | undefined;
  if (scenario?.kind === 'crash-loop') {
    exit = { exitCode: scenario.exitCode ?? 1, afterMs: scenario.afterMs ?? timing.crashAfterMs, reason: scenario.reason, failure: true };
  } else if (scenario?.kind === 'exit') {
    exit = { exitCode: scenario.exitCode, afterMs: scenario.afterMs ?? timing.oneOffRunMs, reason: scenario.reason, failure: !oneOff };
  } else if (oneOff) {
    exit = { exitCode: 0, afterMs: timing.oneOffRunMs, failure: false };
  }
  const lines = scenario && 'logLines' in scenario ? (scenario.logLines ?? []) : [];
  if (!exit) {
    // A long-running task writes its lines while it starts up, or from logAfterMs on.
    const from = runningAt + (scenario && 'logAfterMs' in scenario ? (scenario.logAfterMs ?? 0) : 0);
    return spread(lines, from, from + timing.healthyAfterMs, task.mainContainer);
  }
  const exitAt = runningAt + exit.afterMs;
  const main = task.containers.find((c) => c.name === task.mainContainer);
  if (main && !main.essential && task.containers.some((c) => c.essential)) {
    // As ECS does: a non-essential container that exits leaves the task RUNNING (the essential ones go on).
    main.exitCode = exit.exitCode;
    main.reason = exit.reason;
    main.exitedAt = exitAt;
    return spread(lines, runningAt, exitAt, task.mainContainer);
  }
  // A task that exits before its health grace period ends is never counted healthy.
  if (exit.afterMs <= timing.healthyAfterMs) task.healthyAt = undefined;
  task.stoppingAt = exitAt;
  task.stoppedAt = exitAt + timing.stopMs;
  task.stopCode = 'EssentialContainerExited';
  task.stoppedReason = 'Essential container in task exited';
  task.failed = exit.failure;
  for (const c of task.containers) {
    if (c.name === task.mainContainer) {
      c.exitCode = exit.exitCode;
      c.reason = exit.reason;
      // Its exit is what stops the task: STOPPED with its exit code from the moment the task is STOPPING.
      c.exitedAt = exitAt;
    } else {
      c.exitCode = 0;
    }
  }
  return spread(lines, runningAt, exitAt, task.mainContainer);
}

/** Spreads lines evenly over [from, to) so a tailer sees them arrive over the task's run. */
function spread(lines: string[], from: number, to: number, container: string): PlannedLine[] {
  const step = lines.length ? Math.max(1, Math.floor((to - from) / (lines.length + 1))) : 0;
  return lines.map((message, i) => ({ container, message, timestamp: Math.min(to, from + step * (i + 1)) }));
}

/**
 * Cuts the timeline short at `at`. Returns false when the task was already stopping. A running
 * container gets SIGTERM and exits 143; one that never started has no exit code.
 */
export function requestStop(task: Task, at: number, stopCode: StopCode, reason: string, timing: EcsTiming): boolean {
  if (task.stoppingAt !== undefined && task.stoppingAt <= at) return false;
  const wasRunning = task.runningAt !== undefined && task.runningAt <= at;
  task.stoppingAt = at;
  task.stoppedAt = at + timing.stopMs;
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  task.failed = false;
  if (task.healthyAt !== undefined && task.healthyAt > at) task.healthyAt = undefined;
  if (!wasRunning) task.runningAt = undefined;
  for (const c of task.containers) {
    // A container that already exited keeps its own exit code.
    if (c.exitedAt !== undefined && c.exitedAt <= at) continue;
    c.exitedAt = undefined;
    c.exitCode = wasRunning ? 143 : undefined;
    c.reason = undefined;
  }
  return true;
}

export function containersOf(td: TaskDefinition, digestOf: (image: string) => string | undefined, runtimeId: () => string): TaskContainer[] {
  return td.containerDefinitions.map((c: ContainerDefinition) => ({
    name: c.name,
    image: c.image,
    imageDigest: digestOf(c.image),
    runtimeId: runtimeId(),
    essential: c.essential !== false,
  }));
}

/** The Task shape of the API at `now`. */
export function describeTask(task: Task, now: number, region: string) {
  const status = statusAt(task, now);
  const stopping = task.stoppingAt !== undefined && task.stoppingAt <= now;
  const stopped = status === 'STOPPED';
  const ran = task.runningAt !== undefined && task.runningAt <= now;
  const containerStatus = stopped ? 'STOPPED' : ran ? 'RUNNING' : 'PENDING';
  const td = task.taskDefinition;
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
  return {
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: td.taskDefinitionArn,
    group: task.group,
    startedBy: task.startedBy,
    lastStatus: status,
    desiredStatus: stopping || stopped ? 'STOPPED' : 'RUNNING',
    cpu: td.input.cpu,
    memory: td.input.memory,
    launchType: task.placement.launchType,
    capacityProviderName: task.placement.capacityProviderName,
    platformVersion: task.placement.platformVersion ?? (task.placement.launchType === 'FARGATE' || task.placement.capacityProviderName ? '1.4.0' : undefined),
    platformFamily: task.placement.launchType === 'FARGATE' || task.placement.capacityProviderName ? 'Linux' : undefined,
    availabilityZone: `${region}a`,
    connectivity: task.pendingAt <= now ? 'CONNECTED' : undefined,
    connectivityAt: task.pendingAt <= now ? seconds(task.pendingAt) : undefined,
    createdAt: seconds(task.createdAt),
    pullStartedAt: task.pendingAt <= now ? seconds(task.pendingAt) : undefined,
    pullStoppedAt: ran ? seconds(task.runningAt) : undefined,
    startedAt: ran ? seconds(task.runningAt) : undefined,
    stoppingAt: stopping ? seconds(task.stoppingAt) : undefined,
    executionStoppedAt: stopping ? seconds(task.stoppingAt) : undefined,
    stoppedAt: stopped ? seconds(task.stoppedAt) : undefined,
    stopCode: stopping ? task.stopCode : undefined,
    stoppedReason: stopping ? task.stoppedReason : undefined,
    healthStatus: 'UNKNOWN',
    overrides: { containerOverrides: task.overrides.containerOverrides ?? [], inferenceAcceleratorOverrides: [] },
    containers: task.containers.map((c) => {
      const exited = c.exitedAt !== undefined && c.exitedAt <= now;
      return {
        containerArn: `arn:aws:ecs:${region}:${task.clusterArn.split(':')[4]}:container/${task.clusterName}/${task.id}/${c.runtimeId.slice(0, 36)}`,
        taskArn: task.arn,
        name: c.name,
        image: c.image,
        imageDigest: ran ? c.imageDigest : undefined,
        runtimeId: ran ? `${task.id}-${c.runtimeId.slice(0, 10)}` : undefined,
        lastStatus: exited ? 'STOPPED' : containerStatus,
        exitCode: stopped || exited ? c.exitCode : undefined,
        reason: stopping || exited ? c.reason : undefined,
        healthStatus: 'UNKNOWN',
        networkInterfaces: [],
        networkBindings: [],
        cpu: '0',
      };
    }),
    attachments: [],
    tags: task.tags,
    version: 1 + [task.pendingAt, task.runningAt, task.stoppingAt, task.stoppedAt].filter((t) => t !== undefined && t <= now).length,
    ephemeralStorage: { sizeInGiB: 20 },
  };
}

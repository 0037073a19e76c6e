/**
 * The outcome of a one-off task comes from the named container, not from the task or its first
 * container (a sidecar that exits 0 must not hide a failed migration; geekcell #38). A task that
 * never started fails with ECS's stopped reason (e.g. CannotPullContainerError); a container without
 * an exit code never ran, which is a failure too, never a success.
 */
import type { Task } from '@aws-sdk/client-ecs';
import { ActionError } from '../action-kit';
import type { LogStreamTarget } from './log-stream';
import { arnResource } from '../aws';

export type RunTaskOutcome = 'succeeded' | 'failed' | 'failed-to-start' | 'never-ran' | 'timed-out' | 'cancelled';

export interface RunTaskResult {
  outcome: RunTaskOutcome;
  taskArn: string;
  container: string;
  /** The task as last described (STOPPED unless it could not be stopped in time). */
  task?: Task;
  exitCode?: number;
  stopCode?: string;
  stoppedReason?: string;
  /** The container's own reason (e.g. `OutOfMemoryError: Container killed due to memory usage`). */
  containerReason?: string;
  /** From RunTask to the end of the log drain. */
  durationMs: number;
  /** Where the logs are, when they could be followed. */
  logs?: LogStreamTarget;
  /** The last log lines read (oldest first). */
  lastLines: string[];
  /** Why a timed-out or cancelled task was stopped, as sent to StopTask. */
  stopRequest?: string;
}

/** The fields of a STOPPED task that decide the outcome. */
export function classifyStoppedTask(task: Task, containerName: string): Pick<RunTaskResult, 'outcome' | 'exitCode' | 'stopCode' | 'stoppedReason' | 'containerReason'> {
  const container = task.containers?.find((c) => c.name === containerName);
  const facts = {
    exitCode: container?.exitCode ?? undefined,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    containerReason: container?.reason,
  };
  if (facts.exitCode === 0) return { outcome: 'succeeded', ...facts };
  if (facts.exitCode !== undefined) return { outcome: 'failed', ...facts };
  if (task.stopCode === 'TaskFailedToStart') return { outcome: 'failed-to-start', ...facts };
  return { outcome: 'never-ran', ...facts };
}

/** How many log lines an error shows (the summary shows all kept lines). */
const ERROR_LINES = 10;

/** The error a result fails the step with, or undefined when it succeeded. */
export function resultError(result: RunTaskResult): ActionError | undefined {
  if (result.outcome === 'succeeded') return undefined;
  const id = arnResource(result.taskArn);
  const reasons = [
    result.containerReason ? `container reason: ${result.containerReason}` : undefined,
    result.stoppedReason ? `stopped reason: ${result.stoppedReason}` : undefined,
    result.stopCode ? `stop code: ${result.stopCode}` : undefined,
  ].filter((line): line is string => line !== undefined);
  const tail = result.lastLines.slice(-ERROR_LINES);
  const logLines = tail.length > 0 ? [`last ${tail.length} log line(s):`, ...tail.map((line) => `| ${line}`)] : [];
  const link = result.logs ? [`logs: ${result.logs.url}`] : [];

  switch (result.outcome) {
    case 'failed':
      // The last line (usually the exception) goes in the first line: it is what the checks UI shows.
      return new ActionError(`The command exited with code ${result.exitCode} in container ${result.container} of task ${id}${tail.length > 0 ? `: ${tail.at(-1)}` : '.'}`, {
        details: [...reasons, ...logLines, ...link],
      });
    case 'failed-to-start':
      return new ActionError(`Task ${id} failed to start: ${result.stoppedReason ?? result.containerReason ?? 'no reason given'}.`, {
        details: [...reasons, ...link],
      });
    case 'never-ran':
      return new ActionError(`Container ${result.container} of task ${id} never ran (no exit code): ${result.containerReason ?? result.stoppedReason ?? 'no reason given'}.`, {
        details: [...reasons, ...logLines, ...link],
      });
    case 'timed-out':
    case 'cancelled': {
      const state = result.task?.lastStatus === 'STOPPED' ? 'is STOPPED' : `was ${result.task?.lastStatus ?? 'in an unknown state'} when the step ended (the post step checks it again)`;
      const why = result.stopRequest ?? (result.outcome === 'timed-out' ? 'run-migration timed out' : 'run-migration was cancelled');
      return new ActionError(`${why}: task ${id} was asked to stop and ${state}.`, {
        details: [...(result.exitCode !== undefined ? [`exit code: ${result.exitCode}`] : []), ...reasons, ...logLines, ...link],
      });
    }
  }
}

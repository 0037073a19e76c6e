/**
 * What a command leaves behind when a second signal ends it before its clean-up finished: read from
 * the state the action saved for its post step (GITHUB_STATE), said in one line with what to run next.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseFileCommands } from './step-files';

export type LeftRunning = (state: Record<string, string>) => string | undefined;

export function readState(file: string): Record<string, string> {
  return existsSync(file) ? parseFileCommands(readFileSync(file, 'utf8')) : {};
}

/** ecs-deploy: the rollout it started and did not roll back. */
export const deployLeftRunning: LeftRunning = (state) => {
  const { cluster, service } = state;
  if (!service || !state['task-definition'] || state.finished === 'true') return undefined;
  const previous = state['previous-task-definition'];
  return (
    `service ${service} (cluster ${cluster}) may still be rolling out ${state['task-definition']}` +
    `${state['deployment-id'] ? ` (deployment ${state['deployment-id']})` : ''}; it was not rolled back to ${previous}. ` +
    `Run: connect2 rollback --cluster ${cluster} --service ${service} --to ${previous}`
  );
};

/** run-migration: the one-off task it started and did not see stop. */
export const migrateLeftRunning: LeftRunning = (state) => {
  const { cluster } = state;
  const task = state['task-arn'];
  if (!task || state.finished === 'true') return undefined;
  return `task ${task} (cluster ${cluster}) may still be running. Stop it: aws ecs stop-task --cluster ${cluster} --task ${task}`;
};

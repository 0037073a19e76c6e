/**
 * `connect2 status`: wait-stable's read-only look at the same services (its cluster and services
 * inputs): nothing is waited for and nothing changes. No workflow step runs it; the CLI does.
 */
import { actionsLogger, readInputs, setOutputs, systemClock, type ActionContext } from '../../packages/action-kit';
import { createEcsClient } from '../../packages/aws';
import { readServiceStatus, renderServiceStatus, type EcsContext } from '../../packages/ecs';
import { readStatusInputs } from './inputs';
import { Input, Output } from './names';

/** The printed report (output `report`) and the same as JSON (output `services`). */
export const StatusOutput = { Report: 'report', Services: Output.Services } as const;

export async function serviceStatus(_context: ActionContext): Promise<void> {
  const { cluster, services, maxAttempts } = readStatusInputs(readInputs());
  const ctx: EcsContext = { ecs: createEcsClient({ maxAttempts }), clock: systemClock, log: actionsLogger() };
  const statuses = await readServiceStatus(ctx, cluster, services, Input.Services);
  setOutputs({ [StatusOutput.Report]: statuses.map(renderServiceStatus).join('\n\n'), [StatusOutput.Services]: statuses });
}

/** The job summary of a migration: what ran, where, how it ended, and its last log lines. */
import { codeBlock, details, errorMessage, table } from '../../packages/action-kit';
import { arnResource } from '../../packages/aws';
import { describePlacement, formatTaskCommand, type RunTaskPlan, type RunTaskResult } from '../../packages/ecs';

const HEADLINE: Record<RunTaskResult['outcome'], string> = {
  succeeded: '✅ Migration succeeded',
  failed: '❌ Migration failed',
  'failed-to-start': '❌ Migration task failed to start',
  'never-ran': '❌ Migration container never ran',
  'timed-out': '⏱️ Migration timed out and was stopped',
  cancelled: '🛑 Migration cancelled and stopped',
};

export function renderSummary(plan: RunTaskPlan, result: RunTaskResult): string {
  const rows: unknown[][] = [
    ...whatAndWhere(plan, result.taskArn),
    ['Duration', `${Math.round(result.durationMs / 1000)} s`],
    ['Exit code', result.exitCode ?? '—'],
  ];
  if (result.stopCode) rows.push(['Stop code', result.stopCode]);
  if (result.stoppedReason) rows.push(['Stopped reason', result.stoppedReason]);
  if (result.containerReason) rows.push(['Container reason', result.containerReason]);
  if (result.logs) rows.push(['Logs', `[${result.logs.group} › ${result.logs.stream}](${result.logs.url})`]);

  const parts = [`## ${HEADLINE[result.outcome]}`, table(['', ''], rows)];
  if (result.lastLines.length > 0) {
    const body = codeBlock(result.lastLines.join('\n'));
    parts.push(details(`Last ${result.lastLines.length} log line(s)`, body, result.outcome !== 'succeeded'));
  }
  return parts.join('\n\n') + '\n';
}

/** The summary when the step failed after the task started but before its outcome was known. */
export function renderErrorSummary(plan: RunTaskPlan, taskArn: string, error: unknown): string {
  const message = errorMessage(error);
  return [`## ❌ run-migration failed while following the task`, table(['', ''], [...whatAndWhere(plan, taskArn), ['Error', message]])].join('\n\n') + '\n';
}

function whatAndWhere(plan: RunTaskPlan, taskArn: string): unknown[][] {
  const region = taskArn.split(':')[3];
  const taskId = arnResource(taskArn);
  const clusterName = arnResource(plan.cluster);
  const taskLink = region
    ? `[${taskId}](https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(clusterName)}/tasks/${taskId}/configuration?region=${region})`
    : taskId;
  return [
    ['Command', `\`${formatTaskCommand(plan.command)}\``],
    ['Task', taskLink],
    ['Task definition', plan.taskDefinitionName],
    ['Container', plan.container.name],
    ['Cluster', clusterName + (plan.service ? ` (like service ${plan.service})` : '')],
    ['Where', describePlacement(plan.placement)],
  ];
}

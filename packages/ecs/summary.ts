/**
 * Job summaries a person would rather read than the log: result first, then the task definition
 * diff, why tasks stopped, and the timeline of events and counts.
 */
import { codeBlock, details, table } from '../action-kit';
import { shortArn } from '../aws';
import type { DeployResult } from './deploy';
import { summarizeStoppedTasks, type StoppedTask } from './stopped-tasks';
import type { TaskDefinitionChange } from './task-definition';
import type { TimelineEntry } from './timeline';
import type { WaitResult } from './wait';

const ICON: Record<string, string> = {
  deployed: '✅',
  unchanged: '⏸️',
  registered: '📝',
  stable: '✅',
  failed: '❌',
  'rolled-back': '↩️',
  'timed-out': '⏱️',
  stopped: '⏹️',
  'in-progress': '⏳',
};

export function renderDeploySummary(title: string, result: DeployResult): string {
  const parts = [
    `## ${ICON[result.status] ?? ''} ${title}: \`${result.status}\``,
    result.reason,
    table(
      ['', ''],
      [
        ['Task definition', shortArn(result.taskDefinitionArn)],
        ['Previous task definition', shortArn(result.previousTaskDefinitionArn)],
        ['Image', result.image ? `\`${result.image}\`` : '(unchanged)'],
        ['Deployment', result.deploymentId ?? '—'],
        ['Revision', result.registered ? 'registered' : result.reusedTaskDefinition ? 'reused (identical latest revision)' : 'not registered'],
        ['Duration', `${Math.round(result.elapsedMs / 1000)} s`],
      ],
    ),
    renderChanges(result.changes),
  ];
  if (result.stoppedTasks.length) parts.push(renderStoppedTasks(result.stoppedTasks));
  parts.push(renderTimeline(result.timeline.entries));
  return parts.filter(Boolean).join('\n\n') + '\n';
}

export function renderWaitSummary(title: string, result: WaitResult, health?: string): string {
  const parts = [
    `## ${ICON[result.status] ?? ''} ${title}: \`${result.status}\``,
    table(
      ['Service', 'Status', 'Task definition', 'Running', 'Deployment', 'Reason'],
      result.services.map((s) => [s.name, `${ICON[s.status] ?? ''} ${s.status}`, shortArn(s.taskDefinition), `${s.runningCount ?? '?'}/${s.desiredCount ?? '?'}`, s.deploymentId ?? '—', s.reason]),
    ),
  ];
  if (health) parts.push(health);
  parts.push(`Duration: ${Math.round(result.elapsedMs / 1000)} s`);
  const stopped = result.services.flatMap((s) => s.stoppedTasks);
  if (stopped.length) parts.push(renderStoppedTasks(stopped));
  parts.push(renderTimeline(result.timeline.entries));
  return parts.join('\n\n') + '\n';
}

function renderChanges(changes: TaskDefinitionChange[]): string {
  if (changes.length === 0) return '### Task definition\n\nNo change to image, environment, cpu or memory.';
  return `### Task definition changes\n\n${table(
    ['Scope', 'Field', 'Before', 'After'],
    changes.map((c) => [c.scope, c.field, c.before, c.after]),
  )}`;
}

function renderStoppedTasks(tasks: StoppedTask[]): string {
  return `### Why tasks stopped\n\n${codeBlock(summarizeStoppedTasks(tasks).join('\n'))}`;
}

function renderTimeline(entries: TimelineEntry[]): string {
  if (entries.length === 0) return '';
  const rows = entries.map((e) => [`+${Math.round(e.elapsedMs / 1000)}s`, e.service ?? '', e.kind, e.message]);
  const hasService = entries.some((e) => e.service);
  const body = hasService ? table(['When', 'Service', 'What', 'Message'], rows) : table(['When', 'What', 'Message'], rows.map((r) => [r[0], r[2], r[3]]));
  return details(`Timeline (${entries.length} entries)`, body, entries.length <= 30);
}

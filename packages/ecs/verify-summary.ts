/**
 * The verification part of wait-stable's job summary: the verify URLs of each phase, the bake and the
 * log lines that matched and the first lines logged since the rollout started (already redacted and short; shown in a code block, so no Markdown or HTML in
 * a log line is rendered).
 */
import { codeBlock, table } from '../action-kit';
import type { LogMatch } from './log-watch';
import type { Verification } from './verify';

const logLine = (m: LogMatch) => `${new Date(m.timestamp).toISOString()} ${m.stream}: ${m.message}`;

export function renderVerification(verification: Verification): string {
  const icon = verification.status === 'passed' ? '✅' : verification.status === 'failed' ? '❌' : '⏸️';
  const parts = [`### ${icon} Verification: \`${verification.status}\``];
  if (verification.failure) parts.push(`Failed: ${verification.failure}`);
  if (verification.checks.length) {
    parts.push(table(['When', 'Check', 'Expected', 'Answer', 'Attempts'], verification.checks.map((c) => [c.phase, `${c.method} ${c.url}`, c.expected, `${c.ok ? '✅' : '❌'} ${c.answer}`, c.attempts])));
  }
  const { bake } = verification;
  if (bake.polls) parts.push(`Bake: ${bake.seconds} s, ${bake.polls} polls (${bake.describeServicesCalls} DescribeServices, ${bake.filterLogEventsCalls} FilterLogEvents calls).`);
  if (bake.stoppedTasks.length) parts.push(`Tasks stopped during the bake: ${bake.stoppedTasks.join('; ')}`);
  if (verification.logGroups.length) {
    parts.push(`Log watch: ${verification.logGroups.join(', ')}, ${verification.logMatchCount} matching line(s).`);
    if (verification.logMatches.length) {
      parts.push(codeBlock(verification.logMatches.map(logLine).join('\n')));
    }
  }
  if (verification.firstLogLines.length) {
    parts.push(`First log lines since the rollout started (${verification.firstLogLines.length}):`, codeBlock(verification.firstLogLines.map(logLine).join('\n')));
  }
  return '\n' + parts.join('\n\n') + '\n';
}

/**
 * The job summary: the verdict, the flow check and one table per kind, so a reviewer sees why each
 * file counts as what (the glob that matched) without reading the log.
 */
import { details, table } from '../action-kit';
import type { FlowResult } from './branch-flow';
import type { Classification, ClassifiedPath } from './classify';
import { code } from './file-list';
import type { SourceHealthResult } from './source-health';

/**
 * Characters per file table: three tables stay under the runner's 1 MiB summary cap, so a
 * 3,500-file PR is listed whole; beyond it a table says how many more (the outputs carry every path).
 */
const SUMMARY_TABLE_CHARS = 300_000;

export interface SummaryContext {
  flow: FlowResult;
  /** Where the file list came from, e.g. "pulls API (12 files)". */
  source: string;
  /** Why a mixed PR is tolerated (promotion, fail-on-mixed false); undefined when it fails. */
  mixedAllowedBecause?: string;
  /** The promotion's source environment health; no row when the check was skipped. */
  sourceHealth?: SourceHealthResult;
  /** Extra rows such as what happened to the labels and the comment. */
  feedback?: string[][];
}

const ICON = { application: '🟦', infrastructure: '🟧', mixed: '❌', empty: '⚪' } as const;
const ALLOWED_MIXED_ICON = '🔀';

function flowText(flow: FlowResult): string {
  switch (flow.status) {
    case 'ok':
      return `ok: ${code(flow.head)} → ${code(flow.base)} (rule ${code(flow.rule.text)})`;
    case 'violation':
      return `❌ violation: ${flow.message}`;
    case 'skipped':
      return `skipped (${flow.reason})`;
  }
}

function fileTable(files: readonly ClassifiedPath[], withGlob: string | undefined, budget: number): string {
  const headers = withGlob ? ['File', 'Status', withGlob] : ['File', 'Status'];
  const rows: unknown[][] = [];
  let used = 0;
  for (const file of files) {
    const status = file.renamedTo ? `${file.status ?? 'renamed'} → ${file.renamedTo}` : (file.status ?? '');
    const row: unknown[] = [code(file.path), status];
    if (withGlob) row.push(file.glob ? code(file.glob) : '');
    // A rendered row is its cells plus ` | ` separators; an estimate within a few characters is enough.
    used += row.reduce<number>((sum, value) => sum + String(value).length + 3, 4);
    if (used > budget) break;
    rows.push(row);
  }
  const more = files.length > rows.length ? `\n\n… and ${files.length - rows.length} more (every path is in the step's outputs).` : '';
  return table(headers, rows) + more;
}

export function jobSummary(result: Classification, context: SummaryContext): string {
  const counts = `${result.infrastructure.length + result.application.length} (${result.infrastructure.length} infrastructure, ${result.application.length} application${result.ignored.length ? `, ${result.ignored.length} ignored` : ''})`;
  const verdict = result.type === 'mixed' && context.mixedAllowedBecause ? `mixed (allowed: ${context.mixedAllowedBecause})` : result.type;
  // A mixed PR that passes (a promotion, fail-on-mixed false) is not an error: no red cross.
  const heading = result.type === 'mixed' && context.mixedAllowedBecause ? `## ${ALLOWED_MIXED_ICON} classify-pr: mixed (allowed)` : `## ${ICON[result.type]} classify-pr: ${result.type}`;
  const parts = [
    heading,
    '',
    table(['', ''], [
      ['Type', verdict],
      ['Branch flow', flowText(context.flow)],
      ...(context.sourceHealth && context.sourceHealth.health !== 'skipped' ? [['Source environment', `${context.sourceHealth.health}: ${context.sourceHealth.message}`]] : []),
      ['Files', counts],
      ['File list from', context.source],
      ...(context.feedback ?? []),
    ]),
  ];
  const section = (title: string, files: readonly ClassifiedPath[], glob?: string) => {
    if (files.length === 0) return;
    parts.push('', `### ${title} (${files.length})`, '');
    const body = fileTable(files, glob, SUMMARY_TABLE_CHARS);
    parts.push(files.length > 50 ? details(`${files.length} files`, body) : body);
  };
  section('Infrastructure files', result.infrastructure, 'Matched glob');
  section('Application files', result.application);
  section('Ignored files', result.ignored, 'Ignored by');
  return parts.join('\n') + '\n';
}

/**
 * Renders a failed plan as an error comment. A failed plan must never read as "no changes": the
 * heading says it failed, each error is shown with its location and detail, and the end of the log
 * follows for context. The same size limit applies, degrading from full details to summaries only.
 */
import type { FailedPlan, Diagnostic } from './failed-plan';
import { code, collapsible, commitLink, escapeHtml, fence, firstLines, plural } from './markdown';

export interface FailedView {
  failed: FailedPlan;
  name: string;
  tool: string;
  /** The log was not given: say where to look instead. */
  logMissing?: boolean;
  sha?: string;
  /** Link for the commit, e.g. https://github.com/o/r/commit/<sha>. */
  commitUrl?: string;
  runUrl?: string;
}

export interface FailedRenderOptions {
  limit: number;
  measure?: (text: string) => number;
  prefix?: string;
}

export function renderFailedPlan(view: FailedView, options: FailedRenderOptions): { markdown: string; shortened: boolean } {
  const measure = options.measure ?? ((text: string) => text.length);
  const levels: { detailLines: number; tailLines: number; maxDiagnostics: number }[] = [
    { detailLines: Infinity, tailLines: 60, maxDiagnostics: Infinity },
    { detailLines: 30, tailLines: 20, maxDiagnostics: 50 },
    { detailLines: 5, tailLines: 0, maxDiagnostics: 20 },
    { detailLines: 0, tailLines: 0, maxDiagnostics: 5 },
  ];
  let markdown = '';
  for (const [index, level] of levels.entries()) {
    markdown = render(view, options.prefix, level, index > 0);
    if (measure(markdown) <= options.limit) return { markdown, shortened: index > 0 };
  }
  return { markdown: `${markdown.slice(0, Math.max(0, options.limit - 100))}\n\n… (cut to fit the size limit)\n`, shortened: true };
}

/** The one line the step fails with. */
export function failureMessage(view: Pick<FailedView, 'failed' | 'name' | 'tool'>): string {
  const errors = view.failed.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${plural(errors.length - 1, 'more error')})` : '';
  // Old Terraform ends summaries with a colon ("1 error(s) occurred:"); the sentence ends here.
  const summary = first?.summary.replace(/[:.]\s*$/, '');
  return `The ${view.tool} plan for '${view.name}' failed${first ? `: ${summary}${first.location ? ` (${first.location})` : ''}${more}` : ''}.`;
}

function render(view: FailedView, prefix: string | undefined, level: { detailLines: number; tailLines: number; maxDiagnostics: number }, shortened: boolean): string {
  const errors = view.failed.diagnostics.filter((d) => d.severity === 'error');
  const warnings = view.failed.diagnostics.filter((d) => d.severity === 'warning');
  const parts: string[] = [];
  parts.push(`${prefix ? `${prefix}\n` : ''}### ❌ ${escapeHtml(view.tool)} plan for ${code(view.name)} failed`);
  parts.push(
    [
      '> [!CAUTION]',
      `> The plan did not complete${errors.length > 0 ? ` (${plural(errors.length, 'error')})` : ''}: nothing below is a plan, and this is **not** "no changes".${view.logMissing ? ' No plan log was given to this step (`plan-log`); see the run log for the errors.' : ''}`,
    ].join('\n'),
  );
  if (shortened) parts.push('> [!NOTE]\n> This comment was shortened to fit the size limit; the full log is in the run log.');
  const shown = [...errors, ...warnings].slice(0, level.maxDiagnostics);
  for (const diagnostic of shown) parts.push(renderDiagnostic(diagnostic, level.detailLines));
  const hidden = errors.length + warnings.length - shown.length;
  if (hidden > 0) parts.push(`… and ${plural(hidden, 'more diagnostic')} in the run log.`);
  if (errors.length === 0 && level.tailLines === 0 && view.failed.tail) parts.push('No error was recognised in the plan log; see the run log.');
  if (level.tailLines > 0 && view.failed.tail) {
    const lines = view.failed.tail.split('\n');
    const tail = lines.slice(-level.tailLines).join('\n');
    parts.push(collapsible(`Plan log (last ${plural(Math.min(lines.length, level.tailLines), 'line')})`, fence(tail, 'text'), errors.length === 0));
  }
  const footer: string[] = [];
  if (view.sha) footer.push(commitLink(view.sha, view.commitUrl));
  if (view.runUrl) footer.push(`[workflow run](${view.runUrl})`);
  if (view.failed.terraformVersion) footer.push(`${escapeHtml(view.tool)} ${escapeHtml(view.failed.terraformVersion)}`);
  if (footer.length > 0) parts.push(`<sub>${footer.join(' · ')}</sub>`);
  return `${parts.join('\n\n')}\n`;
}

function renderDiagnostic(diagnostic: Diagnostic, detailLines: number): string {
  const title = `**${diagnostic.severity === 'error' ? 'Error' : 'Warning'}: ${escapeHtml(diagnostic.summary)}**${diagnostic.location ? ` — ${code(diagnostic.location)}` : ''}${diagnostic.address ? ` (${code(diagnostic.address)})` : ''}`;
  const body: string[] = [];
  if (detailLines > 0) {
    if (diagnostic.snippet) body.push(diagnostic.snippet);
    if (diagnostic.detail) body.push(Number.isFinite(detailLines) ? firstLines(diagnostic.detail, detailLines).text : diagnostic.detail);
  }
  return body.length > 0 ? `${title}\n\n${fence(body.join('\n\n'), 'text')}` : title;
}

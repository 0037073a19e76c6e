/**
 * What the rehearsal shows a person: progress lines while it runs, then a timeline table, and a
 * Markdown + HTML report with each step's job summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Outcome = 'success' | 'failure' | 'skipped';

export interface TimelineEntry {
  stage: number;
  stageTitle: string;
  action: string;
  label: string;
  expected: Outcome;
  actual: Outcome;
  /** Problems found: an unexpected outcome or a failed check. Empty when the step went as expected. */
  problems: string[];
  /** One line on what happened (status output, first error...). */
  detail: string;
  durationMs: number;
  summary: string;
}

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
export const green = (text: string) => paint(32, text);
export const red = (text: string) => paint(31, text);
export const dim = (text: string) => paint(2, text);
export const bold = (text: string) => paint(1, text);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export class Timeline {
  readonly entries: TimelineEntry[] = [];
  private readonly started = Date.now();

  constructor(private readonly quiet = false) {}

  private print(line: string): void {
    if (!this.quiet) console.log(line);
  }

  stage(number: number, title: string): void {
    this.print(`\n${bold(`Stage ${number}`)} ${title}`);
  }

  starting(action: string, label: string): void {
    this.print(dim(`  [${seconds(Date.now() - this.started).padStart(6)}] ${action} · ${label} …`));
  }

  record(entry: TimelineEntry): void {
    this.entries.push(entry);
    const ok = entry.problems.length === 0;
    const mark = ok ? green('✓') : red('✗');
    const outcome = entry.actual === entry.expected ? `${entry.actual} as expected` : `${entry.actual}, expected ${entry.expected}`;
    this.print(`  ${mark} ${entry.action} · ${entry.label}: ${outcome} — ${entry.detail} ${dim(`(${seconds(entry.durationMs)})`)}`);
    for (const problem of entry.problems) this.print(red(`      ${problem}`));
  }

  note(text: string): void {
    this.print(dim(`    ${text}`));
  }

  get failed(): TimelineEntry[] {
    return this.entries.filter((entry) => entry.problems.length > 0);
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  table(): string {
    const rows = this.entries.map((e) => [String(e.stage), e.action, e.label, e.problems.length ? `✗ ${e.actual}` : `✓ ${e.actual}`, seconds(e.durationMs)]);
    const head = ['stage', 'action', 'step', 'outcome', 'duration'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
  }

  /** Writes report.md and report.html into `dir`; returns the Markdown path. */
  writeReport(dir: string): string {
    mkdirSync(dir, { recursive: true });
    const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const md = [
      '# connect2-actions rehearsal',
      '',
      `${this.entries.length} steps in ${seconds(this.elapsedMs)}; ${this.failed.length === 0 ? 'every outcome as expected' : `${this.failed.length} unexpected`}.`,
      '',
      '| Stage | Action | Step | Expected | Outcome | Duration | Detail |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...this.entries.map(
        (e) =>
          `| ${e.stage} | ${e.action} | ${escapeCell(e.label)} | ${e.expected} | ${e.problems.length ? '✗' : '✓'} ${e.actual} | ${seconds(e.durationMs)} | ${escapeCell(e.detail)} |`,
      ),
      '',
      ...this.entries.flatMap((e) => [
        `## Stage ${e.stage} · ${e.action} · ${e.label}`,
        '',
        ...(e.problems.length ? ['**Problems:**', ...e.problems.map((p) => `- ${p}`), ''] : []),
        e.summary.trim() || '_No job summary._',
        '',
      ]),
    ].join('\n');
    const file = path.join(dir, 'report.md');
    writeFileSync(file, md);
    writeFileSync(path.join(dir, 'report.html'), renderHtml(this.entries, this.elapsedMs));
    return file;
  }
}

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function renderHtml(entries: TimelineEntry[], elapsedMs: number): string {
  const rows = entries
    .map(
      (e) =>
        `<tr class="${e.problems.length ? 'bad' : 'ok'}"><td>${e.stage}</td><td>${html(e.action)}</td><td>${html(e.label)}</td><td>${e.expected}</td><td>${e.actual}</td><td>${seconds(e.durationMs)}</td><td>${html(e.detail)}${e.problems.map((p) => `<br><b>${html(p)}</b>`).join('')}</td></tr>`,
    )
    .join('\n');
  // Job summaries are Markdown with some HTML; shown as preformatted text so nothing is lost.
  const sections = entries
    .map((e) => `<details><summary>Stage ${e.stage} · ${html(e.action)} · ${html(e.label)}</summary><pre>${html(e.summary)}</pre></details>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>connect2-actions rehearsal</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}tr.ok td:nth-child(5){color:#1a7f37}tr.bad td{background:#ffebe9}pre{white-space:pre-wrap;background:#f6f8fa;padding:1rem}</style>
</head><body><h1>connect2-actions rehearsal</h1><p>${entries.length} steps in ${seconds(elapsedMs)}.</p>
<table><tr><th>Stage</th><th>Action</th><th>Step</th><th>Expected</th><th>Outcome</th><th>Duration</th><th>Detail</th></tr>
${rows}</table><h2>Job summaries</h2>${sections}</body></html>`;
}

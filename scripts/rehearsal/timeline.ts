/**
 * What the rehearsal shows a person: progress per workflow run and job while it plays, each stage's
 * expectations checked against what a user would see, and a Markdown + HTML report with every job's
 * summary.
 */
import { renderChecklist } from './checklist';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JobRecord, PlayerLog, RunRecord } from '../../packages/workflow-player';
import { renderReportHtml, type RehearsalReport } from './report-html';

export interface Expectation {
  stage: number;
  stageTitle: string;
  /** What must hold, in the user's words. */
  label: string;
  /** Why it does not hold; empty when it does. */
  problems: string[];
  /** One line on what was seen. */
  detail: string;
  /** The story expects a failure here (a blocked PR, a refused apply, a rolled-back deploy). */
  expectedFailure: boolean;
}

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
export const green = (text: string) => paint(32, text);
export const red = (text: string) => paint(31, text);
const yellow = (text: string) => paint(33, text);
const dim = (text: string) => paint(2, text);
export const bold = (text: string) => paint(1, text);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

const MARKS: Record<string, (t: string) => string> = { success: green, failure: red, cancelled: yellow, skipped: dim };

function describeRun(run: RunRecord): string {
  const event = run.event === 'pull_request' ? `pull_request ${run.action} ${run.ref.replace(/^refs\/pull\/(\d+)\/merge$/, '#$1')}` : run.event === 'push' ? `push ${run.ref.replace('refs/heads/', '')}` : `${run.event} on ${run.ref.replace('refs/heads/', '')}`;
  return `run ${run.id} ${run.workflowName} (${event} by ${run.actor})`;
}

export class Timeline implements PlayerLog {
  readonly expectations: Expectation[] = [];
  readonly runs: RunRecord[] = [];
  private readonly started = Date.now();
  private stageTitle = '';
  readonly stageRuns = new Map<number, RunRecord[]>();
  /** Wall time of each stage played (ms), for `npm run bench` and the report's stage headings. */
  readonly stageMs = new Map<number, number>();
  /** Stages played in a world of their own, at once with the story (see scripts/rehearsal/worlds.ts). */
  readonly playedAlone = new Set<number>();

  /**
   * `print` receives each line with the stage it belongs to (0: before any stage); by default it is
   * printed at once. `stageNumber` is the stage a world of its own plays before its stage() call.
   */
  constructor(
    private readonly quiet = false,
    private readonly output: (stage: number, line: string) => void = (_, line) => console.log(line),
    private stageNumber = 0,
  ) {}

  private print(line: string): void {
    if (!this.quiet) this.output(this.stageNumber, line);
  }

  /**
   * Takes in what another world's timeline recorded (a stage played in a world of its own): its
   * expectations in stage order among these, its runs, its stage timings.
   */
  absorb(other: Timeline): void {
    this.expectations.push(...other.expectations);
    this.expectations.sort((a, b) => a.stage - b.stage);
    this.runs.push(...other.runs);
    for (const [stage, runs] of other.stageRuns) this.stageRuns.set(stage, [...(this.stageRuns.get(stage) ?? []), ...runs]);
    for (const [stage, ms] of other.stageMs) this.stageMs.set(stage, ms);
    for (const stage of other.playedAlone) this.playedAlone.add(stage);
  }

  private clock(): string {
    return dim(`[${seconds(Date.now() - this.started).padStart(6)}]`);
  }

  stage(number: number, title: string): void {
    this.stageNumber = number;
    this.stageTitle = title;
    this.print(`\n${bold(`Stage ${number}`)} ${title}`);
  }

  runStarted(run: RunRecord): void {
    this.runs.push(run);
    this.stageRuns.set(this.stageNumber, [...(this.stageRuns.get(this.stageNumber) ?? []), run]);
    this.print(`  ${this.clock()} ▶ ${describeRun(run)}`);
  }

  jobStarted(): void {}

  jobFinished(run: RunRecord, job: JobRecord): void {
    const mark = (MARKS[job.conclusion] ?? dim)(job.conclusion);
    const failedStep = job.steps.find((step) => step.conclusion === 'failure');
    const why = failedStep ? ` — ${failedStep.name}: ${(failedStep.errors[0] ?? '').split('\n')[0].slice(0, 140)}` : job.conclusion !== 'success' && job.notes[0] ? ` — ${job.notes[0].slice(0, 140)}` : '';
    this.print(`  ${this.clock()}     run ${run.id} · ${job.name}: ${mark}${dim(` (${seconds(job.durationMs)})`)}${why}`);
  }

  runFinished(run: RunRecord): void {
    if (!this.runs.includes(run)) this.runs.push(run);
    this.print(`  ${this.clock()} ■ ${describeRun(run)}: ${(MARKS[run.conclusion ?? 'skipped'] ?? dim)(run.conclusion ?? 'none')} ${dim(`(${seconds(run.durationMs)})`)}`);
  }

  /** Which stack is played (real, or scripted images and why): printed now and in report.md. */
  stack = 'scripted images';

  playing(stack: string, line: string): void {
    this.stack = stack;
    this.print(yellow(line));
  }

  note(text: string): void {
    this.print(dim(`  ${' '.repeat(9)}   ${text}`));
  }

  /** Records one expectation of the current stage. */
  expect(label: string, problems: string[], detail: string, expectedFailure = false): void {
    const entry: Expectation = { stage: this.stageNumber, stageTitle: this.stageTitle, label, problems, detail, expectedFailure };
    this.expectations.push(entry);
    const mark = problems.length === 0 ? green('✓') : red('✗');
    this.print(`  ${mark} ${label}${detail ? dim(` — ${detail}`) : ''}`);
    for (const problem of problems) this.print(red(`      Stage ${entry.stage} (${entry.stageTitle}): expected "${label}", but ${problem}`));
  }

  skip(reason: string): void {
    this.print(yellow(`  SKIPPED: ${reason}`));
  }

  get failed(): Expectation[] {
    return this.expectations.filter((e) => e.problems.length > 0);
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** The lines that name each broken expectation with its stage (what CI and the mutation test read). */
  failureLines(): string[] {
    return this.failed.map((e) => `Stage ${e.stage} (${e.stageTitle}): expected "${e.label}", but ${e.problems.join('; ')}`);
  }

  /** Writes report.md and report.html into `dir`; returns the Markdown path. */
  writeReport(dir: string): string {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'report.md');
    writeFileSync(file, this.markdown());
    writeFileSync(path.join(dir, 'report.html'), renderHtml(this));
    // Every run, job and step with its log and outputs, for whoever needs more than the report.
    writeFileSync(path.join(dir, 'runs.json'), JSON.stringify(this.runs, null, 2));
    return file;
  }

  /** How long the stage took, and where it was played when not in the story's world (its run numbers are its world's). */
  private stagePlayed(stage: number): string[] {
    const ms = this.stageMs.get(stage);
    if (ms === undefined) return [];
    const alone = this.playedAlone.has(stage) ? ', in a world of its own (its own repository and simulators, its run and PR numbers its own), at once with the story' : '';
    return [`Played in ${seconds(ms)}${alone}.`, ''];
  }

  markdown(): string {
    const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const verdict = this.failed.length === 0 ? `Every expectation held: ${this.expectations.length} in ${seconds(this.elapsedMs)}, ${this.runs.length} workflow runs.` : `${this.failed.length} of ${this.expectations.length} expectations broke.`;
    const lines = ['# connect2-actions rehearsal', '', `**${verdict}**`, '', `Stack: ${this.stack}.`, ''];
    const stages = [...new Set(this.expectations.map((e) => e.stage))];
    const held = (stage: number) => (stages.includes(stage) ? this.expectations.filter((e) => e.stage === stage).every((e) => e.problems.length === 0) : undefined);
    lines.push(...renderChecklist(held));
    for (const stage of stages) {
      const entries = this.expectations.filter((e) => e.stage === stage);
      lines.push(`## Stage ${stage}: ${entries[0].stageTitle}`, '', ...this.stagePlayed(stage), '| | Expectation | Seen |', '| --- | --- | --- |');
      for (const e of entries) lines.push(`| ${e.problems.length ? '✗' : e.expectedFailure ? '✓ (failure expected)' : '✓'} | ${cell(e.label)} | ${cell(e.problems.join('; ') || e.detail)} |`);
      lines.push('');
      for (const run of this.stageRuns.get(stage) ?? []) {
        lines.push(`### ${describeRun(run)}: ${run.conclusion}`, '');
        for (const job of run.jobs) {
          lines.push(`- **${job.name}**: ${job.conclusion}${job.notes.length ? ` (${job.notes.join('; ')})` : ''}`);
        }
        lines.push('');
        for (const job of run.jobs) {
          for (const step of job.steps.filter((s) => s.summary.trim())) lines.push(`#### ${job.name} · ${step.name}`, '', step.summary.trim(), '');
        }
      }
    }
    return lines.join('\n');
  }
}

type Outcome = 'success' | 'failure' | 'skipped';

/** The report model: each stage's expectations, then the jobs of its runs with their job summaries. */
function reportOf(timeline: Timeline): RehearsalReport {
  const stages = [...new Set(timeline.expectations.map((e) => e.stage))].map((number) => {
    const entries = timeline.expectations.filter((e) => e.stage === number);
    const expectations = entries.map((e) => {
      const expected: Outcome = e.expectedFailure ? 'failure' : 'success';
      const held = e.problems.length === 0;
      return { name: e.label, run: 'expectation', expected, actual: held ? expected : expected === 'success' ? ('failure' as const) : ('success' as const), asExpected: held, problems: e.problems, detail: e.detail, durationMs: 0, summaryMarkdown: '' };
    });
    const jobs = (timeline.stageRuns.get(number) ?? []).flatMap((run) =>
      run.jobs
        .filter((job) => job.conclusion !== 'skipped')
        .map((job) => {
          const actual: Outcome = job.conclusion === 'success' ? 'success' : job.conclusion === 'skipped' ? 'skipped' : 'failure';
          const summary = job.steps.map((step) => step.summary.trim()).filter(Boolean).join('\n\n');
          return { name: job.name, run: describeRun(run), expected: actual, actual, asExpected: true, detail: job.notes.join('; ') || `${job.steps.length} steps`, durationMs: job.durationMs, summaryMarkdown: summary };
        }),
    );
    return { number, title: entries[0].stageTitle, steps: [...expectations, ...jobs] };
  });
  const ok = timeline.failed.length === 0;
  return {
    title: 'connect2-actions rehearsal',
    verdict: ok ? 'ok' : 'failed',
    headline: ok ? `All ${timeline.expectations.length} expectations held, ${timeline.runs.length} workflow runs, in ${seconds(timeline.elapsedMs)}.` : `${timeline.failed.length} of ${timeline.expectations.length} expectations broke: ${timeline.failureLines()[0]}`,
    stages,
    generatedAt: new Date().toISOString(),
  };
}

function renderHtml(timeline: Timeline): string {
  return renderReportHtml(reportOf(timeline));
}

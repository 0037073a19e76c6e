/**
 * The rehearsal's wall time: the whole runbook played as GitHub events through the workflow templates
 * by the workflow player (target: at most twice the 45 s the script-driven rehearsal took here).
 */
import { rehearse } from '../rehearsal';
import type { BenchFigure } from './types';

export async function run(): Promise<BenchFigure[]> {
  const started = Date.now();
  const timeline = await rehearse({ quiet: true });
  const wall = (Date.now() - started) / 1000;
  const jobs = timeline.runs.reduce((sum, r) => sum + r.jobs.length, 0);
  return [
    { name: 'npm run rehearse: wall time, every stage through the templates', value: Number(wall.toFixed(1)), unit: 's', note: `${timeline.runs.length} workflow runs, ${jobs} jobs, ${timeline.expectations.length} expectations (${timeline.failed.length} broken); target ≤ 90 s (twice the script-driven 45 s)` },
  ];
}

/**
 * The rehearsal's wall time: the whole runbook played as GitHub events through the workflow templates
 * by the workflow player, on the stack the machine has (real: FastAPI, Alembic, PostgreSQL; else scripted
 * images), which the figure's name says. Target: at most 120 s on two cores.
 */
import { loadavg } from 'node:os';
import { rehearse } from '../rehearsal';
import type { BenchFigure } from './types';

export async function run(): Promise<BenchFigure[]> {
  const started = Date.now();
  const timeline = await rehearse({ quiet: true });
  const wall = (Date.now() - started) / 1000;
  // The machine may be shared: the 5-minute load average says how much of the figure is the neighbours'.
  const load = loadavg()[1].toFixed(1);
  const jobs = timeline.runs.reduce((sum, r) => sum + r.jobs.length, 0);
  return [
    { name: `npm run rehearse: wall time, every stage through the templates (${timeline.stack.startsWith('real') ? 'real stack' : 'scripted images'})`, value: Number(wall.toFixed(1)), unit: 's', note: `${timeline.stack}; ${timeline.runs.length} workflow runs, ${jobs} jobs, ${timeline.expectations.length} expectations (${timeline.failed.length} broken); load average ${load} over the last 5 min; target ≤ 120 s` },
  ];
}

/**
 * The rehearsal's wall time: the whole runbook played as GitHub events through the workflow templates
 * by the workflow player, on the stack the machine has (real: FastAPI, Alembic, PostgreSQL; else scripted
 * images; REHEARSAL_STACK=scripted asks for scripted), which the figure's name says. Target (#25): at
 * most 90 s for the scripted stack on two cores. Beside it, the figure before #25 and each stage's own
 * time. The machine's load average goes with every figure: on a shared machine it says how far the
 * figure is inflated.
 */
import os from 'node:os';
import { rehearse } from '../rehearsal';
import type { BenchFigure } from './types';

/**
 * Before #25: every stage in order in one world. Measured 2026-12-07 with 12 stages, scripted, on this
 * machine shared with six other sessions (load average 16-22): 521 s; the last quiet figure (9 stages,
 * real stack) was 127.5 s.
 */
const BEFORE = { scripted: '521 s (12 stages in one world, load average 16-22; 127.5 s quiet with 9 stages)' };

const load = () => os.loadavg().map((value) => value.toFixed(1)).join(' / ');

export async function run(): Promise<BenchFigure[]> {
  const loadBefore = load();
  const started = Date.now();
  const timeline = await rehearse({ quiet: true });
  const wall = (Date.now() - started) / 1000;
  const jobs = timeline.runs.reduce((sum, r) => sum + r.jobs.length, 0);
  const stack = timeline.stack.startsWith('real') ? 'real stack' : 'scripted images';
  const loads = `load average (1 / 5 / 15 min) ${loadBefore} before, ${load()} after`;
  const stages = [...timeline.stageMs.entries()].sort(([a], [b]) => a - b);
  return [
    {
      name: `npm run rehearse: wall time, every stage through the templates (${stack})`,
      value: Number(wall.toFixed(1)),
      unit: 's',
      note: `before #25: ${stack === 'scripted images' ? BEFORE.scripted : 'about 233 s in vitest (12 stages, real stack)'}; ${timeline.stack}; ${timeline.runs.length} workflow runs, ${jobs} jobs, ${timeline.expectations.length} expectations (${timeline.failed.length} broken${timeline.failed.length ? `, the first: ${timeline.failureLines()[0].slice(0, 160)}` : ''}); ${loads}; target ≤ 90 s (scripted)`,
    },
    ...stages.map(([stage, ms]) => ({
      name: `  stage ${stage}${timeline.playedAlone.has(stage) ? ' (a world of its own, at once with the story)' : ''}`,
      value: Number((ms / 1000).toFixed(1)),
      unit: 's',
      note: `${(timeline.stageRuns.get(stage) ?? []).length} workflow runs`,
    })),
  ];
}

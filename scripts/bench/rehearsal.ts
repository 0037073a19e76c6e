/**
 * The rehearsal's wall time: the whole runbook played as GitHub events through the workflow templates
 * by the workflow player, on the stack the machine has (real: FastAPI, Alembic, PostgreSQL; else scripted
 * images; REHEARSAL_STACK=scripted asks for scripted), which the figure's name says. Target (#25): at
 * most 90 s for the scripted stack on two cores. Beside it, the figure before #25 and each stage's own
 * time. The machine's load average goes with every figure: on a shared machine it says how far the
 * figure is inflated.
 */
import { readFileSync } from 'node:fs';
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

/**
 * CPU seconds used so far by this process and by its children that have ended (Linux: /proc/self/stat's
 * utime, stime, cutime, cstime), or undefined elsewhere. The rehearsal's CPU time over the machine's
 * cores is the least wall time any schedule of its stages could reach.
 */
function cpuSeconds(): { self: number; children: number } | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ').map(Number);
    // After the ')': state is field 3, so utime (14) .. cstime (17) are indexes 11..14; clock ticks are 1/100 s on Linux.
    return { self: (fields[11] + fields[12]) / 100, children: (fields[13] + fields[14]) / 100 };
  } catch {
    return undefined;
  }
}

export async function run(): Promise<BenchFigure[]> {
  const loadBefore = load();
  const started = Date.now();
  const cpuBefore = cpuSeconds();
  const timeline = await rehearse({ quiet: true });
  const wall = (Date.now() - started) / 1000;
  const cpuAfter = cpuSeconds();
  const self = cpuBefore && cpuAfter ? cpuAfter.self - cpuBefore.self : undefined;
  const children = cpuBefore && cpuAfter ? cpuAfter.children - cpuBefore.children : 0;
  const cpu = self === undefined ? undefined : self + children;
  const cores = os.availableParallelism();
  const jobs = timeline.runs.reduce((sum, r) => sum + r.jobs.length, 0);
  const stack = timeline.stack.startsWith('real') ? 'real stack' : 'scripted images';
  const loads = `load average (1 / 5 / 15 min) ${loadBefore} before, ${load()} after`;
  const stages = [...timeline.stageMs.entries()].sort(([a], [b]) => a - b);
  return [
    {
      name: `npm run rehearse: wall time, every stage through the templates (${stack})`,
      value: Number(wall.toFixed(1)),
      unit: 's',
      note: `before #25: ${stack === 'scripted images' ? BEFORE.scripted : 'about 233 s in vitest (12 stages, real stack)'}; ${timeline.stack}; ${timeline.runs.length} workflow runs, ${jobs} jobs, ${timeline.expectations.length} expectations (${timeline.failed.length} broken${timeline.failed.length ? `, the first: ${timeline.failureLines()[0].slice(0, 160)}` : ''}); ${loads}; target ${stack === 'real stack' ? '≤ 120 s (real stack, #22)' : '≤ 90 s (scripted, #25)'}`,
    },
    ...(cpu === undefined
      ? []
      : [
          {
            name: `  CPU time of the rehearsal (this process and its ended children), over ${cores} cores`,
            value: Number(cpu.toFixed(1)),
            unit: 's',
            note: `${self?.toFixed(1)} s in this process (the simulators, the player, the stages), ${children.toFixed(1)} s in the jobs' processes (bundles, git, bash, Python, Terraform, PostgreSQL); no schedule of the stages on this machine ends before ${(cpu / cores).toFixed(1)} s (CPU time / cores); over the wall time above, ${(cpu / wall).toFixed(2)} of the ${cores} cores were busy on average`,
          },
        ]),
    ...stages.map(([stage, ms]) => ({
      name: `  stage ${stage}${timeline.playedAlone.has(stage) ? ' (a world of its own, at once with the story)' : ''}`,
      value: Number((ms / 1000).toFixed(1)),
      unit: 's',
      note: `${(timeline.stageRuns.get(stage) ?? []).length} workflow runs`,
    })),
  ];
}

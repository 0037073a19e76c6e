/**
 * Bundle figures: the size of each committed bundle, and its cold start (start to the missing-input
 * error, on Node 24, as the runner starts it) next to a bare `node -e 0` in the same run.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { ACTIONS } from '../actions.mjs';
import { node24, repoRoot } from '../../test/harness/run-action';
import { median, type BenchFigure } from './types';

const RUNS = 7;

function timeRun(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  spawnSync(node24, args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const action of ACTIONS) {
    const size = statSync(path.join(repoRoot, 'dist', action, 'index.js')).size;
    figures.push({ name: `bundle size: ${action}`, value: Math.round((size / 1_000_000) * 100) / 100, unit: 'MB', note: `${size} bytes (${(size / 2 ** 20).toFixed(2)} MiB), one file, no chunks` });
  }
  // No INPUT_ variables: every bundle fails on its first required input, as the runner would see it.
  const env = { PATH: process.env.PATH, AWS_REGION: 'us-west-2' };
  const bare = median(Array.from({ length: RUNS }, () => timeRun(['-e', '0'], env)));
  figures.push({ name: 'cold start: bare node -e 0 (Node 24)', value: Math.round(bare), unit: 'ms', note: `median of ${RUNS}` });
  for (const action of ACTIONS) {
    const bundle = path.join(repoRoot, 'dist', action, 'index.js');
    const time = median(Array.from({ length: RUNS }, () => timeRun([bundle], env)));
    figures.push({ name: `cold start to input error: ${action}`, value: Math.round(time), unit: 'ms', note: `median of ${RUNS}; +${Math.round(time - bare)} ms over bare node` });
  }
  return figures;
}

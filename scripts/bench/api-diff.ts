/**
 * api-diff figures: comparing two 1,000-operation OpenAPI documents in process (median of several
 * runs), for the usual pull request (one operation removed) and the worst case (a schema shared by
 * every tenth operation made stricter, so those operations are all compared), and the bundle end to end.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compareSpecs, type OpenApiDocument } from '../../packages/api-diff';
import { runAction } from '../../test/harness/run-action';
import { largeApi } from '../../test/api-diff/specs';
import { median, type BenchFigure } from './types';

const RUNS = 5;
const OPERATIONS = 1000;

function compareFigure(change: 'one-operation' | 'shared-schema', runs: number): BenchFigure {
  const times: number[] = [];
  let found = 0;
  for (let run = 0; run < runs; run++) {
    const base = largeApi(OPERATIONS) as OpenApiDocument;
    const head = largeApi(OPERATIONS, change) as OpenApiDocument;
    const start = performance.now();
    found = compareSpecs(base, head).filter((c) => c.breaking).length;
    times.push(performance.now() - start);
  }
  if (found === 0) throw new Error(`bench: no breaking change found for ${change}`);
  return {
    name: `api-diff: compare two ${OPERATIONS.toLocaleString('en')}-operation specs, ${change === 'one-operation' ? 'one operation removed' : 'a schema used by 20 operations changed'}`,
    value: Number((median(times) / 1000).toFixed(3)),
    unit: 's',
    note: `median of ${runs} runs in process, ${found} breaking change(s) found; target < 1 s`,
  };
}

async function bundleFigure(): Promise<BenchFigure> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-api-diff-'));
  writeFileSync(path.join(dir, 'base.json'), JSON.stringify(largeApi(OPERATIONS)));
  writeFileSync(path.join(dir, 'head.json'), JSON.stringify(largeApi(OPERATIONS, 'one-operation')));
  const start = performance.now();
  const result = await runAction('api-diff', { inputs: { 'base-spec': path.join(dir, 'base.json'), 'head-spec': path.join(dir, 'head.json'), comment: 'false', 'fail-on-breaking': 'false' } });
  const seconds = (performance.now() - start) / 1000;
  if (result.outputs.breaking !== 'true') throw new Error('bench: the bundle found no breaking change');
  return { name: `api-diff: the bundle on two ${OPERATIONS.toLocaleString('en')}-operation specs (node start, read, compare, summary)`, value: Number(seconds.toFixed(2)), unit: 's', note: 'one run, comment off' };
}

export async function run(): Promise<BenchFigure[]> {
  return [compareFigure('one-operation', RUNS), compareFigure('shared-schema', 3), await bundleFigure()];
}

/**
 * terraform-plan-comment figures: render time and peak memory for generated plans of 1,000, 5,000
 * and 20,000 resources (reference target: 20,000 in under 3 s and 300 MiB). Each size runs in its
 * own child process, so its peak RSS is its own: the child reads the plan file, then parses,
 * redacts, counts, digests and renders the comment (65,536 characters) and the job summary (1 MiB),
 * as the action does. The 20,000 plan also runs through the built bundle (Node 24, mode off).
 * Figures only, no thresholds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median, type BenchFigure } from './types';

const CHILD_FLAG = '--terraform-plan-comment-bench-child';
const SIZES = [1_000, 5_000, 20_000];
/** Child runs per size: time and peak memory are the medians (the machines here are shared). */
const RUNS = 3;
const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '..', '..');

interface ChildResult {
  renderMs: number;
  parseMs: number;
  maxRssMiB: number;
  baselineRssMiB: number;
  commentChars: number;
  summaryBytes: number;
  detail: string;
}

/** In the child: one size, timed from reading the file to both renders done. */
async function child(file: string): Promise<void> {
  const engine = await import('../../packages/terraform-plan');
  const baselineRssMiB = process.resourceUsage().maxRSS / 1024;
  const started = performance.now();
  const json = readFileSync(file, 'utf8');
  const prepared = engine.preparePlan(json);
  const parsed = performance.now();
  const view = { plan: prepared.plan, counts: prepared.counts, digest: prepared.digest, name: 'bench', tool: 'Terraform', sha: 'f00d', runUrl: 'https://github.com/o/r/actions/runs/1' };
  const comment = engine.renderPlan(view, { limit: 65_536, measure: (text) => Buffer.byteLength(text), prefix: '<!-- connect2-actions:terraform-plan:bench -->', fullRenderAt: 'the job summary' });
  const summary = engine.renderPlan(view, { limit: 1024 * 1024 - 64 * 1024, measure: (text) => Buffer.byteLength(text) });
  const done = performance.now();
  const result: ChildResult = {
    renderMs: done - started,
    parseMs: parsed - started,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    baselineRssMiB,
    commentChars: comment.markdown.length,
    summaryBytes: Buffer.byteLength(summary.markdown),
    detail: comment.detail,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function measureSize(dir: string, size: number, generate: (n: number) => unknown): ChildResult {
  const file = path.join(dir, `plan-${size}.json`);
  writeFileSync(file, JSON.stringify(generate(size)));
  const results: ChildResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', here, CHILD_FLAG, file], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`bench child for ${size} failed: ${run.stderr.slice(-500)}`);
    results.push(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult);
  }
  const pick = (key: 'renderMs' | 'parseMs' | 'maxRssMiB' | 'baselineRssMiB') => median(results.map((result) => result[key]));
  return { ...results[0], renderMs: pick('renderMs'), parseMs: pick('parseMs'), maxRssMiB: pick('maxRssMiB'), baselineRssMiB: pick('baselineRssMiB') };
}

/** The whole bundle on Node 24 (as the runner starts it), wall time and peak RSS via /usr/bin/time. */
function measureBundle(dir: string, size: number): { wallMs: number; maxRssMiB?: number } | undefined {
  const bundle = path.join(repoRoot, 'dist', 'terraform-plan-comment', 'index.js');
  const node24 = path.join(repoRoot, 'node_modules', 'node', 'bin', 'node');
  const file = path.join(dir, `plan-${size}.json`);
  const env = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_STATE: path.join(dir, 'state'),
    'INPUT_PLAN-JSON': file,
    INPUT_NAME: 'bench',
    INPUT_MODE: 'off',
  };
  for (const name of ['output', 'summary.md', 'state']) writeFileSync(path.join(dir, name), '');
  const useTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
  const started = performance.now();
  const run = useTime
    ? spawnSync('/usr/bin/time', ['-f', 'maxrss-kb=%M', node24, bundle], { env, encoding: 'utf8' })
    : spawnSync(node24, [bundle], { env, encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (run.status !== 0) return undefined;
  const rss = /maxrss-kb=(\d+)/.exec(run.stderr ?? '')?.[1];
  return { wallMs, maxRssMiB: rss ? Number(rss) / 1024 : undefined };
}

export async function run(): Promise<BenchFigure[]> {
  const { generatePlan } = await import('../../test/terraform-plan-comment/generate');
  const dir = mkdtempSync(path.join(tmpdir(), 'tpc-bench-'));
  const figures: BenchFigure[] = [];
  try {
    for (const size of SIZES) {
      const result = measureSize(dir, size, (resources) => generatePlan({ resources }));
      const label = `terraform-plan-comment: ${size.toLocaleString('en-US')} resources`;
      const note = `median of ${RUNS} child processes; comment ${result.commentChars} chars (${result.detail}), summary ${Math.round(result.summaryBytes / 1024)} KiB`;
      figures.push(
        { name: `${label}, read + parse + redact + digest + render comment and summary`, value: Math.round(result.renderMs), unit: 'ms', note: `${note}; parse and digest ${Math.round(result.parseMs)} ms of it` },
        { name: `${label}, peak memory (max RSS of the child)`, value: Math.round(result.maxRssMiB), unit: 'MiB', note: `child baseline before the work ${Math.round(result.baselineRssMiB)} MiB (node + tsx)` },
      );
    }
    const bundle = measureBundle(dir, 20_000);
    if (bundle) {
      figures.push({ name: 'terraform-plan-comment: 20,000 resources through the built bundle (Node 24, mode off), wall time', value: Math.round(bundle.wallMs), unit: 'ms', note: 'process start to exit, as the runner starts it' });
      if (bundle.maxRssMiB !== undefined) figures.push({ name: 'terraform-plan-comment: 20,000 resources through the built bundle, peak memory', value: Math.round(bundle.maxRssMiB), unit: 'MiB', note: '/usr/bin/time max RSS' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[2] === CHILD_FLAG) {
  await child(process.argv[3]);
}

/**
 * classify-pr figures: classifying 10,000 changed paths against the default globs (in process,
 * median of several runs), and a 3,000-file PR end to end (the built bundle against the GitHub
 * simulator, through the runner-faithful harness).
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_INFRASTRUCTURE_PATHS, classifyChanges, compileGlobs } from '../../packages/classify';
import { startGitHubSimulator } from '../../packages/simulators/github';
import { runAction } from '../../test/harness/run-action';
import { bigPullRepo, removeTempDirs, tempDir } from '../../test/classify-pr/git-fixtures';
import { median, type BenchFigure } from './types';

const RUNS = 7;

/** Paths shaped like a FastAPI service's tree: mostly application, a tenth infrastructure. */
export function samplePaths(count: number): string[] {
  const shapes = [
    (i: number) => `app/api/routes/resource_${i}.py`,
    (i: number) => `app/models/model_${i}.py`,
    (i: number) => `app/services/service_${i}.py`,
    (i: number) => `tests/api/test_resource_${i}.py`,
    (i: number) => `docs/guide/page_${i}.md`,
    (i: number) => `app/schemas/schema_${i}.py`,
    (i: number) => `app/core/deep/nested/module/path/file_${i}.py`,
    (i: number) => `frontend/src/components/Component${i}.tsx`,
    (i: number) => `.github/ISSUE_TEMPLATE/template_${i}.md`,
    (i: number) => (i % 2 ? `infrastructure/terraform/modules/m${i}/main.tf` : `backend/app/alembic/versions/${i}_rev.py`),
  ];
  return Array.from({ length: count }, (_, i) => shapes[i % shapes.length](i));
}

function classifyFigure(): BenchFigure {
  const changes = samplePaths(10_000).map((path) => ({ path, status: 'modified' }));
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const rules = { infrastructure: compileGlobs('infrastructure-paths', DEFAULT_INFRASTRUCTURE_PATHS), ignore: compileGlobs('ignore-paths', []) };
    const result = classifyChanges(changes, rules);
    times.push(performance.now() - start);
    if (result.infrastructure.length !== 1000) throw new Error(`bench paths misclassified: ${result.infrastructure.length} infrastructure`);
  }
  return {
    name: 'classify-pr: classify 10,000 changed paths against the default globs',
    value: Number(median(times).toFixed(2)),
    unit: 'ms',
    note: `median of ${RUNS} runs, globs compiled each run, in process`,
  };
}

const E2E_RUNS = 3;

/**
 * The built bundle on Node 24 against the simulator: a 3,000-file PR listed by the API (30 pages of
 * 100, the pull re-read to confirm the count) and a 3,500-file PR listed by the git fallback (the
 * event's changed_files is over the cap, so the API is not asked for the list).
 */
async function endToEndFigures(): Promise<BenchFigure[]> {
  const gh = await startGitHubSimulator();
  try {
    const repo = 'connect2/connect2-api';
    const noCheckout = tempDir('bench-classify-');
    const big = bigPullRepo(3500, 10);
    const cases = [
      { name: 'classify-pr: 3,000-file PR end to end (pulls API)', files: samplePaths(3000), cwd: noCheckout, headSha: 'b'.repeat(40), baseSha: 'c'.repeat(40) },
      { name: 'classify-pr: 3,500-file PR end to end (git fallback)', files: big.files, cwd: big.dir, headSha: big.headSha, baseSha: big.baseSha },
    ];
    const figures: BenchFigure[] = [];
    for (const bench of cases) {
      const times: number[] = [];
      let requests = 0;
      for (let i = 0; i < E2E_RUNS; i++) {
        const number = gh.seed.pull(repo, { head: `feature/bench-${figures.length}-${i}`, base: 'development', headSha: bench.headSha, baseSha: bench.baseSha, files: bench.files });
        gh.clearRequests();
        const result = await runAction('classify-pr', {
          env: gh.env,
          token: gh.token,
          cwd: bench.cwd,
          eventName: 'pull_request',
          event: { number, pull_request: { number, head: { ref: `feature/bench-${i}`, sha: bench.headSha }, base: { ref: 'development', sha: bench.baseSha }, changed_files: bench.files.length } },
        });
        if (result.outputs['files-count'] !== String(bench.files.length)) throw new Error(`${bench.name}: files-count ${result.outputs['files-count']} (${result.errors.join('; ')})`);
        times.push(result.main.durationMs);
        requests = gh.requests.length;
      }
      figures.push({ name: bench.name, value: Math.round(median(times)), unit: 'ms', note: `median of ${E2E_RUNS} runs of the bundle on Node 24 (process start included), ${requests} GitHub requests per run, mixed PR with comment and labels` });
    }
    return figures;
  } finally {
    await gh.close();
    removeTempDirs();
  }
}

export async function run(): Promise<BenchFigure[]> {
  return [classifyFigure(), ...(await endToEndFigures())];
}

/**
 * classify-pr figures: classifying 10,000 changed paths against the default globs (in process,
 * median of several runs), and a 3,000-file PR end to end (the built bundle against the GitHub
 * simulator, through the runner-faithful harness).
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_INFRASTRUCTURE_PATHS, classifyChanges, compileGlobs } from '../../packages/classify';
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

export async function run(): Promise<BenchFigure[]> {
  return [classifyFigure()];
}

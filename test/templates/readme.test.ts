// The templates README is what a platform team adopts from: every name it must set, the checks to
// require and the deploy role's policy are checked against the templates and the code.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluateExpression } from '../../packages/workflow-player/expressions';
import { expandMatrix } from '../../packages/workflow-player/matrix';
import { combinedPolicy } from '../../scripts/iam-policies.mjs';
import { REPO_ROOT } from './actions';

const dir = path.join(REPO_ROOT, 'workflows-templates');
const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
const templates = readdirSync(dir)
  .filter((file) => file.endsWith('.yml'))
  .map((file) => ({ file, text: readFileSync(path.join(dir, file), 'utf8') }));
const all = templates.map((t) => t.text).join('\n');

describe('the templates README', () => {
  it('lists every variable and secret the templates read', () => {
    const vars = new Set([...all.matchAll(/vars\.([A-Z_]+)/g)].map((m) => m[1]));
    // Variables named through the matrix (`vars[matrix.check.variable]`, `vars[matrix.role-variable]`).
    for (const m of all.matchAll(/(?:variable|role-variable): ([A-Z_]+)/g)) vars.add(m[1]);
    const secrets = new Set([...all.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]).filter((s) => s !== 'GITHUB_TOKEN'));
    const missing = [...vars, ...secrets].filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('requires only checks that are jobs of workflows running on every PR', () => {
    const block = readme.slice(readme.indexOf('<!-- required-checks:start -->'), readme.indexOf('<!-- required-checks:end -->'));
    const required = [...block.matchAll(/^- `([^`]+)`$/gm)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    const always = new Map<string, string>();
    for (const { file, text } of templates) {
      const data = parse(text) as { on: Record<string, { paths?: unknown; 'paths-ignore'?: unknown } | null>; jobs: Record<string, { name?: string; strategy?: { matrix?: Record<string, unknown> } }> };
      const pr = data.on?.pull_request;
      if (data.on?.pull_request === undefined || pr?.paths || pr?.['paths-ignore']) continue;
      for (const [id, job] of Object.entries(data.jobs)) {
        const legs = job.strategy?.matrix ? expandMatrix(job.strategy.matrix as never) : [{}];
        for (const matrix of legs) {
          const name = (job.name ?? id).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => String(evaluateExpression(expression, { contexts: { matrix, github: {}, inputs: {}, vars: {} } })));
          always.set(name, file);
        }
      }
    }
    expect(required.filter((name) => !always.has(name))).toEqual([]);
  });

  it('shows the deploy role policy generated from the actions', () => {
    const block = readme.slice(readme.indexOf('<!-- iam-deploy-role:start -->'), readme.indexOf('<!-- iam-deploy-role:end -->'));
    const json = /```json\n([\s\S]*?)\n```/.exec(block)?.[1];
    expect(JSON.parse(json ?? 'null')).toEqual(combinedPolicy(['ecr-push', 'ecs-deploy', 'run-migration', 'wait-stable']));
  });

  it('draws the pipeline', () => {
    expect(readme).toMatch(/```mermaid\nflowchart LR/);
  });
});

/** Fast, in-process tests of the classify engine: globs, classification, flow, labels, comment, inputs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError, recordInputs, readInputs } from '../../packages/action-kit';
import { COMMENT_LIMIT, stickyMarker } from '../../packages/github';
import {
  DEFAULT_BRANCH_FLOW,
  DEFAULT_INFRASTRUCTURE_PATHS,
  checkBranchFlow,
  classifyChanges,
  compileGlobs,
  globProblem,
  mixedComment,
  parseBranchFlow,
  planLabels,
  resolvedComment,
  jobSummary,
  verdict,
  mixedPolicy,
  DEFAULT_PROMOTION_BRANCHES,
  type ClassifyRules,
} from '../../packages/classify';
import { fitList, listLength } from '../../packages/classify/file-list';
import { readClassifyConfig } from '../../actions/classify-pr/inputs';
import { classifyOutputs } from '../../actions/classify-pr/outputs';
import { repoRoot } from '../harness/run-action';

const defaults: ClassifyRules = { infrastructure: compileGlobs('infrastructure-paths', DEFAULT_INFRASTRUCTURE_PATHS), ignore: compileGlobs('ignore-paths', []) };
const classify = (paths: string[], rules = defaults) => classifyChanges(paths.map((p) => ({ path: p, status: 'modified' })), rules);

describe('default infrastructure globs', () => {
  it('are the ones action.yml declares', () => {
    const meta = parse(readFileSync(path.join(repoRoot, 'classify-pr', 'action.yml'), 'utf8'));
    const lines = (value: string) => value.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines(meta.inputs['infrastructure-paths'].default)).toEqual(DEFAULT_INFRASTRUCTURE_PATHS);
    expect(lines(meta.inputs['branch-flow'].default)).toEqual(DEFAULT_BRANCH_FLOW);
    expect(lines(meta.inputs['promotion-branches'].default)).toEqual(DEFAULT_PROMOTION_BRANCHES);
  });

  it.each([
    'infrastructure/terraform/environments/dev/main.tf',
    'infrastructure/docker/Dockerfile',
    'modules/ecs/variables.tf',
    'envs/prod.tfvars',
    '.terraform.lock.hcl',
    'terragrunt/env/root.hcl',
    'Dockerfile',
    'backend/Dockerfile.dev',
    'api.dockerfile',
    'docker-compose.yml',
    'deploy/docker-compose.override.yaml',
    'compose.yml',
    'compose.override.yaml',
    '.dockerignore',
    '.github/workflows/deploy.yml',
    '.github/actions/setup/action.yml',
    'app/alembic/versions/0001_init.py',
    'app/db/migrations/versions/0002_users.py',
    // Docker and Containerfile names are infrastructure, whatever their case (the action's default globs).
    'api.Dockerfile',
    'docker/dockerfile',
    'DOCKERFILE',
    'Containerfile',
    'build/containerfile.prod',
    'compose.prod.yaml',
    // Infrastructure folders other than infrastructure/.
    'infra/network/vpc.tf.json',
    'terraform/diagram_script.py',
    'charts/api/values.yaml',
    'helm/api/templates/deployment.yaml',
    'k8s/base/service.yaml',
    'deploy/overlays/prod/kustomization.yaml',
  ])('%s is infrastructure', (file) => {
    expect(classify([file]).type).toBe('infrastructure');
  });

  it.each([
    'app/main.py',
    'app/api/routes/users.py',
    'app/models/user.py',
    'tests/test_users.py',
    'README.md',
    'docs/infrastructure.md',
    '.github/dependabot.yml',
    'alembic.ini',
    'app/alembic/env.py',
    'api/db_migrations/versions/1.py',
    'pyproject.toml',
    // A migration folder's env.py and template are code; only versions/ is a schema change.
    'app/db/migrations/env.py',
    'app/db/migrations/script.py.mako',
    'frontend/src/settings/migrations/index.ts',
    // compose.* only: other names starting with "compose" are not Compose files.
    'config/composer.yml',
    'docs/composition.yaml',
    'app/infra/client.py',
    'frontend/k8s-dashboard.md',
  ])('%s is application', (file) => {
    expect(classify([file]).type).toBe('application');
  });
});

describe('classifyChanges', () => {
  it('decides application, infrastructure, mixed and empty', () => {
    expect(classify(['app/main.py']).type).toBe('application');
    expect(classify(['infrastructure/main.tf']).type).toBe('infrastructure');
    expect(classify(['app/main.py', 'infrastructure/main.tf']).type).toBe('mixed');
    expect(classify([]).type).toBe('empty');
  });

  it('counts a rename with both its old and new path', () => {
    const result = classifyChanges([{ path: 'app/db/migrations/versions/0001_init.py', status: 'renamed', previousPath: 'alembic/0001_init.py' }], defaults);
    expect(result.type).toBe('mixed');
    expect(result.infrastructure.map((f) => f.path)).toEqual(['app/db/migrations/versions/0001_init.py']);
    expect(result.application).toEqual([{ path: 'alembic/0001_init.py', status: 'renamed', renamedTo: 'app/db/migrations/versions/0001_init.py' }]);
  });

  it('leaves ignored paths out of the decision and records the glob that decided', () => {
    const rules = { ...defaults, ignore: compileGlobs('ignore-paths', ['CHANGELOG.md', 'docs/**']) };
    const result = classify(['CHANGELOG.md', 'docs/a.md', 'infrastructure/x.tf'], rules);
    expect(result.type).toBe('infrastructure');
    expect(result.ignored.map((f) => [f.path, f.glob])).toEqual([['CHANGELOG.md', 'CHANGELOG.md'], ['docs/a.md', 'docs/**']]);
    expect(result.infrastructure[0].glob).toBe('infrastructure/**');
    expect(classify(['CHANGELOG.md'], rules).type).toBe('empty');
  });

  it('counts a path listed twice once', () => {
    expect(classify(['a.py', 'a.py']).application).toHaveLength(1);
  });
});

describe('glob validation', () => {
  it.each([
    ['infrastructure/[**', /bracket is never closed/],
    ['infra/{a,b', /'\{' is never closed/],
    ['infra/a}', /'\}' has no opening/],
    ['infra/@(a|b', /bracket is never closed \(no '\)'\)/],
    ['!infrastructure/**', /negation/],
    ['/infrastructure/**', /leading '\/'/],
    ['infra\\', /escaping/],
  ])('rejects %s', (glob, reason) => {
    const problem = globProblem(glob);
    expect(problem).toBeDefined();
    expect(`${problem?.wrong} ${problem?.right}`).toMatch(reason);
  });

  it.each(DEFAULT_INFRASTRUCTURE_PATHS)('accepts %s', (glob) => expect(globProblem(glob)).toBeUndefined());

  it('names the input, the line and what would be right', () => {
    expect(() => compileGlobs('infrastructure-paths', ['**/*.tf', 'infra/[abc'])).toThrow(
      /^Input 'infrastructure-paths' line 2 'infra\/\[abc' is not a usable glob: a bracket is never closed \(no '\]'\); close the group/,
    );
  });

  it('treats ./ as the repository root', () => {
    expect(compileGlobs('x', ['./infra/**']).matches('infra/a.tf')).toBe(true);
  });
});

describe('branch flow', () => {
  const rules = parseBranchFlow('branch-flow', [...DEFAULT_BRANCH_FLOW]);

  it('allows the runbook promotions', () => {
    for (const [head, base] of [
      ['feature/login', 'development'],
      ['fix/typo', 'development'],
      ['infra/redis', 'development'],
      ['development', 'staging'],
      ['staging', 'main'],
      ['hotfix/urgent', 'main'],
      ['refs/heads/feature/x', 'refs/heads/development'],
    ]) {
      expect(checkBranchFlow(rules, head, base).status, `${head} -> ${base}`).toBe('ok');
    }
  });

  it('names the allowed bases of a head that goes elsewhere', () => {
    const result = checkBranchFlow(rules, 'feature/login', 'main');
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.allowedBases).toEqual(['development']);
    expect(result.message).toContain(`allows 'feature/login' only into 'development'`);
  });

  it('says when no rule covers the head', () => {
    const result = checkBranchFlow(rules, 'experiment/x', 'development');
    expect(result.status === 'violation' && result.message).toMatch(/no branch-flow rule covers 'experiment\/x'/);
  });

  it('has rules for Dependabot and release branches, and lets a GitHub revert branch go where its branch goes', () => {
    const cases: [string, string, string][] = [
      ['dependabot/npm_and_yarn/axios-1.7.4', 'development', 'ok'],
      ['dependabot/github_actions/actions/checkout-4', 'main', 'violation'],
      ['release/1.4', 'main', 'ok'],
      ['release/1.4', 'development', 'ok'],
      ['release/1.4', 'staging', 'violation'],
      ['revert-12-feature/login', 'development', 'ok'],
      ['revert-12-feature/login', 'main', 'violation'],
      ['revert-40-staging', 'main', 'ok'],
      ['revert-40-staging', 'development', 'violation'],
    ];
    for (const [head, base, status] of cases) expect(checkBranchFlow(rules, head, base).status, `${head} -> ${base}`).toBe(status);
    const revert = checkBranchFlow(rules, 'revert-12-feature/login', 'main');
    expect(revert.status === 'violation' && revert.message).toMatch(/reverts a PR from 'feature\/login', which the branch flow allows only into 'development'/);
  });

  it("a fork's branch named like a promotion branch is not one", () => {
    const fork = { headRepository: 'mallory/connect2-api', baseRepository: 'connect2/connect2-api' };
    const result = checkBranchFlow(rules, 'staging', 'main', fork);
    expect(result.status).toBe('violation');
    expect(result.status === 'violation' && result.message).toMatch(/^Branch 'staging' comes from the fork 'mallory\/connect2-api', not from connect2\/connect2-api: only this repository's own 'staging' promotes/);
    expect(checkBranchFlow(rules, 'feature/x', 'development', fork).status).toBe('ok');
    expect(checkBranchFlow(rules, 'staging', 'main', { headRepository: 'connect2/connect2-api', baseRepository: 'connect2/connect2-api' }).status).toBe('ok');
  });

  it('is skipped without rules or outside a pull request', () => {
    expect(checkBranchFlow([], 'feature/x', 'main').status).toBe('skipped');
    expect(checkBranchFlow(rules, undefined, undefined).status).toBe('skipped');
  });

  it.each([
    ['feature/* development', /line 1 'feature\/\* development' has no '->'; write one 'head-glob -> base' rule per line/],
    [' -> development', /has no head branch before '->'/],
    ['feature/* -> ', /has no base branch after '->'/],
    ['a -> b -> c', /more than one '->'/],
    ['feature/[x -> development', /'feature\/\[x' is not a usable glob/],
    ['!feature/* -> development', /negation/],
  ])('rejects %j', (line, message) => {
    expect(() => parseBranchFlow('branch-flow', [line.trim()])).toThrow(message);
    expect(() => parseBranchFlow('branch-flow', [line.trim()])).toThrow(/^Input 'branch-flow' /);
  });
});

describe('labels', () => {
  const names = { infrastructure: 'infrastructure', application: 'application', mixed: 'mixed-changes' };
  it('adds the type label and removes stale type labels only', () => {
    expect(planLabels('application', ['mixed-changes', 'bug', 'Infrastructure'], names)).toEqual({ wanted: 'application', add: ['application'], remove: ['mixed-changes', 'Infrastructure'] });
    expect(planLabels('mixed', ['mixed-changes'], names)).toEqual({ wanted: 'mixed-changes', add: [], remove: [] });
    expect(planLabels('empty', ['application'], names)).toEqual({ wanted: undefined, add: [], remove: ['application'] });
  });
});

describe('comment', () => {
  const context = { head: 'feature/x', base: 'development', headSha: 'a'.repeat(40), infrastructureGlobs: DEFAULT_INFRASTRUCTURE_PATHS };

  it('explains the rule, lists both kinds and suggests the infrastructure PR first', () => {
    const body = mixedComment(classify(['app/main.py', 'infrastructure/main.tf']), context);
    expect(body.startsWith(stickyMarker('classify-pr'))).toBe(true);
    expect(body).toContain('never mix infrastructure changes and application code');
    expect(body).toContain('#### Infrastructure (1 file)\n- `infrastructure/main.tf`');
    expect(body).toContain('#### Application (1 file)\n- `app/main.py`');
    expect(body).toMatch(/infrastructure PR first/);
  });

  it('fits a 20,000-file PR under the comment limit, saying how many more', () => {
    const paths = Array.from({ length: 10_000 }, (_, i) => `app/module_${i}/a_rather_long_file_name_${i}.py`);
    const infra = Array.from({ length: 10_000 }, (_, i) => `infrastructure/terraform/modules/m${i}/main.tf`);
    const body = mixedComment(classify([...paths, ...infra]), context);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT * 0.8);
    expect(body).toMatch(/- … and \d+ more infrastructure files/);
    expect(body).toMatch(/- … and \d+ more application files/);
  });

  it('lets a short list keep all its files when the other one is long', () => {
    const paths = Array.from({ length: 5000 }, (_, i) => `app/module_${i}/a_rather_long_file_name_${i}.py`);
    const body = mixedComment(classify([...paths, 'infrastructure/main.tf']), context);
    expect(body).toContain('- `infrastructure/main.tf`');
    expect(body).not.toMatch(/more infrastructure/);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  });

  it('says the PR is fixed and what it is now', () => {
    expect(resolvedComment(classify(['app/main.py']), context)).toMatch(/Resolved[\s\S]*only application code \(1 file\)/);
  });
});

describe('job summary', () => {
  it('gives the type, the flow and a table per kind', () => {
    const flow = checkBranchFlow(parseBranchFlow('branch-flow', ['feature/* -> development']), 'feature/x', 'development');
    const summary = jobSummary(classify(['app/main.py', 'infrastructure/main.tf']), { flow, source: 'pulls API (2 files)' });
    expect(summary).toContain('classify-pr: mixed');
    expect(summary).toContain('| Branch flow | ok: `feature/x` → `development` (rule `feature/* -> development`) |');
    expect(summary).toContain('### Infrastructure files (1)');
    expect(summary).toContain('| `infrastructure/main.tf` | modified | `infrastructure/**` |');
    expect(summary).toContain('### Application files (1)');
  });
});

describe('inputs', () => {
  const read = (values: Record<string, string>) => readClassifyConfig(readInputs(recordInputs(values)));

  it('reads the defaults when inputs are empty', () => {
    const config = read({});
    expect(config.rules.infrastructure.globs).toEqual(DEFAULT_INFRASTRUCTURE_PATHS);
    expect(config.flow).toEqual([]);
    expect(config).toMatchObject({ failOnMixed: true, labels: true, comment: true, labelNames: { mixed: 'mixed-changes' } });
  });

  it('names the input of a bad value', () => {
    expect(() => read({ 'ignore-paths': 'docs/{a' })).toThrow(InputError);
    expect(() => read({ 'ignore-paths': 'docs/{a' })).toThrow(/^Input 'ignore-paths'/);
    expect(() => read({ 'fail-on-mixed': 'maybe' })).toThrow(/^Input 'fail-on-mixed'/);
    expect(() => read({ 'mixed-label': 'application' })).toThrow(/^Input 'mixed-label' is 'application', the same as the application label/);
    expect(() => read({ 'branch-flow': 'feature/* development' })).toThrow(/^Input 'branch-flow' line 1/);
  });
});

describe('fitList', () => {
  const files = ['a.py', 'b.py', 'c.py'].map((p) => ({ path: p }));
  const more = (n: number) => `- … and ${n} more`;
  it('keeps a list that fits exactly, cuts one that does not and says how many more', () => {
    expect(fitList(files, listLength(files), more)).toBe('- `a.py`\n- `b.py`\n- `c.py`');
    const cut = fitList(files, listLength(files) - 1, more);
    expect(cut).toBe('- `a.py`\n- … and 2 more');
    expect(cut.length).toBeLessThanOrEqual(listLength(files) - 1);
  });
});

describe('outputs and verdict', () => {
  const flowOk = checkBranchFlow(parseBranchFlow('branch-flow', ['feature/* -> development']), 'feature/x', 'development');
  const flowBad = checkBranchFlow(parseBranchFlow('branch-flow', ['feature/* -> development']), 'feature/x', 'main');

  it('gives the path lists, the count after ignores and the flow status', () => {
    const rules = { ...defaults, ignore: compileGlobs('ignore-paths', ['*.md']) };
    expect(classifyOutputs(classify(['a.py', 'main.tf', 'README.md'], rules), flowOk, { health: 'skipped', message: 'skipped' })).toEqual({
      type: 'mixed',
      'infrastructure-files': ['main.tf'],
      'application-files': ['a.py'],
      'files-count': 2,
      flow: 'ok',
      'source-health': 'skipped',
    });
  });

  it('fails a mixed PR and a flow violation in one message, warns when mixing is tolerated', () => {
    const mixed = classify(['a.py', 'main.tf']);
    const fails = { fail: true, comment: true };
    const tolerated = { fail: false, comment: true, allowedBecause: 'fail-on-mixed is false' };
    expect(verdict(mixed, flowOk, fails).problems).toEqual([expect.stringMatching(/^This PR mixes infrastructure \(1 file\) and application \(1 file\) changes/)]);
    expect(verdict(mixed, flowBad, fails, ['Could not comment']).problems).toHaveLength(3);
    expect(verdict(mixed, flowOk, tolerated)).toEqual({ problems: [], warnings: [expect.stringMatching(/not failing: fail-on-mixed is false\)$/)] });
    expect(verdict(classify(['a.py']), flowOk, fails)).toEqual({ problems: [], warnings: [] });
  });

  it('tolerates a mixed promotion PR without a comment, by head branch', () => {
    const config = readClassifyConfig(readInputs(recordInputs({ 'promotion-branches': 'development\nstaging\nrelease/*' })));
    expect(mixedPolicy(config, 'staging')).toEqual({ fail: false, comment: false, allowedBecause: expect.stringMatching(/^a promotion PR from 'staging'/) });
    expect(mixedPolicy(config, 'refs/heads/release/1.2')).toMatchObject({ fail: false, comment: false });
    expect(mixedPolicy(config, 'feature/x')).toEqual({ fail: true, comment: true });
    expect(mixedPolicy({ ...config, failOnMixed: false }, 'feature/x')).toEqual({ fail: false, comment: true, allowedBecause: 'fail-on-mixed is false' });
    expect(mixedPolicy(readClassifyConfig(readInputs(recordInputs({}))), 'staging')).toEqual({ fail: true, comment: true });
    expect(() => readClassifyConfig(readInputs(recordInputs({ 'promotion-branches': 'release/[1' })))).toThrow(/^Input 'promotion-branches' line 1/);
  });

  it("does not tolerate a mixed PR from a fork's branch named like a promotion branch", () => {
    const config = readClassifyConfig(readInputs(recordInputs({ 'promotion-branches': DEFAULT_PROMOTION_BRANCHES.join('\n') })));
    expect(mixedPolicy(config, 'staging', { headRepository: 'connect2/connect2-api', baseRepository: 'connect2/connect2-api' })).toMatchObject({ fail: false, comment: false });
    expect(mixedPolicy(config, 'staging', { headRepository: 'mallory/connect2-api', baseRepository: 'connect2/connect2-api' })).toEqual({ fail: true, comment: true });
    // A deleted fork: GitHub sends head.repo null.
    expect(mixedPolicy(config, 'staging', { headRepository: undefined, baseRepository: 'connect2/connect2-api' })).toEqual({ fail: true, comment: true });
  });

  it('gives a tolerated mixed PR a neutral job summary heading, a failing one the red cross', () => {
    const mixed = classify(['a.py', 'main.tf']);
    const tolerated = jobSummary(mixed, { flow: flowOk, source: 'pulls API', mixedAllowedBecause: "a promotion PR from 'staging'" });
    expect(tolerated.split('\n')[0]).toBe('## 🔀 classify-pr: mixed (allowed)');
    expect(tolerated).not.toContain('❌');
    expect(jobSummary(mixed, { flow: flowOk, source: 'pulls API' }).split('\n')[0]).toBe('## ❌ classify-pr: mixed');
  });
});

describe('job summary size', () => {
  const flow = checkBranchFlow([], undefined, undefined);
  it('lists a 3,500-file PR whole', () => {
    const paths = Array.from({ length: 3500 }, (_, i) => `app/generated/module_${i}.py`);
    const summary = jobSummary(classify(paths), { flow, source: 'git' });
    expect(summary).toContain('| `app/generated/module_3499.py` | modified |');
    expect(summary).not.toMatch(/more \(every path/);
  });

  it('cuts a 30,000-file PR under the 1 MiB cap, saying how many more', () => {
    const app = Array.from({ length: 15_000 }, (_, i) => `app/generated/some/deeper/folder/module_${i}.py`);
    const infra = Array.from({ length: 15_000 }, (_, i) => `infrastructure/terraform/modules/module_${i}/main.tf`);
    const summary = jobSummary(classify([...app, ...infra]), { flow, source: 'git' });
    expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024);
    expect(summary).toMatch(/… and \d+ more \(every path is in the step's outputs\)/);
  });
});

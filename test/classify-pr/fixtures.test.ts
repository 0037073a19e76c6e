/**
 * The classifier over real repositories' path lists and commit histories
 * (../shared/fixtures/repos, described in its SOURCES.md). SOURCES.md records, for each repository,
 * how many HEAD paths and which commit types its reference globs give; the classifier, run with
 * those globs, must reproduce every figure. Then the action's own defaults are checked on the
 * paths SOURCES.md calls out as tricky.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INFRASTRUCTURE_PATHS, classifyChanges, compileGlobs, type ClassifyRules } from '../../packages/classify';
import { repoRoot } from '../harness/run-action';

const fixtures = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'repos');
const present = existsSync(path.join(fixtures, 'SOURCES.md'));
if (!present) console.warn(`classify-pr fixture tests SKIPPED: ${fixtures}/SOURCES.md is absent.`);

interface Commit {
  sha: string;
  subject: string;
  files: string[];
}

const read = (file: string) => readFileSync(path.join(fixtures, file), 'utf8');
const paths = (slug: string) => read(`${slug}.paths.txt`).split('\n').filter(Boolean);
const commits = (slug: string): Commit[] => read(`${slug}.commits.jsonl`).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Commit);
const rulesFor = (globs: readonly string[]): ClassifyRules => ({ infrastructure: compileGlobs('infrastructure-paths', globs), ignore: compileGlobs('ignore-paths', []) });
const typeOf = (rules: ClassifyRules, files: string[]) => classifyChanges(files.map((file) => ({ path: file })), rules).type;

/** The reference globs and per-repository figures, read from SOURCES.md itself. */
function sources() {
  const text = read('SOURCES.md');
  const globsParagraph = /Globs:([\s\S]*?)\n\n/.exec(text)?.[1] ?? '';
  const globs = [...globsParagraph.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  const figures = [...text.matchAll(/^\| ([\w.-]+\/[\w.-]+) \| (\d+) of (\d+) \| (\d+) \/ (\d+) \/ (\d+) \|$/gm)].map((m) => ({
    repo: m[1],
    slug: m[1].replace('/', '__'),
    matched: Number(m[2]),
    total: Number(m[3]),
    application: Number(m[4]),
    infrastructure: Number(m[5]),
    mixed: Number(m[6]),
  }));
  return { globs, figures };
}

describe.skipIf(!present)(present ? `real repositories in ${fixtures}` : `real repositories (SKIPPED: ${fixtures} is absent)`, () => {
  const { globs, figures } = present ? sources() : { globs: [], figures: [] };

  it('SOURCES.md gives the reference globs and four repositories', () => {
    expect(globs).toContain('**/.terraform.lock.hcl');
    expect(globs.length).toBeGreaterThanOrEqual(10);
    expect(figures.map((f) => f.repo)).toEqual([
      'fastapi/full-stack-fastapi-template',
      'nsidnev/fastapi-realworld-example-app',
      'cds-snc/scan-files',
      'i-dot-ai/caddy',
    ]);
  });

  describe.each(figures)('$repo', (figure) => {
    it('reproduces the HEAD path count and the commit decisions SOURCES.md records for its globs', () => {
      const rules = rulesFor(globs);
      const tree = paths(figure.slug);
      expect(tree).toHaveLength(figure.total);
      expect(tree.filter((p) => rules.infrastructure.matches(p))).toHaveLength(figure.matched);
      const counts = { application: 0, infrastructure: 0, mixed: 0, empty: 0 };
      for (const commit of commits(figure.slug)) counts[typeOf(rules, commit.files)]++;
      expect(counts).toEqual({ application: figure.application, infrastructure: figure.infrastructure, mixed: figure.mixed, empty: 0 });
    });

    it('gives every commit with the action defaults a verdict consistent with its files', () => {
      const rules = rulesFor(DEFAULT_INFRASTRUCTURE_PATHS);
      for (const commit of commits(figure.slug)) {
        const result = classifyChanges(commit.files.map((file) => ({ path: file })), rules);
        expect(result.infrastructure.length + result.application.length, commit.sha).toBe(new Set(commit.files).size);
        for (const file of result.infrastructure) expect(DEFAULT_INFRASTRUCTURE_PATHS, `${file.path} in ${commit.sha}`).toContain(file.glob);
      }
    });
  });

  const defaults = rulesFor(DEFAULT_INFRASTRUCTURE_PATHS);
  const commit = (slug: string, prefix: string) => {
    const found = commits(slug).find((c) => c.sha.startsWith(prefix));
    if (!found) throw new Error(`commit ${prefix} not in ${slug}`);
    return found;
  };

  it('full-stack-fastapi-template: Compose-spec files are infrastructure under the action defaults', () => {
    const slug = 'fastapi__full-stack-fastapi-template';
    expect(typeOf(defaults, commit(slug, '5069df32').files)).toBe('infrastructure'); // compose.override.yml only
    expect(typeOf(rulesFor(globs), commit(slug, '5069df32').files)).toBe('application'); // the reference globs miss it
    expect(typeOf(defaults, commit(slug, '06079520').files)).toBe('mixed'); // compose files + deployment.md
    for (const file of ['backend/app/alembic/env.py', 'backend/alembic.ini', '.github/dependabot.yml', '.github/latest-changes.yml']) {
      expect(defaults.infrastructure.matches(file), file).toBe(false);
    }
  });

  it('cds-snc/scan-files: Terragrunt .hcl is infrastructure; api/db_migrations is not matched', () => {
    const tree = paths('cds-snc__scan-files');
    const hcl = tree.filter((p) => p.endsWith('.hcl'));
    expect(hcl.length).toBeGreaterThan(12);
    expect(hcl.every((p) => defaults.infrastructure.matches(p))).toBe(true);
    const dbMigrations = tree.filter((p) => p.startsWith('api/db_migrations/'));
    expect(dbMigrations.length).toBeGreaterThan(0);
    expect(dbMigrations.some((p) => defaults.infrastructure.matches(p))).toBe(false);
    // A user who keeps migrations there adds one line:
    const custom = rulesFor([...DEFAULT_INFRASTRUCTURE_PATHS, '**/db_migrations/**']);
    expect(dbMigrations.every((p) => custom.infrastructure.matches(p))).toBe(true);
  });

  it('nsidnev/fastapi-realworld-example-app: the refactoring commit mixes; only migrations/versions/ counts as infrastructure', () => {
    const slug = 'nsidnev__fastapi-realworld-example-app';
    const refactor = commit(slug, '61bb195d');
    const result = classifyChanges(refactor.files.map((file) => ({ path: file })), defaults);
    expect(result.type).toBe('mixed');
    expect(result.infrastructure.map((f) => f.path)).toEqual(expect.arrayContaining(['Dockerfile', 'docker-compose.yml', '.github/workflows/ci.yml']));
    expect(result.infrastructure.some((f) => f.path.startsWith('app/db/migrations/versions/'))).toBe(true);
    // Alembic's env.py and script template in the migrations folder are application code: the default globs
    // make only migration versions infrastructure.
    expect(result.application.map((f) => f.path)).toEqual(expect.arrayContaining(['alembic.ini', 'app/db/migrations/script.py.mako', 'app/db/migrations/env.py']));
    // So a dependency bump that touches env.py is an application change, not a mixed one.
    const bump = commit(slug, 'c1f40427');
    expect(bump.files).toContain('app/db/migrations/env.py');
    expect(typeOf(defaults, bump.files)).toBe('application');
    expect(typeOf(rulesFor(globs), bump.files)).toBe('mixed'); // the reference globs' **/migrations/** made it mixed
    // As a PR, moving a migration out of alembic/ also brings the old (application) path in.
    const asPr = classifyChanges([{ path: 'app/db/migrations/versions/1.py', status: 'renamed', previousPath: 'alembic/1.py' }], defaults);
    expect(asPr.type).toBe('mixed');
  });

  it('i-dot-ai/caddy: everything in the root terraform/ folder is infrastructure, a diagram script included', () => {
    // The default glob `terraform/**`: the folder is the Terraform root, whatever the file type.
    expect(defaults.infrastructure.matches('terraform/diagram_script.py')).toBe(true);
    expect(defaults.infrastructure.matches('terraform/main.tf')).toBe(true);
    expect(defaults.infrastructure.matches('model/alembic/versions/001_init.py')).toBe(true);
    expect(defaults.infrastructure.matches('model/alembic/env.py')).toBe(false);
    // Three diagram commits that also touch docs become mixed (they were application under the reference globs).
    const diagram = commit('i-dot-ai__caddy', '1e1ce298');
    expect(diagram.files).toContain('terraform/diagram_script.py');
    expect(typeOf(rulesFor(globs), diagram.files)).toBe('application');
    expect(typeOf(defaults, diagram.files)).toBe('mixed');
  });

  it('the action defaults over every commit: the figures of the default globs', () => {
    // Measured with these defaults; they differ from SOURCES.md's reference figures only where
    // the default globs deliberately do (nsidnev: env.py/script.py.mako; caddy: terraform/**).
    const expected: Record<string, { matched: number; application: number; infrastructure: number; mixed: number }> = {
      'fastapi__full-stack-fastapi-template': { matched: 29, application: 241, infrastructure: 25, mixed: 34 },
      'nsidnev__fastapi-realworld-example-app': { matched: 8, application: 169, infrastructure: 16, mixed: 23 },
      'cds-snc__scan-files': { matched: 105, application: 101, infrastructure: 144, mixed: 55 },
      'i-dot-ai__caddy': { matched: 41, application: 239, infrastructure: 43, mixed: 18 },
    };
    for (const [slug, figure] of Object.entries(expected)) {
      const counts = { application: 0, infrastructure: 0, mixed: 0, empty: 0 };
      for (const c of commits(slug)) counts[typeOf(defaults, c.files)]++;
      expect({ matched: paths(slug).filter((p) => defaults.infrastructure.matches(p)).length, ...counts }, slug).toEqual({ ...figure, empty: 0 });
    }
  });
});

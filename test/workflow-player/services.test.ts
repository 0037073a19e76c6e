// `services: postgres` played on the machine's PostgreSQL: the job's role, password and database, on the
// host port its `ports:` maps; a fresh database each job; other images and a missing server fail by name.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsSimulator } from '../../packages/simulators/aws';
import { startGitHubSimulator } from '../../packages/simulators/github';
import { freePort, isListening, realStack, startPostgres, type PostgresServer } from '../../packages/simulators/postgres';
import { findJob, findStep, WorkflowPlayer, type PlayerWorld } from '../../packages/workflow-player';
import { Developer } from '../../scripts/rehearsal/developer';

const REPO = 'acme/app';
const stack = realStack();
if ('missing' in stack) console.log(`SKIPPED: services: postgres in the workflow player (${stack.missing})`);

const workflow = (port: number, image = 'postgres:16') => `on: workflow_dispatch
jobs:
  db:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: ${image}
        env:
          POSTGRES_USER: app
          POSTGRES_PASSWORD: \${{ vars.DB_PASSWORD }}
          POSTGRES_DB: app
        ports:
          - ${port}:5432
    env:
      DATABASE_URL: postgresql://app:\${{ vars.DB_PASSWORD }}@localhost:${port}/app
    steps:
      - uses: actions/setup-python@v5
      - name: Use the database
        run: |
          python3 - <<'PY'
          import os, psycopg2
          with psycopg2.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
              cur.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'")
              print("markers before:", cur.fetchone()[0])
              cur.execute("CREATE TABLE marker (id int)")
              cur.execute("SELECT current_user, current_database()")
              print("connected as %s to %s" % cur.fetchone())
          PY
      - name: Alembic is on PATH
        run: alembic --help | head -1
`;

async function setUp(files: Record<string, string>, world: Partial<PlayerWorld>) {
  const aws = await startAwsSimulator({});
  const gh = await startGitHubSimulator({ gitRoot: mkdtempSync(path.join(tmpdir(), 'player-git-')), repository: REPO });
  gh.seed.repo('acme', 'app', { defaultBranch: 'main' });
  const dir = mkdtempSync(path.join(tmpdir(), 'player-workflows-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const mona = new Developer({ login: 'mona', token: gh.tokens.issue({ kind: 'user', login: 'mona', permissions: 'all' }), gitUrl: gh.git.url(REPO), apiUrl: gh.url, repository: REPO });
  mona.commit('chore: start', { 'README.md': '# app\n' });
  await mona.pushAll(['main']);
  const player = await new WorkflowPlayer({ workflowsDir: dir, world: { github: gh, aws, repository: REPO, vars: { DB_PASSWORD: 's3cret' }, ...world } }).start();
  return { player, close: async () => (player.stop(), await Promise.all([aws.close(), gh.close()])) };
}

describe.skipIf('missing' in stack)('services: postgres', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(() => postgres?.close());

  it('gives each job a fresh database with the credentials of its service, on the mapped port', async () => {
    const port = await freePort();
    const { player, close } = await setUp({ 'db.yml': workflow(port) }, { postgres, python: (stack as { python: string }).python });
    try {
      for (const attempt of [1, 2]) {
        const run = await player.dispatch('db.yml', 'main');
        const job = findJob(run, 'db')!;
        expect(job.conclusion, `attempt ${attempt}: ${job.notes.join('; ')} ${findStep(run, 'Use the database')?.log}`).toBe('success');
        expect(job.notes.join('\n')).toContain(`fresh database app owned by app on the machine's PostgreSQL ${postgres.version}, at 127.0.0.1:${port}`);
        expect(findStep(run, 'Use the database')?.log).toContain('markers before: 0');
        expect(findStep(run, 'Use the database')?.log).toContain('connected as app to app');
        expect(findStep(run, 'Alembic is on PATH')?.log).toMatch(/usage: alembic/);
      }
      // The mapped port is released when the job ends, and its database dropped.
      expect(await isListening(port)).toBe(false);
      expect(postgres.sql("SELECT count(*) FROM pg_database WHERE datname = 'app'")).toBe('0');
    } finally {
      await close();
    }
  });

  it('an image other than postgres fails the job by name', async () => {
    const { player, close } = await setUp({ 'db.yml': workflow(await freePort(), 'redis:7') }, { postgres });
    try {
      const job = findJob(await player.dispatch('db.yml', 'main'), 'db')!;
      expect(job.conclusion).toBe('failure');
      expect(job.notes.join('\n')).toContain('services: postgres (redis:7) is not played: the workflow player plays only postgres images');
    } finally {
      await close();
    }
  });
});

describe('services: postgres without a server', () => {
  it('fails the job by name, saying what to install', async () => {
    const { player, close } = await setUp({ 'db.yml': workflow(await freePort()) }, {});
    try {
      const job = findJob(await player.dispatch('db.yml', 'main'), 'db')!;
      expect(job.conclusion).toBe('failure');
      expect(job.notes.join('\n')).toContain('services: postgres (postgres:16) needs PostgreSQL, which this rehearsal runs without (apt-get install postgresql)');
    } finally {
      await close();
    }
  });
});

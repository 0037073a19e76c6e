/**
 * Stage 14's hold on a real migration: while the rehearsal holds prod's `alembic_version`, a session of
 * the app's role cannot read it (Alembic waits there); once released it reads it, and no holder is left.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realStack, startPostgres, type PostgresServer } from '../../packages/simulators/postgres';
import { lockAlembicVersion } from '../../scripts/rehearsal/real-app';

const stack = realStack();
const missing = 'missing' in stack ? stack.missing : undefined;
if (missing) console.log(`SKIPPED: the lock on alembic_version (${missing})`);

describe.skipIf(missing !== undefined)('lockAlembicVersion', () => {
  let server: PostgresServer;
  let url: string;
  beforeAll(async () => {
    server = await startPostgres();
    server.ensureRole('connect2', 'rehearsal');
    server.createDatabase('connect2_prod', 'connect2');
    url = server.url('connect2_prod', 'connect2', 'rehearsal');
  }, 60_000);
  afterAll(() => server?.close());

  /** Alembic's first read, by a session that gives up at once instead of waiting for the lock. */
  const readVersion = () => spawnSync(path.join((stack as { postgres: { bin: string } }).postgres.bin, 'psql'), [url, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', "SET lock_timeout = '200ms'", '-c', 'SELECT version_num FROM alembic_version'], { encoding: 'utf8' });

  it('blocks readers of alembic_version until released', async () => {
    const create = spawnSync(path.join((stack as { postgres: { bin: string } }).postgres.bin, 'psql'), [url, '-qAtX', '-c', "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('8b9d4e')"], { encoding: 'utf8' });
    expect(create.stderr).toBe('');
    const lock = await lockAlembicVersion({ python: (stack as { python: string }).python, databaseUrls: { prod: url } }, 'prod');
    const held = readVersion();
    expect(held.status).not.toBe(0);
    expect(held.stderr).toMatch(/lock timeout/);
    await lock.release();
    const free = readVersion();
    expect(free.stderr).toBe('');
    expect(free.stdout.trim()).toBe('8b9d4e');
  }, 60_000);

  it('names the environment when the lock cannot be taken', async () => {
    await expect(lockAlembicVersion({ python: (stack as { python: string }).python, databaseUrls: { dev: url.replace('connect2_prod', 'connect2_missing') } }, 'dev')).rejects.toThrow(/dev's alembic_version was not taken/);
  }, 60_000);
});

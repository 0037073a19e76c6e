/**
 * The machine's PostgreSQL as the rehearsal starts it: a real server in a temporary directory on a free
 * loopback port, databases and roles with passwords, and nothing left behind (process, port, directory)
 * after close() or after the process that started it is interrupted with Ctrl-C (SIGINT) or SIGTERM.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresTools, isListening, startPostgres, type PostgresServer } from '../../packages/simulators/postgres';
import { repoRoot } from '../harness/run-action';

const tools = findPostgresTools();
const missing = 'missing' in tools ? tools.missing : undefined;
if (missing) console.log(`SKIPPED: PostgreSQL lifecycle tests (${missing})`);

/** Running: it exists and is not a zombie (an exited child waiting to be reaped holds nothing). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function expectNothingLeft(where: { pid: number; port: number; dir: string }): Promise<void> {
  expect(alive(where.pid), `postgres ${where.pid} still runs`).toBe(false);
  expect(await isListening(where.port), `port ${where.port} still taken`).toBe(false);
  expect(existsSync(where.dir), `${where.dir} still exists`).toBe(false);
  const leftovers = spawnSync('pgrep', ['-f', `-D ${where.dir}/data`], { encoding: 'utf8' }).stdout.trim();
  expect(leftovers, 'a server process of that data directory').toBe('');
}

describe.skipIf(missing !== undefined)('PostgreSQL lifecycle', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(() => server?.close());

  it('listens on loopback only, on the port it says, with password logins for the roles it creates', () => {
    server.ensureRole('app', 'secret-1');
    server.createDatabase('connect2_dev', 'app');
    const psql = path.join((tools as { bin: string }).bin, 'psql');
    const asApp = (password: string) => spawnSync(psql, [server.url('connect2_dev', 'app', password), '-qAtX', '-c', 'CREATE TABLE t (id int); INSERT INTO t VALUES (7); SELECT current_user, sum(id) FROM t'], { encoding: 'utf8' });
    const ok = asApp('secret-1');
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe('app|7');
    const wrong = asApp('wrong');
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/password authentication failed for user "app"/);
    expect(server.sql('SHOW listen_addresses')).toBe('127.0.0.1');
  });

  it('createDatabase gives a fresh empty database each time', () => {
    server.ensureRole('app', 'secret-1');
    server.createDatabase('fresh', 'app');
    server.sql('CREATE TABLE leftover (id int)', 'fresh');
    server.createDatabase('fresh', 'app');
    expect(server.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'leftover'", 'fresh')).toBe('0');
  });

  it('close() stops the server and frees the port and the directory', async () => {
    const other = await startPostgres();
    const where = { pid: other.pid, port: other.port, dir: other.dir };
    expect(alive(where.pid)).toBe(true);
    expect(await isListening(where.port)).toBe(true);
    await other.close();
    await expectNothingLeft(where);
  }, 60_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`a process interrupted with ${signal} leaves nothing behind`, async () => {
      const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'test/postgres/hold-server.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
      const where = await new Promise<{ pid: number; port: number; dir: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
        });
        child.once('exit', (code) => reject(new Error(`the holder exited ${code}`)));
      });
      expect(alive(where.pid)).toBe(true);
      const exited = new Promise<string>((resolve) => child.once('exit', (code, sig) => resolve(sig ?? `exit ${code}`)));
      // tsx forwards the signal to the script's process, as a terminal's Ctrl-C reaches the whole group.
      child.kill(signal);
      // It dies of the signal (tsx relays it as the exit code 128 + n).
      expect([signal, `exit ${signal === 'SIGINT' ? 130 : 143}`]).toContain(await exited);
      await expectNothingLeft(where);
    }, 60_000);
  }
});

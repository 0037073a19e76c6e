/**
 * The machine's PostgreSQL, started for a rehearsal or a test: a fresh cluster in a temporary data
 * directory, on a free loopback port, run as the `postgres` user when we are root (PostgreSQL refuses
 * to run as root). Closing it (or the process exiting, Ctrl-C included) stops the server and removes
 * the directory, so nothing is left behind: no process, no port, no data directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { registerCleanup } from './cleanup';
import { findPostgresTools, type PostgresTools } from './tools';

export interface PostgresServerOptions {
  /** The binaries to use (default: the newest /usr/lib/postgresql/<n>/bin, or PG_BIN). */
  tools?: PostgresTools;
  /** Where the temporary data directory goes (default: the OS temp directory). */
  parentDir?: string;
}

export interface PostgresServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly pid: number;
  /** The temporary directory (data directory and socket); removed by close(). */
  readonly dir: string;
  readonly version: string;
  /** Runs SQL as the superuser in a database (default postgres); answers psql's unaligned output. */
  sql(statement: string, database?: string): string;
  /** A role that can log in with a password (created once; its password is set again otherwise). */
  ensureRole(user: string, password: string): void;
  /** A new empty database owned by `owner` (dropped first when it exists). */
  createDatabase(name: string, owner: string): void;
  dropDatabase(name: string): void;
  /** `postgresql://user:password@127.0.0.1:port/database`. */
  url(database: string, user: string, password: string): string;
  close(): Promise<void>;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** Root cannot run PostgreSQL: the `postgres` user does, owning the temporary directory. */
function runAs(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root and there is no `postgres` user to run PostgreSQL as (apt-get install postgresql creates it)');
  return { uid, gid };
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** initdb into `dataDir`: scram passwords over TCP, trust on the private socket for the superuser's own calls. */
function initCluster(tools: PostgresTools, dir: string, user: RunAs): string {
  const dataDir = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, 'postgres\n', { mode: 0o600 });
  if (user.uid !== undefined) chownSync(pwfile, user.uid, user.gid!);
  const init = spawnSync(
    path.join(tools.bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { encoding: 'utf8', cwd: dir, ...user },
  );
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${(init.stderr || init.stdout).trim().split('\n').slice(-3).join(' ')}`);
  return dataDir;
}

/** Waits for the server's "ready to accept connections", or its exit (then its last lines). */
function waitReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 30 s: ${output.trim().split('\n').slice(-3).join(' ')}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready to accept connections/.test(output)) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        child.stderr!.resume();
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited (${code}) while starting: ${output.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const found = options.tools ?? findPostgresTools();
  if ('missing' in found) throw new Error(found.missing);
  const user = runAs();
  const dir = mkdtempSync(path.join(options.parentDir ?? tmpdir(), 'connect2-pg-'));
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
  // Retried: on Ctrl-C the server's own processes may still be removing their files while we remove the directory.
  const removeDir = () => rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  const unregister = registerCleanup(removeDir);
  try {
    const dataDir = initCluster(found, dir, user);
    const port = await freePort();
    const child = spawn(
      path.join(found.bin, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], ...user },
    );
    const server = new RunningServer(found, dir, port, child, unregister, guard(child.pid!, dir));
    await waitReady(child).catch(async (error) => {
      await server.close();
      throw error;
    });
    return server;
  } catch (error) {
    unregister();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

class RunningServer implements PostgresServer {
  readonly host = '127.0.0.1' as const;
  readonly pid: number;
  private readonly exited: Promise<void>;
  private readonly unregisterKill: () => void;

  constructor(
    private readonly tools: PostgresTools,
    readonly dir: string,
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly unregisterDir: () => void,
    private readonly guardian: ChildProcess,
  ) {
    this.pid = child.pid!;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    // On exit (Ctrl-C included) the server goes first, then the directory (registered earlier, run later).
    this.unregisterKill = registerCleanup(() => {
      stopSync(this.pid);
      guardian.kill('SIGKILL');
    });
  }

  get version(): string {
    return this.tools.version;
  }

  sql(statement: string, database = 'postgres'): string {
    const result = spawnSync(path.join(this.tools.bin, 'psql'), ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAtX', '-c', statement], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`psql: ${(result.stderr || '').trim()}`);
    return result.stdout.trim();
  }

  ensureRole(user: string, password: string): void {
    const exists = this.sql(`SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(user)}`) === '1';
    this.sql(`${exists ? 'ALTER' : 'CREATE'} ROLE ${quoteIdentifier(user)} LOGIN PASSWORD ${quoteLiteral(password)}`);
  }

  createDatabase(name: string, owner: string): void {
    this.dropDatabase(name);
    this.sql(`CREATE DATABASE ${quoteIdentifier(name)} OWNER ${quoteIdentifier(owner)}`);
  }

  dropDatabase(name: string): void {
    this.sql(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  }

  url(database: string, user: string, password: string): string {
    return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${this.host}:${this.port}/${encodeURIComponent(database)}`;
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      // SIGINT is PostgreSQL's fast shutdown; SIGQUIT (immediate) if it has not gone in 10 s.
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGQUIT'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    this.unregisterKill();
    this.unregisterDir();
    this.guardian.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A guardian outside our process group: when this process is gone without its exit handlers (SIGKILL,
 * e.g. tsx force-killing a script busy in synchronous work on Ctrl-C), it stops the server and removes
 * the directory. close() ends it.
 */
function guard(pid: number, dir: string): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 0.5; done
kill -QUIT ${pid} 2>/dev/null
for i in $(seq 100); do kill -0 ${pid} 2>/dev/null || break; sleep 0.1; done
rm -rf '${dir}'`;
  const guardian = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  guardian.unref();
  return guardian;
}

/** Synchronous stop for process exit: immediate shutdown, then wait (at most 5 s) until it is gone. */
function stopSync(pid: number): void {
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    return;
  }
  // Gone, or a zombie (it is our child and this synchronous code cannot reap it: init will).
  const gone = `[ ! -e /proc/${pid} ] || grep -q '^[0-9]* ([^)]*) Z' /proc/${pid}/stat`;
  spawnSync('sh', ['-c', `for i in $(seq 100); do ${gone} && exit 0; sleep 0.05; done; kill -9 ${pid}`], { stdio: 'ignore' });
}

/**
 * The real stack leaves nothing behind: after a rehearsal (one stage, with a `services: postgres` job),
 * and after Ctrl-C in the middle of one, the PostgreSQL server is gone, its port is free and its data
 * directory removed; the app's processes (the ECS tasks, uvicorn) are gone with their ports, and the
 * image snapshots they ran from are removed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isListening, realStack } from '../../packages/simulators/postgres';
import { rehearse } from '../../scripts/rehearsal';
import { repoRoot } from '../harness/run-action';

const stack = realStack();
if ('missing' in stack) console.log(`SKIPPED: the rehearsal's real stack leaves nothing behind (${stack.missing})`);

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

interface Server {
  pid: number;
  port: number;
  dir: string;
  images: string;
}

/** pid, port, data and image directories from `Playing the real stack: PostgreSQL … on 127.0.0.1:PORT (pid N, data in DIR), …, images in DIR`. */
function where(line: string): Server {
  const match = /127\.0\.0\.1:(\d+) \(pid (\d+), data in ([^)]+)\).*, images in (\S+?)\.?$/m.exec(line);
  if (!match) throw new Error(`no server in: ${line}`);
  return { port: Number(match[1]), pid: Number(match[2]), dir: match[3], images: match[4] };
}

/** The app's processes this process started (the ECS simulator's tasks: uvicorn or alembic), with the port each was given. */
function appProcesses(): { pid: number; port?: number }[] {
  const found: { pid: number; port?: number }[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (parent !== process.pid || !argv.some((arg) => arg === 'uvicorn' || arg === 'alembic')) continue;
      const port = argv.indexOf('--port');
      found.push({ pid: Number(entry), port: port >= 0 ? Number(argv[port + 1]) : undefined });
    } catch {
      // The process ended while it was read.
    }
  }
  return found;
}

async function expectNothingLeft(server: Server): Promise<void> {
  expect(alive(server.pid), `postgres ${server.pid} still runs`).toBe(false);
  expect(await isListening(server.port), `port ${server.port} still taken`).toBe(false);
  expect(existsSync(server.dir), `${server.dir} still exists`).toBe(false);
  expect(existsSync(server.images), `${server.images} still exists`).toBe(false);
}

describe.skipIf('missing' in stack)('the real stack leaves nothing behind', () => {
  it('after a stage with a services: postgres job, with the app running as ECS tasks', async () => {
    // The seeded services' tasks run as processes from the start: seen while the stage plays.
    const seen = new Map<number, number | undefined>();
    const watch = setInterval(() => {
      for (const app of appProcesses()) seen.set(app.pid, app.port);
    }, 250);
    const timeline = await rehearse({ quiet: true, only: [1] }).finally(() => clearInterval(watch));
    expect(timeline.failureLines()).toEqual([]);
    expect(timeline.stack).toMatch(/^real stack: PostgreSQL/);
    expect(timeline.expectations.some((e) => /Migration round trip/.test(e.label))).toBe(true);
    await expectNothingLeft(where(timeline.stack));
    // Two tasks per environment's service, each uvicorn on a port of its own.
    const ports = [...seen.values()].filter((port): port is number => port !== undefined);
    expect(ports.length).toBeGreaterThanOrEqual(6);
    for (const pid of seen.keys()) expect(alive(pid), `app process ${pid} still runs`).toBe(false);
    for (const port of ports) expect(await isListening(port), `app port ${port} still taken`).toBe(false);
  }, 600_000);

  it('after Ctrl-C in the middle of the rehearsal', async () => {
    // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
    const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'scripts/rehearse.ts')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' }, detached: true });
    let output = '';
    const server = await new Promise<Server>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // Interrupted once the first workflow run is under way.
        if (/▶ run /.test(output)) resolve(where(output.split('\n').find((l) => l.includes('Playing the real stack')) ?? ''));
      });
      child.once('exit', (code) => reject(new Error(`the rehearsal exited (${code}) before a run started: ${output.slice(-500)}`)));
    });
    expect(alive(server.pid)).toBe(true);
    process.kill(-child.pid!, 'SIGINT');
    // The rehearsal has exited when no process of its group is left (npm/tsx exit before the script's cleanup ends).
    await vi.waitFor(() => expect(() => process.kill(-child.pid!, 0)).toThrow(), { timeout: 60_000, interval: 200 });
    // tsx may SIGKILL a script busy in synchronous work: then the server's guardian cleans up, moments later.
    await vi.waitFor(() => expectNothingLeft(server), { timeout: 30_000, interval: 250 });
  }, 600_000);
});

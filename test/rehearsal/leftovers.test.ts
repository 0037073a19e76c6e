/**
 * The real stack leaves nothing behind: after a rehearsal (one stage, with a `services: postgres` job),
 * and after Ctrl-C in the middle of one, the PostgreSQL server is gone, its port is free and its data
 * directory removed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

/** pid, port and data directory from the line `Playing the real stack: PostgreSQL … on 127.0.0.1:PORT (pid N, data in DIR), …`. */
function where(line: string): { pid: number; port: number; dir: string } {
  const match = /127\.0\.0\.1:(\d+) \(pid (\d+), data in ([^)]+)\)/.exec(line);
  if (!match) throw new Error(`no server in: ${line}`);
  return { port: Number(match[1]), pid: Number(match[2]), dir: match[3] };
}

async function expectNothingLeft(server: { pid: number; port: number; dir: string }): Promise<void> {
  expect(alive(server.pid), `postgres ${server.pid} still runs`).toBe(false);
  expect(await isListening(server.port), `port ${server.port} still taken`).toBe(false);
  expect(existsSync(server.dir), `${server.dir} still exists`).toBe(false);
}

describe.skipIf('missing' in stack)('the real stack leaves nothing behind', () => {
  it('after a stage with a services: postgres job', async () => {
    const timeline = await rehearse({ quiet: true, stages: 1 });
    expect(timeline.failureLines()).toEqual([]);
    expect(timeline.stack).toMatch(/^real stack: PostgreSQL/);
    expect(timeline.expectations.some((e) => /Migration round trip/.test(e.label))).toBe(true);
    await expectNothingLeft(where(timeline.stack));
  }, 600_000);

  it('after Ctrl-C in the middle of the rehearsal', async () => {
    // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
    const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'scripts/rehearse.ts')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' }, detached: true });
    let output = '';
    const server = await new Promise<{ pid: number; port: number; dir: string }>((resolve, reject) => {
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

/**
 * Starts the built connect2 CLI (dist/cli/index.js, the package `bin`) as a user does: a Node 24
 * process with arguments, AWS settings from the environment only, Ctrl-C as SIGINT.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { node24, repoRoot } from '../harness/run-action';

const cliBin = path.join(repoRoot, 'dist', 'cli', 'index.js');

/**
 * A PATH with `connect2` on it as the README's install gives it (`npm install --global <clone>` links the
 * package `bin`, dist/cli/index.js, into a PATH directory), and Node 24 first for its shebang.
 */
export function installedCli(): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'connect2-bin-'));
  symlinkSync(cliBin, path.join(bin, 'connect2'));
  return `${bin}:${path.dirname(node24)}:${process.env.PATH}`;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** When the interrupt was sent (epoch ms), if it was. */
  interruptedAt?: number;
  /** When the started process (the CLI, or npm with viaNpx) exited, and when the CLI's error line arrived. */
  exitedAt?: number;
  errorLineAt?: number;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Send SIGINT (Ctrl-C) once stderr shows a line matching this. */
  interruptWhen?: RegExp;
  /** The signal interruptWhen sends (default SIGINT). */
  signal?: NodeJS.Signals;
  /**
   * The reader of stdout and stderr dies with the signal, as `| tee log` does on Ctrl-C: both pipes are
   * closed when the signal is sent, so every later write of the CLI gets EPIPE. What it wrote before is kept.
   */
  readerDiesWithSignal?: boolean;
  /** Send the signal a second time once stderr shows a line matching this (after the first). */
  againWhen?: RegExp;
  timeoutMs?: number;
  /**
   * Start it as `npx connect2 ...` in its own process group and send SIGINT to the whole group, as a
   * terminal does on Ctrl-C (npm and the CLI both receive it).
   */
  viaNpx?: boolean;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
  for (const [name, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[name] = value;
  return new Promise((resolve, reject) => {
    if (options.viaNpx) env.PATH = `${path.dirname(node24)}:${env.PATH}`;
    const child = options.viaNpx
      ? spawn('npx', ['connect2', ...args], { cwd: options.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      : spawn(node24, [cliBin, ...args], { cwd: options.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interruptedAt: number | undefined;
    let exitedAt: number | undefined;
    let errorLineAt: number | undefined;
    child.on('exit', () => (exitedAt = Date.now()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const signal = options.signal ?? 'SIGINT';
    let again = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (errorLineAt === undefined && /^connect2 /m.test(stderr)) errorLineAt = Date.now();
      if (options.interruptWhen && interruptedAt === undefined && options.interruptWhen.test(stderr)) {
        interruptedAt = Date.now();
        if (options.viaNpx) process.kill(-child.pid!, signal);
        else child.kill(signal);
        if (options.readerDiesWithSignal) {
          child.stdout.destroy();
          child.stderr.destroy();
        }
      } else if (options.againWhen && interruptedAt !== undefined && !again && options.againWhen.test(stderr)) {
        again = true;
        child.kill(signal);
      }
    });
    const guard = setTimeout(() => (options.viaNpx ? process.kill(-child.pid!, 'SIGKILL') : child.kill('SIGKILL')), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, interruptedAt, exitedAt, errorLineAt });
    });
  });
}

/** `name: value` lines the CLI prints on stdout. */
export function printedOutputs(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.split('\n').map((line) => /^([a-z-]+): (.*)$/.exec(line)).filter((m) => m !== null).map((m) => [m![1], m![2]]));
}

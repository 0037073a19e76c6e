/**
 * Starts the built connect2 CLI (dist/cli/index.js, the package `bin`) as a user does: a Node 24
 * process with arguments, AWS settings from the environment only, Ctrl-C as SIGINT.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { node24, repoRoot } from '../harness/run-action';

export const cliBin = path.join(repoRoot, 'dist', 'cli', 'index.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** When the interrupt was sent (epoch ms), if it was. */
  interruptedAt?: number;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Send SIGINT (Ctrl-C) once stderr shows a line matching this. */
  interruptWhen?: RegExp;
  timeoutMs?: number;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
  for (const [name, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[name] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(node24, [cliBin, ...args], { cwd: options.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interruptedAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.interruptWhen && interruptedAt === undefined && options.interruptWhen.test(stderr)) {
        interruptedAt = Date.now();
        child.kill('SIGINT');
      }
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, interruptedAt });
    });
  });
}

/** `name: value` lines the CLI prints on stdout. */
export function printedOutputs(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.split('\n').map((line) => /^([a-z-]+): (.*)$/.exec(line)).filter((m) => m !== null).map((m) => [m![1], m![2]]));
}

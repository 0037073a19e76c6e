/**
 * A `run:` step as the runner runs it on Linux: the script in a file, the shell GitHub picks
 * (`bash -e {0}` when none is named, `bash --noprofile --norc -eo pipefail {0}` for `shell: bash`,
 * `sh -e {0}`), in the working directory, with the step's environment; cancellation sends SIGINT,
 * then SIGTERM, as the runner does.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ShellRun {
  exitCode: number | null;
  log: string;
  stderr: string;
}

const SHELLS: Record<string, string[]> = {
  '': ['bash', '-e'],
  bash: ['bash', '--noprofile', '--norc', '-eo', 'pipefail'],
  sh: ['sh', '-e'],
};

class UnsupportedShell extends Error {}

export function runShell(options: {
  script: string;
  shell: string;
  cwd: string;
  env: Record<string, string>;
  scriptDir: string;
  id: string;
  signal: AbortSignal;
  onLine?: (line: string) => void;
}): Promise<ShellRun> {
  const command = SHELLS[options.shell];
  if (!command) throw new UnsupportedShell(`shell: ${options.shell} is not played (bash and sh are)`);
  const file = path.join(options.scriptDir, `${options.id.replace(/[^\w.-]/g, '_')}.sh`);
  writeFileSync(file, options.script);
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], [...command.slice(1), file], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    let stderr = '';
    let pending = '';
    const onAbort = () => {
      child.kill('SIGINT');
      setTimeout(() => child.exitCode === null && child.kill('SIGTERM'), 7_500).unref();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      log += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine?.(line);
    });
    // The runner merges stderr into the job log.
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      log += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      options.signal.removeEventListener('abort', onAbort);
      resolve({ exitCode, log, stderr });
    });
  });
}

// Runs commands one after another as phases of `npm test`: each announced when it starts and timed when
// it ends, with a heartbeat while a silent one (tsc prints nothing until it is done) runs. Stops at the
// first phase that fails and returns its exit code.
import { spawn } from 'node:child_process';

const since = (start) => `${((Date.now() - start) / 1000).toFixed(0)} s`;

/**
 * @param {{ label: string, command: string, args: string[], heartbeat?: boolean }[]} phases
 * @param {{ heartbeatMs?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<number>} 0 when every phase passed, else the failing phase's exit code
 */
export async function runPhases(phases, { heartbeatMs = 15_000, log = (line) => console.log(line) } = {}) {
  for (const [index, phase] of phases.entries()) {
    const tag = `[${index + 1}/${phases.length}] ${phase.label}`;
    const start = Date.now();
    log(`${tag} …`);
    const timer = phase.heartbeat === false ? undefined : setInterval(() => log(`      ${phase.label}: still running (${since(start)})`), heartbeatMs);
    const code = await new Promise((resolve) => {
      const child = spawn(phase.command, phase.args, { stdio: 'inherit' });
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
      child.on('error', (error) => {
        log(`${tag}: ${error.message}`);
        resolve(1);
      });
    });
    clearInterval(timer);
    if (code !== 0) {
      log(`${tag} failed (exit ${code}) after ${since(start)}.`);
      return code;
    }
    log(`${tag} passed in ${since(start)}.`);
  }
  return 0;
}

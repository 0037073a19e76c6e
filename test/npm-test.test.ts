/**
 * What `npm test` prints: each phase announced and timed (with a heartbeat while tsc is silent), no
 * `::add-mask::` lines from actions run in process, and a closing line listing the suites skipped for
 * a missing fixture or tool.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runPhases } from '../scripts/test-phases.mjs';
import { repoRoot } from './harness/run-action';
import { filterRunnerCommands } from './setup/runner-commands-filter';
import { closingLine, skippedLines } from './setup/skipped-reporter';

describe('the phases of npm test', () => {
  it('announces each phase, prints a heartbeat while one runs, times it, and stops at the first failure', async () => {
    const lines: string[] = [];
    const node = process.execPath;
    const code = await runPhases(
      [
        { label: 'slow and silent', command: node, args: ['-e', 'setTimeout(() => {}, 300)'] },
        { label: 'fails', command: node, args: ['-e', 'process.exit(3)'] },
        { label: 'never runs', command: node, args: ['-e', ''] },
      ],
      { heartbeatMs: 100, log: (line) => lines.push(line) },
    );
    expect(code).toBe(3);
    expect(lines[0]).toBe('[1/3] slow and silent …');
    expect(lines.filter((l) => l.includes('slow and silent: still running')).length).toBeGreaterThanOrEqual(1);
    // The time, not its value: a loaded machine makes 300 ms round to 1 s (no timed assertions).
    expect(lines.some((l) => /^\[1\/3\] slow and silent passed in \d+ s\.$/.test(l))).toBe(true);
    expect(lines).toContain('[2/3] fails …');
    expect(lines.at(-1)).toMatch(/^\[2\/3\] fails failed \(exit 3\) after \d+ s\.$/);
    expect(lines.join('\n')).not.toContain('never runs');
  });
});

describe('the runner-command filter', () => {
  it('drops ::add-mask:: lines and keeps everything else, strings and bytes', () => {
    const written: string[] = [];
    const write = filterRunnerCommands((chunk) => (written.push(String(chunk)), true));
    write('::add-mask::ghs_secret\n');
    write('before\n::add-mask::x\nafter\n');
    write(Buffer.from('::add-mask::y\n::error::kept\n'));
    write('plain\n');
    expect(written).toEqual(['before\nafter\n', '::error::kept\n', 'plain\n']);
  });
});

describe('the closing line of skipped suites', () => {
  it('lists each SKIPPED reason once, or says none', () => {
    expect(skippedLines('x\nSKIPPED: the AWS CLI (no aws)\nclassify-pr fixture tests SKIPPED: SOURCES.md is absent.\n')).toEqual([
      'the AWS CLI (no aws)',
      'SOURCES.md is absent.',
    ]);
    expect(closingLine([])).toBe('Skipped for a missing fixture or tool: none.');
    expect(closingLine(['a', 'b', 'a'])).toBe('Skipped for a missing fixture or tool: 2 — a; b');
  });

  it('closes a real vitest run: no ::add-mask:: in the log, the last line lists what was skipped', async () => {
    // The AWS CLI suite skips without `aws` on PATH; the GitHub client suite calls core.setSecret.
    const { stdout } = await promisify(execFile)(
      path.join(repoRoot, 'node_modules', '.bin', 'vitest'),
      ['run', 'test/simulators/aws-listing-sts.test.ts', 'test/foundation/github-client.test.ts'],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, NO_COLOR: '1', CI: '' }, timeout: 120_000 },
    );
    expect(stdout).not.toContain('::add-mask::');
    const last = stdout.trim().split('\n').at(-1);
    expect(last).toBe('Skipped for a missing fixture or tool: 1 — the AWS CLI through the simulator (no `aws` on PATH)');
  }, 180_000); // a whole vitest run of two suites: minutes on a loaded 2-core machine
});

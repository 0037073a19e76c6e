import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two tiers, chosen by where a file lives, so a new test lands in the right one without an edit here:
 * - `full` (`npm run test:full`): test/rehearsal/** (the whole rehearsal, every template mutation) and any
 *   `*.full.test.ts`: minutes each, run by CI's rehearsal job and .ci/run;
 * - `quick` (`npm test`): everything else, one short rehearsal stage included (test/rehearsal-stage/).
 * `npx vitest run <path>` runs a file whichever tier it is in.
 */
const ALL = ['test/**/*.test.ts', 'packages/**/*.test.ts'];
const FULL_TIER = ['test/rehearsal/**/*.test.ts', '**/*.full.test.ts'];

export default defineConfig({
  test: {
    // End-to-end tests start bundles as child processes against the simulators.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most suites wait on child processes, sockets and the clock rather than on a CPU: vitest's default
    // (CPUs - 1 workers, one on this 2-core machine) would run them one file at a time.
    maxWorkers: Math.max(4, availableParallelism() * 3),
    // The workflow parser imports its JSON schema without an import attribute, which Node's own loader
    // refuses; inlined, vite loads it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    // No `::add-mask::` lines from in-process actions in the log; no client waits meant for github.com.
    setupFiles: ['./test/setup/runner-commands.ts', './test/setup/github-waits.ts'],
    // The last line lists the suites skipped for a missing fixture or tool.
    reporters: ['default', './test/setup/skipped-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'quick', include: ALL, exclude: ['**/node_modules/**', ...FULL_TIER] } },
      { extends: true, test: { name: 'full', include: FULL_TIER } },
    ],
  },
});

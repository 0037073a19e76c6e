import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/**/*.test.ts'],
    // End-to-end tests start bundles as child processes against the simulators.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The workflow parser imports its JSON schema without an import attribute, which Node's own loader
    // refuses; inlined, vite loads it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    // No `::add-mask::` lines from in-process actions in the log.
    setupFiles: ['./test/setup/runner-commands.ts'],
    // The last line lists the suites skipped for a missing fixture or tool.
    reporters: ['default', './test/setup/skipped-reporter.ts'],
  },
});

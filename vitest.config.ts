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
    reporters: ['default'],
  },
});

// `npm test`: type-check, lint, README/action.yml agreement, then every vitest suite (extra arguments
// go to vitest), each phase announced and timed (scripts/test-phases.mjs).
import { runPhases } from './test-phases.mjs';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

const code = await runPhases([
  { label: 'type-check (tsc --noEmit)', command: bin('tsc'), args: ['--noEmit', '-p', 'tsconfig.json'] },
  { label: 'lint (eslint)', command: bin('eslint'), args: ['.'] },
  { label: 'README tables match action.yml', command: process.execPath, args: ['scripts/readme-tables.mjs', '--check'] },
  // vitest reports its own progress, and closes with the suites skipped for a missing fixture or tool.
  { label: 'tests (vitest)', command: bin('vitest'), args: ['run', ...process.argv.slice(2)], heartbeat: false },
]);
process.exit(code);

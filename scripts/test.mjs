// `npm test`: type-check, lint, README/action.yml agreement, then the quick tier of vitest (every unit,
// engine, bundle, CLI and template test and one rehearsal stage; extra arguments go to vitest), each
// phase announced and timed (scripts/test-phases.mjs).
// `npm run test:full` (`--full`): the full tier, the whole rehearsal and every template mutation
// (test/rehearsal/**, *.full.test.ts; see vitest.config.ts), which CI's rehearsal job and .ci/run run.
import { runPhases } from './test-phases.mjs';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const args = process.argv.slice(2);
const full = args.includes('--full');
const vitestArgs = args.filter((arg) => arg !== '--full');

// vitest reports its own progress, and closes with the suites skipped for a missing fixture or tool.
const quick = [
  { label: 'type-check (tsc --noEmit)', command: bin('tsc'), args: ['--noEmit', '-p', 'tsconfig.json'] },
  { label: 'lint (eslint)', command: bin('eslint'), args: ['.'] },
  { label: 'README tables match action.yml', command: process.execPath, args: ['scripts/readme-tables.mjs', '--check'] },
  { label: 'unused files, exports and dependencies (knip)', command: bin('knip'), args: [] },
  { label: 'tests, quick tier (vitest)', command: bin('vitest'), args: ['run', '--project', 'quick', ...vitestArgs], heartbeat: false },
];
// Each rehearsal plays a whole simulated stack and spawns a bundle per step: three at once keep two
// cores busy without starving the simulated clocks.
const fullTier = [{ label: 'tests, full tier: the rehearsal and the template mutations (vitest)', command: bin('vitest'), args: ['run', '--project', 'full', '--maxWorkers', '3', ...vitestArgs], heartbeat: false }];

const code = await runPhases(full ? fullTier : quick);
process.exit(code);

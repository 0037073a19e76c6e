/**
 * `npm run rehearse`: plays the Connect 2.0 runbook end to end on this machine (see
 * scripts/rehearsal/), prints the timeline, writes .rehearsal/report.md and report.html, and exits
 * non-zero when any step's outcome differs from the one the story expects.
 */
import path from 'node:path';
import { repoRoot } from '../test/harness/run-action';
import { rehearse } from './rehearsal';
import { bold, green, red } from './rehearsal/timeline';

const timeline = await rehearse();
const report = timeline.writeReport(path.join(repoRoot, '.rehearsal'));
console.log(`\n${bold('Timeline')}\n${timeline.table()}\n`);
console.log(`Report: ${path.relative(process.cwd(), report)} (and report.html beside it)`);
if (timeline.failed.length > 0) {
  console.log(red(`${timeline.failed.length} of ${timeline.entries.length} steps did not go as expected.`));
  process.exit(1);
}
console.log(green(`All ${timeline.entries.length} steps went as expected in ${(timeline.elapsedMs / 1000).toFixed(1)} s.`));

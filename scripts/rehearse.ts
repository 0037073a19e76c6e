/**
 * `npm run rehearse [-- --workflows <dir>] [--stage 10] [--time-limit-seconds 1200]`: plays the Connect 2.0 runbook as GitHub events through
 * the workflow templates (or a team's edited copy), prints progress per run and job, writes
 * .rehearsal/report.md and report.html, and exits non-zero when any expectation breaks, naming its
 * stage.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../test/harness/run-action';
import { rehearse } from './rehearsal';
import { bold, green, red } from './rehearsal/timeline';

const { values } = parseArgs({ options: { workflows: { type: 'string' }, var: { type: 'string', multiple: true }, stage: { type: 'string', multiple: true }, 'time-limit-seconds': { type: 'string' } } });
const vars = Object.fromEntries((values.var ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const only = values.stage?.map(Number);
const timeLimitMs = values['time-limit-seconds'] ? Number(values['time-limit-seconds']) * 1000 : undefined;
const timeline = await rehearse({ workflows: values.workflows ? path.resolve(values.workflows) : undefined, vars, only, timeLimitMs });
const report = timeline.writeReport(path.join(repoRoot, '.rehearsal'));
console.log(`\nReport: ${path.relative(process.cwd(), report)} (and report.html beside it)`);
if (timeline.failed.length > 0) {
  console.log(bold(red(`${timeline.failed.length} of ${timeline.expectations.length} expectations broke:`)));
  for (const line of timeline.failureLines()) console.log(red(`  ${line}`));
  process.exit(1);
}
console.log(green(`All ${timeline.expectations.length} expectations held, ${timeline.runs.length} workflow runs, in ${(timeline.elapsedMs / 1000).toFixed(1)} s.`));

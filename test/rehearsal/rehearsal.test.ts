/**
 * The rehearsal is the end-to-end test of the bundle and its templates: the runbook's stages, played
 * as GitHub events through workflows-templates/ by the workflow player, must keep every expectation;
 * and a broken action must make it fail, naming the stage.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rehearse } from '../../scripts/rehearsal';

describe('the local rehearsal', () => {
  it('plays every stage through the templates with every expectation kept', async () => {
    // Its own limit ends it (naming the stage) before the test's: beside the mutations it takes minutes.
    const timeline = await rehearse({ quiet: true, timeLimitMs: 1_140_000 });
    expect(timeline.failureLines()).toEqual([]);
    expect(new Set(timeline.expectations.map((e) => e.stage))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]));
    // report.md's Runbook checklist: the 14 items, each automated and shown by a stage or named as kept by people.
    const report = timeline.markdown();
    const shown = /## Runbook checklist\n\n(\d+) of 14 items automated and shown by a stage; 2 stay with people\./.exec(report);
    expect(shown, 'no Runbook checklist headline').not.toBeNull();
    // Issue #23: all but code review and database performance (people) are automated and shown.
    expect(Number(shown![1])).toBe(12);
    const checklist = report.slice(report.indexOf('## Runbook checklist')).split('\n## ')[0];
    expect(checklist.match(/^\| (✓|👤|✗) \| /gm)).toHaveLength(14);
    expect(timeline.runs.length).toBeGreaterThan(20);
  }, 1_200_000);

  it('fails, naming the stage, when its time limit runs out, instead of hanging', async () => {
    const timeline = await rehearse({ quiet: true, only: [1], timeLimitMs: 3_000 });
    // The first failure names the stage that ran out of time; what the abandoned stage says after its
    // runs were cancelled may follow it.
    expect(timeline.failureLines().slice(0, 1)).toEqual([expect.stringMatching(/^Stage 1 \(A PR mixing[^)]*\): expected "the stage finishes within the rehearsal's time limit \(3 s\)", but it was still playing when the time limit ran out; in progress: /)]);
  }, 120_000);

  it('fails, naming the stage, when an action is broken (a bundle that claims success without doing anything)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broken-bundle-'));
    const broken = path.join(dir, 'index.mjs');
    writeFileSync(broken, 'process.exit(0);\n');
    const timeline = await rehearse({ quiet: true, stopOnFailure: true, bundles: { 'ecs-deploy': broken }, only: [1, 2, 3] });
    expect(timeline.failureLines()[0]).toMatch(/^Stage 3 \(Merge to development[^)]*\): expected ".+", but /);
  }, 600_000);
});

/**
 * The rehearsal is the end-to-end test of the bundle: the seven stages of the runbook, played with
 * the committed bundles against the simulators, must all go as expected; and a broken bundle must
 * make it fail.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rehearse } from '../../scripts/rehearsal';

describe('the local rehearsal', () => {
  it('plays all seven stages with the expected outcomes', async () => {
    const timeline = await rehearse({ quiet: true });
    const problems = timeline.failed.map((e) => `stage ${e.stage} ${e.action} ${e.label}: ${e.problems.join('; ')}`);
    expect(problems).toEqual([]);
    expect(new Set(timeline.entries.map((e) => e.stage))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
  }, 300_000);

  it('fails when an action is broken (a bundle that claims success without doing anything)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broken-bundle-'));
    const broken = path.join(dir, 'index.mjs');
    writeFileSync(broken, 'process.exit(0);\n');
    const timeline = await rehearse({ quiet: true, stopOnFailure: true, bundles: { 'ecs-deploy': broken } });
    expect(timeline.failed.length).toBeGreaterThan(0);
    expect(timeline.failed[0].action).toBe('ecs-deploy');
  }, 300_000);
});

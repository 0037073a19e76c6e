/**
 * The quick tier's slice of the rehearsal (`npm test`): its first stage alone, a pull request that
 * mixes infrastructure and application changes, played through workflows-templates/ with the committed
 * bundles and both simulators. The whole rehearsal and the template mutations are in test/rehearsal/
 * (`npm run test:full`).
 */
import { describe, expect, it } from 'vitest';
import { rehearse } from '../../scripts/rehearsal';

describe('one stage of the rehearsal', () => {
  it('plays stage 1 through the templates with every expectation kept, and no other stage', async () => {
    const timeline = await rehearse({ quiet: true, only: [1] });
    expect(timeline.failureLines()).toEqual([]);
    expect(timeline.expectations.length).toBeGreaterThan(0);
    expect(new Set(timeline.expectations.map((e) => e.stage))).toEqual(new Set([1]));
    expect(timeline.runs.length).toBeGreaterThan(0);
  }, 300_000);
});

/** Every bundle, started as the runner starts it with no inputs, fails at once naming the missing input. */
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../scripts/actions.mjs';
import { runAction } from '../harness/run-action';

describe.each(ACTIONS)('%s bundle with no inputs', (action) => {
  it('exits non-zero with one ::error:: line naming a required input', async () => {
    const run = await runAction(action, { token: '', env: { AWS_REGION: 'us-west-2' } });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Input '[a-z-]+' .+; .+\.$/);
    expect(run.main.durationMs).toBeLessThan(10_000);
  });
});

import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../packages/action-kit';
import { silentLog, waitForHealth } from '../../packages/ecs';

const answering = (statuses: number[]) => {
  let call = 0;
  return (async () => {
    const status = statuses[Math.min(call++, statuses.length - 1)];
    return new Response(status === 204 ? null : 'body never logged', { status });
  }) as typeof fetch;
};

describe('waitForHealth', () => {
  it('polls until 2xx', async () => {
    const result = await waitForHealth({ url: 'http://app/health', clock: new VirtualClock(), log: silentLog, intervalMs: 5000, timeoutMs: 60_000, fetch: answering([502, 503, 204]) });
    expect(result).toMatchObject({ status: 204, attempts: 3, elapsedMs: 10_000 });
  });

  it('fails at the deadline with the last answer', async () => {
    const lines: string[] = [];
    const failing = waitForHealth({ url: 'http://app/health', clock: new VirtualClock(), log: { info: (l) => lines.push(l), warning: () => undefined }, intervalMs: 5000, timeoutMs: 20_000, fetch: answering([500]) });
    await expect(failing).rejects.toThrow(/^Health check failed: http:\/\/app\/health did not answer 2xx within 20s \(last: HTTP 500, 5 attempts\)\.$/);
    // The same answer is logged once, not at every poll; the body never.
    expect(lines.filter((l) => /HTTP 500/.test(l))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('body never logged');
  });

  it('reports connection errors by their code', async () => {
    const refusing = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    await expect(waitForHealth({ url: 'http://app/health', clock: new VirtualClock(), log: silentLog, intervalMs: 5000, timeoutMs: 10_000, fetch: refusing })).rejects.toThrow(/last: ECONNREFUSED/);
  });
});

import { describe, expect, it } from 'vitest';
import { silentLogger, systemClock, VirtualClock } from '../../packages/action-kit';
import { waitForHealth } from '../../packages/ecs';
import { hasOpenssl, startSelfSignedServer } from '../wait-stable/tls';

const answering = (statuses: number[]) => {
  let call = 0;
  return (async () => {
    const status = statuses[Math.min(call++, statuses.length - 1)];
    return new Response(status === 204 ? null : 'body never logged', { status });
  }) as typeof fetch;
};

describe('waitForHealth', () => {
  it('polls until 2xx', async () => {
    const result = await waitForHealth({ url: 'http://app/health', clock: new VirtualClock(), log: silentLogger, intervalMs: 5000, timeoutMs: 60_000, fetch: answering([502, 503, 204]) });
    expect(result).toMatchObject({ status: 204, attempts: 3, elapsedMs: 10_000 });
  });

  it('fails at the deadline with the last answer', async () => {
    const lines: string[] = [];
    const failing = waitForHealth({ url: 'http://app/health', clock: new VirtualClock(), log: { ...silentLogger, info: (l) => lines.push(l), warning: () => undefined }, intervalMs: 5000, timeoutMs: 20_000, fetch: answering([500]) });
    // At 0, 5, 10 and 15 s; none at the deadline itself, which leaves no time for a request.
    await expect(failing).rejects.toThrow(/^Health check failed: http:\/\/app\/health did not answer 2xx within 20s \(last: HTTP 500, 4 attempts\)\.$/);
    // The same answer is logged once, not at every poll; the body never.
    expect(lines.filter((l) => /HTTP 500/.test(l))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('body never logged');
  });

  it('reports connection errors by their code', async () => {
    const refusing = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    await expect(waitForHealth({ url: 'http://app/health', clock: new VirtualClock(), log: silentLogger, intervalMs: 5000, timeoutMs: 10_000, fetch: refusing })).rejects.toThrow(/last: ECONNREFUSED, 2 attempts/);
  });

  it('keeps the budget hard: a hanging URL gets only the time left, not 10 s per request', async () => {
    const clock = new VirtualClock();
    const starts: number[] = [];
    // Never answers; gives up only when its signal aborts.
    const hanging = ((_url: string, init: RequestInit) => {
      starts.push(clock.now());
      return new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason), { once: true }));
    }) as typeof fetch;
    const start = clock.now();
    await expect(waitForHealth({ url: 'http://app/health', clock, log: silentLogger, intervalMs: 2000, timeoutMs: 15_000, requestTimeoutMs: 10_000, fetch: hanging })).rejects.toThrow(
      /did not answer 2xx within 15s \(last: TimeoutError, 2 attempts\)/,
    );
    // The first request gets its 10 s, the second (at 12 s) only the 3 s left: the step ends at the
    // budget, not at 22 s (12 s + a full 10 s request).
    expect(starts.map((t) => t - start)).toEqual([0, 12_000]);
    expect(clock.now() - start).toBe(15_000);
  });

  it('fails at once on a certificate Node does not trust, naming the reason and NODE_EXTRA_CA_CERTS', async (context) => {
    if (!hasOpenssl()) return context.skip();
    const server = await startSelfSignedServer();
    try {
      // The real clock: a TLS handshake takes real time, which a VirtualClock would count as timed out.
      const start = Date.now();
      const failing = waitForHealth({ url: server.url, clock: systemClock, log: silentLogger, intervalMs: 1000, timeoutMs: 20_000 });
      await expect(failing).rejects.toThrow(
        new RegExp(`^Health check failed: ${server.url.replace(/[.]/g, '\\.')} presented a certificate Node does not trust \\(DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate.*\\); retrying cannot fix that\\. .*NODE_EXTRA_CA_CERTS`),
      );
      // One handshake, no retries for 20 s.
      expect(Date.now() - start).toBeLessThan(3000);
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('waitForHealth: an unreachable URL is named by its cause', () => {
  it('never `TypeError` (fetch failed): the cause fetch gives, and one attempt is "1 attempt"', async () => {
    const badPort = waitForHealth({ url: 'http://127.0.0.1:1/health', clock: systemClock, log: silentLogger, intervalMs: 1000, timeoutMs: 500 });
    await expect(badPort).rejects.toThrow(/^Health check failed: http:\/\/127\.0\.0\.1:1\/health did not answer 2xx within 1s \(last: bad port, 1 attempt\)\.$/);
  });
});

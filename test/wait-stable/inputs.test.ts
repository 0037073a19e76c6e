/**
 * wait-stable's inputs read in process (actions/wait-stable/inputs.ts): each bad one is one line naming it,
 * what was wrong and what would be right. Reading inputs needs no client at all, so it happens before any
 * AWS call by construction; the bundle's wiring of it is in test/wait-stable/verify.bundle.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { InputError, readInputs, recordInputs } from '../../packages/action-kit';
import { readWaitInputs } from '../../actions/wait-stable/inputs';

const base = { cluster: 'connect2-dev', services: 'connect2-api-service-dev', 'poll-interval-seconds': '1', 'timeout-minutes': '2', 'log-error-pattern': '?ERROR ?CRITICAL ?Traceback' };
const read = (extra: Record<string, string>) => readWaitInputs(readInputs(recordInputs({ ...base, ...extra })));

describe('wait-stable inputs', () => {
  it('reads the verification settings of good inputs', () => {
    const settings = read({ 'verify-urls': 'https://api.example.com/health\nPOST https://api.example.com/api/v1/users 201', 'bake-seconds': '60', 'log-group': '/ecs/connect2-api-dev' });
    expect(settings.verify).toMatchObject({ bakeMs: 60_000, pattern: '?ERROR ?CRITICAL ?Traceback', group: '/ecs/connect2-api-dev' });
    expect(settings.verify.checks).toHaveLength(2);
    expect(settings).toMatchObject({ cluster: 'connect2-dev', services: ['connect2-api-service-dev'], intervalMs: 1000, timeoutMs: 120_000 });
  });

  it.each([
    ['verify-urls', { 'verify-urls': 'FETCH https://api.example.com/health' }, /^Input 'verify-urls' has the line 'FETCH https:\/\/api.example.com\/health', where 'FETCH' is not a URL/],
    ['verify-urls', { 'verify-urls': 'GET https://api.example.com/health OK' }, /^Input 'verify-urls' has the line .* where 'OK' is not a status/],
    ['bake-seconds', { 'bake-seconds': '3600', 'timeout-minutes': '30' }, /^Input 'bake-seconds' is 3600s, not shorter than timeout-minutes \(1800s\)/],
    ['log-error-pattern', { 'log-error-pattern': 'level=ERROR' }, /^Input 'log-error-pattern' is 'level=ERROR', which CloudWatch rejects \(Invalid character\(s\) in term 'level=ERROR'\)/],
    ['log-error-pattern', { 'log-error-pattern': '?ERROR "unterminated' }, /^Input 'log-error-pattern' .* unterminated quoted term/],
    ['log-group', { 'log-group': 'my group!' }, /^Input 'log-group' is 'my group!', not a log group name/],
    ['health-url', { 'health-url': 'ftp://api.example.com/health' }, /^Input 'health-url' uses ftp:/],
  ])('bad %s: one line naming it', (_name, extra, message) => {
    let thrown: unknown;
    try {
      read(extra);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });
});

/**
 * The verification's pure parts: verify-urls lines, filter patterns as wait-stable checks them, and
 * log lines redacted before they are shown.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../packages/action-kit';
import { FilterPatternError, displayUrl, matchesFilterPattern, parseFilterPattern, parseVerifyChecks, redactLine } from '../../packages/ecs';

describe('parseVerifyChecks', () => {
  it('reads [METHOD] URL [status], GET and 2xx by default', () => {
    expect(parseVerifyChecks(['https://api.example.com/health', 'HEAD https://api.example.com/ 301', 'post https://api.example.com/api/v1/users 4xx', '# a comment', ''])).toEqual([
      { method: 'GET', url: 'https://api.example.com/health', expected: { class: 2 } },
      { method: 'HEAD', url: 'https://api.example.com/', expected: { code: 301 } },
      { method: 'POST', url: 'https://api.example.com/api/v1/users', expected: { class: 4 } },
    ]);
  });

  it.each(['GET', 'GET ftp://example.com/x', 'GET https://a.example.com 2000', 'GET https://a.example.com 200 extra', 'https://a.example.com 6xx'])('refuses %s naming verify-urls', (line) => {
    expect(() => parseVerifyChecks([line])).toThrow(InputError);
    expect(() => parseVerifyChecks([line])).toThrow(/^Input 'verify-urls' has the line/);
  });

  it('resolves a path against the health URL, and refuses one without it', () => {
    expect(parseVerifyChecks(['GET /api/v1/users 200'], 'verify-urls', 'https://api.example.com/health')).toEqual([{ method: 'GET', url: 'https://api.example.com/api/v1/users', expected: { code: 200 } }]);
    expect(() => parseVerifyChecks(['/api/v1/users'])).toThrow(/^Input 'verify-urls' has the line '\/api\/v1\/users', a path with no health-url/);
  });

  it('shows URLs without credentials or query values', () => {
    expect(displayUrl('https://user:pw@api.example.com/x?token=abc&b=2')).toBe('https://api.example.com/x?token=***&b=***');
  });
});

describe('filter patterns', () => {
  const matches = (pattern: string, line: string) => matchesFilterPattern(parseFilterPattern(pattern), line);
  it('terms, ?any, -none, quotes, regex', () => {
    expect(matches('?ERROR ?CRITICAL ?Traceback', 'Traceback (most recent call last):')).toBe(true);
    expect(matches('?ERROR ?CRITICAL ?Traceback', 'error: lower case')).toBe(false);
    expect(matches('ERROR -HealthCheck', 'ERROR HealthCheck')).toBe(false);
    expect(matches('"status=500"', 'GET /users status=500')).toBe(true);
    expect(matches('%5[0-9][0-9]$%', 'GET /users 503')).toBe(true);
    expect(parseFilterPattern('{ $.level = "ERROR" }').kind).toBe('structured');
  });
  it.each(['level=ERROR', '"open', '%(a)%', '{ $.a = 1', '?', '%a% %b% %c%'])('rejects %s', (pattern) => {
    expect(() => parseFilterPattern(pattern)).toThrow(FilterPatternError);
  });
});

describe('redactLine', () => {
  it('hides what looks like a secret and cuts long lines', () => {
    expect(redactLine('password=hunter2 db=postgres://app:s3cret@db:5432/x Authorization: Bearer abcdefghijklmnop AKIAABCDEFGHIJKLMNOP')).toBe(
      'password=*** db=postgres://***@db:5432/x Authorization: *** *** ***',
    );
    expect(redactLine('a'.repeat(500))).toHaveLength(200);
    expect(redactLine('line\u0007 with\u001b[31m control')).toBe('line with[31m control');
  });
});

/**
 * Tokens and the rate-limit budget. GitHub answers every request with x-ratelimit-* headers; Octokit's
 * throttling plugin and the actions' summaries read them, so the simulator keeps an hourly budget
 * on its clock and reports it, per resource (core for REST, graphql for POST /graphql).
 */

import { randomBytes } from 'node:crypto';
import { ALL_READ, type TokenGrant } from './permissions';

/** Tokens and what each grants: the two fixed ones of the options plus any issued at run time. */
export class Tokens {
  private readonly grants = new Map<string, TokenGrant>();

  constructor(write: string, readOnly: string, login: string) {
    // The default tokens are installation-like ('app'), so the Actions-only PR setting does not touch them.
    this.grants.set(write, { kind: 'app', login, permissions: 'all' });
    this.grants.set(readOnly, { kind: 'app', login, permissions: { ...ALL_READ } });
  }

  issue(grant: TokenGrant): string {
    const token = `ghs_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
    this.grants.set(token, { ...grant, permissions: grant.permissions === 'all' ? 'all' : { ...grant.permissions } });
    return token;
  }

  revoke(token: string): void {
    this.grants.delete(token);
  }

  grantOf(token: string): TokenGrant | undefined {
    return this.grants.get(token);
  }

  /** `token X`, `Bearer X`, or HTTP Basic whose password is the token -> its grant; undefined when missing or unknown. */
  check(authorization: string | undefined): TokenGrant | undefined {
    const header = authorization?.trim() ?? '';
    const bearer = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
    if (bearer) return this.grants.get(bearer[1]!);
    const basic = /^basic\s+(\S+)$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) return this.grants.get(decoded.slice(colon + 1)) ?? this.grants.get(decoded.slice(0, colon));
    }
    return undefined;
  }
}

const LIMIT = 5000;
const WINDOW_MS = 3_600_000;

export class RateBudget {
  private readonly windows = new Map<string, { start: number; used: number }>();

  /** Counts one request against `resource` and returns the headers GitHub would send. */
  spend(resource: 'core' | 'graphql', nowMs: number): Record<string, string> {
    let window = this.windows.get(resource);
    if (!window || nowMs - window.start >= WINDOW_MS) {
      window = { start: nowMs, used: 0 };
      this.windows.set(resource, window);
    }
    window.used = Math.min(LIMIT, window.used + 1);
    return {
      'x-ratelimit-limit': String(LIMIT),
      'x-ratelimit-remaining': String(LIMIT - window.used),
      'x-ratelimit-used': String(window.used),
      'x-ratelimit-reset': String(Math.floor((window.start + WINDOW_MS) / 1000)),
      'x-ratelimit-resource': resource,
    };
  }
}

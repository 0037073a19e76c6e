/**
 * Tokens and the rate-limit budget. GitHub answers every request with x-ratelimit-* headers; Octokit's
 * throttling plugin and the actions' summaries read them, so the simulator keeps an hourly budget
 * on its clock and reports it, per resource (core for REST, graphql for POST /graphql).
 */

export type Access = 'write' | 'read';

export class Tokens {
  constructor(
    readonly write: string,
    readonly readOnly: string,
  ) {}

  /** `token X` or `Bearer X` -> the access it grants; undefined for a missing or unknown token. */
  check(authorization: string | undefined): Access | undefined {
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!match) return undefined;
    if (match[1] === this.write) return 'write';
    if (match[1] === this.readOnly) return 'read';
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

/**
 * Faults on demand: rate-limit answers shaped exactly as @octokit/plugin-throttling reads them, and
 * 5xx answers that @octokit/plugin-retry retries. Each fault answers `count` matching requests, then
 * is spent.
 *
 * What the throttling plugin (v11) looks at, so Octokit retries these answers:
 * - status 403 or 429 (any status for /graphql except 401);
 * - a message matching /\bsecondary rate\b/i -> secondary limit, waiting `retry-after` seconds
 *   (a missing or 0 `retry-after` makes it wait 60 s, hence the default of 1);
 * - otherwise `x-ratelimit-remaining: "0"` -> primary limit, waiting until `x-ratelimit-reset`
 *   (epoch seconds, compared with the caller's real clock) plus one second.
 */
import { DOCS, type Reply } from './http';

export interface RateLimitFault {
  /** How many requests are answered with the limit (default 1). */
  count?: number;
  kind?: 'primary' | 'secondary';
  /** Seconds until the limit resets (default 1). */
  retryAfterSeconds?: number;
  /** 403 (default) or 429: GitHub answers both for rate limits. */
  status?: 403 | 429;
  /** Only requests whose path matches (default all). */
  path?: RegExp | string;
  method?: string;
}

export interface ServerErrorFault {
  count?: number;
  status?: 500 | 502 | 503;
  path?: RegExp | string;
  method?: string;
}

export interface FaultHandle {
  remove(): void;
}

interface ActiveFault {
  remaining: number;
  path?: RegExp | string;
  method?: string;
  answer: (nowMs: number) => Reply;
}

const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.';

export class Faults {
  private active: ActiveFault[] = [];

  rateLimit(fault: RateLimitFault = {}): FaultHandle {
    const retryAfter = fault.retryAfterSeconds ?? 1;
    const status = fault.status ?? 403;
    const answer = (nowMs: number): Reply => {
      if (fault.kind === 'secondary') {
        return { status, body: { message: SECONDARY_MESSAGE, documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' }, headers: { 'retry-after': String(retryAfter) } };
      }
      const reset = Math.floor(nowMs / 1000) + retryAfter;
      return {
        status,
        body: { message: 'API rate limit exceeded for installation ID 1.', documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api` },
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(reset), 'retry-after': String(retryAfter) },
      };
    };
    return this.add({ remaining: fault.count ?? 1, path: fault.path, method: fault.method, answer });
  }

  serverError(fault: ServerErrorFault = {}): FaultHandle {
    const status = fault.status ?? 500;
    const message = status === 502 ? 'Server Error: Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Server Error';
    return this.add({ remaining: fault.count ?? 1, path: fault.path, method: fault.method, answer: () => ({ status, body: { message } }) });
  }

  clear(): void {
    this.active = [];
  }

  /** The fault answer for this request, spending one use of the first matching fault. */
  take(method: string, path: string, nowMs: number): Reply | undefined {
    const fault = this.active.find((candidate) => candidate.remaining > 0 && matches(candidate, method, path));
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining === 0) this.active = this.active.filter((candidate) => candidate !== fault);
    return fault.answer(nowMs);
  }

  private add(fault: ActiveFault): FaultHandle {
    this.active.push(fault);
    return { remove: () => void (this.active = this.active.filter((candidate) => candidate !== fault)) };
  }
}

function matches(fault: ActiveFault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? path.startsWith(fault.path) : fault.path.test(path);
}

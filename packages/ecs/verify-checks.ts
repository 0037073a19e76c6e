/**
 * The runbook's "key API endpoints verified": one check a line, `[METHOD] URL [expected status]`
 * (`GET` and any 2xx when left out; the status may be a code, `404`, or a class, `2xx`). A check is
 * asked a few times before it fails, so one refused connection of a load balancer swapping targets
 * is not a failed release. Only the status is kept, never the body; URLs are shown without their
 * credentials and query values, which may carry tokens.
 */
import { InputError, type Clock } from '../action-kit';

export interface VerifyCheck {
  method: string;
  url: string;
  /** A status code, or a class as its first digit (`2` for 2xx). */
  expected: { code: number } | { class: number };
}

export type CheckPhase = 'after-stable' | 'after-bake';

export interface CheckResult {
  phase: CheckPhase;
  method: string;
  /** Shown URL: no credentials, query values replaced by `***`. */
  url: string;
  expected: string;
  /** The status answered last, or the network error's code. */
  answer: string;
  ok: boolean;
  attempts: number;
}

export interface CheckOptions {
  clock: Clock;
  fetch?: typeof fetch;
  /** Per request (default 10 s). */
  requestTimeoutMs?: number;
  /** Attempts before a check fails (default 3), `retryDelayMs` apart (default 2 s). */
  attempts?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const EXAMPLE = 'one check a line, `[METHOD] URL [expected status]`, e.g. `GET https://api.example.com/health 200` or `https://api.example.com/api/v1/users 2xx`';

/**
 * The lines of `verify-urls` (empty lines and `#` comments skipped); a bad line is an InputError naming
 * it. A path (`/api/v1/users`) is resolved against `base` (the health URL), so a template can name the
 * runbook's key endpoints once for every environment.
 */
export function parseVerifyChecks(lines: string[], input = 'verify-urls', base?: string): VerifyCheck[] {
  return lines
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => parseLine(line, input, base));
}

function parseLine(line: string, input: string, base?: string): VerifyCheck {
  const words = line.split(/\s+/);
  const method = METHODS.has(words[0].toUpperCase()) && words.length > 1 ? words.shift()!.toUpperCase() : 'GET';
  const given = words.shift()!;
  const bad = (problem: string) => new InputError(input, `has the line '${line}', ${problem}`, EXAMPLE);
  if (given.startsWith('/') && !base) throw bad(`a path with no health-url to resolve it against (set health-url, or give a full URL)`);
  const raw = given.startsWith('/') ? new URL(given, base).toString() : given;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad(`where '${raw}' is not a URL${/^[A-Z]+$/i.test(raw) ? ' (or not a method: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)' : ''}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad(`whose URL uses ${url.protocol}`);
  let expected: VerifyCheck['expected'] = { class: 2 };
  const status = words.shift();
  if (status !== undefined) {
    if (/^[1-5]\d\d$/.test(status)) expected = { code: Number(status) };
    else if (/^[1-5]xx$/i.test(status)) expected = { class: Number(status[0]) };
    else throw bad(`where '${status}' is not a status (100-599, or a class such as 2xx)`);
  }
  if (words.length) throw bad(`with '${words.join(' ')}' left over`);
  return { method, url: raw, expected };
}

function formatExpected(expected: VerifyCheck['expected']): string {
  return 'code' in expected ? String(expected.code) : `${expected.class}xx`;
}

/** The URL as it may be shown: no user or password, query values as `***`. */
export function displayUrl(raw: string): string {
  const url = new URL(raw);
  url.username = '';
  url.password = '';
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '***');
  return url.toString().replace(/%2A%2A%2A/g, '***');
}

/** A check that expects a 3xx sees the redirect itself; any other follows it. */
function expectsRedirect(expected: VerifyCheck['expected']): boolean {
  return 'code' in expected ? Math.floor(expected.code / 100) === 3 : expected.class === 3;
}

function answers(expected: VerifyCheck['expected'], status: number): boolean {
  return 'code' in expected ? status === expected.code : Math.floor(status / 100) === expected.class;
}

/** Each check in turn, each asked up to `attempts` times; all are asked even when one fails. */
export async function runChecks(checks: VerifyCheck[], phase: CheckPhase, options: CheckOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(check, phase, options));
  return results;
}

async function runCheck(check: VerifyCheck, phase: CheckPhase, options: CheckOptions): Promise<CheckResult> {
  const attempts = options.attempts ?? 3;
  let answer = '';
  for (let attempt = 1; ; attempt++) {
    answer = await ask(check, options);
    const ok = /^\d+$/.test(answer) && answers(check.expected, Number(answer));
    if (ok || attempt >= attempts) {
      return { phase, method: check.method, url: displayUrl(check.url), expected: formatExpected(check.expected), answer, ok, attempts: attempt };
    }
    await options.clock.sleep(options.retryDelayMs ?? 2000, options.signal);
  }
}

/** One request: its status as text, or the network error's code; the deadline is on the injected clock. */
async function ask(check: VerifyCheck, options: CheckOptions): Promise<string> {
  const request = new AbortController();
  const timer = new AbortController();
  const onAbort = () => request.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  options.clock.sleep(options.requestTimeoutMs ?? 10_000, timer.signal).then(
    () => request.abort(new DOMException('The request timed out.', 'TimeoutError')),
    () => undefined,
  );
  try {
    const response = await (options.fetch ?? fetch)(check.url, { method: check.method, signal: request.signal, redirect: expectsRedirect(check.expected) ? 'manual' : 'follow' });
    await response.body?.cancel().catch(() => undefined);
    return String(response.status);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).name ?? 'error';
  } finally {
    timer.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

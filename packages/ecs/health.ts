/**
 * The runbook's last check: the app answers. Polls a URL until it returns 2xx. The budget is hard:
 * each request gets at most `requestTimeoutMs` and never more than the time left, timed on the
 * injected clock, so a hanging load balancer cannot overrun it. A certificate Node does not trust is
 * not retried (no retry can fix it): the step fails at once with the reason and the fix. Only the
 * status is reported, never the body.
 */
import { ActionError, pollUntil, PollTimeoutError, type Clock, type Logger } from '../action-kit';
import { formatElapsed } from './context';

export interface HealthOptions {
  url: string;
  clock: Clock;
  log: Logger;
  intervalMs: number;
  timeoutMs: number;
  /** Per request (default 10 s). */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface HealthResult {
  status: number;
  attempts: number;
  elapsedMs: number;
}

export async function waitForHealth(options: HealthOptions): Promise<HealthResult> {
  const { clock, log } = options;
  const doFetch = options.fetch ?? fetch;
  const start = clock.now();
  let last = '';
  let attempts = 0;
  try {
    return await pollUntil<HealthResult>({ clock, intervalMs: options.intervalMs, timeoutMs: options.timeoutMs, signal: options.signal }, async () => {
      const left = options.timeoutMs - (clock.now() - start);
      if (left <= 0) return { done: false as const };
      attempts++;
      const request = new AbortController();
      const timer = new AbortController();
      const onAbort = () => request.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      // The request's own deadline on the injected clock: the time left, at most requestTimeoutMs.
      clock.sleep(Math.min(options.requestTimeoutMs ?? 10_000, left), timer.signal).then(
        () => request.abort(new DOMException('The request timed out.', 'TimeoutError')),
        () => undefined,
      );
      let outcome: string;
      try {
        const response = await doFetch(options.url, { signal: request.signal, redirect: 'follow' });
        await response.body?.cancel().catch(() => undefined);
        if (response.status >= 200 && response.status < 300) {
          log.info(`[${formatElapsed(clock.now() - start)}] health: ${options.url} answered ${response.status}`);
          return { done: true as const, value: { status: response.status, attempts, elapsedMs: clock.now() - start } };
        }
        outcome = `HTTP ${response.status}`;
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const certificate = certificateError(options.url, cause);
        if (certificate) throw certificate;
        outcome = unreachable(error);
      } finally {
        timer.abort();
        options.signal?.removeEventListener('abort', onAbort);
      }
      if (outcome !== last) log.info(`[${formatElapsed(clock.now() - start)}] health: ${options.url} -> ${outcome}`);
      last = outcome;
      return { done: false as const };
    });
  } catch (error) {
    if (error instanceof PollTimeoutError) {
      throw new ActionError(`Health check failed: ${options.url} did not answer 2xx within ${Math.round(options.timeoutMs / 1000)}s (last: ${last || 'no answer'}, ${attempts} attempt${attempts === 1 ? '' : 's'}).`);
    }
    throw error;
  }
}

/**
 * Why a request got no answer, by its cause (`connect ECONNREFUSED 127.0.0.1:8080`, `getaddrinfo
 * ENOTFOUND api.example.com`, `bad port`), never fetch's bare `TypeError: fetch failed`.
 */
function unreachable(error: unknown): string {
  type Cause = { code?: string; message?: string; errors?: Cause[] };
  const cause = (error as { cause?: Cause }).cause;
  const inner = cause?.message || cause?.code ? cause : cause?.errors?.find((e) => e.message || e.code);
  if (inner) return inner.message || inner.code || 'no answer';
  // Our own deadline (TimeoutError) and other causeless errors: by name, unless it is fetch's generic TypeError.
  const { name, message } = error as Error;
  return (name && name !== 'TypeError' ? name : message) || 'no answer';
}

/** TLS verification failures that a retry cannot fix, with what does fix them. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

function certificateError(url: string, cause: { code?: string; message?: string } | undefined): ActionError | undefined {
  const code = cause?.code;
  if (!code) return undefined;
  const reason = `${code}${cause.message ? `: ${cause.message}` : ''}`;
  let fix: string;
  if (UNTRUSTED.has(code)) {
    fix = `If it is signed by your own CA, give Node that CA: set NODE_EXTRA_CA_CERTS to a PEM file with it in this step's env (e.g. env: NODE_EXTRA_CA_CERTS: \${{ github.workspace }}/ca.pem); otherwise serve a certificate from a public CA.`;
  } else if (EXPIRED.has(code)) {
    fix = 'Renew the certificate (or fix the clock of the host that serves it).';
  } else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    fix = "Use the host name the certificate is issued for in health-url, or add the URL's host to the certificate's subject alternative names.";
  } else {
    return undefined;
  }
  return new ActionError(`Health check failed: ${url} presented a certificate Node does not trust (${reason}); retrying cannot fix that. ${fix}`);
}

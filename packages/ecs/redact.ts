/**
 * A log line as it may be shown in a job log, an error and a summary: what looks like a secret
 * replaced by `***` (values of password/secret/token/key fields, bearer and basic credentials, URL
 * credentials, AWS access key ids, JWTs), control characters dropped, and cut to `max` characters.
 */
const SECRET_FIELD = /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|credential|authorization)[A-Za-z0-9_.-]*)(["']?\s*[:=]\s*["']?)([^\s"',;&]+)/gi;
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+:[^\s/@]+@/gi;
const AWS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;

const REDACTED_LINE_MAX = 200;

export function redactLine(line: string, max = REDACTED_LINE_MAX): string {
  const redacted = line
    .replace(/\r?\n/g, ' ')
    .split('')
    .filter((char) => char.charCodeAt(0) >= 32 && char.charCodeAt(0) !== 127)
    .join('')
    .replace(URL_CREDENTIALS, '$1***@')
    .replace(BEARER, '$1 ***')
    .replace(SECRET_FIELD, '$1$2***')
    .replace(AWS_KEY_ID, '***')
    .replace(JWT, '***')
    .trim();
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}

/**
 * The shapes every handler speaks: a reply (status, JSON body, extra headers) and HttpError, which
 * handlers throw to answer with GitHub's error bodies. Keeping these in one place means every error
 * the simulator sends looks like the ones Octokit's RequestError is built from.
 */

export const DOCS = 'https://docs.github.com/rest';

export interface Reply {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON (artifact zips); set content-type in headers. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

/** One entry of a 422's `errors` array, as GitHub writes them. */
export interface ValidationError {
  resource: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  field?: string;
  message?: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toReply(): Reply {
    return { status: this.status, body: { message: this.message, ...this.extra, documentation_url: DOCS }, headers: this.headers };
  }
}

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): Reply => ({ status, body, headers });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

export const notFound = (message = 'Not Found'): HttpError => new HttpError(404, message);

/** 422 Validation Failed with GitHub's `errors` array. */
export const validationFailed = (...errors: ValidationError[]): HttpError => new HttpError(422, 'Validation Failed', { errors });

/** 422 with a plain message (git refs answer this way: 'Reference already exists'). */
export const unprocessable = (message: string): HttpError => new HttpError(422, message);

/** GitHub timestamps: ISO 8601 in UTC, without milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Reads a required string field of a JSON body, answering 422 as GitHub does when it is missing. */
export function requireString(body: Record<string, unknown>, field: string, resource: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw validationFailed({ resource, code: 'missing_field', field });
  return value;
}

export function optionalString(body: Record<string, unknown>, field: string, resource: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationFailed({ resource, code: 'invalid', field });
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, field: string, resource: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationFailed({ resource, code: 'invalid', field });
  return value;
}

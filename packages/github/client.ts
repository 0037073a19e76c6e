/**
 * The GitHub client every action uses: Octokit (via @actions/github, so GITHUB_API_URL and the
 * runner's proxy settings are honoured) with the retry and throttling plugins, which wait out
 * rate limits (403/429 with retry-after or x-ratelimit-reset) and retry 5xx answers.
 *
 * Its waits are GitHub's recommendations by default: writes at least 1 s apart, retries after 1 s, 4 s,
 * 9 s. Tests against a simulator on loopback set them to zero, through the options or, for a bundle run
 * as a child process, the environment (honoured only when the API is on this machine, so a runner's
 * environment can never make the actions hammer github.com).
 */
import { getOctokit } from '@actions/github';
import Bottleneck from 'bottleneck/light.js';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import * as core from '@actions/core';
import { actionsLogger, type Logger } from '../action-kit';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  /** REST base URL; default GITHUB_API_URL, then https://api.github.com. */
  baseUrl?: string;
  /** How many times a rate-limited request is retried before it fails. */
  rateLimitRetries?: number;
  /** Retries for 5xx and network errors (plugin-retry). */
  retries?: number;
  env?: NodeJS.ProcessEnv;
  /** Where rate-limit waits are reported; default the job log. */
  log?: Logger;
  /**
   * Least time between two mutating requests, in ms (default 1000, GitHub's recommendation for
   * integrators: "make requests serially, wait at least one second between each" write; three times
   * that for writes that notify people, as plugin-throttling does).
   */
  writeSpacingMs?: number;
  /**
   * The unit of every retry wait, in ms (default 1000, as the plugins and @actions/toolkit's `delay`):
   * retry n of a 5xx waits n² units, a rate limit its retry-after in units.
   */
  retryBaseMs?: number;
}

/** Variables a test sets for a bundle it runs against a simulator on loopback (ignored for any other API). */
export const LOOPBACK_WAIT_VARS = { writeSpacingMs: 'CONNECT2_GITHUB_WRITE_SPACING_MS', retryBaseMs: 'CONNECT2_GITHUB_RETRY_BASE_MS' } as const;

/** The waits the environment asks for, when the API is on this machine; none otherwise. */
export function loopbackWaits(baseUrl: string, env: NodeJS.ProcessEnv): Pick<GitHubClientOptions, 'writeSpacingMs' | 'retryBaseMs'> {
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    return {};
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return {};
  const read = (name: string) => {
    const value = env[name];
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  return { writeSpacingMs: read(LOOPBACK_WAIT_VARS.writeSpacingMs), retryBaseMs: read(LOOPBACK_WAIT_VARS.retryBaseMs) };
}

export function createGitHubClient(token: string, options: GitHubClientOptions = {}): GitHubClient {
  const env = options.env ?? process.env;
  const baseUrl = options.baseUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com';
  const fromEnv = loopbackWaits(baseUrl, env);
  const writeSpacingMs = options.writeSpacingMs ?? fromEnv.writeSpacingMs;
  const retryBaseMs = options.retryBaseMs ?? fromEnv.retryBaseMs ?? 1000;
  const rateLimitRetries = options.rateLimitRetries ?? 3;
  const log = options.log ?? actionsLogger();
  // The token is a secret of the job: the runner masks it in every later log line.
  core.setSecret(token);
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const again = retryCount < rateLimitRetries;
    log.warning(`GitHub ${kind} rate limit on ${request.method} ${request.url}; ${again ? `retrying in ${retryAfter}s` : 'giving up'}.`);
    return again;
  };
  return getOctokit(
    token,
    {
      baseUrl,
      // `retry.retries`, not `request.retries`: the latter makes plugin-retry resend every failed
      // request, 4xx included (a 422 POST would be sent four times), and hides rate limits from the
      // throttling plugin.
      retry: { retries: options.retries ?? 3, retryAfterBaseValue: retryBaseMs },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        retryAfterBaseValue: retryBaseMs,
        // Without a spacing of its own, the plugin's process-wide queues: writes 1 s apart, and 3 s for
        // those that notify people (a comment, a pull request), the same ratio kept here.
        ...(writeSpacingMs === undefined ? {} : spacedWrites(writeSpacingMs)),
      },
    },
    retry,
    throttling,
  );
}

function spacedWrites(writeSpacingMs: number) {
  return {
    write: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeSpacingMs }),
    notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * writeSpacingMs }),
  };
}

/** The GraphQL endpoint: GITHUB_GRAPHQL_URL as the runner sets it (GHES differs from REST + /graphql). */
export function graphqlUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_GRAPHQL_URL) return env.GITHUB_GRAPHQL_URL;
  return `${(env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '')}/graphql`;
}

/** HTTP status of an Octokit RequestError, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The GitHub client every action uses: Octokit (via @actions/github, so GITHUB_API_URL and the
 * runner's proxy settings are honoured) with the retry and throttling plugins, which wait out
 * rate limits (403/429 with retry-after or x-ratelimit-reset) and retry 5xx answers.
 */
import { getOctokit } from '@actions/github';
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
}

export function createGitHubClient(token: string, options: GitHubClientOptions = {}): GitHubClient {
  const env = options.env ?? process.env;
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
      baseUrl: options.baseUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com',
      // `retry.retries`, not `request.retries`: the latter makes plugin-retry resend every failed
      // request, 4xx included (a 422 POST would be sent four times), and hides rate limits from the
      // throttling plugin.
      retry: { retries: options.retries ?? 3 },
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    },
    retry,
    throttling,
  );
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

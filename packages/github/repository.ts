/** Where the workflow runs: owner/repo and the pull request, from the runner's environment and event. */
import { readFileSync } from 'node:fs';
import { ActionError } from '../action-kit';

export interface RepositoryRef {
  owner: string;
  repo: string;
}

export function currentRepository(env: NodeJS.ProcessEnv = process.env): RepositoryRef {
  const full = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo] = full.split('/');
  if (!owner || !repo) throw new ActionError(`GITHUB_REPOSITORY is '${full}', expected 'owner/repo' as the runner sets it.`);
  return { owner, repo };
}

/** The webhook payload of the event that started the workflow ({} when there is none). */
export function readEvent(env: NodeJS.ProcessEnv = process.env): Record<string, any> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  } catch (error) {
    throw new ActionError(`GITHUB_EVENT_PATH '${file}' could not be read as JSON.`, { cause: error });
  }
}

/** A URL to this workflow run, for comments and summaries. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

/**
 * Credentials for `git fetch` when the checkout kept none. The templates check out with
 * `persist-credentials: false`, so fetching more history from a private repository needs the token.
 * It is passed per command (`-c http.<server>/.extraheader`, the header actions/checkout would have
 * written), never stored in .git/config, and not added when the checkout persisted its own (two
 * Authorization headers make GitHub refuse the fetch).
 */
import * as core from '@actions/core';
import { git } from './git-command';

export interface FetchAuth {
  /** GITHUB_SERVER_URL, e.g. https://github.com. */
  serverUrl: string;
  token: string;
}

/** `-c` arguments that authenticate fetches from the server, or none. */
export async function fetchAuthArgs(cwd: string, auth: FetchAuth | undefined): Promise<string[]> {
  if (!auth?.token || !/^https?:\/\//.test(auth.serverUrl)) return [];
  const key = `http.${auth.serverUrl.replace(/\/+$/, '')}/.extraheader`;
  const existing = await git(cwd, ['config', '--get-all', key], { allowFailure: true });
  if (existing.exitCode === 0 && existing.stdout.trim() !== '') return [];
  const basic = Buffer.from(`x-access-token:${auth.token}`).toString('base64');
  core.setSecret(basic);
  return ['-c', `${key}=AUTHORIZATION: basic ${basic}`];
}

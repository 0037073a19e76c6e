/**
 * The changed-file list in process, against the GitHub simulator: when the API's list is trusted,
 * when git takes over, and what GitHub's refusals become.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionError, silentLogger } from '../../packages/action-kit';
import { createGitHubClient, pullRequestFiles, type GitHubClient } from '../../packages/github';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';
import { removeTempDirs, tempDir } from './git-fixtures';

const REPO = 'connect2/connect2-api';
let gh: GitHubSimulator;
let client: GitHubClient;
const noCheckout = { cwd: tempDir('classify-files-'), log: silentLogger };

beforeEach(async () => {
  gh = await startGitHubSimulator();
  client = createGitHubClient(gh.token, { baseUrl: gh.url, retries: 0, rateLimitRetries: 0 });
});
afterEach(async () => {
  await gh.close();
});
afterAll(removeTempDirs);

const seed = (count: number) => gh.seed.pull(REPO, { head: 'feature/x', base: 'development', headSha: 'a'.repeat(40), baseSha: 'b'.repeat(40), files: Array.from({ length: count }, (_, i) => `app/m${i}.py`) });
const ref = (number: number, changedFiles?: number) => ({ owner: 'connect2', repo: 'connect2-api', number, changedFiles, baseSha: 'b'.repeat(40), headSha: 'a'.repeat(40) });

describe('pullRequestFiles', () => {
  it('reads changed_files from the pull when the event has none, 100 files a page', async () => {
    const number = seed(250);
    const result = await pullRequestFiles(client, ref(number), noCheckout);
    expect(result).toMatchObject({ source: 'api', description: 'pulls API (250 files)' });
    expect(result.files).toHaveLength(250);
    expect(gh.calls('GET', `/repos/${REPO}/pulls/${number}/files`)).toHaveLength(3);
  });

  it('trusts a list longer than the event said (a push landed since)', async () => {
    const number = seed(12);
    expect((await pullRequestFiles(client, ref(number, 10), noCheckout)).files).toHaveLength(12);
  });

  it('at exactly the cap asks the pull, and goes to git when it now holds more', async () => {
    const number = seed(3001);
    const failure = pullRequestFiles(client, ref(number, 3000), noCheckout);
    await expect(failure).rejects.toThrow(ActionError);
    await expect(pullRequestFiles(client, ref(number, 3000), noCheckout)).rejects.toThrow(/^The PR's file list is incomplete: it changes 3001 files, the pulls API lists at most 3000 files, and git could not list them/);
  });

  it('a short list without a checkout is an incomplete list, never a pass', async () => {
    const number = seed(5);
    await expect(pullRequestFiles(client, ref(number, 7), noCheckout)).rejects.toThrow(/incomplete: it changes 7 files, the pulls API listed 5 of 7 files/);
  });

  it("says what GitHub answered when the list can't be read", async () => {
    await expect(pullRequestFiles(client, ref(404, 1), noCheckout)).rejects.toThrow(/^Could not list the files of pull request #404 in connect2\/connect2-api: GitHub answered HTTP 404/);
    const number = seed(1);
    const stranger = createGitHubClient('ghs_wrong', { baseUrl: gh.url, retries: 0 });
    await expect(pullRequestFiles(stranger, ref(number, 1), noCheckout)).rejects.toThrow(/GitHub answered HTTP 401/);
    gh.faults.serverError({ count: 1 });
    await expect(pullRequestFiles(client, ref(number, 1), noCheckout)).rejects.toThrow(/GitHub answered HTTP 5\d\d/);
  });
});

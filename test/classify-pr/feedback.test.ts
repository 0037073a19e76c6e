/** Labels and the sticky comment in process, against the GitHub simulator: refusals and failures. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileGlobs, classifyChanges, applyLabels, updateComment, DEFAULT_INFRASTRUCTURE_PATHS, type PullTarget } from '../../packages/classify';
import { recordingLogger } from '../../packages/action-kit';
import { createGitHubClient } from '../../packages/github';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

const REPO = 'connect2/connect2-api';
const NAMES = { infrastructure: 'infrastructure', application: 'application', mixed: 'mixed-changes' };
const rules = { infrastructure: compileGlobs('infrastructure-paths', DEFAULT_INFRASTRUCTURE_PATHS), ignore: compileGlobs('ignore-paths', []) };
const mixed = classifyChanges([{ path: 'app/main.py' }, { path: 'infrastructure/main.tf' }], rules);
const context = { head: 'feature/x', base: 'development', infrastructureGlobs: DEFAULT_INFRASTRUCTURE_PATHS };

let gh: GitHubSimulator;
let number: number;
let log = recordingLogger();
const target = (token: string): PullTarget => ({ client: createGitHubClient(token, { baseUrl: gh.url, retries: 0 }), owner: 'connect2', repo: 'connect2-api', number, log });

beforeEach(async () => {
  log = recordingLogger();
  gh = await startGitHubSimulator();
  number = gh.seed.pull(REPO, { head: 'feature/x', base: 'development', files: ['app/main.py', 'infrastructure/main.tf'] });
});
afterEach(async () => {
  await gh.close();
});

describe('labels and comment', () => {
  it('a read-only token: nothing changes, the line says why', async () => {
    const labels = await applyLabels(target(gh.readOnlyToken), mixed, NAMES);
    const comment = await updateComment(target(gh.readOnlyToken), mixed, context);
    expect(labels).toMatch(/^not set: Could not label the PR 'mixed-changes': the token has no write access .*HTTP 403/);
    expect(comment).toMatch(/^not posted: Could not comment on the PR: .*The check still decided: mixed\.$/);
    expect(gh.state.labels(REPO, number)).toEqual([]);
    expect(gh.state.comments(REPO, number)).toEqual([]);
    // Each refusal is also a warning annotation, not an error.
    expect(log.lines.map((line) => line.level)).toEqual(['warning', 'warning']);
  });

  it('a server error that outlasts the retries fails with what could not be done', async () => {
    gh.faults.serverError({ path: /\/labels/ });
    await expect(applyLabels(target(gh.token), mixed, NAMES)).rejects.toThrow(/^Could not read the labels of PR #1: GitHub answered HTTP 5\d\d/);
    gh.faults.clear();
    gh.faults.serverError({ path: /\/comments/ });
    await expect(updateComment(target(gh.token), mixed, context)).rejects.toThrow(/^Could not comment on PR #1: GitHub answered HTTP 5\d\d/);
  });

  it('says what it did', async () => {
    gh.seed.labels(REPO, number, ['application']);
    expect(await applyLabels(target(gh.token), mixed, NAMES)).toBe("added 'mixed-changes', removed 'application'");
    expect(await applyLabels(target(gh.token), mixed, NAMES)).toBe("unchanged ('mixed-changes')");
    expect(await updateComment(target(gh.token), mixed, context)).toMatch(/^created: https:\/\/github.com\/connect2\/connect2-api\/pull\/1#issuecomment-\d+$/);
    expect(await updateComment(target(gh.token), mixed, context)).toMatch(/^unchanged: /);
  });
});

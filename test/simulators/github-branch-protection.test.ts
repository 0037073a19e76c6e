/**
 * Branch protection on merge, through Octokit against the GitHub simulator: a protected base refuses
 * `PUT /pulls/{n}/merge` with GitHub's 405 and its message while a required check is missing or
 * failing, while approving reviews are missing, or while the head is behind the base ("require
 * branches to be up to date"); nothing moves until the rule is met.
 */
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;

let gh: GitHubSimulator;
const as = (login: string) => getOctokit(gh.tokens.issue({ kind: 'user', login, permissions: 'all' }), { baseUrl: gh.url });
const admin = () => as('platform-admin');

beforeEach(async () => {
  gh = await startGitHubSimulator();
  gh.seed.commit(full, { message: 'chore: init', branch: 'main' });
  gh.seed.branch(full, 'development', gh.state.refs(full)['refs/heads/main']!);
});

afterEach(async () => {
  await gh.close();
});

const refusal = (promise: Promise<unknown>) => promise.then(() => 'merged', (error: { status: number; message: string }) => `${error.status} ${error.message.replace(/ - https:\/\/docs\.github\.com\S*$/, '')}`);
const mergeAs = (login: string, number: number) => refusal(as(login).rest.pulls.merge({ owner, repo, pull_number: number }));

function openPull(user = 'alice'): { number: number; head: string } {
  const number = gh.seed.pull(full, { head: `feature/${Math.random().toString(36).slice(2, 8)}`, base: 'development', user, files: ['app/users.py'] });
  return { number, head: gh.state.pull(full, number).head.sha as string };
}

describe('branch protection', () => {
  it('is set, read and removed through the REST API (administration permission)', async () => {
    const { data } = await admin().rest.repos.updateBranchProtection({
      owner,
      repo,
      branch: 'development',
      required_status_checks: { strict: true, contexts: ['Lint', 'Tests'] },
      enforce_admins: null,
      required_pull_request_reviews: { required_approving_review_count: 1 },
      restrictions: null,
    });
    expect(data).toMatchObject({ required_status_checks: { strict: true, contexts: ['Lint', 'Tests'] }, required_pull_request_reviews: { required_approving_review_count: 1 } });
    expect((await admin().rest.repos.getBranchProtection({ owner, repo, branch: 'development' })).data.required_status_checks?.contexts).toEqual(['Lint', 'Tests']);
    const job = getOctokit(gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { contents: 'write' } }), { baseUrl: gh.url });
    expect(await refusal(job.rest.repos.getBranchProtection({ owner, repo, branch: 'development' }))).toBe('403 Resource not accessible by integration');
    await admin().rest.repos.deleteBranchProtection({ owner, repo, branch: 'development' });
    expect(await refusal(admin().rest.repos.getBranchProtection({ owner, repo, branch: 'main' }))).toBe('404 Branch not protected');
  });

  it('refuses a merge while a required check is missing or failing, and merges once it passes', async () => {
    gh.seed.branchProtection(full, 'development', { requiredChecks: ['Lint', 'Migration round trip'] });
    const pull = openPull();
    const base = gh.state.refs(full)['refs/heads/development'];
    expect(await mergeAs('bob', pull.number)).toBe('405 Required status check "Lint" is expected.');
    gh.seed.checkRun(full, { name: 'Lint', headSha: pull.head, conclusion: 'failure' });
    gh.seed.checkRun(full, { name: 'Migration round trip', headSha: pull.head, conclusion: 'skipped' });
    expect(await mergeAs('bob', pull.number)).toBe('405 Required status check "Lint" is failing.');
    gh.seed.checkRun(full, { name: 'Lint', headSha: pull.head, status: 'in_progress' });
    expect(await mergeAs('bob', pull.number)).toBe('405 Required status check "Lint" is in progress.');
    expect(gh.state.refs(full)['refs/heads/development']).toBe(base);
    expect(gh.state.pull(full, pull.number)).toMatchObject({ state: 'open', merged: false });
    gh.seed.checkRun(full, { name: 'Lint', headSha: pull.head, conclusion: 'success' });
    expect(await mergeAs('bob', pull.number)).toBe('merged');
  });

  it('needs approving reviews from someone other than the author; the newest review of each reviewer counts', async () => {
    gh.seed.branchProtection(full, 'development', { requiredApprovingReviews: 1 });
    const pull = openPull('alice');
    expect(await mergeAs('alice', pull.number)).toBe('405 At least 1 approving review is required by reviewers with write access.');
    expect(await refusal(as('alice').rest.pulls.createReview({ owner, repo, pull_number: pull.number, event: 'APPROVE' }))).toMatch(/^422 /);
    await as('carol').rest.pulls.createReview({ owner, repo, pull_number: pull.number, event: 'APPROVE' });
    await as('carol').rest.pulls.createReview({ owner, repo, pull_number: pull.number, event: 'REQUEST_CHANGES', body: 'not yet' });
    await as('dave').rest.pulls.createReview({ owner, repo, pull_number: pull.number, event: 'COMMENT', body: 'looks fine' });
    expect(await mergeAs('alice', pull.number)).toBe('405 At least 1 approving review is required by reviewers with write access.');
    await as('carol').rest.pulls.createReview({ owner, repo, pull_number: pull.number, event: 'APPROVE' });
    expect((await as('alice').rest.pulls.listReviews({ owner, repo, pull_number: pull.number })).data.map((review) => [review.user?.login, review.state])).toEqual([
      ['carol', 'APPROVED'],
      ['carol', 'CHANGES_REQUESTED'],
      ['dave', 'COMMENTED'],
      ['carol', 'APPROVED'],
    ]);
    expect(await mergeAs('alice', pull.number)).toBe('merged');
  });

  it('"require branches to be up to date": a head behind its base is refused until it contains the base tip', async () => {
    gh.seed.branchProtection(full, 'development', { strict: true });
    const pull = openPull();
    gh.seed.commit(full, { message: 'feat: someone else first', branch: 'development' });
    expect(await mergeAs('bob', pull.number)).toBe('405 Head branch is out of date. Review and try the merge again.');
    const head = gh.state.pull(full, pull.number).head.ref as string;
    const updated = gh.seed.commit(full, { message: 'Merge development', parents: [pull.head, gh.state.refs(full)['refs/heads/development']!] });
    await admin().rest.git.updateRef({ owner, repo, ref: `heads/${head}`, sha: updated });
    expect(await mergeAs('bob', pull.number)).toBe('merged');
  });
});

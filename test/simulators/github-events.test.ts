/**
 * pull_request and push events from the REST API (no git): opened, edited (with the old base/title),
 * closed, reopened, merge (push then closed), API ref writes, seed.branch moving a pull's head
 * (synchronize); and the webhook-shaped state.pull / state.repository.
 */
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator, type RepoEvent } from '../../packages/simulators/github';

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;

let gh: GitHubSimulator;
let events: RepoEvent[];
let stop: () => void;

beforeEach(async () => {
  gh = await startGitHubSimulator();
  const root = gh.seed.commit(full, { message: 'init', branch: 'main' });
  gh.seed.branch(full, 'development', root);
  gh.seed.commit(full, { message: 'feat: x', branch: 'feature/x', parents: [root], files: ['x.py'] });
  events = [];
  stop = gh.onEvent((event) => events.push(event));
});

afterEach(async () => {
  await gh.close();
});

describe('events', () => {
  it('opened, edited (base change with its old ref), closed, reopened, each with the token grant', async () => {
    const token = gh.tokens.issue({ kind: 'app', login: 'promoter[bot]', permissions: { 'pull-requests': 'write' } });
    const octokit = getOctokit(token, { baseUrl: gh.url });
    const grant = gh.tokens.grantOf(token);
    const { data: pull } = await octokit.rest.pulls.create({ owner, repo, head: 'feature/x', base: 'main', title: 'feat: x' });
    await octokit.rest.pulls.update({ owner, repo, pull_number: pull.number, base: 'development', title: 'feat: x!' });
    await octokit.rest.pulls.update({ owner, repo, pull_number: pull.number, state: 'closed' });
    await octokit.rest.pulls.update({ owner, repo, pull_number: pull.number, state: 'open' });
    expect(events).toEqual([
      { name: 'pull_request', action: 'opened', repo: full, number: pull.number, author: grant },
      {
        name: 'pull_request',
        action: 'edited',
        repo: full,
        number: pull.number,
        author: grant,
        changes: { base: { ref: { from: 'main' }, sha: { from: expect.any(String) } }, title: { from: 'feat: x' } },
      },
      { name: 'pull_request', action: 'closed', repo: full, number: pull.number, author: grant },
      { name: 'pull_request', action: 'reopened', repo: full, number: pull.number, author: grant },
    ]);
    expect(gh.state.pull(full, pull.number)).toMatchObject({ number: pull.number, title: 'feat: x!', state: 'open', base: { ref: 'development' }, head: { ref: 'feature/x', repo: { full_name: full } }, user: { login: 'promoter[bot]' }, changed_files: 1, commits: 1 });
  });

  it('labels on a pull: labeled/unlabeled per label actually added or removed (not for an issue, not for a label it had)', async () => {
    const token = gh.tokens.issue({ kind: 'user', login: 'erin', permissions: 'all' });
    const octokit = getOctokit(token, { baseUrl: gh.url });
    const grant = gh.tokens.grantOf(token);
    const number = gh.seed.pull(full, { head: 'feature/x', base: 'main', labels: ['application'] });
    const issue = gh.seed.issue(full, { title: 'a bug' });
    events.length = 0;
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: number, labels: ['breaking-change', 'Application'] });
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: issue, labels: ['bug'] });
    await octokit.rest.issues.removeLabel({ owner, repo, issue_number: number, name: 'breaking-change' });
    await octokit.rest.issues.setLabels({ owner, repo, issue_number: number, labels: ['docs'] });
    await octokit.rest.issues.removeAllLabels({ owner, repo, issue_number: number });
    const event = { name: 'pull_request', repo: full, number, author: grant };
    expect(events).toEqual([
      { ...event, action: 'labeled', label: { name: 'breaking-change' } },
      { ...event, action: 'unlabeled', label: { name: 'breaking-change' } },
      { ...event, action: 'unlabeled', label: { name: 'application' } },
      { ...event, action: 'labeled', label: { name: 'docs' } },
      { ...event, action: 'unlabeled', label: { name: 'docs' } },
    ]);
    expect((gh.state.pull(full, number).labels as { name: string }[]).map((l) => l.name)).toEqual([]);
  });

  it('a merge emits push on the base branch, then closed; unsubscribing stops delivery', async () => {
    const number = gh.seed.pull(full, { head: 'feature/x', base: 'main' });
    events.length = 0;
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const before = gh.state.refs(full)['refs/heads/main'];
    const { data } = await octokit.rest.pulls.merge({ owner, repo, pull_number: number, merge_method: 'squash' });
    expect(events.map((event) => event.name)).toEqual(['push', 'pull_request']);
    expect(events[0]).toMatchObject({ ref: 'refs/heads/main', before, after: data.sha, forced: false, commits: [{ id: data.sha, message: `Merge feature/x into main (#${number})` }] });
    expect(events[1]).toMatchObject({ action: 'closed', number });
    expect(gh.state.pull(full, number)).toMatchObject({ merged: true, merge_commit_sha: data.sha });
    stop();
    await octokit.rest.git.createRef({ owner, repo, ref: 'refs/tags/v1', sha: data.sha });
    expect(events).toHaveLength(2);
  });

  it('seed.branch moving an open pull head synchronizes it (no author), and API ref writes emit push', async () => {
    const number = gh.seed.pull(full, { head: 'feature/x', base: 'main' });
    const next = gh.seed.commit(full, { message: 'feat: y', parents: [gh.state.refs(full)['refs/heads/feature/x']!], files: ['y.py'] });
    events.length = 0;
    gh.seed.branch(full, 'feature/x', next);
    expect(events.map((event) => (event.name === 'push' ? event.name : event.action))).toEqual(['push', 'synchronize']);
    expect(events[1]).toEqual({ name: 'pull_request', action: 'synchronize', repo: full, number, before: expect.any(String), after: next });
    expect(gh.state.pull(full, number)).toMatchObject({ head: { sha: next }, changed_files: 2 });
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    await octokit.rest.git.updateRef({ owner, repo, ref: 'heads/development', sha: next });
    expect(events.at(-1)).toMatchObject({ name: 'push', ref: 'refs/heads/development', forced: false, commits: [{ message: 'feat: x' }, { message: 'feat: y', added: [], modified: ['y.py'] }] });
  });

  it('state.repository is the webhook repository object', () => {
    expect(gh.state.repository(full)).toMatchObject({ full_name: full, name: repo, default_branch: 'main', owner: { login: owner }, private: true });
  });
});

/**
 * Issue comments, labels and the GraphQL minimizeComment mutation through Octokit against the GitHub
 * simulator: the shapes sticky comments rely on (id, node_id, html_url, body), GitHub's 65,536
 * character limit, labels created on first use, and GraphQL validation and errors.
 */
import { GraphqlResponseError } from '@octokit/graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../packages/github';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

const owner = 'connect2';
const repo = 'connect2-api';
const full = `${owner}/${repo}`;

let gh: GitHubSimulator;
let octokit: GitHubClient;
let pull: number;

beforeEach(async () => {
  gh = await startGitHubSimulator();
  octokit = createGitHubClient(gh.token, { baseUrl: gh.url });
  pull = gh.seed.pull(full, { head: 'feature/users', base: 'development' });
});

afterEach(async () => {
  await gh.close();
});

async function graphqlError(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponseError<unknown>> {
  const error = await octokit.graphql({ query, ...variables, url: gh.graphqlUrl }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(GraphqlResponseError);
  return error as GraphqlResponseError<unknown>;
}

describe('issue comments', () => {
  it('creates, reads, edits and deletes a comment with the shapes Octokit users read', async () => {
    const { data: created, status } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull, body: '<!-- marker -->\nPlan: 1 to add' });
    expect(status).toBe(201);
    expect(created).toMatchObject({
      body: '<!-- marker -->\nPlan: 1 to add',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: `https://github.com/${full}/pull/${pull}#issuecomment-${created.id}`,
      url: `${gh.url}/repos/${full}/issues/comments/${created.id}`,
      issue_url: `${gh.url}/repos/${full}/issues/${pull}`,
    });
    expect(created.node_id).toMatch(/^IC_/);
    expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const { data: fetched } = await octokit.rest.issues.getComment({ owner, repo, comment_id: created.id });
    expect(fetched).toEqual(created);

    const { data: edited } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: created.id, body: 'Plan: no changes' });
    expect(edited).toMatchObject({ id: created.id, node_id: created.node_id, body: 'Plan: no changes' });
    expect(gh.state.comments(full, pull).map((comment) => comment.body)).toEqual(['Plan: no changes']);

    const removed = await octokit.rest.issues.deleteComment({ owner, repo, comment_id: created.id });
    expect(removed.status).toBe(204);
    const gone = await octokit.rest.issues.getComment({ owner, repo, comment_id: created.id }).catch((caught: unknown) => caught);
    expect(gone).toMatchObject({ status: 404 });
    expect(gh.state.comments(full, pull)).toEqual([]);
  });

  it('lists comments oldest first across pages', async () => {
    for (let i = 0; i < 120; i++) gh.seed.comment(full, pull, `comment ${i}`, { user: i % 2 ? 'alice' : undefined });
    gh.seed.comment(full, gh.seed.issue(full, { title: 'elsewhere' }), 'not on the pull');

    const first = await octokit.rest.issues.listComments({ owner, repo, issue_number: pull });
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toMatch(/page=4[^>]*>; rel="last"/);

    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pull, per_page: 100 });
    expect(all.map((comment) => comment.body)).toEqual(Array.from({ length: 120 }, (_, i) => `comment ${i}`));
    expect(all[1]?.user?.login).toBe('alice');
    expect(gh.calls('GET', `/repos/${full}/issues/${pull}/comments`)).toHaveLength(3);
  });

  it('refuses a body over 65,536 characters with 422 and accepts one of exactly that length', async () => {
    const error = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull, body: 'x'.repeat(65_537) }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
        },
      },
    });
    expect(gh.state.comments(full, pull)).toEqual([]);

    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull, body: 'y'.repeat(65_536) });
    expect(data.body).toHaveLength(65_536);
    const edit = await octokit.rest.issues.updateComment({ owner, repo, comment_id: data.id, body: 'z'.repeat(70_000) }).catch((caught: unknown) => caught);
    expect(edit).toMatchObject({ status: 422 });
    expect(gh.state.comments(full, pull)[0]?.body).toHaveLength(65_536);
  });

  it('answers 404 when commenting on a number that is neither an issue nor a pull', async () => {
    const error = await octokit.rest.issues.listComments({ owner, repo, issue_number: 999 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, response: { data: { message: 'Not Found' } } });
  });
});

describe('labels', () => {
  it('adds (creating repository labels), replaces and removes the labels of a pull', async () => {
    const { data: added } = await octokit.rest.issues.addLabels({ owner, repo, issue_number: pull, labels: ['type:application', 'needs-review'] });
    expect(added.map((label) => label.name)).toEqual(['type:application', 'needs-review']);
    expect(added[0]).toMatchObject({ color: 'ededed', default: false, url: `${gh.url}/repos/${full}/labels/type%3Aapplication` });
    expect(typeof added[0]?.id).toBe('number');

    const { data: set } = await octokit.rest.issues.setLabels({ owner, repo, issue_number: pull, labels: ['type:infrastructure'] });
    expect(set.map((label) => label.name)).toEqual(['type:infrastructure']);

    const { data: listed } = await octokit.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: pull });
    expect(listed.map((label) => label.name)).toEqual(['type:infrastructure']);
    const { data: repoLabels } = await octokit.rest.issues.listLabelsForRepo({ owner, repo });
    expect(repoLabels.map((label) => label.name).sort()).toEqual(['needs-review', 'type:application', 'type:infrastructure']);

    const { data: remaining } = await octokit.rest.issues.removeLabel({ owner, repo, issue_number: pull, name: 'type:infrastructure' });
    expect(remaining).toEqual([]);
    const absent = await octokit.rest.issues.removeLabel({ owner, repo, issue_number: pull, name: 'type:infrastructure' }).catch((caught: unknown) => caught);
    expect(absent).toMatchObject({ status: 404, response: { data: { message: 'Label does not exist' } } });
    expect(gh.state.labels(full, pull)).toEqual([]);
  });
});

describe('issues and repository labels', () => {
  it('reads a pull as an issue and closes it through the issues API', async () => {
    const { data: issue } = await octokit.rest.issues.get({ owner, repo, issue_number: pull });
    expect(issue).toMatchObject({ number: pull, state: 'open', html_url: `https://github.com/${full}/pull/${pull}`, pull_request: { url: `${gh.url}/repos/${full}/pulls/${pull}` } });
    const { data: closed } = await octokit.rest.issues.update({ owner, repo, issue_number: pull, state: 'closed' });
    expect(closed).toMatchObject({ state: 'closed', closed_at: expect.any(String) });
    expect(gh.state.pulls(full)[0]).toMatchObject({ number: pull, state: 'closed', merged: false });
  });

  it('creates, renames and deletes repository labels, following them onto issues', async () => {
    const { data: created } = await octokit.rest.issues.createLabel({ owner, repo, name: 'infra', color: 'B60205', description: 'Infrastructure change' });
    expect(created).toMatchObject({ name: 'infra', color: 'B60205', description: 'Infrastructure change' });
    const duplicate = await octokit.rest.issues.createLabel({ owner, repo, name: 'INFRA' }).catch((caught: unknown) => caught);
    expect(duplicate).toMatchObject({ status: 422, response: { data: { errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] } } });

    gh.seed.labels(full, pull, ['infra']);
    const { data: renamed } = await octokit.rest.issues.updateLabel({ owner, repo, name: 'infra', new_name: 'type:infrastructure' });
    expect(renamed).toMatchObject({ id: created.id, name: 'type:infrastructure', color: 'B60205' });
    expect(gh.state.labels(full, pull)).toEqual(['type:infrastructure']);
    const { data: fetched } = await octokit.rest.issues.getLabel({ owner, repo, name: 'type:infrastructure' });
    expect(fetched.id).toBe(created.id);

    await octokit.rest.issues.deleteLabel({ owner, repo, name: 'type:infrastructure' });
    expect(gh.state.labels(full, pull)).toEqual([]);
    const gone = await octokit.rest.issues.getLabel({ owner, repo, name: 'type:infrastructure' }).catch((caught: unknown) => caught);
    expect(gone).toMatchObject({ status: 404 });
  });
});

describe('GraphQL', () => {
  const minimize = `mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized minimizedReason } } }`;

  it('minimizes a comment by node id', async () => {
    const old = gh.seed.comment(full, pull, 'old plan');
    const kept = gh.seed.comment(full, pull, 'new plan');
    const result = await octokit.graphql({ query: minimize, id: old.nodeId, url: gh.graphqlUrl });
    expect(result).toEqual({ minimizeComment: { minimizedComment: { isMinimized: true, minimizedReason: 'outdated' } } });
    expect(gh.state.comments(full, pull)).toEqual([
      expect.objectContaining({ id: old.id, minimized: true, minimizedReason: 'outdated' }),
      expect.objectContaining({ id: kept.id, minimized: false, minimizedReason: null }),
    ]);
  });

  it('reads literal arguments, aliases, __typename and inline fragments, answering only what was asked', async () => {
    const comment = gh.seed.comment(full, pull, 'spam');
    const result = await octokit.graphql({
      query: `mutation Hide {
        hidden: minimizeComment(input: { subjectId: "${comment.nodeId}", classifier: SPAM, clientMutationId: "c1" }) {
          clientMutationId
          minimizedComment { __typename ... on IssueComment { reason: minimizedReason } }
        }
      }`,
      url: gh.graphqlUrl,
    });
    expect(result).toEqual({ hidden: { clientMutationId: 'c1', minimizedComment: { __typename: 'IssueComment', reason: 'spam' } } });
    const read = await octokit.graphql<{ node: { id: string; isMinimized: boolean; body: string } }>({
      query: `query($id: ID!) { node(id: $id) { id ... on IssueComment { isMinimized body } } }`,
      id: comment.nodeId,
      url: gh.graphqlUrl,
    });
    expect(read.node).toEqual({ id: comment.nodeId, isMinimized: true, body: 'spam' });
  });

  it('answers NOT_FOUND for an unknown node id', async () => {
    const error = await graphqlError(minimize, { id: 'IC_kwDOnope' });
    expect(error.errors?.[0]).toMatchObject({ type: 'NOT_FOUND', path: ['minimizeComment'], message: expect.stringContaining('IC_kwDOnope') });
    expect(error.data).toEqual({ minimizeComment: null });
  });

  it('refuses unknown operations and fields before running anything', async () => {
    const comment = gh.seed.comment(full, pull, 'plan');
    const unknownMutation = await graphqlError(`mutation($id: ID!) { deleteIssueComment(input: { id: $id }) { clientMutationId } }`, { id: comment.nodeId });
    expect(unknownMutation.errors?.[0]?.message).toBe("Field 'deleteIssueComment' doesn't exist on type 'Mutation'");

    const unknownField = await graphqlError(`mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { nonsense } } }`, { id: comment.nodeId });
    expect(unknownField.errors?.[0]?.message).toBe("Field 'nonsense' doesn't exist on type 'IssueComment'");
    expect(gh.state.comments(full, pull)[0]?.minimized).toBe(false);

    const badClassifier = await graphqlError(`mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: BORING }) { clientMutationId } }`, { id: comment.nodeId });
    expect(badClassifier.errors?.[0]?.message).toContain("Expected type 'ReportedContentClassifiers!'");

    const parse = await graphqlError('mutation { minimizeComment(input: ');
    expect(parse.errors?.[0]?.message).toMatch(/end of document|Parse error/);
    expect(gh.state.comments(full, pull)[0]?.minimized).toBe(false);
  });
});

// GraphQL: the documents the product sends and the answers the GitHub simulator gives, against
// GitHub's public schema (@octokit/graphql-schema). Documents are found in the product's source, so
// a new one is checked without being listed here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';
import { checkAnswer, validateDocument } from './graphql';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Template literals in packages/ and actions/ (not the simulators) that are GraphQL operations. */
function productDocuments(): { file: string; document: string }[] {
  const found: { file: string; document: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (name === 'simulators' || name === 'node_modules') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) {
        for (const match of readFileSync(full, 'utf8').matchAll(/`\s*((?:mutation|query)\s*\w*\s*[({][^`]*)`/g)) found.push({ file: path.relative(ROOT, full), document: match[1]! });
      }
    }
  };
  walk(path.join(ROOT, 'packages'));
  walk(path.join(ROOT, 'actions'));
  return found;
}

/** What the simulator serves, each field it knows asked for once. */
const SIMULATED = {
  comment: `query($id: ID!) { node(id: $id) { __typename id ... on IssueComment { databaseId body isMinimized minimizedReason url createdAt updatedAt viewerCanMinimize author { login } } } }`,
  minimize: `mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { clientMutationId minimizedComment { isMinimized minimizedReason } } }`,
  unminimize: `mutation($id: ID!) { unminimizeComment(input: { subjectId: $id }) { unminimizedComment { isMinimized } } }`,
  viewer: `query { viewer { login } rateLimit { limit remaining used cost resetAt nodeCount } }`,
};

let gh: GitHubSimulator;
const answers: Record<string, { document: string; answer: any }> = {};

beforeAll(async () => {
  gh = await startGitHubSimulator({ repository: 'connect2/connect2-api' });
  const issue = gh.seed.issue('connect2/connect2-api', { title: 'plan' });
  const { nodeId } = gh.seed.comment('connect2/connect2-api', issue, 'old plan', { user: 'alice' });
  const ask = async (key: string, document: string, variables: Record<string, unknown>) => {
    const response = await fetch(gh.graphqlUrl, { method: 'POST', headers: { authorization: `bearer ${gh.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: document, variables }) });
    answers[key] = { document, answer: await response.json() };
  };
  for (const [index, { document }] of productDocuments().entries()) await ask(`product ${index}`, document, { id: nodeId });
  await ask('comment', SIMULATED.comment, { id: nodeId });
  await ask('unminimize', SIMULATED.unminimize, { id: nodeId });
  await ask('minimize', SIMULATED.minimize, { id: nodeId });
  await ask('viewer', SIMULATED.viewer, {});
  await ask('unknown node', SIMULATED.comment, { id: 'IC_nope' });
});

afterAll(async () => {
  await gh?.close();
});

describe('GraphQL documents hold to GitHub’s schema', () => {
  it('the product’s documents (found in its source) validate', () => {
    const documents = productDocuments();
    expect(documents.length, 'the product sends at least the minimizeComment mutation').toBeGreaterThan(0);
    expect(documents.flatMap(({ file, document }) => validateDocument(document).map((error) => `${file}: ${error}`))).toEqual([]);
  });

  it('every field the simulator serves is one GitHub’s schema has', () => {
    expect(Object.values(SIMULATED).flatMap(validateDocument)).toEqual([]);
  });
});

describe('GraphQL answers hold to the schema along their documents', () => {
  it('each answer, errors included', () => {
    expect(Object.keys(answers)).toContain('product 0');
    expect(Object.entries(answers).flatMap(([key, { document, answer }]) => checkAnswer(document, answer).map((problem) => `${key}: ${problem}`))).toEqual([]);
    expect(answers['unknown node']!.answer.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', message: expect.any(String) })]);
  });

  it('catches a broken answer and an unknown field (the contract is not vacuous)', () => {
    const broken = structuredClone(answers.comment!.answer);
    broken.data.node.isMinimized = 'yes';
    broken.data.node.minimizedReason = 42;
    expect(checkAnswer(SIMULATED.comment, broken)).toEqual(['node.isMinimized: "yes" is not a Boolean', 'node.minimizedReason: 42 is not a String']);
    const nulled = structuredClone(answers.viewer!.answer);
    nulled.data.viewer.login = null;
    expect(checkAnswer(SIMULATED.viewer, nulled)).toEqual(['viewer.login: null, the schema says String!']);
    expect(validateDocument('query { viewer { loginName } }')).toEqual([expect.stringContaining('Cannot query field "loginName" on type "User"')]);
  });
});

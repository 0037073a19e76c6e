// GitHub's REST description (@octokit/openapi) against what the GitHub simulator answers: a dedicated
// set of calls (test/contract/github-flow.ts) through a recording proxy, each answer checked for its
// operation and status (types, enums, nullability, the fields the product reads, error bodies, Link
// and rate-limit headers). A mismatch fails naming the operation and the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';
import { checkRestExchange, describeFinding, operationFor, undocumentedReads } from './github-rest';
import { restCalls, seedWorld, shimCalls } from './github-flow';
import { startRecorder, type Exchange, type Recorder } from './recorder';

let gh: GitHubSimulator;
let recorder: Recorder;
let exchanges: Exchange[];

beforeAll(async () => {
  gh = await startGitHubSimulator({ repository: 'connect2/connect2-api' });
  recorder = await startRecorder(gh.url);
  const world = seedWorld(gh);
  await restCalls(recorder, gh.token, world);
  await shimCalls(recorder, gh.token, world);
  exchanges = recorder.exchanges;
});

afterAll(async () => {
  await recorder?.close();
  await gh?.close();
});

describe('GitHub REST answers hold to api.github.com’s OpenAPI description', () => {
  it('every recorded answer matches its operation and status', () => {
    const findings = exchanges.flatMap(checkRestExchange).map(describeFinding);
    expect(findings).toEqual([]);
  });

  it('the recording crossed the operations the product and the templates use, errors included', () => {
    const seen = new Set(exchanges.map((e) => `${operationFor(e.method, e.path)?.operationId} ${e.status}`));
    for (const expected of ['pulls/get 200', 'pulls/list-files 200', 'repos/compare-commits-with-basehead 200', 'git/get-tag 200', 'repos/create-release 201', 'repos/create-deployment 201', 'repos/get-release-by-tag 404', 'git/create-ref 422', 'issues/create-comment 422', 'pulls/create 201', 'repos/get-environment 200']) {
      expect(seen, expected).toContain(expected);
    }
    expect(exchanges.some((e) => typeof e.headers.link === 'string'), 'a paginated answer with a Link header').toBe(true);
  });

  it('every field the product reads is one GitHub documents', () => {
    expect(undocumentedReads()).toEqual([]);
  });
});

describe('the check catches a broken answer (the contract is not vacuous)', () => {
  const broken = (operation: string, status: number, mutate: (body: any) => void): string[] => {
    const original = exchanges.find((e) => operationFor(e.method, e.path)?.operationId === operation && e.status === status)!;
    const copy: Exchange = structuredClone(original);
    mutate(copy.body);
    return checkRestExchange(copy).map(describeFinding);
  };

  it('a wrong type, a missing read field, an unknown enum value, a non-nullable null', () => {
    expect(broken('pulls/get', 200, (pull) => (pull.head.sha = 42))).toEqual([expect.stringMatching(/^pulls\/get 200 head\.sha: is integer .*string/)]);
    expect(broken('pulls/list-files', 200, (files) => delete files[0].filename)).toEqual(['pulls/list-files 200 [].filename: is required by the description but missing']);
    expect(broken('repos/compare-commits-with-basehead', 200, (compare) => (compare.status = 'sideways'))).toEqual([expect.stringMatching(/^repos\/compare-commits-with-basehead 200 status: "sideways" is not one of the documented values/)]);
    expect(broken('repos/get-release-by-tag', 200, (release) => (release.tag_name = null))).toEqual([expect.stringMatching(/^repos\/get-release-by-tag 200 tag_name: is null/)]);
  });

  it('an error body without its message, a malformed Link header, an undocumented status', () => {
    expect(broken('git/create-ref', 422, (error) => delete error.message)).toEqual(['git/create-ref 422 message: is required by the description but missing']);
    const paged = structuredClone(exchanges.find((e) => typeof e.headers.link === 'string')!);
    paged.headers.link = 'page=2; next';
    expect(checkRestExchange(paged).map(describeFinding)).toEqual([expect.stringMatching(/ Link: part "page=2; next" is not/)]);
    const teapot = structuredClone(exchanges.find((e) => operationFor(e.method, e.path)?.operationId === 'pulls/get')!);
    teapot.status = 418;
    expect(checkRestExchange(teapot).map(describeFinding)).toEqual([expect.stringMatching(/^pulls\/get 418 \(status\): status 418 is not documented/)]);
  });
});

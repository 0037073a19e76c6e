/**
 * create-release over real histories: the commit subjects of public repositories
 * (../shared/fixtures/repos/*.commits.jsonl, described in its SOURCES.md) replayed oldest first into
 * the GitHub simulator, released by the engine with the real Octokit client over HTTP (dry run).
 * What real subjects bring: `@types/node` in Dependabot bumps (a live mention of the `types`
 * organisation), `<4.0.0,>=3.1.13` requirement ranges, a real `Revert "..."` of a commit in the
 * same range, 150 identical "Update release notes" commits.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../packages/action-kit';
import { createGitHubClient } from '../../packages/github';
import { createRelease, type ReleaseResult } from '../../packages/release';
import { repoRoot } from '../harness/run-action';
import { startWorld, type World } from './world';

const fixtures = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'repos');
const present = existsSync(path.join(fixtures, 'SOURCES.md'));
if (!present) console.warn(`create-release fixture tests SKIPPED: ${fixtures}/SOURCES.md is absent.`);

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const subjects = (slug: string): string[] =>
  readFileSync(path.join(fixtures, `${slug}.commits.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { subject: string }).subject)
    .reverse();

/** v1.0.0 on a root commit, then every subject of the fixture, oldest first; released in a dry run. */
async function replay(slug: string): Promise<ReleaseResult> {
  const root = world.commit('chore: before the recorded history');
  world.tag('v1.0.0', root);
  const target = world.chain(subjects(slug), 'dev');
  const client = createGitHubClient(world.gh.token, { baseUrl: world.gh.url });
  return createRelease(
    { client, log: silentLogger },
    { repository: { owner: 'connect2', repo: 'connect2-api' }, serverUrl: 'https://github.com', tagPrefix: 'v', initialVersion: '1.0.0', target, defaultBump: 'patch', draft: false, prerelease: false, dryRun: true, updateMajorTag: false },
  );
}

/** Every `@name` a reader of the release would see as a mention (code spans are not read). */
const liveMentions = (notes: string) => notes.replace(/`[^`]*`/g, '').match(/(^|[^\w@])@[A-Za-z0-9][\w/-]*/g)?.map((m) => m.trim()) ?? [];

describe.skipIf(!present)(present ? `real histories in ${fixtures}` : `real histories (SKIPPED: ${fixtures} is absent)`, () => {
  it('fastapi/full-stack-fastapi-template: bumps of @scoped packages ping nobody, requirement ranges are not HTML, 150 identical commits are one line', async () => {
    const result = await replay('fastapi__full-stack-fastapi-template');
    expect(result).toMatchObject({ outcome: 'dry-run', version: '1.0.1', bump: 'patch' }); // gitmoji subjects: no conventional type
    const { notes } = result;
    expect(notes).toContain('⬆ Bump `@types/node` from 25.3.2 to 25.5.0');
    expect(notes).toContain('⬆️ Bump `@hey-api/openapi-ts` from 0.73.0'); // already a code span: kept as written
    expect(notes).toContain('requirement from &lt;4.0.0,&gt;=3.1.13');
    expect(notes).not.toMatch(/<\d/);
    expect(new Set(liveMentions(notes))).toEqual(new Set(['@dev']));
    expect(notes.match(/Update release notes/g)).toHaveLength(1);
    expect(result.duplicates).toBeGreaterThanOrEqual(149);
  });

  it('cds-snc/scan-files: the real revert of #1289 cancels it (#1291 re-applies it later); one feat among chores makes a minor', async () => {
    const result = await replay('cds-snc__scan-files');
    expect(result).toMatchObject({ version: '1.1.0', bump: 'minor', reverted: 1 });
    expect(result.notes.match(/update dependency urllib3 to v2 \[security\]/g)).toHaveLength(1);
    expect(result.notes).toContain('update dependency urllib3 to v2 [security] ([#1291]');
    expect(result.notes).not.toMatch(/\/pull\/(1289|1290)\)/);
    expect(liveMentions(result.notes).every((m) => m === '@dev')).toBe(true);
  });

  it.each(['nsidnev__fastapi-realworld-example-app', 'i-dot-ai__caddy'])('%s: every line is inert and the notes fit', async (slug) => {
    const result = await replay(slug);
    expect(result.outcome).toBe('dry-run');
    expect(result.notes.length).toBeLessThanOrEqual(125_000);
    expect(liveMentions(result.notes).every((m) => m === '@dev')).toBe(true);
    expect(result.notes).not.toMatch(/<[a-z/]/i);
  });
});

// The event payloads the workflow player writes (GITHUB_EVENT_PATH, in every run: step) against
// GitHub's webhook descriptions (@octokit/openapi-webhooks): push, pull_request opened, synchronize,
// edited and closed, workflow_dispatch. Played through a tiny workflow per event that copies the file.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';
import { WorkflowPlayer } from '../../packages/workflow-player';
import { Developer } from '../../scripts/rehearsal/developer';
import { checkPayload, webhookName } from './webhooks';

const REPO = 'acme/app';
const copyEvent = (on: string) => `on:
${on}
jobs:
  copy:
    runs-on: ubuntu-latest
    steps:
      - run: cp "$GITHUB_EVENT_PATH" "$EVENTS_OUT/$GITHUB_RUN_ID.json"
`;

let aws: AwsSimulator;
let gh: GitHubSimulator;
let player: WorkflowPlayer;
const payloads: Record<string, Record<string, any>> = {};

beforeAll(async () => {
  aws = await startAwsSimulator({});
  gh = await startGitHubSimulator({ gitRoot: mkdtempSync(path.join(tmpdir(), 'contract-git-')), repository: REPO });
  gh.seed.repo('acme', 'app', { defaultBranch: 'main' });
  const dir = mkdtempSync(path.join(tmpdir(), 'contract-workflows-'));
  const out = mkdtempSync(path.join(tmpdir(), 'contract-events-'));
  writeFileSync(path.join(dir, 'push.yml'), copyEvent('  push:\n    branches: [main, development, "feature/**"]\n    tags: ["v*"]'));
  writeFileSync(path.join(dir, 'pr.yml'), copyEvent('  pull_request:\n    types: [opened, synchronize, edited, closed]'));
  writeFileSync(path.join(dir, 'dispatch.yml'), copyEvent('  workflow_dispatch:\n    inputs:\n      dry-run:\n        type: boolean\n        default: false\n      environment:\n        type: choice\n        options: [dev, staging]'));
  const token = gh.tokens.issue({ kind: 'user', login: 'mona', permissions: 'all' });
  const mona = new Developer({ login: 'mona', token, gitUrl: gh.git.url(REPO), apiUrl: gh.url, repository: REPO });
  mona.commit('chore: start', { 'README.md': '# app\n' });
  await mona.pushAll(['main', 'development', 'staging']);
  player = await new WorkflowPlayer({ workflowsDir: dir, world: { github: gh, aws, repository: REPO, runnerEnv: { EVENTS_OUT: out } } }).start();
  await mona.branch('feature/users', 'development');
  mona.commit('feat: users', { 'app/users.py': 'users = []\n' });
  await mona.push('feature/users');
  await player.idle();
  const number = await mona.openPullRequest('feature/users', 'development', 'feat: users');
  await player.idle();
  mona.commit('feat: more users', { 'app/users.py': 'users = [1]\n' });
  await mona.push('feature/users');
  await player.idle();
  await mona.changeBase(number, 'staging');
  await player.idle();
  await mona.changeBase(number, 'development');
  await player.idle();
  await mona.merge(number, 'merge');
  await player.idle();
  await promisify(execFile)('git', ['fetch', '-q', 'origin'], { cwd: mona.dir });
  mona.git(['tag', 'v1.0.0', 'origin/development']);
  await promisify(execFile)('git', ['push', '-q', 'origin', 'refs/tags/v1.0.0'], { cwd: mona.dir });
  await player.idle();
  await player.dispatch('dispatch.yml', 'main', { 'dry-run': true, environment: 'staging' }, 'mona');
  await player.idle();
  for (const run of player.runs) {
    const file = path.join(out, `${run.id}.json`);
    if (!readdirSync(out).includes(`${run.id}.json`)) continue;
    const payload = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
    payloads[`${run.event}${run.action ? `-${run.action}` : ''}${run.event === 'push' ? `:${payload.ref}` : ''}`] ??= payload;
  }
}, 120_000);

afterAll(async () => {
  player?.stop();
  await gh?.close();
  await aws?.close();
});

describe('GITHUB_EVENT_PATH in every run: step', () => {
  it('holds the webhook payload of each event', () => {
    expect(Object.keys(payloads).sort()).toEqual(['pull_request-closed', 'pull_request-edited', 'pull_request-opened', 'pull_request-synchronize', 'push:refs/heads/development', 'push:refs/heads/feature/users', 'push:refs/tags/v1.0.0', 'workflow_dispatch']);
  });
});

describe('the payloads hold to GitHub’s webhook descriptions', () => {
  it.each(['push:refs/heads/feature/users', 'push:refs/heads/development', 'push:refs/tags/v1.0.0', 'pull_request-opened', 'pull_request-synchronize', 'pull_request-edited', 'pull_request-closed', 'workflow_dispatch'])('%s', (key) => {
    const payload = payloads[key]!;
    const [event, action] = key.split(':')[0]!.split('-');
    expect(checkPayload(webhookName(event!, action), payload)).toEqual([]);
  });
});

describe('the documented values, beyond the shapes', () => {
  it('push: base_ref names the branch a pushed tag points at, null for a branch; compare links the range', () => {
    const branch = payloads['push:refs/heads/feature/users']!;
    expect(branch.base_ref).toBeNull();
    expect(branch.compare).toBe('https://github.com/acme/app/compare/feature/users');
    expect(payloads['push:refs/tags/v1.0.0']!.base_ref).toBe('refs/heads/development');
    const update = payloads['push:refs/heads/development']!;
    expect(update.compare).toBe(`https://github.com/acme/app/compare/${update.before.slice(0, 12)}...${update.after.slice(0, 12)}`);
    expect(update.head_commit.url).toBe(`https://github.com/acme/app/commit/${update.after}`);
  });

  it('synchronize carries the head before and after; the sender is the whole user', () => {
    const sync = payloads['pull_request-synchronize']!;
    expect(sync.after).toBe(sync.pull_request.head.sha);
    expect(sync.before).toMatch(/^[0-9a-f]{40}$/);
    expect(sync.before).not.toBe(sync.after);
    expect(sync.sender).toMatchObject({ login: 'mona', type: 'User', id: expect.any(Number), html_url: 'https://github.com/mona' });
    expect(sync.pull_request.head.repo).toMatchObject({ fork: false, owner: { login: 'acme' }, full_name: 'acme/app' });
  });

  it('workflow_dispatch: github.event.inputs carries booleans as strings (the inputs context keeps them boolean)', () => {
    expect(payloads.workflow_dispatch!.inputs).toEqual({ 'dry-run': 'true', environment: 'staging' });
  });
});

describe('the check catches a broken payload (the contract is not vacuous)', () => {
  it('names the webhook and the field', () => {
    const pull = structuredClone(payloads['pull_request-opened']!);
    delete pull.pull_request.head.sha;
    pull.sender.id = 'mona';
    expect(checkPayload('pull-request-opened', pull)).toEqual([
      'pull-request-opened pull_request.head.sha: is required by the description but missing',
      expect.stringMatching(/^pull-request-opened sender.id: is string .*integer/),
    ]);
    const push = structuredClone(payloads['push:refs/heads/development']!);
    delete push.compare;
    expect(checkPayload('push', push)).toEqual(['push compare: is required by the description but missing']);
  });
});

// GitHub's rules the player applies without a simulator: matrix expansion (the documented examples),
// the concurrency rule, permissions, and the `on:` filters.
import { describe, expect, it } from 'vitest';
import { ConcurrencyGroups, type ConcurrencyClaim } from '../../packages/workflow-player/concurrency';
import { expandMatrix } from '../../packages/workflow-player/matrix';
import { effectivePermissions, exceedsCaller, parsePermissions } from '../../packages/workflow-player/permissions';
import { matchesFilter, triggers } from '../../packages/workflow-player/triggers';
import { parseWorkflowText } from '../../packages/workflow-player/workflow-file';

describe('matrix (GitHub docs: "Running variations of jobs in a workflow")', () => {
  it('expands the cartesian product', () => {
    expect(expandMatrix({ version: [10, 12], os: ['ubuntu-latest', 'windows-latest'] })).toHaveLength(4);
  });

  it('include adds to matching combinations and appends what fits none (the documented fruit example)', () => {
    const legs = expandMatrix({
      fruit: ['apple', 'pear'],
      animal: ['cat', 'dog'],
      include: [{ color: 'green' }, { color: 'pink', animal: 'cat' }, { fruit: 'apple', shape: 'circle' }, { fruit: 'banana' }, { fruit: 'banana', animal: 'cat' }],
    });
    expect(legs).toEqual([
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
      { fruit: 'banana', animal: 'cat' },
    ]);
  });

  it('exclude removes partial matches; include-only matrices are their entries', () => {
    expect(expandMatrix({ os: ['macos-latest', 'windows-latest'], version: [12, 14, 16], environment: ['staging', 'production'], exclude: [{ os: 'macos-latest', version: 12, environment: 'production' }, { os: 'windows-latest', version: 16 }] })).toHaveLength(12 - 1 - 2);
    expect(expandMatrix({ include: [{ environment: 'dev' }, { environment: 'prod' }] })).toEqual([{ environment: 'dev' }, { environment: 'prod' }]);
  });
});

describe('concurrency: one running and one pending per group', () => {
  const claim = (holder: string, cancelInProgress = false, log: string[] = []): ConcurrencyClaim => ({ group: 'deploy-dev', cancelInProgress, holder, onCancel: (reason) => log.push(`${holder}: ${reason}`) });

  it('a newer pending run cancels the older pending one; the running one finishes', async () => {
    const groups = new ConcurrencyGroups();
    const log: string[] = [];
    const first = claim('apply', false, log);
    expect(await groups.acquire(first)).toBe(true);
    const second = groups.acquire(claim('deploy', false, log));
    const third = groups.acquire(claim('migrate', false, log));
    expect(await second).toBe(false);
    expect(log).toEqual(["deploy: Canceling since a higher priority waiting request for 'deploy-dev' exists"]);
    groups.release(first);
    expect(await third).toBe(true);
    expect(groups.cancellations.map((c) => `${c.cancelled} by ${c.by}`)).toEqual(['deploy by migrate']);
  });

  it('cancel-in-progress cancels the running one', async () => {
    const groups = new ConcurrencyGroups();
    const log: string[] = [];
    const running = claim('pr-checks #1', true, log);
    await groups.acquire(running);
    const next = groups.acquire(claim('pr-checks #2', true, log));
    expect(log[0]).toMatch(/^pr-checks #1: Canceling/);
    groups.release(running);
    expect(await next).toBe(true);
  });
});

describe('permissions', () => {
  it('a job mapping replaces the workflow one; unnamed scopes are none; read-all and {}', () => {
    expect(effectivePermissions(parsePermissions({ contents: 'read' }), parsePermissions('write-all'))).toEqual({ metadata: 'read', contents: 'read' });
    expect(effectivePermissions(undefined, parsePermissions({}))).toEqual({ metadata: 'read' });
    expect(parsePermissions('read-all')?.['id-token']).toBe('none');
    expect(effectivePermissions(undefined, undefined).contents).toBe('read');
  });

  it('a called job asking for more than its caller fails with GitHub’s words', () => {
    expect(exceedsCaller({ contents: 'write' }, { contents: 'read' }, 'release')).toEqual(["The nested job 'release' is requesting 'contents: write', but is only allowed 'contents: read'."]);
  });
});

describe('on: filters', () => {
  it('GitHub filter patterns: * stops at /, ** crosses it, ! excludes, the last match wins', () => {
    expect(matchesFilter(['feature/*'], 'feature/a')).toBe(true);
    expect(matchesFilter(['feature/*'], 'feature/a/b')).toBe(false);
    expect(matchesFilter(['feature/**'], 'feature/a/b')).toBe(true);
    expect(matchesFilter(['infrastructure/**', '!infrastructure/docs/**'], 'infrastructure/docs/x.md')).toBe(false);
    expect(matchesFilter(['**/*.md', '!README.md', 'README.md'], 'README.md')).toBe(true);
  });

  it('push branches and paths, pull_request types and base branches', async () => {
    const text = `on:
  push:
    branches: [main]
    paths: ['infrastructure/**']
  pull_request:
    branches: [development]
    types: [opened, edited]
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
`;
    const workflow = await parseWorkflowText('t.yml', text, new Map());
    expect(triggers(workflow, { name: 'push', ref: 'refs/heads/main', changedFiles: ['infrastructure/x.tf'] }).starts).toBe(true);
    expect(triggers(workflow, { name: 'push', ref: 'refs/heads/main', changedFiles: ['app/x.py'] }).starts).toBe(false);
    expect(triggers(workflow, { name: 'push', ref: 'refs/heads/staging', changedFiles: ['infrastructure/x.tf'] }).starts).toBe(false);
    expect(triggers(workflow, { name: 'push', ref: 'refs/tags/v1', changedFiles: [] }).starts).toBe(false);
    expect(triggers(workflow, { name: 'pull_request', action: 'edited', baseRef: 'development' }).starts).toBe(true);
    expect(triggers(workflow, { name: 'pull_request', action: 'synchronize', baseRef: 'development' }).starts).toBe(false);
    expect(triggers(workflow, { name: 'workflow_dispatch', workflowFile: 't.yml' }).starts).toBe(false);
  });
});

/**
 * Keeps every action.yml faithful to the public contract (the input and output names users' workflows
 * already use: names are added, never renamed or removed) and its README equal to it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../scripts/actions.mjs';
import { renderReadme } from '../../scripts/readme-tables.mjs';
import { readActionMetadata, repoRoot } from '../harness/run-action';

/** The input and output names users' workflows rely on: a public contract, so a name is never renamed or removed. */
const CONTRACT: Record<string, { inputs: string[]; outputs: string[] }> = {
  'classify-pr': {
    inputs: ['github-token', 'infrastructure-paths', 'ignore-paths', 'fail-on-mixed', 'labels', 'comment', 'branch-flow', 'base', 'head'],
    outputs: ['type', 'infrastructure-files', 'application-files', 'files-count', 'flow'],
  },
  'terraform-plan-comment': {
    inputs: ['plan-json', 'plan-file', 'plan-text', 'plan-outcome', 'plan-log', 'name', 'mode', 'fail-on-destroy', 'expected-digest', 'github-token'],
    outputs: ['has-changes', 'add', 'change', 'destroy', 'replace', 'import', 'move', 'summary', 'digest', 'comment-id', 'comment-url'],
  },
  'ecs-deploy': {
    inputs: ['cluster', 'service', 'image', 'container', 'task-definition', 'resolve-digest', 'force-new-deployment', 'register-only', 'wait', 'timeout-minutes', 'rollback-on-failure'],
    outputs: ['task-definition-arn', 'previous-task-definition-arn', 'image', 'deployment-id', 'status', 'duration-seconds'],
  },
  'wait-stable': {
    inputs: ['cluster', 'services', 'task-definition', 'timeout-minutes', 'poll-interval-seconds', 'health-url', 'health-timeout-seconds', 'verify-urls', 'bake-seconds', 'log-error-pattern', 'log-group'],
    outputs: ['status', 'duration-seconds', 'services', 'verification'],
  },
  'run-migration': {
    inputs: ['cluster', 'service', 'task-definition', 'container', 'command', 'timeout-minutes', 'subnets', 'security-groups', 'assign-public-ip', 'started-by', 'stop-on-cancel', 'logs'],
    outputs: ['task-arn', 'exit-code', 'stop-code', 'stopped-reason', 'duration-seconds', 'logs-url'],
  },
  'create-release': {
    inputs: ['github-token', 'tag-prefix', 'initial-version', 'target', 'default-bump', 'draft', 'prerelease', 'dry-run', 'update-major-tag'],
    outputs: ['version', 'tag', 'previous-tag', 'release-id', 'release-url', 'created', 'notes'],
  },
  'api-diff': {
    inputs: ['base-spec', 'head-spec', 'fail-on-breaking', 'comment', 'name', 'github-token'],
    outputs: ['breaking', 'changes', 'summary'],
  },
};

describe.each(ACTIONS)('%s metadata', (action) => {
  const meta = readActionMetadata(action);

  it('runs its committed bundle on node24', () => {
    expect(meta.runs.using).toBe('node24');
    expect(meta.runs.main).toBe(`../dist/${action}/index.js`);
    expect(existsSync(path.resolve(repoRoot, action, meta.runs.main))).toBe(true);
    if (meta.runs.post) expect(meta.runs.post).toBe(`../dist/${action}/index.js`);
  });

  it('declares every input and output of the contract, each described', () => {
    expect(Object.keys(meta.inputs)).toEqual(expect.arrayContaining(CONTRACT[action].inputs));
    expect(Object.keys(meta.outputs)).toEqual(expect.arrayContaining(CONTRACT[action].outputs));
    for (const spec of [...Object.values(meta.inputs), ...Object.values(meta.outputs)]) expect(spec.description).toBeTruthy();
  });

  it('has a README whose inputs/outputs tables equal action.yml', () => {
    const { current, next } = renderReadme(action);
    expect(current).toBe(next);
    expect(current).toContain(`uses: org/connect2-actions/${action}@v1`);
  });
});

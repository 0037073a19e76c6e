/** The repository's own release workflow: it releases the bundle with create-release, least privilege, pinned. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/run-action';

const file = path.join(repoRoot, '.github', 'workflows', 'release.yml');
const text = readFileSync(file, 'utf8');
const workflow = parse(text) as {
  on: Record<string, unknown>;
  permissions: unknown;
  jobs: Record<string, { permissions?: Record<string, string>; steps: { uses?: string; with?: Record<string, unknown> }[] }>;
};

describe('.github/workflows/release.yml', () => {
  it('runs when CI completes on main (never on a push directly, nor by hand: only a tested commit is released)', () => {
    expect(workflow.on).toEqual({ workflow_run: { workflows: ['ci'], types: ['completed'], branches: ['main'] } });
  });

  it('grants nothing at the top, contents: write to the release job, and the changelog pull request its own grants', () => {
    expect(workflow.permissions).toEqual({});
    expect(Object.keys(workflow.jobs)).toEqual(['release', 'changelog']);
    expect(workflow.jobs.release.permissions).toEqual({ contents: 'write' });
    expect(workflow.jobs.changelog.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  it('pins every outside action by full commit SHA with its version in a comment, without persisted credentials', () => {
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const outside = steps.filter((step) => step.uses && !step.uses.startsWith('./'));
    expect(outside.length).toBeGreaterThan(0);
    for (const step of outside) {
      expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(text).toMatch(new RegExp(`${step.uses!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # v\\d+\\.\\d+\\.\\d+`));
    }
    const checkout = outside.find((step) => step.uses!.startsWith('actions/checkout@'));
    expect(checkout?.with).toMatchObject({ 'persist-credentials': false });
  });

  it('tags the bundle itself with ./create-release and moves the major tag', () => {
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const release = steps.find((step) => step.uses === './create-release');
    expect(release?.with).toMatchObject({ 'update-major-tag': true });
  });
});

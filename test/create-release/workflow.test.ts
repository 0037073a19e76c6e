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
  it('runs on push to main and by hand', () => {
    expect(workflow.on).toMatchObject({ push: { branches: ['main'] } });
    expect(workflow.on).toHaveProperty('workflow_dispatch');
  });

  it('grants nothing at the top and contents: write on the release job only', () => {
    expect(workflow.permissions).toEqual({});
    const jobs = Object.values(workflow.jobs);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].permissions).toEqual({ contents: 'write' });
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

/**
 * `connect2 plan` through the built CLI: the redacted plan, its counts and digest on the terminal,
 * the comment's Markdown with --markdown; no GitHub call (mode off by default on a terminal).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_SECRETS, fixture, haveFixtures } from '../terraform-plan-comment/fixtures';
import { fakeTerraform } from '../terraform-plan-comment/world';
import { printedOutputs, runCli } from './run-cli';

// An address nothing listens on: any GitHub call would fail the run.
const noGitHub = { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_TOKEN: 'unused' };

describe.skipIf(!haveFixtures)('connect2 plan', () => {
  it('--plan-json: counts, digest and the changed resources, nothing sensitive', async () => {
    const result = await runCli(['plan', '--plan-json', fixture('replace.plan.json')], { env: noGitHub });
    expect(result.stderr).not.toMatch(/^connect2 plan:/m);
    expect(result.code).toBe(0);
    const outputs = printedOutputs(result.stdout);
    expect(outputs).toMatchObject({ summary: 'Plan: 2 to add, 0 to change, 2 to destroy.', add: '2', destroy: '2', replace: '2', 'has-changes': 'true' });
    expect(outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.stderr).toContain(`Digest: ${outputs.digest}`);
    expect(result.stderr).toMatch(/replace/);
    for (const secret of FIXTURE_SECRETS) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('--markdown prints the comment Markdown, sensitive values redacted; --plan-file goes through `terraform show`', async () => {
    const tf = fakeTerraform();
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-plan-'));
    writeFileSync(path.join(dir, 'tfplan'), 'binary plan');
    const env = { ...noGitHub, PATH: `${tf.bin}:${process.env.PATH}`, FAKE_PLAN_JSON: fixture('create-sensitive.plan.json') };
    const json = await runCli(['plan', '--plan-json', fixture('create-sensitive.plan.json'), '--json'], { env });
    const digest = JSON.parse(json.stdout).outputs.digest;
    const result = await runCli(['plan', '--plan-file', 'tfplan', '--markdown'], { env, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Plan: 3 to add, 0 to change, 0 to destroy.');
    expect(result.stdout).toMatch(/content\s+= \(sensitive value\)/);
    expect(result.stdout).toContain(digest);
    for (const secret of FIXTURE_SECRETS) expect(result.stdout + result.stderr + json.stdout + json.stderr).not.toContain(secret);
  });

  it('--plan-json and --plan-file together are refused in one line, exit 2', async () => {
    const result = await runCli(['plan', '--plan-json', fixture('replace.plan.json'), '--plan-file', 'tfplan'], { env: noGitHub });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).toMatch(/^connect2 plan: --plan-/);
  });
});

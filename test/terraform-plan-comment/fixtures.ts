/** Where the shared Terraform fixtures live, and a visible skip when they are absent. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../harness/run-action';

const fixturesDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'terraform');
export const haveFixtures = existsSync(fixturesDir);

if (!haveFixtures) {
  // Visible in the test output: the fixture-driven tests below are skipped, not passed.
  console.warn(`SKIPPED: Terraform fixtures not found at ${fixturesDir}; fixture tests are skipped.`);
}

export function fixture(name: string): string {
  return path.join(fixturesDir, name);
}

export function readFixture(name: string): string {
  return readFileSync(fixture(name), 'utf8');
}

/** Sensitive values the fixtures hold in clear text (per SOURCES.md and the JSON masks). */
export const FIXTURE_SECRETS = ['foo-42', 'foobar-42'];

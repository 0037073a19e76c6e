/**
 * End-to-end world: the GitHub simulator, a seeded pull request, and a way to run the built
 * terraform-plan-comment bundle against them the way the runner would on a pull_request event.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGitHubSimulator } from '../../packages/simulators/github';
import { runAction, type ActionRun, type RunActionOptions } from '../harness/run-action';

export type GitHubSimulator = Awaited<ReturnType<typeof startGitHubSimulator>>;
export const REPO = 'connect2/connect2-api';

export async function startWorld() {
  const gh = await startGitHubSimulator();
  let nextPull = 1;
  const newPull = () => gh.seed.pull(REPO, { number: nextPull++, head: `infra/change-${nextPull}`, base: 'development', title: 'infra: change', files: ['infrastructure/main.tf'] });
  return { gh, newPull };
}

export interface PlanRunOptions extends Omit<RunActionOptions, 'inputs'> {
  pr?: number;
}

/** Runs the bundle on a pull_request event for `pr` (or a push event when pr is undefined). */
export function runPlanComment(gh: GitHubSimulator, inputs: Record<string, string | boolean>, options: PlanRunOptions = {}): Promise<ActionRun> {
  const { pr, ...rest } = options;
  return runAction('terraform-plan-comment', {
    token: gh.token,
    eventName: pr === undefined ? 'push' : 'pull_request',
    event: pr === undefined ? {} : { action: 'synchronize', number: pr, pull_request: { number: pr } },
    ...rest,
    inputs,
    env: { ...gh.env, GITHUB_SHA: 'f00dbabe1234567890abcdef1234567890abcdef', GITHUB_RUN_ID: '4242', ...rest.env },
  });
}

/** Writes a file in a fresh temporary directory and returns its path. */
export function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tpc-test-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/**
 * A fake `terraform` (terraform is not installed here): `show -json <file>` prints FAKE_PLAN_JSON,
 * `show -no-color <file>` prints FAKE_PLAN_TEXT, and each call is recorded with its directory.
 * It fails like terraform when the plan file does not exist.
 */
export function fakeTerraform(command = 'terraform'): { bin: string; calls: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tpc-fake-tf-'));
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const calls = path.join(dir, 'calls.log');
  const script = `#!/bin/sh
echo "$(pwd) $*" >> "${calls}"
if [ "$1" != show ]; then echo "unexpected command: $*" >&2; exit 2; fi
if [ ! -f "$3" ] || [ -n "$FAKE_NOT_A_PLAN" ]; then printf '\\n│ Error: Failed to read the given file as a state or plan file\\n' >&2; exit 1; fi
case "$2" in
  -json) cat "$FAKE_PLAN_JSON" ;;
  -no-color) if [ -n "$FAKE_PLAN_TEXT" ]; then cat "$FAKE_PLAN_TEXT"; else exit 1; fi ;;
  *) echo "unexpected flag $2" >&2; exit 2 ;;
esac
`;
  writeFileSync(path.join(bin, command), script);
  chmodSync(path.join(bin, command), 0o755);
  return { bin, calls };
}

/** Everything a run printed, posted or wrote, for "no secret anywhere" checks. */
export function everything(run: ActionRun, comments: { body: string }[]): string {
  return [run.log, run.main.stderr, run.summary, JSON.stringify(run.outputs), ...comments.map((c) => c.body)].join('\n');
}

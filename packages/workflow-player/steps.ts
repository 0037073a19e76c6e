/**
 * One step of a job: `run:` in bash, one of this repository's actions (the committed bundle, run as
 * the runner runs it), or an outside action played by its stand-in. What a step cannot play fails
 * that step by name; nothing passes silently.
 */
import { parseAnnotations, readActionMetadata, runAction } from './bundle-run';
import { ACTIONS } from '../../scripts/actions.mjs';
import { createStepFiles, errorAnnotations, readStepFiles } from './step-files';
import { runShell } from './run-step';
import { standInFor, type ArtifactStore } from './stand-ins';
import type { Permissions } from './permissions';
import type { PlayerWorld } from './world';

export interface StepRequest {
  id: string;
  uses?: string;
  run?: string;
  shell: string;
  workingDirectory: string;
  /** `with:` evaluated. */
  inputs: Record<string, string>;
  /** The whole environment of the step's process. */
  env: Record<string, string>;
  dir: string;
  signal: AbortSignal;
}

export interface JobHandle {
  world: PlayerWorld;
  github: Record<string, unknown>;
  event: Record<string, unknown>;
  permissions: Permissions;
  token: string;
  environment?: string;
  workspace: string;
  temp: string;
  runId: number;
  artifacts: ArtifactStore;
}

export interface StepOutcome {
  ok: boolean;
  kind: 'run' | 'local-action' | 'stand-in';
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  addedPath: string[];
  summary: string;
  log: string;
  errors: string[];
  warnings: string[];
  /** An action's `post:` step, which the job runs at its end (after every other step, in reverse order) when `postIf` holds. */
  post?: { postIf: string; run: () => Promise<{ ok: boolean; log: string; errors: string[] }> };
}

const LOCAL_ACTION = new RegExp(`^(?:[^/]+/connect2-actions/|\\./)(${ACTIONS.join('|')})(?:@[^/]+)?$`);

/** This repository's action named by `uses`, whatever owner a team's copy has. */
function localActionName(uses: string): string | undefined {
  return LOCAL_ACTION.exec(uses)?.[1];
}

export async function executeStep(step: StepRequest, job: JobHandle): Promise<StepOutcome> {
  if (step.run !== undefined) return runScript(step);
  const uses = step.uses ?? '';
  const local = localActionName(uses);
  if (local) return runLocalAction(local, step, job);
  const standIn = standInFor(uses);
  if (standIn) {
    const warnings = unexpectedInputs(Object.keys(step.inputs), standIn.inputs);
    const result = await standIn.run({
      inputs: step.inputs,
      world: job.world,
      github: job.github,
      job: { permissions: job.permissions, token: job.token, environment: job.environment, workspace: job.workspace, temp: job.temp, env: step.env },
      runId: job.runId,
      artifacts: job.artifacts,
    });
    return { ok: result.ok, kind: 'stand-in', outputs: result.outputs ?? {}, exportedEnv: result.exportedEnv ?? {}, addedPath: result.addedPath ?? [], summary: '', log: result.log.join('\n'), errors: result.errors ?? [], warnings };
  }
  const why = uses.startsWith('docker://') ? 'container actions are not played' : `the workflow player has no stand-in for ${uses.split('@')[0]} (see packages/workflow-player/README.md)`;
  return { ok: false, kind: 'stand-in', outputs: {}, exportedEnv: {}, addedPath: [], summary: '', log: `::error::${why}`, errors: [why], warnings: [] };
}

/** GitHub's warning for `with:` keys the action does not declare. */
function unexpectedInputs(given: string[], valid: string[]): string[] {
  const unexpected = given.filter((name) => !valid.includes(name));
  return unexpected.length > 0 ? [`Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${valid.join("', '")}']`] : [];
}

async function runScript(step: StepRequest): Promise<StepOutcome> {
  const files = createStepFiles(step.dir);
  const shell = await runShell({ script: step.run ?? '', shell: step.shell, cwd: step.workingDirectory, env: { ...step.env, ...files }, scriptDir: step.dir, id: step.id, signal: step.signal });
  const read = readStepFiles(files);
  const errors = errorAnnotations(shell.log);
  if (shell.exitCode !== 0) errors.push(`Process completed with exit code ${shell.exitCode ?? 'null (killed)'}.`);
  return { ok: shell.exitCode === 0, kind: 'run', ...read, log: shell.log, errors, warnings: [] };
}

async function runLocalAction(name: string, step: StepRequest, job: JobHandle): Promise<StepOutcome> {
  const declared = Object.keys(readActionMetadata(name).inputs);
  const warnings = unexpectedInputs(Object.keys(step.inputs), declared);
  const inputs = Object.fromEntries(Object.entries(step.inputs).filter(([key]) => declared.includes(key)));
  const run = await runAction(name, {
    inputs,
    env: step.env,
    event: job.event,
    eventName: String(job.github.event_name),
    token: job.token,
    cwd: step.workingDirectory,
    bundle: job.world.bundles?.[name],
    timeoutMs: 30 * 60_000,
    cancel: { abort: step.signal, signal: 'SIGINT' },
    deferPost: true,
  });
  const deferred = run.deferredPost;
  const post = deferred && {
    postIf: deferred.postIf,
    run: async () => {
      const result = await deferred.run();
      const errors = parseAnnotations(result.stdout).filter((a) => a.level === 'error').map((a) => a.message);
      return { ok: result.exitCode === 0, log: result.stdout + (result.stderr ? `\n${result.stderr}` : ''), errors: errors.length > 0 || result.exitCode === 0 ? errors : [`${name} post exited with ${result.exitCode ?? result.signal}`] };
    },
  };
  return {
    ok: run.exitCode === 0,
    kind: 'local-action',
    outputs: run.outputs,
    exportedEnv: run.exportedEnv,
    addedPath: [],
    summary: run.summary,
    log: run.log + (run.main.stderr ? `\n${run.main.stderr}` : ''),
    errors: run.errors.length > 0 || run.exitCode === 0 ? run.errors : [`${name} exited with ${run.exitCode ?? run.main.signal}`],
    warnings,
    ...(post ? { post } : {}),
  };
}

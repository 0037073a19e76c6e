/**
 * One job of a run, in GitHub's order: its `if:` over the needed jobs, its concurrency group, its
 * environment (created unprotected when the repository lacks it; required reviewers make it wait for
 * the story's review), a GITHUB_TOKEN scoped by `permissions:`, then the steps with their `if:`,
 * `continue-on-error`, `timeout-minutes` and the job's `outputs:`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Job, Step } from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import type { ConcurrencyClaim } from './concurrency';
import { asText, evaluateCondition, evaluateTextMap, evaluateToken, stepStatus, type Contexts, type Json } from './expressions';
import { describePermissions, effectivePermissions, parsePermissions, type Permissions } from './permissions';
import type { Conclusion, EnvironmentRecord, JobRecord, StepRecord } from './records';
import type { RunState } from './run-state';
import { executeStep } from './steps';
import { findKey, rawStep, scalarValue, type WorkflowFile } from './workflow-file';
import { startServices, unplayableServices, type PlayedServices, type ServiceSpec } from './services';
import { platformOf } from './world';
import type { PostgresServer } from '../simulators/postgres';
import { errorMessage } from '../action-kit';

export interface JobPlan {
  run: RunState;
  workflow: WorkflowFile;
  job: Job;
  raw: MappingToken | undefined;
  key: string;
  /** Prefix of the displayed name (`prod / `) for a job of a called workflow. */
  namePrefix: string;
  inputs: Record<string, Json>;
  secrets: Record<string, string>;
  needs: Record<string, { result: Conclusion; outputs: Record<string, string> }>;
  matrix?: Record<string, Json>;
  strategy?: Record<string, Json>;
  workflowEnv: Record<string, string>;
  workflowPermissions?: Permissions;
  workflowDefaults?: Record<string, string>;
  /** The needed jobs (transitively) all succeeded / one failed. */
  status: { success: boolean; failure: boolean };
}

interface JobState {
  record: JobRecord;
  env: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: Conclusion; conclusion: Conclusion }>;
  failed: boolean;
  cancelled: boolean;
  path: string[];
  vars: Record<string, string>;
  secrets: Record<string, string>;
  token: string;
  permissions: Permissions;
  dirs: { workspace: string; temp: string; home: string; steps: string };
  controller: AbortController;
}

/** The `permissions:` written on a workflow root or a job (undefined when none is written). */
export function permissionsOf(mapping: TemplateToken | undefined): Permissions | undefined {
  return parsePermissions(evaluateToken(findKey(mapping, 'permissions'), { contexts: {} }) ?? undefined);
}

function baseContexts(plan: Pick<JobPlan, 'run' | 'inputs' | 'needs' | 'matrix' | 'strategy'>, vars: Record<string, string>): Contexts {
  return {
    github: plan.run.github,
    inputs: plan.inputs,
    vars,
    needs: plan.needs,
    matrix: plan.matrix ?? {},
    strategy: plan.strategy ?? {},
  };
}

export async function playJob(plan: JobPlan): Promise<JobRecord> {
  const started = Date.now();
  const record: JobRecord = { key: plan.key, id: plan.job.id.value, name: plan.key, matrix: plan.matrix, conclusion: 'skipped', outputs: {}, steps: [], notes: [], durationMs: 0 };
  const vars = { ...(plan.run.world.vars ?? {}) };
  record.name = plan.namePrefix + displayName(plan, vars);
  const finish = (conclusion: Conclusion, note?: string) => {
    record.conclusion = conclusion;
    if (note) record.notes.push(note);
    record.durationMs = Date.now() - started;
    record.finishedAtMs = Date.now();
    return record;
  };

  const condition = plan.job.if?.expression ?? 'success()';
  const cancelled = plan.run.signal.aborted;
  const status = { success: plan.status.success && !cancelled, failure: plan.status.failure, cancelled };
  if (!evaluateCondition(condition, { contexts: baseContexts(plan, vars), status })) {
    return finish('skipped', `if: ${condition} was false`);
  }
  plan.run.log.jobStarted(plan.run.record, record);
  const services = jobServices(plan, vars);
  const unplayable = unplayableParts(plan.job, services, plan.run.world.postgres);
  if (unplayable) return finish('failure', unplayable);

  const claim = await acquireConcurrency(plan, vars, record);
  if (claim === 'cancelled') return finish('cancelled', `cancelled while waiting for concurrency group ${record.concurrencyGroup}`);
  const controller = new AbortController();
  const onRunAbort = () => controller.abort();
  plan.run.signal.addEventListener('abort', onRunAbort, { once: true });
  if (claim) claim.onCancel = (reason) => {
    record.notes.push(reason);
    controller.abort();
  };
  try {
    const environment = await enterEnvironment(plan, vars, record);
    if (environment?.approval === 'rejected') return finish('failure', `deployment to ${environment.name} was rejected by a reviewer`);
    const state = prepareJob(plan, record, vars, environment?.name, controller);
    record.startedAtMs = Date.now();
    let played: PlayedServices | undefined;
    try {
      played = services ? await startServices(services, plan.run.world.postgres!, controller.signal) : undefined;
      record.notes.push(...(played?.notes ?? []));
      await runSteps(plan, state);
      record.outputs = evaluateJobOutputs(plan, state);
      const conclusion: Conclusion = state.cancelled ? 'cancelled' : state.failed ? 'failure' : 'success';
      return finish(conclusion);
    } catch (error) {
      return finish('failure', errorMessage(error));
    } finally {
      await played?.stop();
      platformOf(plan.run.world).tokens.revoke(state.token);
    }
  } finally {
    plan.run.signal.removeEventListener('abort', onRunAbort);
    if (claim) plan.run.concurrency.release(claim);
  }
}

/** The job's `services:` with their expressions evaluated, or undefined when it has none. */
function jobServices(plan: JobPlan, vars: Record<string, string>): Record<string, ServiceSpec> | undefined {
  const token = findKey(plan.raw, 'services');
  if (!token) return undefined;
  return (evaluateToken(token, { contexts: baseContexts(plan, vars) }) ?? {}) as unknown as Record<string, ServiceSpec>;
}

/** Job containers need a container engine, which the player does not have; services only postgres: fail by name. */
function unplayableParts(job: Job, services: Record<string, ServiceSpec> | undefined, postgres: PostgresServer | undefined): string | undefined {
  if (services) return unplayableServices(services, postgres);
  if (job.container) return 'container: job containers are not played by the workflow player (no container engine); this job cannot be rehearsed';
  return undefined;
}

function displayName(plan: JobPlan, vars: Record<string, string>): string {
  // The converter fills in the id when there is no `name:`; only a written name replaces the matrix suffix.
  const token = findKey(plan.raw, 'name') ? plan.job.name : undefined;
  const base = token ? asText(evaluateToken(token, { contexts: baseContexts(plan, vars) })) : plan.job.id.value;
  if (!plan.matrix || token) return base;
  const values = Object.values(plan.matrix).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  return `${base} (${values.join(', ')})`;
}

export async function acquireConcurrency(plan: Pick<JobPlan, 'job' | 'run' | 'inputs' | 'needs' | 'matrix' | 'strategy'>, vars: Record<string, string>, record: JobRecord): Promise<ConcurrencyClaim | undefined | 'cancelled'> {
  const token = plan.job.concurrency;
  if (!token) return undefined;
  const value = evaluateToken(token, { contexts: baseContexts(plan, vars) });
  const group = typeof value === 'string' ? value : asText((value as Record<string, Json>)?.group ?? '');
  const cancelInProgress = typeof value === 'object' && value !== null && !Array.isArray(value) && (value['cancel-in-progress'] === true || value['cancel-in-progress'] === 'true');
  record.concurrencyGroup = group;
  const claim: ConcurrencyClaim = { group, cancelInProgress, holder: `run ${plan.run.record.id} (${plan.run.record.workflowName}) job ${record.name}`, onCancel: (reason) => record.notes.push(reason) };
  const granted = await plan.run.concurrency.acquire(claim);
  return granted ? claim : 'cancelled';
}

async function enterEnvironment(plan: JobPlan, vars: Record<string, string>, record: JobRecord): Promise<EnvironmentRecord | undefined> {
  const token = plan.job.environment;
  if (!token) return undefined;
  const value = evaluateToken(token, { contexts: baseContexts(plan, vars) });
  const name = typeof value === 'string' ? value : asText((value as Record<string, Json> | null)?.name ?? '');
  if (!name) return undefined;
  const platform = platformOf(plan.run.world);
  const repo = plan.run.world.repository;
  let existing = platform.state.environments(repo).find((env) => env.name.toLowerCase() === name.toLowerCase());
  const created = !existing;
  if (!existing) {
    // GitHub creates a referenced environment that does not exist, with no protection rules.
    platform.seed.environment(repo, name);
    existing = { name, reviewers: [], branches: [], rendered: {} };
  }
  const reviewers = existing.reviewers;
  const environment: EnvironmentRecord = { name, created, reviewers, approval: 'not-required' };
  record.environment = environment;
  if (created) record.notes.push(`environment ${name} did not exist: GitHub created it without protection rules`);
  if (reviewers.length > 0) {
    plan.run.log.note(`${record.name}: waiting for a review of the ${name} deployment (required reviewers: ${reviewers.join(', ')})`);
    const decision = (await plan.run.world.review?.({ runId: plan.run.record.id, workflow: plan.run.record.workflowFile, job: record.name, environment: name, reviewers, sha: plan.run.record.sha })) ?? 'approve';
    environment.approval = decision === 'approve' ? 'approved' : 'rejected';
  }
  return environment;
}

function prepareJob(plan: JobPlan, record: JobRecord, vars: Record<string, string>, environment: string | undefined, controller: AbortController): JobState {
  const world = plan.run.world;
  const envVars = environment ? { ...vars, ...(world.environmentVars?.[environment] ?? {}) } : vars;
  const permissions = effectivePermissions(permissionsOf(plan.raw), plan.workflowPermissions);
  record.permissions = permissions;
  const token = platformOf(world).tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: permissions as Record<string, 'read' | 'write' | 'none'> });
  const root = mkdtempSync(path.join(plan.run.root, `${record.id}-`));
  const dirs = { workspace: path.join(root, 'workspace'), temp: path.join(root, 'temp'), home: path.join(root, 'home'), steps: path.join(root, 'steps') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(path.dirname(eventPath(dirs)), { recursive: true });
  writeFileSync(eventPath(dirs), JSON.stringify(plan.run.event));
  const secrets = { ...plan.secrets, ...(environment ? world.environmentSecrets?.[environment] ?? {} : {}), GITHUB_TOKEN: token };
  const state: JobState = { record, env: {}, steps: {}, failed: false, cancelled: false, path: [], vars: envVars, secrets, token, permissions, dirs, controller };
  const contexts = { ...baseContexts(plan, envVars), secrets, env: plan.workflowEnv };
  state.env = { ...plan.workflowEnv, ...evaluateTextMap(plan.job.env, { contexts }) };
  record.notes.push(`GITHUB_TOKEN: ${describePermissions(permissions)}`);
  return state;
}

/** Where the runner writes the webhook payload (`_temp/_github_workflow/event.json`), for every step. */
function eventPath(dirs: { temp: string }): string {
  return path.join(dirs.temp, '_github_workflow', 'event.json');
}

function jobGithub(plan: JobPlan, state: JobState): Record<string, unknown> {
  return { ...plan.run.github, job: plan.job.id.value, token: state.token, workspace: state.dirs.workspace, action_path: '', run_id: String(plan.run.record.id) };
}

function stepContexts(plan: JobPlan, state: JobState, stepEnv: Record<string, string> = {}): Contexts {
  return {
    ...baseContexts(plan, state.vars),
    github: jobGithub(plan, state),
    secrets: state.secrets,
    env: { ...state.env, ...stepEnv },
    steps: state.steps,
    job: { status: state.cancelled ? 'cancelled' : state.failed ? 'failure' : 'success' },
    runner: { os: 'Linux', arch: 'X64', name: 'workflow-player', temp: state.dirs.temp, tool_cache: state.dirs.temp, environment: 'self-hosted' },
  };
}

async function runSteps(plan: JobPlan, state: JobState): Promise<void> {
  const timeoutMinutes = Number(asText(evaluateToken(findKey(plan.raw, 'timeout-minutes'), { contexts: baseContexts(plan, state.vars) })) || 360);
  const timer = setTimeout(() => {
    state.record.notes.push(`The job has exceeded the maximum execution time of ${timeoutMinutes}m0s`);
    state.failed = true;
    state.controller.abort();
  }, timeoutMinutes * 60_000);
  try {
    for (const [index, step] of plan.job.steps.entries()) {
      state.cancelled ||= state.controller.signal.aborted && !state.failed;
      state.record.steps.push(await playStep(plan, state, step, index));
    }
  } finally {
    clearTimeout(timer);
  }
}

async function playStep(plan: JobPlan, state: JobState, step: Step, index: number): Promise<StepRecord> {
  const raw = rawStep(plan.raw, index);
  const id = step.id;
  const uses = 'uses' in step ? step.uses.value : undefined;
  const runToken = 'run' in step ? step.run : undefined;
  const contexts = stepContexts(plan, state);
  const scope = { contexts, status: stepStatus(state.failed, state.controller.signal.aborted), workspace: state.dirs.workspace };
  const name = step.name ? asText(evaluateToken(step.name, scope)) : uses ? `Run ${uses}` : `Run ${(scalarValue(runToken) ?? '').split('\n')[0]}`;
  const record: StepRecord = { id, name, kind: uses ? 'stand-in' : 'run', uses, outcome: 'skipped', conclusion: 'skipped', outputs: {}, log: '', summary: '', errors: [], durationMs: 0 };
  const condition = 'if' in step && step.if ? step.if.expression : 'success()';
  if (!evaluateCondition(condition, scope)) {
    state.steps[id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
    return record;
  }
  const started = Date.now();
  const stepEnv = evaluateTextMap('env' in step ? step.env : undefined, scope);
  const fullScope = { ...scope, contexts: stepContexts(plan, state, stepEnv) };
  const inputs = evaluateTextMap(findKey(raw, 'with'), fullScope);
  const script = runToken ? asText(evaluateToken(runToken, fullScope)) : undefined;
  const defaults = runDefaults(plan, state);
  // `working-directory` and `defaults.run` apply to `run:` steps only; actions start in the workspace.
  const workingDirectory = script === undefined ? state.dirs.workspace : path.resolve(state.dirs.workspace, asText(evaluateToken(findKey(raw, 'working-directory'), fullScope)) || defaults['working-directory'] || '.');
  const stepTimeout = Number(asText(evaluateToken(findKey(raw, 'timeout-minutes'), fullScope)) || 0);
  const signal = stepTimeout > 0 ? AbortSignal.any([state.controller.signal, AbortSignal.timeout(stepTimeout * 60_000)]) : state.controller.signal;
  const env = processEnv(plan, state, stepEnv);
  const outcome = await executeStep({ id: `${index}-${id}`, uses, run: script, shell: asText(evaluateToken(findKey(raw, 'shell'), fullScope)) || defaults.shell || '', workingDirectory, inputs, env, dir: path.join(state.dirs.steps, `${index}`), signal }, { world: plan.run.world, github: jobGithub(plan, state), event: plan.run.event, permissions: state.permissions, token: state.token, environment: state.record.environment?.name, workspace: state.dirs.workspace, temp: state.dirs.temp, runId: plan.run.record.id, artifacts: plan.run.artifacts }).catch((error: unknown) => ({ ok: false, kind: record.kind, outputs: {}, exportedEnv: {}, addedPath: [], summary: '', log: '', errors: [errorMessage(error)], warnings: [] }));
  Object.assign(state.env, outcome.exportedEnv);
  state.path.unshift(...outcome.addedPath);
  const continueOnError = flag(step['continue-on-error'], fullScope);
  record.kind = outcome.kind;
  record.outcome = outcome.ok ? 'success' : signal.aborted && !state.failed ? 'cancelled' : 'failure';
  record.conclusion = record.outcome === 'failure' && continueOnError ? 'success' : record.outcome;
  record.outputs = outcome.outputs;
  record.log = outcome.log;
  record.summary = outcome.summary;
  record.errors = outcome.errors;
  for (const warning of outcome.warnings) state.record.notes.push(`${name}: ${warning}`);
  record.durationMs = Date.now() - started;
  if (record.conclusion === 'failure') state.failed = true;
  if (record.conclusion === 'cancelled') state.cancelled = true;
  state.steps[id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.conclusion };
  return record;
}

/** `continue-on-error`: a literal boolean, or an expression evaluated now. */
function flag(value: boolean | TemplateToken | undefined, scope: Parameters<typeof evaluateToken>[1]): boolean {
  if (value === undefined || typeof value === 'boolean') return value === true;
  return asText(evaluateToken(value, scope)) === 'true';
}

function runDefaults(plan: JobPlan, state: JobState): Record<string, string> {
  const jobDefaults = evaluateToken(findKey(findKey(plan.raw, 'defaults'), 'run'), { contexts: stepContexts(plan, state) });
  return { ...(plan.workflowDefaults ?? {}), ...((jobDefaults as Record<string, string> | null) ?? {}) };
}

/** The step's process environment: the runner's, GitHub's variables, then workflow, job, exported and step env. */
function processEnv(plan: JobPlan, state: JobState, stepEnv: Record<string, string>): Record<string, string> {
  const github = plan.run.github as Record<string, string>;
  const world = plan.run.world;
  const pathEntries = [...state.path, plan.run.shimDir, process.env.PATH ?? ''];
  return {
    PATH: pathEntries.filter(Boolean).join(path.delimiter),
    HOME: state.dirs.home,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: state.dirs.temp,
    GITHUB_WORKSPACE: state.dirs.workspace,
    GITHUB_REPOSITORY: world.repository,
    GITHUB_REPOSITORY_OWNER: world.repository.split('/')[0],
    GITHUB_SHA: github.sha,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref_name,
    GITHUB_HEAD_REF: github.head_ref ?? '',
    GITHUB_BASE_REF: github.base_ref ?? '',
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_EVENT_PATH: eventPath(state.dirs),
    GITHUB_ACTOR: github.actor,
    GITHUB_RUN_ID: String(plan.run.record.id),
    GITHUB_RUN_NUMBER: String(plan.run.record.id),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: plan.job.id.value,
    GITHUB_WORKFLOW: plan.run.record.workflowName,
    GITHUB_WORKFLOW_REF: github.workflow_ref,
    GITHUB_SERVER_URL: github.server_url,
    GITHUB_API_URL: github.api_url,
    GITHUB_GRAPHQL_URL: github.graphql_url,
    ...(world.aws.env.AWS_ENDPOINT_URL ? { AWS_ENDPOINT_URL: world.aws.env.AWS_ENDPOINT_URL, AWS_EC2_METADATA_DISABLED: 'true' } : {}),
    ...(world.runnerEnv ?? {}),
    ...state.env,
    ...stepEnv,
  };
}

function evaluateJobOutputs(plan: JobPlan, state: JobState): Record<string, string> {
  if (!plan.job.outputs) return {};
  return evaluateTextMap(plan.job.outputs, { contexts: stepContexts(plan, state) });
}

/**
 * One workflow run: the job graph with `needs` (jobs start as soon as what they need is done), matrix
 * legs, and calls of reusable workflows (`uses: ./.github/workflows/x.yml`) with their inputs, secrets,
 * permissions (a called job may not ask for more than its caller has) and outputs.
 */
import type { Job, ReusableWorkflowJob, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { asText, evaluateCondition, evaluateTextMap, evaluateToken, type Contexts, type Json } from './expressions';
import type { ConcurrencyClaim } from './concurrency';
import { acquireConcurrency, permissionsOf, playJob } from './job';
import { expandMatrix } from './matrix';
import { effectivePermissions, exceedsCaller, type Permissions } from './permissions';
import type { Conclusion, JobRecord } from './records';
import type { RunState } from './run-state';
import { findKey, localWorkflowFile, rawJob, type WorkflowFile } from './workflow-file';

export interface NeedResult {
  result: Conclusion;
  outputs: Record<string, string>;
}

interface GraphScope {
  run: RunState;
  workflow: WorkflowFile;
  workflows: Map<string, WorkflowFile>;
  inputs: Record<string, Json>;
  secrets: Record<string, string>;
  workflowEnv: Record<string, string>;
  workflowPermissions?: Permissions;
  workflowDefaults?: Record<string, string>;
  /** `prod / ` for the jobs of a workflow called by job prod. */
  prefix: string;
  keyPrefix: string;
  /** Concurrency claims held above these jobs (the run's, caller jobs', called workflows'). */
  held: readonly ConcurrencyClaim[];
}

/** Plays a whole workflow file as one run; the run's jobs land in run.record.jobs. */
export async function playWorkflow(run: RunState, workflow: WorkflowFile, workflows: Map<string, WorkflowFile>, inputs: Record<string, Json>, secrets: Record<string, string>): Promise<Record<string, NeedResult>> {
  const contexts: Contexts = { github: run.github, inputs, vars: run.world.vars ?? {}, secrets };
  const scope: GraphScope = {
    run,
    workflow,
    workflows,
    inputs,
    secrets,
    workflowEnv: evaluateTextMap(workflow.template.env, { contexts }),
    workflowPermissions: permissionsOf(workflow.root),
    workflowDefaults: evaluateTextMap(findKey(findKey(workflow.root, 'defaults'), 'run'), { contexts }),
    prefix: '',
    keyPrefix: '',
    held: run.claim ? [run.claim] : [],
  };
  return playGraph(scope, workflow.template.jobs);
}

async function playGraph(scope: GraphScope, jobs: WorkflowJob[]): Promise<Record<string, NeedResult>> {
  const results: Record<string, NeedResult> = {};
  const done = new Map<string, Promise<NeedResult>>();
  const byId = new Map(jobs.map((job) => [job.id.value, job]));
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const need of byId.get(id)?.needs ?? []) {
      if (!seen.has(need.value)) {
        seen.add(need.value);
        ancestors(need.value, seen);
      }
    }
    return seen;
  };
  const start = (job: WorkflowJob): Promise<NeedResult> => {
    const existing = done.get(job.id.value);
    if (existing) return existing;
    const promise = (async () => {
      const needs = job.needs ?? [];
      await Promise.all(needs.map((need) => start(byId.get(need.value)!)));
      const direct = Object.fromEntries(needs.map((need) => [need.value, results[need.value]]));
      const chain = [...ancestors(job.id.value)].map((id) => results[id]);
      // GitHub judges a job's implicit success() over its whole dependency chain, not only its direct
      // needs: a skipped or failed ancestor anywhere makes it false (the runner's long-standing rule).
      const status = { success: chain.every((n) => n.result === 'success'), failure: chain.some((n) => n.result === 'failure') };
      const result = job.type === 'reusableWorkflowJob' ? await playCall(scope, job, direct, status) : await playLegs(scope, job, direct, status);
      results[job.id.value] = result;
      return result;
    })();
    done.set(job.id.value, promise);
    return promise;
  };
  await Promise.all(jobs.map(start));
  return results;
}

function record(scope: GraphScope, job: JobRecord): void {
  scope.run.record.jobs.push(job);
  scope.run.log.jobFinished(scope.run.record, job);
}

function aggregate(results: Conclusion[]): Conclusion {
  if (results.length === 0) return 'skipped';
  if (results.includes('failure')) return 'failure';
  if (results.includes('cancelled')) return 'cancelled';
  if (results.every((r) => r === 'skipped')) return 'skipped';
  return 'success';
}

async function playLegs(scope: GraphScope, job: Job, needs: Record<string, NeedResult>, status: { success: boolean; failure: boolean }): Promise<NeedResult> {
  const raw = rawJob(scope.workflow.root, job.id.value);
  const contexts: Contexts = { github: scope.run.github, inputs: scope.inputs, vars: scope.run.world.vars ?? {}, needs };
  const strategy = job.strategy ? (evaluateToken(job.strategy, { contexts }) as Record<string, Json> | null) : null;
  const legs = strategy?.matrix ? expandMatrix(strategy.matrix as Record<string, Json>) : [undefined];
  const records = await Promise.all(
    legs.map((matrix, index) =>
      playJob({
        run: scope.run,
        workflow: scope.workflow,
        job,
        raw,
        key: scope.keyPrefix + (matrix ? `${job.id.value} (${Object.values(matrix).map((v) => asText(v)).join(', ')})` : job.id.value),
        namePrefix: scope.prefix,
        inputs: scope.inputs,
        secrets: scope.secrets,
        needs,
        matrix,
        strategy: matrix ? { 'fail-fast': strategy?.['fail-fast'] ?? true, 'job-index': index, 'job-total': legs.length, 'max-parallel': legs.length } : undefined,
        workflowEnv: scope.workflowEnv,
        workflowPermissions: scope.workflowPermissions,
        workflowDefaults: scope.workflowDefaults,
        status,
        held: scope.held,
      }).then((done) => {
        record(scope, done);
        return done;
      }),
    ),
  );
  return { result: aggregate(records.map((r) => r.conclusion)), outputs: Object.assign({}, ...records.map((r) => r.outputs)) };
}

/** A job that calls a reusable workflow of the same folder. */
async function playCall(scope: GraphScope, job: ReusableWorkflowJob, needs: Record<string, NeedResult>, status: { success: boolean; failure: boolean }): Promise<NeedResult> {
  const run = scope.run;
  const vars = run.world.vars ?? {};
  const callerContexts: Contexts = { github: run.github, inputs: scope.inputs, vars, needs, secrets: scope.secrets };
  const callerName = scope.prefix + (job.name ? asText(evaluateToken(job.name, { contexts: callerContexts })) : job.id.value);
  const condition = job.if?.expression ?? 'success()';
  if (!evaluateCondition(condition, { contexts: callerContexts, status: { ...status, success: status.success && !run.signal.aborted, cancelled: run.signal.aborted } })) {
    record(scope, { key: scope.keyPrefix + job.id.value, id: job.id.value, name: callerName, conclusion: 'skipped', outputs: {}, steps: [], notes: [`if: ${condition} was false`], durationMs: 0 });
    return { result: 'skipped', outputs: {} };
  }
  const file = localWorkflowFile(job.ref.value);
  const callee = file ? scope.workflows.get(file) : undefined;
  const fail = (note: string): NeedResult => {
    record(scope, { key: scope.keyPrefix + job.id.value, id: job.id.value, name: callerName, conclusion: 'failure', outputs: {}, steps: [], notes: [note], durationMs: 0 });
    return { result: 'failure', outputs: {} };
  };
  if (!callee) return fail(`${job.ref.value}: only reusable workflows of the same folder are played`);

  const callerRaw = rawJob(scope.workflow.root, job.id.value);
  const callerPermissions = effectivePermissions(permissionsOf(callerRaw), scope.workflowPermissions);
  const inputs = callInputs(job, callerContexts);
  if (typeof inputs === 'string') return fail(inputs);
  const secrets = job['inherit-secrets'] ? scope.secrets : evaluateTextMap(job['secret-values'], { contexts: callerContexts });
  const calleeContexts: Contexts = { github: run.github, inputs, vars, secrets };
  const calleePermissions = permissionsOf(callee.root);
  const problems = (job.jobs ?? []).flatMap((inner) => {
    const asked = effectivePermissions(permissionsOf(rawJob(callee.root, inner.id.value)), calleePermissions, callerPermissions);
    return exceedsCaller(asked, callerPermissions, inner.id.value);
  });
  if (problems.length > 0) return fail(problems.join(' '));

  const inner: GraphScope = {
    run,
    workflow: callee,
    workflows: scope.workflows,
    inputs,
    secrets,
    workflowEnv: evaluateTextMap(callee.template.env, { contexts: calleeContexts }),
    // A called workflow without permissions of its own gets what its caller job has.
    workflowPermissions: calleePermissions ?? callerPermissions,
    workflowDefaults: evaluateTextMap(findKey(findKey(callee.root, 'defaults'), 'run'), { contexts: calleeContexts }),
    prefix: `${callerName} / `,
    keyPrefix: `${scope.keyPrefix}${job.id.value}/`,
    held: scope.held,
  };
  const results = await playCalledJobs(scope, job, needs, callerName, inner);
  if (results === 'cancelled') return { result: 'cancelled', outputs: {} };
  return { result: aggregate(Object.values(results).map((r) => r.result)), outputs: callOutputs(job, calleeContexts, results) };
}

/**
 * The called workflow's jobs, under the caller job's own concurrency group and then the called
 * workflow's top-level one, both held for the whole call. Either naming a group held above it is
 * GitHub's deadlock: cancelled, never waited for.
 */
async function playCalledJobs(scope: GraphScope, job: ReusableWorkflowJob, needs: Record<string, NeedResult>, callerName: string, inner: GraphScope): Promise<Record<string, NeedResult> | 'cancelled'> {
  const run = scope.run;
  const vars = run.world.vars ?? {};
  const holder: JobRecord = { key: scope.keyPrefix + job.id.value, id: job.id.value, name: callerName, conclusion: 'skipped', outputs: {}, steps: [], notes: [], durationMs: 0 };
  const claims: ConcurrencyClaim[] = [];
  try {
    const caller = await acquireConcurrency({ job: job as unknown as Job, run, inputs: scope.inputs, needs, held: scope.held }, vars, holder);
    if (caller && caller !== 'cancelled') claims.push(caller);
    const callee = caller === 'cancelled' ? 'cancelled' : await acquireConcurrency({ job: job as unknown as Job, run, inputs: inner.inputs, needs: {}, held: [...scope.held, ...claims] }, vars, holder, { token: inner.workflow.template.concurrency, label: job.id.value });
    if (callee === 'cancelled') {
      record(scope, { ...holder, conclusion: 'cancelled' });
      return 'cancelled';
    }
    if (callee) claims.push(callee);
    return await playGraph({ ...inner, held: [...scope.held, ...claims] }, job.jobs ?? []);
  } finally {
    for (const claim of claims.reverse()) run.concurrency.release(claim);
  }
}

/** on.workflow_call.outputs: each output's `value` reads the called jobs. */
function callOutputs(job: ReusableWorkflowJob, calleeContexts: Contexts, results: Record<string, NeedResult>): Record<string, string> {
  return Object.fromEntries(
    [...((job.outputs as unknown as Iterable<{ key: TemplateToken; value: TemplateToken }>) ?? [])].map((pair) => [
      asText(evaluateToken(pair.key, { contexts: {} })),
      asText(evaluateToken(findKey(pair.value, 'value'), { contexts: { ...calleeContexts, jobs: results } })),
    ]),
  );
}

/** `with:` of a call, checked against the callee's `inputs:` (types, defaults, required). */
function callInputs(job: ReusableWorkflowJob, contexts: Contexts): Record<string, Json> | string {
  const given = (evaluateToken(job['input-values'], { contexts }) as Record<string, Json> | null) ?? {};
  const definitions = (evaluateToken(job['input-definitions'] as MappingToken | undefined, { contexts: { github: contexts.github, inputs: {}, vars: contexts.vars } }) as Record<string, Record<string, Json>> | null) ?? {};
  const inputs: Record<string, Json> = {};
  for (const name of Object.keys(given)) {
    if (!(name in definitions)) return `Invalid input, ${name} is not defined in the referenced workflow.`;
  }
  for (const [name, definition] of Object.entries(definitions)) {
    const value = name in given ? given[name] : definition.default;
    if (value === undefined || value === null) {
      if (definition.required === true) return `Input ${name} is required, but not provided while calling.`;
      inputs[name] = definition.type === 'boolean' ? false : definition.type === 'number' ? 0 : '';
      continue;
    }
    if (definition.type === 'boolean') inputs[name] = value === true || value === 'true';
    else if (definition.type === 'number') inputs[name] = Number(value);
    else inputs[name] = asText(value);
  }
  return inputs;
}

export type { MappingToken };

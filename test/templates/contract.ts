// The contract between the templates and what they call: the bundle's actions (their action.yml) and
// the reusable workflows among the templates. GitHub only finds these mistakes at run time, often as an
// empty string rather than an error, so they are checked here.
import { type ActionMetadata } from './actions';
import { expressionsIn, inputReferences, needsReferences, stepReferences } from './expressions';
import { BUNDLE_PREFIX } from './rules';
import { events, isObject, jobs, needsOf, withOf, type Job, type Json, type JsonObject, type Workflow } from './workflow';

export interface ContractViolation {
  check: ContractCheck;
  where: string;
  message: string;
}

export type ContractCheck =
  | 'bundle-action'
  | 'action-inputs'
  | 'step-outputs'
  | 'needs-outputs'
  | 'reusable-call'
  | 'declared-inputs';

const LOCAL_WORKFLOW = /^\.\/\.github\/workflows\/([^/@]+\.ya?ml)$/;
const LEVELS: Record<string, number> = { none: 0, read: 1, write: 2 };

interface Context {
  actions: Map<string, ActionMetadata>;
  /** Templates by file name: a call to ./.github/workflows/<file> is the template <file>. */
  workflows: Map<string, Workflow>;
}

const at = (workflow: Workflow, job: Job, step?: string): string =>
  `${workflow.name} jobs.${job.id}${step ? ` step ${step}` : ''}`;

/** `org/connect2-actions/<name>@<ref>` split, or undefined for anything else. */
function bundleAction(uses: string): { name: string; ref: string } | undefined {
  if (!uses.startsWith(BUNDLE_PREFIX)) return undefined;
  const match = /^([^@/]+)@(.+)$/.exec(uses.slice(BUNDLE_PREFIX.length));
  return match ? { name: match[1], ref: match[2] } : { name: uses.slice(BUNDLE_PREFIX.length), ref: '' };
}

function workflowCall(workflow: Workflow): JsonObject | undefined {
  const call = events(workflow).workflow_call;
  if (call === undefined) return undefined;
  return isObject(call) ? call : {};
}

const section = (node: JsonObject | undefined, key: string): JsonObject =>
  node && isObject(node[key]) ? node[key] : {};

function checkActionSteps(workflow: Workflow, job: Job, context: Context): ContractViolation[] {
  const violations: ContractViolation[] = [];
  for (const step of job.steps) {
    const uses = typeof step.data.uses === 'string' ? step.data.uses : '';
    const ref = bundleAction(uses);
    if (!ref) continue;
    const where = at(workflow, job, step.label);
    const action = context.actions.get(ref.name);
    if (!action) {
      violations.push({ check: 'bundle-action', where, message: `${uses}: no action folder ${ref.name}/ with an action.yml` });
      continue;
    }
    if (ref.ref !== 'v1') violations.push({ check: 'bundle-action', where, message: `${uses}: templates reference the bundle at @v1` });
    const given = withOf(step.data);
    for (const key of Object.keys(given)) {
      if (!action.inputs.has(key)) violations.push({ check: 'action-inputs', where, message: `${ref.name} has no input '${key}'` });
    }
    for (const [name, input] of action.inputs) {
      if (input.required && !input.hasDefault && !(name in given)) {
        violations.push({ check: 'action-inputs', where, message: `${ref.name} requires input '${name}'` });
      }
    }
  }
  return violations;
}

/** What a step reference may name: the step exists, ran before the reader, and has that output. */
function checkStepReferences(workflow: Workflow, job: Job, context: Context): ContractViolation[] {
  const violations: ContractViolation[] = [];
  const byId = new Map(job.steps.filter((step) => step.id).map((step) => [step.id as string, step]));
  const { steps: _steps, ...jobLevel } = job.data;
  const readers: { where: string; before: number; expressions: string[] }[] = [
    { where: at(workflow, job), before: Number.POSITIVE_INFINITY, expressions: expressionsIn(jobLevel) },
    ...job.steps.map((step) => ({ where: at(workflow, job, step.label), before: step.index, expressions: expressionsIn(step.data) })),
  ];
  for (const reader of readers) {
    for (const ref of reader.expressions.flatMap(stepReferences)) {
      const target = byId.get(ref.step);
      if (!target) {
        violations.push({ check: 'step-outputs', where: reader.where, message: `steps.${ref.step}: no step with id '${ref.step}' in this job` });
        continue;
      }
      if (target.index >= reader.before) {
        violations.push({ check: 'step-outputs', where: reader.where, message: `steps.${ref.step} is read before it runs` });
        continue;
      }
      if (ref.output === undefined) continue;
      const uses = typeof target.data.uses === 'string' ? target.data.uses : '';
      const action = bundleAction(uses);
      const metadata = action && context.actions.get(action.name);
      if (metadata && !metadata.outputs.has(ref.output)) {
        violations.push({ check: 'step-outputs', where: reader.where, message: `steps.${ref.step}.outputs.${ref.output}: ${action?.name} has no output '${ref.output}'` });
      }
      // A run step's outputs are what it writes to $GITHUB_OUTPUT as `name=value`.
      if (typeof target.data.run === 'string' && !target.data.run.includes(`${ref.output}=`)) {
        violations.push({ check: 'step-outputs', where: reader.where, message: `steps.${ref.step}.outputs.${ref.output}: the script never writes '${ref.output}=' to GITHUB_OUTPUT` });
      }
    }
  }
  return violations;
}

function jobOutputs(job: Job, context: Context): Set<string> | undefined {
  if (job.uses) {
    const callee = calleeOf(job, context);
    return callee ? new Set(Object.keys(section(workflowCall(callee), 'outputs'))) : undefined;
  }
  return new Set(Object.keys(isObject(job.data.outputs) ? job.data.outputs : {}));
}

function checkNeedsReferences(workflow: Workflow, job: Job, context: Context): ContractViolation[] {
  const all = new Map(jobs(workflow).map((other) => [other.id, other]));
  const needs = needsOf(job);
  return expressionsIn(job.data).flatMap(needsReferences).flatMap((ref): ContractViolation[] => {
    const where = at(workflow, job);
    if (!needs.includes(ref.job)) return [{ check: 'needs-outputs', where, message: `needs.${ref.job}: '${ref.job}' is not in needs` }];
    const target = all.get(ref.job);
    if (!target) return [{ check: 'needs-outputs', where, message: `needs.${ref.job}: no such job` }];
    const outputs = jobOutputs(target, context);
    if (ref.output !== undefined && outputs && !outputs.has(ref.output)) {
      return [{ check: 'needs-outputs', where, message: `needs.${ref.job}.outputs.${ref.output}: job '${ref.job}' has no such output` }];
    }
    return [];
  });
}

function calleeOf(job: Job, context: Context): Workflow | undefined {
  const match = job.uses ? LOCAL_WORKFLOW.exec(job.uses) : null;
  return match ? context.workflows.get(match[1]) : undefined;
}

function level(permissions: Json | undefined, scope: string): number {
  if (permissions === 'write-all') return LEVELS.write;
  if (permissions === 'read-all') return LEVELS.read;
  if (!isObject(permissions)) return LEVELS.none;
  return LEVELS[String(permissions[scope] ?? 'none')] ?? LEVELS.none;
}

/** A call matches the callee's workflow_call inputs and secrets, and grants what its jobs ask for. */
function checkReusableCall(workflow: Workflow, job: Job, context: Context): ContractViolation[] {
  if (!job.uses || !job.uses.startsWith('./')) return [];
  const where = at(workflow, job);
  const callee = calleeOf(job, context);
  if (!callee) return [{ check: 'reusable-call', where, message: `${job.uses}: no such template (expected ./.github/workflows/<template>.yml)` }];
  const call = workflowCall(callee);
  if (!call) return [{ check: 'reusable-call', where, message: `${callee.name} has no on.workflow_call` }];
  const violations: ContractViolation[] = [];
  const declare = (kind: 'inputs' | 'secrets', given: JsonObject): void => {
    const declared = section(call, kind);
    for (const key of Object.keys(given)) {
      if (!(key in declared)) violations.push({ check: 'reusable-call', where, message: `${callee.name} declares no ${kind.slice(0, -1)} '${key}'` });
    }
    for (const [name, spec] of Object.entries(declared)) {
      const required = isObject(spec) && spec.required === true && spec.default === undefined;
      if (required && !(name in given)) violations.push({ check: 'reusable-call', where, message: `${callee.name} requires ${kind.slice(0, -1)} '${name}'` });
    }
  };
  declare('inputs', withOf(job.data));
  if (job.data.secrets !== 'inherit') declare('secrets', isObject(job.data.secrets) ? job.data.secrets : {});
  // GitHub lets a called workflow only narrow the caller's grants; asking for more fails the run.
  for (const calleeJob of jobs(callee)) {
    const wanted = isObject(calleeJob.data.permissions) ? calleeJob.data.permissions : {};
    for (const scope of Object.keys(wanted)) {
      if (level(wanted, scope) > level(job.data.permissions, scope)) {
        violations.push({ check: 'reusable-call', where, message: `${callee.name} jobs.${calleeJob.id} needs ${scope}: ${String(wanted[scope])}, the caller grants less` });
      }
    }
  }
  return violations;
}

/** Every `inputs.x` read is declared by workflow_call or workflow_dispatch. */
function checkDeclaredInputs(workflow: Workflow): ContractViolation[] {
  const on = events(workflow);
  const declared = new Set<string>();
  for (const event of ['workflow_call', 'workflow_dispatch']) {
    const config = on[event];
    if (isObject(config)) Object.keys(section(config, 'inputs')).forEach((name) => declared.add(name));
  }
  const { on: _on, ...rest } = workflow.data;
  return [...new Set(expressionsIn(rest).flatMap(inputReferences))]
    .filter((name) => !declared.has(name))
    .map((name) => ({ check: 'declared-inputs' as const, where: workflow.name, message: `inputs.${name} is read but not declared` }));
}

/** workflow_call outputs read `jobs.<id>.outputs.<name>` of a job that declares it. */
function checkCallOutputs(workflow: Workflow, context: Context): ContractViolation[] {
  const all = new Map(jobs(workflow).map((job) => [job.id, job]));
  return expressionsIn(section(workflowCall(workflow), 'outputs')).flatMap((expression) =>
    [...expression.matchAll(/\bjobs\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g)].flatMap((m): ContractViolation[] => {
      const job = all.get(m[1]);
      const outputs = job && jobOutputs(job, context);
      return outputs?.has(m[2]) ? [] : [{ check: 'needs-outputs', where: `${workflow.name} on.workflow_call.outputs`, message: `jobs.${m[1]}.outputs.${m[2]} is not an output of a job here` }];
    }),
  );
}

export function checkContract(workflow: Workflow, actions: Map<string, ActionMetadata>, workflows: Workflow[]): ContractViolation[] {
  const context: Context = { actions, workflows: new Map(workflows.map((w) => [w.name, w])) };
  return [
    ...jobs(workflow).flatMap((job) => [
      ...checkActionSteps(workflow, job, context),
      ...checkStepReferences(workflow, job, context),
      ...checkNeedsReferences(workflow, job, context),
      ...checkReusableCall(workflow, job, context),
    ]),
    ...checkDeclaredInputs(workflow),
    ...checkCallOutputs(workflow, context),
  ];
}

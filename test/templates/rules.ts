// The security rules every template must follow (issue 9, "Security in every file"). Each rule is a
// function from a workflow to its violations, so a test can show every rule failing on a bad example.
import { isPair, isScalar, visit } from 'yaml';
import { events, isObject, jobs, withOf, type Job, type Json, type Workflow } from './workflow';

export interface Violation {
  rule: RuleId;
  where: string;
  message: string;
}

export type RuleId =
  | 'no-pull-request-target'
  | 'top-level-permissions'
  | 'job-permissions'
  | 'oidc-not-keys'
  | 'pinned-actions'
  | 'no-expression-in-run'
  | 'checkout-persist-credentials'
  | 'deploy-concurrency'
  | 'no-secrets-inherit';

export type Rule = (workflow: Workflow) => Violation[];

/** Actions of this bundle: by major tag (the convenience form) or pinned to a release commit by scripts/pin-bundle.mjs. */
export const BUNDLE_PREFIX = 'org/connect2-actions/';
const FULL_SHA = /^[^@\s]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v\d+(\.\d+)*\b/;
const CONFIGURE_AWS = 'aws-actions/configure-aws-credentials@';
const CHECKOUT = 'actions/checkout@';
const ACCESS_KEY_INPUTS = ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token'];
const ACCESS_KEY_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

const where = (workflow: Workflow, job?: Job, step?: string): string =>
  [workflow.name, job && `jobs.${job.id}`, step && `step ${step}`].filter(Boolean).join(' ');

const usesOf = (data: { [key: string]: Json }): string => (typeof data.uses === 'string' ? data.uses : '');

/** A permissions value grants nothing beyond reading. */
function readOnly(permissions: Json | undefined): boolean {
  if (permissions === 'read-all') return true;
  if (!isObject(permissions)) return false;
  return Object.values(permissions).every((level) => level === 'read' || level === 'none');
}

function grants(job: Job, scope: string, level: 'read' | 'write'): boolean {
  const permissions = job.data.permissions;
  if (permissions === 'write-all') return true;
  if (permissions === 'read-all') return level === 'read';
  if (!isObject(permissions)) return false;
  const granted = permissions[scope];
  return granted === 'write' || (level === 'read' && granted === 'read');
}

const noPullRequestTarget: Rule = (workflow) =>
  'pull_request_target' in events(workflow)
    ? [{
        rule: 'no-pull-request-target',
        where: where(workflow),
        message: 'pull_request_target runs PR code with a write token and secrets; use pull_request',
      }]
    : [];

const topLevelPermissions: Rule = (workflow) => {
  const permissions = workflow.data.permissions;
  if (permissions === undefined) {
    return [{ rule: 'top-level-permissions', where: where(workflow), message: 'no top-level permissions: the token gets the repository default (often write-all)' }];
  }
  return readOnly(permissions)
    ? []
    : [{ rule: 'top-level-permissions', where: where(workflow), message: `top-level permissions must be {} or read-only, got ${JSON.stringify(permissions)}` }];
};

/**
 * What justifies a write grant: a step that needs it. A write scope with no such step is a grant an
 * attacker who gets code into the job could use and the job itself never does.
 */
const WRITE_NEEDED_BY: Record<string, { actions: RegExp; script?: RegExp }> = {
  'id-token': { actions: /^aws-actions\/configure-aws-credentials@/ },
  contents: { actions: /\/create-release@/, script: /\bgit push\b|\bgh release\b/ },
  'pull-requests': { actions: /\/(classify-pr|terraform-plan-comment|api-diff)@/, script: /\bgh pr (create|edit|comment|merge)\b/ },
  // deploy.yml and rollback.yml record each deploy as a GitHub deployment and its statuses.
  deployments: { actions: /^$/, script: /\bgh api "?repos\/[^\s"]+\/deployments\b/ },
};

function writeIsUsed(job: Job, scope: string): boolean {
  const need = WRITE_NEEDED_BY[scope];
  if (!need) return false;
  return job.steps.some((step) =>
    need.actions.test(usesOf(step.data)) || (need.script !== undefined && typeof step.data.run === 'string' && need.script.test(step.data.run)));
}

/** Every job states its grants as a mapping (no write-all/read-all) and writes only where a step needs it. */
const jobPermissions: Rule = (workflow) =>
  jobs(workflow).flatMap((job): Violation[] => {
    const permissions = job.data.permissions;
    const at = where(workflow, job);
    if (!isObject(permissions)) {
      return [{ rule: 'job-permissions', where: at, message: `job permissions must be an explicit mapping of scopes, got ${JSON.stringify(permissions ?? null)}` }];
    }
    // A reusable-workflow call passes its grants down; the contract check matches them to the callee.
    if (job.uses) return [];
    return Object.entries(permissions)
      .filter(([scope, level]) => level === 'write' && !writeIsUsed(job, scope))
      .map(([scope]) => ({ rule: 'job-permissions' as const, where: at, message: `${scope}: write granted but no step of the job needs it` }));
  });

const oidcNotKeys: Rule = (workflow) => {
  const violations: Violation[] = [];
  const envHasKeys = (env: Json | undefined, at: string): void => {
    if (!isObject(env)) return;
    for (const name of ACCESS_KEY_ENV) {
      if (name in env) violations.push({ rule: 'oidc-not-keys', where: at, message: `${name} in env: long-lived keys; use OIDC` });
    }
  };
  envHasKeys(workflow.data.env, where(workflow));
  for (const job of jobs(workflow)) {
    envHasKeys(job.data.env, where(workflow, job));
    for (const step of job.steps) {
      const at = where(workflow, job, step.label);
      envHasKeys(step.data.env, at);
      if (!usesOf(step.data).startsWith(CONFIGURE_AWS)) continue;
      const inputs = withOf(step.data);
      for (const key of ACCESS_KEY_INPUTS) {
        if (key in inputs) violations.push({ rule: 'oidc-not-keys', where: at, message: `${key}: long-lived keys; assume a role with OIDC` });
      }
      if (typeof inputs['role-to-assume'] !== 'string' || inputs['role-to-assume'] === '') {
        violations.push({ rule: 'oidc-not-keys', where: at, message: 'configure-aws-credentials without role-to-assume' });
      }
      if (!grants(job, 'id-token', 'write')) {
        violations.push({ rule: 'oidc-not-keys', where: at, message: 'OIDC needs id-token: write in the job permissions' });
      }
    }
  }
  return violations;
};

/**
 * Every action from outside the bundle is pinned by a full commit SHA with its version in a comment
 * (`uses: actions/checkout@<sha> # v4.2.2`); a tag can be moved, as in the tj-actions compromise.
 * Reads the YAML document because the version comment is not part of the data.
 */
const pinnedActions: Rule = (workflow) => {
  const violations: Violation[] = [];
  visit(workflow.doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== 'uses' || !isScalar(pair.value)) return;
      const uses = String(pair.value.value);
      if (uses.startsWith('./')) return;
      const at = `${workflow.name} uses: ${uses}`;
      // The bundle: its major tag (the convenience form) or a release commit (scripts/pin-bundle.mjs).
      if (uses.startsWith(BUNDLE_PREFIX)) {
        if (/@v\d+$/.test(uses)) return;
        if (!FULL_SHA.test(uses) || !VERSION_COMMENT.test(pair.value.comment ?? '')) {
          violations.push({ rule: 'pinned-actions', where: at, message: 'the bundle by its major tag (@v1) or a release commit with its version in a comment (scripts/pin-bundle.mjs)' });
        }
        return;
      }
      if (uses.startsWith('docker://')) {
        if (!/@sha256:[0-9a-f]{64}$/.test(uses)) violations.push({ rule: 'pinned-actions', where: at, message: 'docker image not pinned by digest' });
        return;
      }
      if (!FULL_SHA.test(uses)) {
        violations.push({ rule: 'pinned-actions', where: at, message: 'not pinned by a full 40-character commit SHA' });
      } else if (!VERSION_COMMENT.test(pair.value.comment ?? '')) {
        violations.push({ rule: 'pinned-actions', where: at, message: 'pinned without the version in a comment (`# v1.2.3`)' });
      }
    },
  });
  return violations;
};

/** `${{ }}` in a script is template injection waiting to happen; values go through env. */
const noExpressionInRun: Rule = (workflow) =>
  jobs(workflow).flatMap((job) =>
    job.steps
      .filter((step) => typeof step.data.run === 'string' && step.data.run.includes('${{'))
      .map((step) => ({
        rule: 'no-expression-in-run' as const,
        where: where(workflow, job, step.label),
        message: 'expression interpolated into run:; pass the value through env:',
      })),
  );

const checkoutPersistCredentials: Rule = (workflow) =>
  jobs(workflow).flatMap((job) =>
    job.steps
      .filter((step) => usesOf(step.data).startsWith(CHECKOUT))
      .filter((step) => {
        const value = withOf(step.data)['persist-credentials'];
        return value !== false && value !== 'false';
      })
      .map((step) => ({
        rule: 'checkout-persist-credentials' as const,
        where: where(workflow, job, step.label),
        message: 'checkout without persist-credentials: false leaves the token in .git/config',
      })),
  );

/** A job that deploys: it runs in a GitHub environment or changes ECS. */
function deploys(job: Job): boolean {
  if (job.data.environment !== undefined) return true;
  return job.steps.some((step) => /\/(ecs-deploy|run-migration)@/.test(usesOf(step.data)));
}

/** `{ group: deploy-<env>, cancel-in-progress: false }`, or why not. */
function deployGroupProblems(concurrency: Json | undefined): string[] {
  if (!isObject(concurrency)) return ['without concurrency { group: deploy-<env>, cancel-in-progress: false }'];
  const problems: string[] = [];
  if (typeof concurrency.group !== 'string' || !concurrency.group.startsWith('deploy-')) {
    problems.push(`concurrency group must be deploy-<env>, got ${JSON.stringify(concurrency.group ?? null)}`);
  }
  if (concurrency['cancel-in-progress'] !== false) problems.push('cancel-in-progress must be false: a rollout is never cut in half');
  return problems;
}

/** The reusable workflows that change an environment; whoever calls them holds its deploy group. */
const DEPLOYING_CALLEES = /^\.\/\.github\/workflows\/(deploy|terraform-apply)\.ya?ml$/;

/**
 * One change per environment at a time: a job that deploys, or calls a workflow that does, holds a
 * `deploy-<env>` group with cancel-in-progress false, at its own level or its workflow's. A workflow
 * called with workflow_call only leaves the group to its caller (a group held twice would wait on itself).
 */
const deployConcurrency: Rule = (workflow) => {
  const triggers = Object.keys(events(workflow));
  if (triggers.length === 1 && triggers[0] === 'workflow_call') return [];
  const workflowGroup = deployGroupProblems(workflow.data.concurrency).length === 0;
  return jobs(workflow)
    .filter((job) => (job.uses ? DEPLOYING_CALLEES.test(job.uses) : deploys(job)))
    .flatMap((job): Violation[] => {
      if (workflowGroup) return [];
      return deployGroupProblems(job.data.concurrency).map((message) => ({ rule: 'deploy-concurrency', where: where(workflow, job), message: `deploy job ${message}` }));
    });
};

const noSecretsInherit: Rule = (workflow) =>
  jobs(workflow)
    .filter((job) => job.data.secrets === 'inherit')
    .map((job) => ({ rule: 'no-secrets-inherit' as const, where: where(workflow, job), message: 'secrets: inherit hands every secret to the callee; pass the ones it declares' }));

export const RULES: Record<RuleId, Rule> = {
  'no-pull-request-target': noPullRequestTarget,
  'top-level-permissions': topLevelPermissions,
  'job-permissions': jobPermissions,
  'oidc-not-keys': oidcNotKeys,
  'pinned-actions': pinnedActions,
  'no-expression-in-run': noExpressionInRun,
  'checkout-persist-credentials': checkoutPersistCredentials,
  'deploy-concurrency': deployConcurrency,
  'no-secrets-inherit': noSecretsInherit,
};

export function checkSecurity(workflow: Workflow): Violation[] {
  return Object.values(RULES).flatMap((rule) => rule(workflow));
}

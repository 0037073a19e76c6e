// Least-privilege IAM policies of the AWS-using actions, generated from what the code really sends.
//
// test/iam/iam-policies.test.ts drives each bundle through the scenarios that reach every AWS call,
// records the operations the simulator received (plus the IAM-only requirements AWS documents and no
// API call shows: iam:PassRole, ecs:TagResource on tag-on-create) and writes them to
// .iam/operations.json. This script turns that file into <action>/iam-policy.json and the
// "AWS permissions" table of each action's README (between <!-- iam:start --> / <!-- iam:end -->).
//
//   npx vitest run test/iam && npm run iam     regenerate the policies and the README tables
//   node scripts/iam-policies.mjs --check      fail when a README table differs from its iam-policy.json
//   node scripts/iam-policies.mjs --combined ecr-push,ecs-deploy,run-migration,wait-stable [--cluster c --repository r ...]
//                                              print one policy for a deploy role
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceBetween } from './readme-tables.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The actions that call AWS (the others use the GitHub token only). */
export const AWS_ACTIONS = ['ecs-deploy', 'wait-stable', 'run-migration'];

export const OPERATIONS_FILE = path.join(root, '.iam', 'operations.json');

const ECS = 'arn:aws:ecs:*:*';
const NO_RESOURCE_LEVEL = 'EcsWithoutResourceLevelPermissions';

/**
 * Per IAM action: the statement it goes in (Sid), the narrowest resource ECS/ECR/Logs/IAM accept for
 * it (`*` where the service authorization reference lists no resource type), an optional condition,
 * and why each action needs it.
 */
export const CATALOG = {
  'ecs:DescribeClusters': {
    sid: 'EcsCluster',
    resource: `${ECS}:cluster/*`,
    why: { default: 'says whether the cluster exists and is ACTIVE when a service is not found (before any change)' },
  },
  'ecs:DescribeServices': {
    sid: 'EcsService',
    resource: `${ECS}:service/*/*`,
    why: {
      'ecs-deploy': 'validates the service, then watches the deployment and the rollback',
      'wait-stable': 'watches each service until its rollout completes or fails',
      'run-migration': "copies the service's task definition, network configuration and capacity",
    },
  },
  'ecs:ListServiceDeployments': {
    sid: 'EcsService',
    resource: `${ECS}:service/*/*`,
    why: {
      'ecs-deploy': '`task-definition: previous`: the service\'s deployment history (the revision that last served successfully)',
      'wait-stable': 'tells a service ECS rolled back (circuit breaker, alarms) from a stable one',
      default: 'the service\'s deployment history',
    },
  },
  'ecs:DescribeServiceRevisions': {
    sid: 'EcsServiceRevision',
    resource: `${ECS}:service-revision/*/*/*`,
    why: { default: 'the task definition of a deployment in the service\'s history' },
  },
  'ecs:UpdateService': {
    sid: 'EcsService',
    resource: `${ECS}:service/*/*`,
    why: { default: 'starts the rollout of the new revision; rolls back to the previous one (failure, cancellation, post step)' },
  },
  'ecs:DescribeTaskDefinition': {
    sid: NO_RESOURCE_LEVEL,
    resource: '*',
    why: {
      'ecs-deploy': "reads the service's revision (with its tags) and the latest revision of the family (no resource-level permissions)",
      'wait-stable': '`task-definition` given as family:revision -> its ARN (no resource-level permissions)',
      'run-migration': 'the containers and their log configuration (no resource-level permissions)',
    },
  },
  'ecs:RegisterTaskDefinition': {
    sid: NO_RESOURCE_LEVEL,
    resource: '*',
    why: { default: 'registers the revision with the new image (no resource-level permissions)' },
  },
  'ecs:ListTasks': {
    sid: NO_RESOURCE_LEVEL,
    resource: '*',
    why: {
      default: 'finds the tasks a failed rollout stopped, to say why (no resource-level permissions)',
      'wait-stable': 'finds the tasks a failed rollout stopped, to say why, and the running tasks whose first log lines the summary shows (no resource-level permissions)',
    },
  },
  'ecs:DescribeTasks': {
    sid: 'EcsTask',
    resource: `${ECS}:task/*/*`,
    why: {
      default: 'why the tasks of a failed rollout stopped (exit code, reason)',
      'wait-stable': 'why the tasks of a failed rollout stopped (exit code, reason); which task definition the task that logged an error line runs',
      'run-migration': "waits for the task and reads its container's exit code",
    },
  },
  'ecs:StopTask': {
    sid: 'EcsTask',
    resource: `${ECS}:task/*/*`,
    why: { default: 'stops the task at the timeout, on cancellation, and in the post step' },
  },
  'ecs:RunTask': {
    sid: 'EcsRunTask',
    resource: `${ECS}:task-definition/*:*`,
    why: { default: 'starts the one-off task' },
  },
  'ecs:TagResource': {
    sid: 'EcsTagOnCreate',
    resource: '*',
    condition: (createActions) => ({ StringEquals: { 'ecs:CreateAction': createActions } }),
    why: { default: 'tag-on-create: the new revision keeps the tags of the previous one, and AWS authorizes ecs:TagResource for that (only with the ecs:CreateAction condition, so nothing can be re-tagged)' },
  },
  'ecr:DescribeImages': {
    sid: 'EcrResolveTag',
    resource: 'arn:aws:ecr:*:*:repository/*',
    why: { default: 'resolves the image tag to its digest (not called with `resolve-digest: false`, a digest, or a non-ECR image)' },
  },
  'logs:GetLogEvents': {
    sid: 'LogsReadTaskStream',
    resource: 'arn:aws:logs:*:*:log-group:*:log-stream:*',
    why: { default: "streams the container's awslogs stream into the job log (`logs: true`); a missing group is reported, not fatal" },
  },
  'logs:FilterLogEvents': {
    sid: 'LogsFilterServiceGroup',
    resource: 'arn:aws:logs:*:*:log-group:*:*',
    why: { default: "looks for `log-error-pattern` in the service's log group(s) from the rollout's start to the end of the bake (not called with `log-error-pattern: ''`)" },
  },
  'iam:PassRole': {
    sid: 'PassTaskRolesToEcs',
    resource: 'arn:aws:iam::*:role/*',
    condition: () => ({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }),
    why: {
      'ecs-deploy': "RegisterTaskDefinition passes the task definition's execution and task roles to ECS",
      'run-migration': "RunTask passes the task definition's execution and task roles to ECS",
    },
  },
};

/** What docker push to ECR needs (amazon-ecr-login, then `docker push`); for the combined deploy role. */
export const ECR_PUSH = [
  { Sid: 'EcrLogin', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
  {
    Sid: 'EcrPush',
    Effect: 'Allow',
    Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
    Resource: 'arn:aws:ecr:*:*:repository/*',
  },
];

const whyOf = (iamAction, action) => {
  const entry = CATALOG[iamAction];
  return entry.why[action] ?? entry.why.default ?? '';
};

/**
 * The policy of one action from its recorded operations:
 * `{ "ecs:UpdateService": { sent: [scenario...], requiredBy: ["ecs:RegisterTaskDefinition"] } }`.
 */
export function policyFor(action, operations) {
  const unknown = Object.keys(operations).filter((op) => !CATALOG[op]);
  if (unknown.length) throw new Error(`${action} sends ${unknown.join(', ')}, which scripts/iam-policies.mjs has no resource for: add it to CATALOG`);
  const statements = new Map();
  for (const op of Object.keys(operations).sort()) {
    const entry = CATALOG[op];
    const createActions = [...new Set((operations[op].requiredBy ?? []).map((by) => by.split(':')[1]))].sort();
    const statement = statements.get(entry.sid) ?? { Sid: entry.sid, Effect: 'Allow', Action: [], Resource: entry.resource };
    if (statement.Resource !== entry.resource) throw new Error(`CATALOG puts ${op} in ${entry.sid} with another resource`);
    statement.Action.push(op);
    if (entry.condition) statement.Condition = entry.condition(createActions);
    statements.set(entry.sid, statement);
  }
  for (const statement of statements.values()) statement.Action.sort();
  return { Version: '2012-10-17', Statement: [...statements.values()].sort((a, b) => a.Sid.localeCompare(b.Sid)) };
}

export const policyFile = (action) => path.join(root, action, 'iam-policy.json');
export const readPolicy = (action) => JSON.parse(readFileSync(policyFile(action), 'utf8'));
export const formatPolicy = (policy) => JSON.stringify(policy, null, 2) + '\n';

const code = (text) => `\`${text}\``;

function renderCondition(condition) {
  if (!condition) return '';
  return Object.entries(condition)
    .flatMap(([operator, keys]) => Object.entries(keys).map(([key, value]) => `${operator} ${code(key)}: ${[value].flat().map(code).join(', ')}`))
    .join('; ');
}

/** The README table (IAM action, resource, why), generated from `<action>/iam-policy.json`. */
export function renderPermissions(action, policy = readPolicy(action)) {
  const rows = policy.Statement.flatMap((statement) =>
    statement.Action.map((iamAction) => {
      const condition = renderCondition(statement.Condition);
      const resource = [statement.Resource].flat().map(code).join(', ') + (condition ? ` (${condition})` : '');
      return { iamAction, line: `| ${code(iamAction)} | ${resource} | ${CATALOG[iamAction] ? whyOf(iamAction, action) : ''} |` };
    }),
  ).sort((a, b) => a.iamAction.localeCompare(b.iamAction));
  const wildcards = policy.Statement.some((s) => s.Resource !== '*');
  return [
    `The least-privilege policy is [iam-policy.json](iam-policy.json), generated from the AWS calls the test suite records`,
    `this action making (\`npx vitest run test/iam\`, then \`npm run iam\`; the test fails when the code sends an operation`,
    `the policy lacks, or the policy grants one nothing needs).`,
    '',
    '| IAM action | Resource | Why |',
    '| --- | --- | --- |',
    ...rows.map((r) => r.line),
    ...(wildcards
      ? [
          '',
          'The ARNs name the resource type and leave names open, so one policy fits every environment. To narrow it to one',
          'environment, replace the `*` of region and account, `cluster/*` and `service/*/*` / `task/*/*` with the cluster',
          '(and service) name, `repository/*` with the ECR repository, `log-group:*` with the awslogs group, `task-definition/*`',
          "with the family, and `role/*` with the task and execution roles. `Resource: \"*\"` statements are actions ECS",
          'authorizes without resource-level permissions. `node scripts/iam-policies.mjs --combined <actions> --cluster <name>',
          '--repository <name> --log-group <name> --family <name> --roles <arn,...> --account <id> --region <region>` prints',
          'the policy of several actions narrowed that way.',
        ]
      : []),
  ].join('\n');
}

export function renderReadme(action) {
  const file = path.join(root, action, 'README.md');
  const current = readFileSync(file, 'utf8');
  return { file, current, next: replaceBetween(current, 'iam', renderPermissions(action), file) };
}

/** Scope for combinedPolicy: any of these replaces the matching `*` of the ARNs. */
function narrow(resource, scope) {
  if (resource === '*') return resource;
  let out = resource;
  if (scope.region || scope.account) out = out.replace(/^(arn:aws:(?:ecs|ecr|logs)):\*:\*:/, `$1:${scope.region ?? '*'}:${scope.account ?? '*'}:`);
  if (scope.account) out = out.replace(/^arn:aws:iam::\*:/, `arn:aws:iam::${scope.account}:`);
  if (scope.cluster) out = out.replace(/:cluster\/\*$/, `:cluster/${scope.cluster}`).replace(/:(service|task)\/\*\//, `:$1/${scope.cluster}/`);
  if (scope.family) out = out.replace(/:task-definition\/\*:/, `:task-definition/${scope.family}:`);
  if (scope.repository) out = out.replace(/:repository\/\*$/, `:repository/${scope.repository}`);
  if (scope.logGroup) out = out.replace(/:log-group:\*:/, `:log-group:${scope.logGroup}:`);
  return out;
}

/**
 * One policy for a role that runs several actions (e.g. the deploy role of the workflow templates):
 * `combinedPolicy(['ecr-push', 'ecs-deploy', 'run-migration', 'wait-stable'], { cluster, repository, ... })`.
 * `ecr-push` adds what docker push to ECR needs. Statements with the same resource and condition merge.
 */
export function combinedPolicy(actions, scope = {}) {
  const merged = new Map();
  for (const action of actions) {
    const statements = action === 'ecr-push' ? ECR_PUSH : readPolicy(action).Statement;
    for (const statement of statements) {
      let resource = [statement.Resource].flat().map((r) => narrow(r, scope));
      if (statement.Sid === 'PassTaskRolesToEcs' && scope.roles?.length) resource = scope.roles;
      const condition = statement.Condition;
      const conditionKey = condition?.StringEquals?.['ecs:CreateAction'] ? 'ecs:CreateAction' : JSON.stringify(condition ?? null);
      const key = `${JSON.stringify(resource)} ${conditionKey}`;
      const found = merged.get(key);
      if (!found) {
        merged.set(key, { Sid: statement.Sid, Effect: 'Allow', Action: [...statement.Action], Resource: resource.length === 1 ? resource[0] : resource, ...(condition ? { Condition: JSON.parse(JSON.stringify(condition)) } : {}) });
        continue;
      }
      found.Action = [...new Set([...found.Action, ...statement.Action])].sort();
      // Statements of several origins on `*` (ECR login, ECS reads): name them for what they share.
      if (found.Resource === '*' && !found.Condition && found.Sid !== statement.Sid) found.Sid = 'WithoutResourceLevelPermissions';
      if (conditionKey === 'ecs:CreateAction') {
        const values = found.Condition.StringEquals['ecs:CreateAction'];
        found.Condition.StringEquals['ecs:CreateAction'] = [...new Set([...values, ...condition.StringEquals['ecs:CreateAction']])].sort();
      }
    }
  }
  for (const statement of merged.values()) statement.Action.sort();
  return { Version: '2012-10-17', Statement: [...merged.values()].sort((a, b) => a.Sid.localeCompare(b.Sid)) };
}

function argument(name) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const combined = argument('combined');
  if (combined) {
    const roles = argument('roles')?.split(',');
    const scope = { region: argument('region'), account: argument('account'), cluster: argument('cluster'), family: argument('family'), repository: argument('repository'), logGroup: argument('log-group'), roles };
    process.stdout.write(formatPolicy(combinedPolicy(combined.split(','), scope)));
    process.exit(0);
  }
  const check = process.argv.includes('--check');
  let stale = 0;
  if (!check) {
    if (!existsSync(OPERATIONS_FILE)) {
      console.error(`${path.relative(root, OPERATIONS_FILE)} does not exist: run \`npx vitest run test/iam\` first (it records the operations).`);
      process.exit(1);
    }
    const recorded = JSON.parse(readFileSync(OPERATIONS_FILE, 'utf8'));
    for (const action of AWS_ACTIONS) {
      if (!recorded.actions?.[action]) throw new Error(`${OPERATIONS_FILE} has no operations of ${action}: run the whole of test/iam`);
      const text = formatPolicy(policyFor(action, recorded.actions[action]));
      const file = policyFile(action);
      if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      console.log(`updated ${path.relative(root, file)}`);
    }
  }
  for (const action of AWS_ACTIONS) {
    const { file, current, next } = renderReadme(action);
    if (current === next) continue;
    if (check) {
      console.error(`${path.relative(root, file)}: the AWS permissions table differs from iam-policy.json: run npm run iam`);
      stale++;
    } else {
      writeFileSync(file, next);
      console.log(`updated ${path.relative(root, file)}`);
    }
  }
  process.exit(stale ? 1 : 0);
}

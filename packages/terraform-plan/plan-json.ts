/**
 * Parses `terraform show -json` (Terraform and OpenTofu write the same format) into the model the
 * rest of the engine uses. The JSON is the truth about what a plan does; text plans only lend their
 * diff bodies. Redaction happens here, so no secret survives into the model.
 */
import { redact, SecretScrubber, withUnknowns, type PlanValue } from './redact';

/** What a plan does to one resource instance, one word per kind a reader tells apart. */
export type ChangeAction = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op' | 'forget' | 'other';

export interface ResourceChange {
  address: string;
  /** Where the resource was before a `moved` block (or a refactoring) renamed it. */
  previousAddress?: string;
  mode: 'managed' | 'data';
  type: string;
  /** Set when the change is to a deposed object (left by a failed create_before_destroy). */
  deposed?: string;
  action: ChangeAction;
  /** The raw `actions` list, e.g. ['delete', 'create']. */
  actions: string[];
  /** For replacements: destroy first (the default) or create first (create_before_destroy). */
  replaceOrder?: 'destroy-before-create' | 'create-before-destroy';
  /** `action_reason`, e.g. replace_because_cannot_update. */
  reason?: string;
  /** Attributes that force a replacement. */
  replacePaths: (string | number)[][];
  /** Terraform 1.10+ `['create', 'forget']`: a new object replaces one that is forgotten, not destroyed. */
  forgetsPrevious?: boolean;
  /** Set on a change Terraform deferred to a later plan (`deferred_changes[].reason`). */
  deferredReason?: string;
  /** Set when the plan imports the resource (Terraform 1.5+ `import` blocks). */
  importing?: { id?: string };
  before: PlanValue;
  /** Known-after-apply values are `Unknown`; sensitive ones `Redacted`. */
  after: PlanValue;
}

export interface OutputChange {
  name: string;
  action: ChangeAction;
  actions: string[];
  sensitive: boolean;
  before: PlanValue;
  after: PlanValue;
}

/** A `check` block, condition or validation that did not pass (`checks`, Terraform 1.5+). */
export interface FailedCheck {
  /** The object checked, e.g. `check.web_is_v2` or `aws_instance.web[0]`. */
  address: string;
  /** `check`, `resource`, `output_value`, `var`, ... as Terraform names it. */
  kind: string;
  /** `fail` (the condition was false) or `error` (it could not be evaluated). */
  status: 'fail' | 'error';
  /** The error messages, scrubbed of every sensitive value. */
  messages: string[];
}

export interface PlanModel {
  formatVersion: string;
  terraformVersion?: string;
  /** Resource changes, in the order of the plan. */
  resources: ResourceChange[];
  /**
   * Changes Terraform deferred to a later plan (`deferred_changes`, Terraform 1.9+ with deferred
   * actions): not applied by this plan, not in its counts; each has its `deferredReason`.
   */
  deferred: ResourceChange[];
  /** `complete: false`: the plan does not cover every resource (deferrals, -target); another plan must follow. */
  complete?: boolean;
  /** Changes made outside Terraform since the last apply (`resource_drift`). */
  drift: ResourceChange[];
  outputs: OutputChange[];
  /** The plan stopped on an error; what it shows is partial. */
  errored: boolean;
  applyable?: boolean;
  /** How many Terraform 1.14 action invocations the plan holds (`action_invocations`). */
  actionInvocations?: number;
  /** Checks that failed: Terraform warns of them and still lets the plan be applied. */
  failedChecks: FailedCheck[];
}

export interface ParsedPlan {
  plan: PlanModel;
  /** The raw sensitive leaves, only to scrub free text (text plans, logs). */
  secrets: SecretScrubber;
}

/** The input is not a `terraform show -json` plan; the message says why. */
export class PlanFormatError extends Error {
  override readonly name = 'PlanFormatError';
}

/** A plan in a format_version this action does not read (a new major version). */
export class PlanVersionError extends PlanFormatError {
  constructor(readonly formatVersion: string) {
    super(`its format_version is ${formatVersion}, which this action does not read (it reads 0.1 to 1.x, written by Terraform 0.12 and later)`);
  }
}

/** Parses the text of `terraform show -json <planfile>`. */
export function parsePlanJson(text: string): ParsedPlan {
  const trimmed = text.trim();
  if (trimmed === '') throw new PlanFormatError('the file is empty');
  let document: unknown;
  try {
    document = JSON.parse(trimmed);
  } catch (error) {
    const firstLine = trimmed.split('\n', 1)[0];
    if (/^\{.*"@level"/.test(firstLine)) {
      throw new PlanFormatError('it is the `terraform plan -json` log stream, not a plan; give that to plan-log, and `terraform show -json <planfile>` to plan-json');
    }
    throw new PlanFormatError(`it is not valid JSON (${whereParsingFailed(trimmed, error)})`);
  }
  return { ...parsePlanDocument(document) };
}

/** Parses an already decoded plan document. */
export function parsePlanDocument(document: unknown): ParsedPlan {
  if (!isRecord(document)) throw new PlanFormatError('it is not a JSON object');
  const formatVersion = checkFormatVersion(document.format_version);
  if (!('planned_values' in document) && !('resource_changes' in document) && 'values' in document) {
    throw new PlanFormatError('it is a state, not a plan; run `terraform show -json <planfile>` on a saved plan');
  }
  if (!('planned_values' in document) && !('resource_changes' in document) && !('configuration' in document)) {
    throw new PlanFormatError('it has neither planned_values nor resource_changes; is it the output of `terraform show -json <planfile>`?');
  }

  const secrets = new SecretScrubber();
  const resources = list(document.resource_changes, 'resource_changes').map((entry, index) => parseResource(entry, `resource_changes[${index}]`, secrets));
  const drift = list(document.resource_drift, 'resource_drift').map((entry, index) => parseResource(entry, `resource_drift[${index}]`, secrets));
  const deferred = list(document.deferred_changes, 'deferred_changes').map((entry, index) => parseDeferred(entry, `deferred_changes[${index}]`, secrets));
  const outputs = parseOutputs(document, secrets);
  collectSensitiveVariables(document, secrets);
  collectStateSecrets(getPath(document, ['prior_state', 'values']), secrets);
  collectStateSecrets(document.planned_values, secrets);
  // A value marked sensitive in one place is hidden wherever else it turns up unmarked.
  if (secrets.size > 0) {
    for (const change of [...resources, ...deferred, ...drift, ...outputs]) {
      change.before = secrets.scrubValue(change.before);
      change.after = secrets.scrubValue(change.after);
    }
  }

  const plan: PlanModel = {
    formatVersion,
    terraformVersion: typeof document.terraform_version === 'string' ? document.terraform_version : undefined,
    resources,
    deferred,
    complete: typeof document.complete === 'boolean' ? document.complete : undefined,
    drift,
    outputs,
    errored: document.errored === true,
    applyable: typeof document.applyable === 'boolean' ? document.applyable : undefined,
    actionInvocations: Array.isArray(document.action_invocations) ? document.action_invocations.length : undefined,
    failedChecks: parseChecks(document.checks, secrets),
  };
  return { plan, secrets };
}

/**
 * The formats this action reads: what hashicorp/terraform-json reads (`>= 0.1, < 2.0`). 0.1 is
 * Terraform 0.12 to 0.14, 0.2 is 0.15 and 1.0, 1.x is 1.1 and later; Terraform promises compatible
 * additions within a major version, so a new major may mean anything and is refused.
 */
function checkFormatVersion(value: unknown): string {
  if (value === undefined || value === null) {
    throw new PlanFormatError('it has no format_version; is it the output of `terraform show -json <planfile>`?');
  }
  if (typeof value === 'number') {
    throw new PlanFormatError(
      `its format_version is the number ${value}, not the string "${value}" Terraform writes (a tool rewrote the file)`,
    );
  }
  const match = typeof value === 'string' ? /^(\d+)\.(\d+)$/.exec(value) : null;
  if (!match || (Number(match[1]) === 0 && Number(match[2]) < 1)) {
    const shown = typeof value === 'string' ? value.slice(0, 40) : JSON.stringify(value).slice(0, 40);
    throw new PlanFormatError(`its format_version is '${shown}', not a plan format version (0.1 to 1.x); is it the output of \`terraform show -json <planfile>\`?`);
  }
  if (Number(match[1]) >= 2) {
    throw new PlanVersionError(value as string);
  }
  return value as string;
}

function parseResource(entry: unknown, where: string, secrets: SecretScrubber): ResourceChange {
  if (!isRecord(entry)) throw new PlanFormatError(`${where} is not an object`);
  const address = entry.address;
  if (typeof address !== 'string' || address === '') throw new PlanFormatError(`${where} has no address`);
  const change = entry.change;
  if (!isRecord(change)) throw new PlanFormatError(`${where} (${address}) has no change object`);
  const actions = change.actions;
  if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => typeof a === 'string')) {
    throw new PlanFormatError(`${where} (${address}) has no change.actions list`);
  }
  const { action, replaceOrder, forgetsPrevious } = classify(actions as string[]);
  const importing = isRecord(change.importing)
    ? { id: typeof change.importing.id === 'string' ? change.importing.id : undefined }
    : undefined;
  const previous = typeof entry.previous_address === 'string' && entry.previous_address !== address ? entry.previous_address : undefined;
  return {
    address,
    previousAddress: previous,
    mode: entry.mode === 'data' ? 'data' : 'managed',
    type: typeof entry.type === 'string' ? entry.type : '',
    deposed: typeof entry.deposed === 'string' ? entry.deposed : undefined,
    action,
    actions: actions as string[],
    replaceOrder,
    forgetsPrevious,
    reason: typeof entry.action_reason === 'string' ? entry.action_reason : undefined,
    replacePaths: Array.isArray(change.replace_paths)
      ? change.replace_paths.filter(Array.isArray).map((path) => (path as unknown[]).filter((step): step is string | number => typeof step === 'string' || typeof step === 'number'))
      : [],
    importing,
    before: redact(change.before, change.before_sensitive, secrets),
    after: redact(withUnknowns(change.after, change.after_unknown), change.after_sensitive, secrets),
  };
}

/** One `deferred_changes` entry: `{ reason, resource_change }`. */
function parseDeferred(entry: unknown, where: string, secrets: SecretScrubber): ResourceChange {
  if (!isRecord(entry)) throw new PlanFormatError(`${where} is not an object`);
  const resource = parseResource(entry.resource_change, `${where}.resource_change`, secrets);
  return { ...resource, deferredReason: typeof entry.reason === 'string' && entry.reason !== '' ? entry.reason : 'unknown' };
}

/**
 * Maps Terraform's action lists to one word (and the order of a replacement). A list this version
 * does not know becomes 'other', shown with its raw actions: a newer Terraform must not make the
 * comment fail or, worse, come out empty.
 */
function classify(actions: string[]): Pick<ResourceChange, 'action' | 'replaceOrder' | 'forgetsPrevious'> {
  const key = actions.join(',');
  switch (key) {
    case 'no-op':
    case 'create':
    case 'read':
    case 'update':
    case 'delete':
    case 'forget':
      return { action: key };
    case 'delete,create':
      return { action: 'replace', replaceOrder: 'destroy-before-create' };
    case 'create,delete':
      return { action: 'replace', replaceOrder: 'create-before-destroy' };
    // Terraform 1.10+: a resource replaced while the old object is forgotten rather than destroyed.
    case 'create,forget':
    case 'forget,create':
      return { action: 'create', forgetsPrevious: true };
    default:
      return { action: 'other' };
  }
}

function parseOutputs(document: Record<string, unknown>, secrets: SecretScrubber): OutputChange[] {
  const changes = document.output_changes;
  if (changes === undefined || changes === null) return [];
  if (!isRecord(changes)) throw new PlanFormatError('output_changes is not an object');
  // An output is sensitive when declared so, or when the plan marks its value so.
  const declared = new Set<string>();
  const configOutputs = getPath(document, ['configuration', 'root_module', 'outputs']);
  if (isRecord(configOutputs)) for (const [name, spec] of Object.entries(configOutputs)) if (isRecord(spec) && spec.sensitive === true) declared.add(name);
  const planned = getPath(document, ['planned_values', 'outputs']);
  if (isRecord(planned)) for (const [name, spec] of Object.entries(planned)) if (isRecord(spec) && spec.sensitive === true) declared.add(name);

  return Object.entries(changes).map(([name, change]) => {
    if (!isRecord(change) || !Array.isArray(change.actions)) throw new PlanFormatError(`output_changes.${name} has no actions list`);
    const actions = change.actions.filter((a): a is string => typeof a === 'string');
    const whole = declared.has(name);
    const sensitive = whole || change.before_sensitive === true || change.after_sensitive === true;
    const action = classify(actions).action;
    return {
      name,
      action,
      actions,
      sensitive,
      before: redact(change.before, whole ? true : change.before_sensitive, secrets),
      after: redact(withUnknowns(change.after, change.after_unknown), whole ? true : change.after_sensitive, secrets),
    };
  });
}

/** Values of variables declared `sensitive = true` are secrets wherever they turn up. */
function collectSensitiveVariables(document: Record<string, unknown>, secrets: SecretScrubber): void {
  const declared = getPath(document, ['configuration', 'root_module', 'variables']);
  const values = document.variables;
  if (!isRecord(declared) || !isRecord(values)) return;
  for (const [name, spec] of Object.entries(declared)) {
    if (!isRecord(spec) || spec.sensitive !== true) continue;
    const value = values[name];
    if (isRecord(value)) secrets.add(value.value);
  }
}

/**
 * The `checks` of a plan (Terraform 1.5+): each checkable object with its status, and its
 * instances with their problems. Only failures and errors are kept; unreadable entries are
 * skipped (checks are warnings: a shape this version does not know must not fail the comment).
 */
function parseChecks(checks: unknown, secrets: SecretScrubber): FailedCheck[] {
  if (!Array.isArray(checks)) return [];
  const failed: FailedCheck[] = [];
  const display = (address: unknown) => (isRecord(address) && typeof address.to_display === 'string' ? address.to_display : undefined);
  const messagesOf = (problems: unknown) =>
    (Array.isArray(problems) ? problems : []).flatMap((problem) => (isRecord(problem) && typeof problem.message === 'string' ? [secrets.scrub(problem.message)] : []));
  for (const check of checks) {
    if (!isRecord(check) || (check.status !== 'fail' && check.status !== 'error')) continue;
    const address = display(check.address) ?? 'a check';
    const kind = isRecord(check.address) && typeof check.address.kind === 'string' ? check.address.kind : 'check';
    const instances = (Array.isArray(check.instances) ? check.instances : []).filter((instance) => isRecord(instance) && (instance.status === 'fail' || instance.status === 'error'));
    if (instances.length === 0) {
      failed.push({ address, kind, status: check.status, messages: [] });
      continue;
    }
    for (const instance of instances) {
      failed.push({ address: display(instance.address) ?? address, kind, status: instance.status === 'error' ? 'error' : 'fail', messages: messagesOf(instance.problems) });
    }
  }
  return failed;
}

/**
 * Sensitive values of a state's (or planned values') resources and outputs, from their
 * `sensitive_values` masks and `sensitive` flags, in the root module and every child module.
 */
function collectStateSecrets(values: unknown, secrets: SecretScrubber): void {
  if (!isRecord(values)) return;
  if (isRecord(values.outputs)) {
    for (const output of Object.values(values.outputs)) if (isRecord(output) && output.sensitive === true) secrets.add(output.value);
  }
  const modules: unknown[] = [values.root_module];
  for (let module = modules.pop(); module !== undefined; module = modules.pop()) {
    if (!isRecord(module)) continue;
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      if (isRecord(resource) && resource.sensitive_values !== undefined) redact(resource.values, resource.sensitive_values, secrets);
    }
    if (Array.isArray(module.child_modules)) modules.push(...module.child_modules);
  }
}

/**
 * Where JSON.parse gave up, as line and column. Never its message: V8 quotes the input around the
 * error ('Unexpected token ..., "<input>" is not valid JSON'), and a plan's input holds secrets.
 */
function whereParsingFailed(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `error at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /position (\d+)/.exec(message);
  if (position) {
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    return `error at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
  }
  if (/end of (JSON )?input/i.test(message)) return 'it ends before the JSON is complete';
  return 'it does not start like JSON';
}

function list(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PlanFormatError(`${what} is not a list`);
  return value;
}

function getPath(value: unknown, path: string[]): unknown {
  let current = value;
  for (const step of path) {
    if (!isRecord(current)) return undefined;
    current = current[step];
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

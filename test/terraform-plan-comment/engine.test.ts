/** Unit tests of the plan engine (packages/terraform-plan), in process and fast. */
import { describe, expect, it } from 'vitest';
import {
  countChanges,
  decodeText,
  hasChanges,
  parsePlanDocument,
  parsePlanJson,
  parsePlanLog,
  planDigest,
  planLine,
  PlanFormatError,
  preparePlan,
  renderFailedPlan,
  renderPlan,
  SecretScrubber,
  splitTextPlan,
  stripAnsi,
  toDiffSyntax,
  type PlanView,
} from '../../packages/terraform-plan';
import { generatePlan } from './generate';
import { FIXTURE_SECRETS, haveFixtures, readFixture } from './fixtures';

function view(json: string, text?: string, name = 'dev'): PlanView {
  const prepared = preparePlan(json, text);
  return { plan: prepared.plan, counts: prepared.counts, digest: prepared.digest, name, tool: 'Terraform', text: prepared.text, sha: 'abc1234def5678', runUrl: 'https://github.com/o/r/actions/runs/1' };
}

const doc = (resourceChanges: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ format_version: '1.2', planned_values: {}, resource_changes: resourceChanges, ...extra });
const rc = (address: string, actions: string[], change: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  address,
  mode: 'managed',
  type: address.split('.')[0],
  change: { actions, before: null, after: null, ...change },
  ...extra,
});

describe('parsing and counting', () => {
  it('counts every kind of action the way Terraform does', () => {
    const json = doc([
      rc('a.create', ['create'], { after: { x: 1 } }),
      rc('a.update', ['update'], { before: { x: 1 }, after: { x: 2 } }),
      rc('a.delete', ['delete'], { before: { x: 1 } }),
      rc('a.replace1', ['delete', 'create'], { before: { x: 1 }, after: { x: 2 } }),
      rc('a.replace2', ['create', 'delete'], { before: { x: 1 }, after: { x: 2 } }),
      rc('a.import', ['no-op'], { before: { x: 1 }, after: { x: 1 }, importing: { id: 'i-123' } }),
      rc('a.importupdate', ['update'], { before: { x: 1 }, after: { x: 3 }, importing: { id: 'i-456' } }),
      rc('a.moved', ['no-op'], { before: { x: 1 }, after: { x: 1 } }, { previous_address: 'a.old' }),
      rc('a.forget', ['forget'], { before: { x: 1 } }),
      rc('a.nothing', ['no-op'], { before: { x: 1 }, after: { x: 1 } }),
      { ...rc('data.a.read', ['read'], { after: { x: 1 } }), mode: 'data' },
    ]);
    const { plan } = parsePlanJson(json);
    const counts = countChanges(plan);
    expect(counts).toMatchObject({ add: 3, change: 2, destroy: 3, replace: 2, import: 2, move: 1, forget: 1 });
    // Terraform's own line: forgets have no clause (Terraform 1.11 and 1.13 print none).
    expect(planLine(counts)).toBe('Plan: 2 to import, 3 to add, 2 to change, 3 to destroy.');
    expect(plan.resources.find((r) => r.address === 'a.replace2')?.replaceOrder).toBe('create-before-destroy');
  });

  it('writes the Plan line as Terraform does: no forget clause, a create-then-forget adds, 1.14 actions after', () => {
    const forgets = parsePlanJson(doc([rc('a.gone', ['forget'], { before: { x: 1 } }), rc('a.swap', ['create', 'forget'], { before: { x: 1 }, after: { x: 2 } })])).plan;
    expect(planLine(countChanges(forgets))).toBe('Plan: 1 to add, 0 to change, 0 to destroy.');
    expect(countChanges(forgets).forget).toBe(2);
    const invoking = parsePlanJson(doc([rc('a.b', ['update'], { before: { x: 1 }, after: { x: 2 } })], { action_invocations: [{ address: 'action.a.x' }, { address: 'action.a.y' }] })).plan;
    expect(planLine(countChanges(invoking))).toBe('Plan: 0 to add, 1 to change, 0 to destroy. Actions: 2 to invoke.');
    const onlyActions = countChanges(parsePlanJson(doc([], { action_invocations: [{ address: 'action.a.x' }] })).plan);
    expect(hasChanges(onlyActions)).toBe(true);
  });

  it('says what is wrong with input that is not a plan', () => {
    expect(() => parsePlanJson('')).toThrow(/empty/);
    expect(() => parsePlanJson('{not json')).toThrow(/not valid JSON \(error at line 1, column 2\)/);
    expect(() => parsePlanJson('{"a": 1')).toThrow(/not valid JSON/);
    expect(() => parsePlanJson('{"format_version":"1.0","values":{}}')).toThrow(/state, not a plan/);
    expect(() => parsePlanJson('{"@level":"info","type":"version"}\n{"@level":"error"}')).toThrow(/plan -json` log stream/);
    expect(() => parsePlanJson('{"format_version":"2.0","planned_values":{}}')).toThrow(/format_version is 2.0/);
    expect(() => parsePlanJson('[1,2]')).toThrow(PlanFormatError);
    expect(() => parsePlanJson(doc([{ address: 'x' }]))).toThrow(/has no change object/);
  });

  it('keeps resources with actions a newer Terraform may add, shown with their raw actions', () => {
    const v = view(doc([rc('x.y', ['open'], { after: { a: 1 } })]));
    expect(v.plan.resources[0].action).toBe('other');
    expect(v.counts.other).toBe(1);
    expect(hasChanges(v.counts)).toBe(true);
    const markdown = renderPlan(v, { limit: 65_536 }).markdown;
    expect(markdown).toContain('Other actions (unknown to this version: check the plan)');
    expect(markdown).toContain('actions <code>open</code>');
    expect(v.digest).not.toBe(view(doc([])).digest);
  });

  it('reads OpenTofu plans (same format, no resource_changes when nothing changes)', () => {
    const { plan } = parsePlanDocument({ format_version: '1.2', terraform_version: '1.8.3', planned_values: { root_module: {} }, configuration: {} });
    expect(countChanges(plan)).toMatchObject({ add: 0, change: 0, destroy: 0 });
  });
});

describe('rendering every kind of change', () => {
  const json = doc(
    [
      rc('aws_s3_bucket.new', ['no-op'], { before: { bucket: 'b' }, after: { bucket: 'b' } }, { previous_address: 'aws_s3_bucket.old' }),
      rc('aws_iam_role.imported', ['no-op'], { before: { name: 'r' }, after: { name: 'r' }, importing: { id: 'role-r' } }),
      rc('aws_instance.web', ['delete'], { before: { ami: 'ami-1' } }, { deposed: '00000001' }),
      rc('aws_instance.cbd', ['create', 'delete'], { before: { ami: 'ami-1' }, after: { ami: 'ami-2' }, after_unknown: { id: true } }, { action_reason: 'replace_because_tainted' }),
      rc('aws_db_instance.kept', ['forget'], { before: { id: 'db-1' } }),
      { ...rc('data.aws_ami.x', ['read'], { after: {}, after_unknown: { id: true } }), mode: 'data' },
    ],
    {
      resource_drift: [rc('aws_security_group.sg', ['update'], { before: { description: 'a' }, after: { description: 'b' } })],
      output_changes: { url: { actions: ['create'], before: null, after: 'https://x' }, unchanged: { actions: ['no-op'], before: 1, after: 1 } },
    },
  );
  const markdown = renderPlan(view(json), { limit: 65_536 }).markdown;

  it('labels moves, imports, deposed objects, forgets and reads, and orders groups by risk', () => {
    expect(markdown).toContain('# aws_s3_bucket.old has moved to aws_s3_bucket.new');
    expect(markdown).toContain('imported from <code>role-r</code>');
    expect(markdown).toContain('aws_instance.web (deposed object 00000001) will be destroyed');
    expect(markdown).toContain('create, then destroy; the object is tainted, so it must be replaced');
    expect(markdown).toContain('will no longer be managed by Terraform (not destroyed)');
    // A forget lists no attribute removals (it destroys nothing).
    expect(markdown).not.toContain('"db-1" -> null');
    const order = ['<b>Destroy</b>', '<b>Replace</b>', '<b>Import</b>', '<b>Move</b>', '<b>Forget', '<b>Read during apply</b>'].map((title) => markdown.indexOf(title));
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('shows drift in the past tense and changed outputs only', () => {
    expect(markdown).toContain('Changes outside Terraform</b> (1 drifted since the last apply)');
    expect(markdown).toContain('# aws_security_group.sg has changed');
    expect(markdown).toContain('<b>Output changes</b> (1)');
    expect(markdown).toMatch(/^\+\s+url = "https:\/\/x"$/m);
    expect(markdown).not.toContain('unchanged =');
  });

  it('text plans: drift and change sections are told apart, moved headers match the old address', () => {
    const text = [
      'Note: Objects have changed outside of Terraform',
      '',
      'Terraform detected the following changes made outside of Terraform since the last "terraform apply":',
      '',
      '  # aws_instance.a has changed',
      '  ~ resource "aws_instance" "a" {',
      '      ~ tags = { "x" = "drifted" }',
      '    }',
      '',
      'Unless you have made equivalent changes to your configuration...',
      '',
      'Terraform will perform the following actions:',
      '',
      '  # aws_instance.a will be updated in-place',
      '  ~ resource "aws_instance" "a" {',
      '      ~ ami = "ami-1" -> "ami-2"',
      '    }',
      '',
      '  # aws_s3_bucket.old has moved to aws_s3_bucket.new',
      '    resource "aws_s3_bucket" "new" {',
      '        id = "b"',
      '    }',
      '',
      'Plan: 0 to add, 1 to change, 0 to destroy.',
      '',
      'Changes to Outputs:',
      '  + url = "x"',
    ].join('\n');
    const bodies = splitTextPlan(text, new Set(['aws_instance.a', 'aws_s3_bucket.new', 'aws_s3_bucket.old']));
    expect(bodies.drift.get('aws_instance.a')).toContain('drifted');
    expect(bodies.changes.get('aws_instance.a')).toContain('ami-2');
    expect(bodies.changes.get('aws_instance.a')).not.toContain('drifted');
    expect(bodies.changes.get('aws_s3_bucket.old')).toContain('has moved to');
    expect(bodies.planLine).toBe('Plan: 0 to add, 1 to change, 0 to destroy.');
  });

  it('text plans: a deposed object keeps its own block, apart from the current object', () => {
    const json = doc([
      rc('aws_instance.a', ['update'], { before: { ami: '1' }, after: { ami: '2' } }),
      rc('aws_instance.a', ['delete'], { before: { ami: '0' } }, { deposed: 'abc123' }),
    ]);
    const text = [
      'Terraform will perform the following actions:',
      '',
      '  # aws_instance.a will be updated in-place',
      '  ~ resource "aws_instance" "a" {',
      '      ~ ami = "1" -> "2"',
      '    }',
      '',
      '  # aws_instance.a (deposed object abc123) will be destroyed',
      '  - resource "aws_instance" "a" {',
      '      - ami = "0" -> null',
      '    }',
      '',
      'Plan: 0 to add, 1 to change, 1 to destroy.',
    ].join('\n');
    const markdown = renderPlan(view(json, text), { limit: 65_536 }).markdown;
    const update = markdown.indexOf('"1" -> "2"');
    const deposed = markdown.indexOf('- ami = "0" -> null'.replace('- ', ''));
    expect(update).toBeGreaterThan(0);
    expect(deposed).toBeGreaterThan(0);
    expect(markdown.split('"1" -> "2"')).toHaveLength(2);
  });

  it('ignores a text plan whose Plan line disagrees with the JSON', () => {
    const prepared = preparePlan(doc([rc('a.b', ['create'], { after: { x: 1 } })]), 'Plan: 5 to add, 0 to change, 0 to destroy.\n');
    expect(prepared.text).toBeUndefined();
    expect(prepared.textIgnored).toContain('does not match the JSON plan');
  });

  it('an errored plan is rendered as partial, never as no changes', () => {
    const errored = renderPlan(view(doc([], { errored: true })), { limit: 65_536 }).markdown;
    expect(errored).toContain('the plan reported errors');
    expect(errored).not.toContain('No changes.');
  });
});

describe('deferred changes (complete: false)', () => {
  // The shape Terraform 1.9+ writes with deferred actions: `deferred_changes[]` of
  // `{ reason, resource_change }`, `complete: false`, and only the planned changes counted.
  const deferredPlan = (extra: Record<string, unknown> = {}) =>
    doc(
      [rc('aws_vpc.main', ['create'], { after: { cidr_block: '10.0.0.0/16' }, after_unknown: { id: true } })],
      {
        complete: false,
        deferred_changes: [
          { reason: 'instance_count_unknown', resource_change: rc('aws_subnet.private', ['create'], { after: { cidr_block: '10.0.1.0/24' }, after_unknown: { id: true } }) },
          {
            reason: 'provider_config_unknown',
            resource_change: rc('kubernetes_secret.db', ['update'], { before: { data: { password: 'deferred-secret-1' } }, after: { data: { password: 'deferred-secret-2' } }, before_sensitive: { data: { password: true } }, after_sensitive: { data: { password: true } } }),
          },
        ],
        ...extra,
      },
    );

  it('are counted apart, never in the Plan line, listed with their reasons, and say the plan is incomplete', () => {
    const v = view(deferredPlan());
    expect(v.counts).toMatchObject({ add: 1, change: 0, deferred: 2 });
    expect(planLine(v.counts)).toBe('Plan: 1 to add, 0 to change, 0 to destroy.');
    expect(v.plan.complete).toBe(false);
    for (const limit of [65_536, 2_500]) {
      const { markdown } = renderPlan(v, { limit });
      expect(markdown).toContain('**This plan is incomplete** (`complete: false`): 2 resource changes were deferred (listed below with the reason) and are not in the counts.');
      expect(markdown).toMatch(/\| Deferred \|[\s\S]*\| 2 \|/);
      expect(markdown).toContain('Deferred to a later plan (not applied by this one)</b> (2)');
      expect(markdown).toContain('<code>aws_subnet.private</code>');
      expect(markdown).toContain('<code>kubernetes_secret.db</code>');
      expect(markdown).not.toContain('deferred-secret');
    }
    const full = renderPlan(v, { limit: 65_536 }).markdown;
    expect(full).toContain('<code>aws_subnet.private</code> — deferred because the number of resource instances is unknown; planned so far: create');
    expect(full).toContain('# kubernetes_secret.db was deferred');
    expect(full).toContain('# (because the provider configuration is unknown)');
  });

  it('are part of the digest: another deferral, or none, is another plan', () => {
    const base = view(deferredPlan()).digest;
    const without = view(doc([rc('aws_vpc.main', ['create'], { after: { cidr_block: '10.0.0.0/16' }, after_unknown: { id: true } })])).digest;
    expect(base).not.toBe(without);
    const otherReason = JSON.parse(deferredPlan());
    otherReason.deferred_changes[0].reason = 'resource_config_unknown';
    expect(view(JSON.stringify(otherReason)).digest).not.toBe(base);
    const reordered = JSON.parse(deferredPlan());
    reordered.deferred_changes.reverse();
    expect(view(JSON.stringify(reordered)).digest).toBe(base);
  });

  it('only deferred changes: "No current changes", in Terraform\'s words, never "No changes"; complete: false alone is said too', () => {
    const onlyDeferred = JSON.parse(deferredPlan());
    onlyDeferred.resource_changes = [];
    const markdown = renderPlan(view(JSON.stringify(onlyDeferred)), { limit: 65_536 }).markdown;
    expect(markdown).toContain('**No current changes.** This plan requires another plan to be applied first.');
    expect(markdown).not.toContain('Your infrastructure matches the configuration');
    const targeted = renderPlan(view(doc([rc('a.b', ['create'], { after: { x: 1 } })], { complete: false })), { limit: 65_536 }).markdown;
    expect(targeted).toContain('**This plan is incomplete** (`complete: false`): it does not plan every resource in the configuration');
  });

  it('text plans: the partial-plan section lends the deferred bodies, apart from the changes', () => {
    const text = [
      'Note: This is a partial plan, parts can only be known in the next plan / apply cycle.',
      '',
      '  # aws_subnet.private was deferred',
      '  # (because the number of resource instances is unknown)',
      '  + resource "aws_subnet" "private" {',
      '      + cidr_block = "10.0.1.0/24"',
      '    }',
      '',
      '─────────────────────────────────────────────────────────────────────────────',
      '',
      'Terraform will perform the following actions:',
      '',
      '  # aws_vpc.main will be created',
      '  + resource "aws_vpc" "main" {',
      '      + cidr_block = "10.0.0.0/16"',
      '    }',
      '',
      'Plan: 1 to add, 0 to change, 0 to destroy.',
    ].join('\n');
    const v = view(deferredPlan(), text);
    expect(v.text?.deferred.get('aws_subnet.private')).toContain('+ cidr_block = "10.0.1.0/24"');
    expect(v.text?.changes.has('aws_subnet.private')).toBe(false);
    expect(v.text?.changes.get('aws_vpc.main')).toContain('10.0.0.0/16');
  });
});

describe('failed checks', () => {
  it('are shown as Terraform shows them, as warnings, within every size step; passing ones are not', () => {
    // The `checks` of a real Terraform 1.11 plan with a failing check block, plus a failed
    // postcondition whose message holds a sensitive value, and a check that passed.
    const checks = [
      { address: { kind: 'check', name: 'c', to_display: 'check.c' }, status: 'fail', instances: [{ address: { to_display: 'check.c' }, status: 'fail', problems: [{ message: 'keep must be nope' }] }] },
      {
        address: { kind: 'resource', mode: 'managed', name: 'db', to_display: 'aws_db_instance.db', type: 'aws_db_instance' },
        status: 'error',
        instances: [{ address: { to_display: 'aws_db_instance.db[0]' }, status: 'error', problems: [{ message: 'Password hunter2-long-secret\nis not allowed.' }] }],
      },
      { address: { kind: 'check', name: 'ok', to_display: 'check.ok' }, status: 'pass', instances: [{ address: { to_display: 'check.ok' }, status: 'pass' }] },
    ];
    const json = doc([rc('a.b', ['update'], { before: { p: 'hunter2-long-secret' }, after: { p: 'x' }, before_sensitive: { p: true } })], { checks });
    const v = view(json);
    expect(v.plan.failedChecks.map((check) => [check.address, check.status])).toEqual([['check.c', 'fail'], ['aws_db_instance.db[0]', 'error']]);
    for (const limit of [65_536, 1_500]) {
      const { markdown } = renderPlan(v, { limit });
      expect(markdown).toContain('> [!WARNING]');
      expect(markdown).toContain('**2 checks failed.** Terraform reports failed checks as warnings');
      expect(markdown).toContain('> - <code>check.c</code>: keep must be nope');
      expect(markdown).toContain('> - <code>aws_db_instance.db[0]</code> (resource) could not be evaluated: Password (sensitive value) is not allowed.');
      expect(markdown).not.toContain('check.ok');
      expect(markdown).not.toContain('hunter2');
    }
    expect(view(doc([], { checks: [{ status: 'fail' }, 'nonsense'] })).plan.failedChecks).toEqual([{ address: 'a check', kind: 'check', status: 'fail', messages: [] }]);
  });
});

describe('redaction', () => {
  // The shape of a real Terraform 1.11 plan: a sensitive variable in a terraform_data's input is
  // marked at before.input.pw, but its copy at before.output.pw is not marked at all.
  const realShape = () => ({
    format_version: '1.2',
    terraform_version: '1.11.4',
    variables: { pw: { value: 'new-secret-value-2' } },
    planned_values: { outputs: { conn: { sensitive: true, value: 'token-out-8c1d' } }, root_module: {} },
    resource_changes: [
      rc('terraform_data.secret', ['update'], {
        before: { id: 'd1', input: { pw: 'old-secret-value-1' }, output: { pw: 'old-secret-value-1' } },
        after: { id: 'd1', input: { pw: 'new-secret-value-2' } },
        after_unknown: { input: {}, output: true },
        before_sensitive: { input: { pw: true }, output: {} },
        after_sensitive: { input: { pw: true }, output: {} },
      }),
      rc('terraform_data.copy', ['update'], {
        before: { input: 'postgres://app:state-only-secret-77@db:5432/app', note: 'token-out-8c1d' },
        after: { input: 'postgres://app:state-only-secret-77@db:5432/app', note: 'plain' },
        before_sensitive: {},
        after_sensitive: {},
      }),
    ],
    prior_state: {
      format_version: '1.0',
      values: {
        root_module: {
          child_modules: [
            { resources: [{ address: 'module.m.terraform_data.s', values: { input: 'state-only-secret-77' }, sensitive_values: { input: true } }] },
          ],
        },
      },
    },
    configuration: { root_module: { variables: { pw: { sensitive: true } } } },
  });
  const leaked = ['old-secret-value-1', 'new-secret-value-2', 'state-only-secret-77', 'token-out-8c1d'];

  it('hides a value marked sensitive anywhere (masks, variables, outputs, prior state) wherever it appears unmarked, in JSON-rendered diffs', () => {
    const v = view(JSON.stringify(realShape()));
    const markdown = renderPlan(v, { limit: 65_536 }).markdown;
    for (const secret of leaked) expect(markdown).not.toContain(secret);
    expect(markdown).toMatch(/output\s+= \{"pw":"\(sensitive value\)"\} -> \(known after apply\)/);
    // A string that holds a secret is hidden whole; the plain change next to it still shows.
    expect(markdown).toMatch(/note\s+= \(sensitive value\) -> "plain"/);
    expect(markdown).toContain('(1 unchanged attribute hidden)');
  });

  it('hides the same values in a text plan, including one only the prior state marks', () => {
    const text = [
      'Terraform will perform the following actions:',
      '',
      '  # terraform_data.copy will be updated in-place',
      '  ~ resource "terraform_data" "copy" {',
      '        input = "postgres://app:state-only-secret-77@db:5432/app"',
      '      ~ note  = "token-out-8c1d" -> "plain"',
      '    }',
      '',
      '  # terraform_data.secret will be updated in-place',
      '  ~ resource "terraform_data" "secret" {',
      '      ~ output = {',
      '          - pw = "old-secret-value-1"',
      '        } -> (known after apply)',
      '    }',
      '',
      'Plan: 0 to add, 2 to change, 0 to destroy.',
    ].join('\n');
    const v = view(JSON.stringify(realShape()), text);
    expect(v.text?.changes.size).toBe(2);
    const markdown = renderPlan(v, { limit: 65_536 }).markdown;
    for (const secret of leaked) expect(markdown).not.toContain(secret);
    expect(markdown).toContain('pw = "(sensitive value)"');
    expect(markdown).toContain('postgres://app:(sensitive value)@db:5432/app');
  });

  it('replaces every leaf the masks mark, in resources, outputs and variables, before rendering', () => {
    const json = doc(
      [rc('db.main', ['update'], { before: { password: 'hunter2-old', nested: { token: 'tok-aaaa', plain: 'ok' } }, after: { password: 'hunter2-new', nested: { token: 'tok-bbbb', plain: 'ok' } }, before_sensitive: { password: true, nested: { token: true } }, after_sensitive: { password: true, nested: { token: true } } })],
      {
        output_changes: { pw: { actions: ['update'], before: 'out-secret-1', after: 'out-secret-2', before_sensitive: true, after_sensitive: true }, declared: { actions: ['create'], before: null, after: 'declared-secret' } },
        configuration: { root_module: { outputs: { declared: { sensitive: true } }, variables: { api_key: { sensitive: true } } } },
        variables: { api_key: { value: 'var-secret-value' } },
      },
    );
    const v = view(json);
    const markdown = renderPlan(v, { limit: 65_536 }).markdown;
    for (const secret of ['hunter2-old', 'hunter2-new', 'tok-aaaa', 'tok-bbbb', 'out-secret-1', 'out-secret-2', 'declared-secret', 'var-secret-value']) {
      expect(markdown).not.toContain(secret);
      expect(JSON.stringify(v.plan)).not.toContain(secret);
    }
    expect(markdown).toContain('(sensitive value)');
    expect(markdown).toContain('plain');
  });

  it('scrubs values the JSON marks sensitive out of a text plan, and drops bodies that still leak', () => {
    const json = doc([rc('x.a', ['create'], { after: { secret: 'topsecretvalue', short: '42' }, after_sensitive: { secret: true, short: true } })]);
    const text = '\u001b[1mTerraform will perform the following actions:\u001b[0m\n\n  # x.a will be created\n  + resource "x" "a" {\n      + secret = "topsecretvalue"\n      + short  = 42\n    }\n\nPlan: 1 to add, 0 to change, 0 to destroy.\n';
    const v = view(json, text);
    const body = v.text?.changes.get('x.a') ?? '';
    expect(body).not.toContain('topsecretvalue');
    expect(body).toMatch(/short\s+= \(sensitive value\)/);
    expect(body).not.toContain('\u001b');
  });

  it('hides a whole value when its mask has another shape (never guesses)', () => {
    const { plan } = parsePlanJson(doc([rc('x.a', ['create'], { after: { token: 'mismatched-shape-secret' }, after_sensitive: { token: { inner: true } } })]));
    expect(JSON.stringify(plan)).not.toContain('mismatched-shape-secret');
  });

  it('scrubber leaves hashes and words alone for short secrets', () => {
    const secrets = new SecretScrubber();
    secrets.add(42);
    expect(secrets.scrub('  + port = 42\n  + hash = "a42b"\n')).toBe('  + port = (sensitive value)\n  + hash = "a42b"\n');
  });
});

describe('digest', () => {
  it('is the same for the same changes in another order, and differs for a different plan', () => {
    const a = planDigest(parsePlanDocument(generatePlan({ resources: 50 })).plan);
    const b = planDigest(parsePlanDocument(generatePlan({ resources: 50, shuffled: true })).plan);
    const c = planDigest(parsePlanDocument(generatePlan({ resources: 50, variant: 'changed' })).plan);
    const d = planDigest(parsePlanDocument(generatePlan({ resources: 50, secret: 'another-secret' })).plan);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    // A changed sensitive value changes the digest, without the value being anywhere in it.
    expect(d).not.toBe(a);
  });

  it('ignores drift and no-op resources, which apply does not change', () => {
    const base = [rc('a.b', ['create'], { after: { x: 1 } })];
    const withNoise = [...base, rc('a.c', ['no-op'], { before: { x: 1 }, after: { x: 1 } })];
    const drift = { resource_drift: [rc('a.d', ['update'], { before: { x: 1 }, after: { x: 2 } })] };
    expect(planDigest(parsePlanJson(doc(withNoise, drift)).plan)).toBe(planDigest(parsePlanJson(doc(base)).plan));
  });
});

describe('text plans', () => {
  it('decodes UTF-16 (PowerShell redirection) and UTF-8 with a BOM', () => {
    const text = '{"format_version":"1.2","planned_values":{}} é';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const bom8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(decodeText(utf16)).toBe(text);
    expect(decodeText(bom8)).toBe(text);
    expect(decodeText(Buffer.from(text))).toBe(text);
  });

  it('strips ANSI colour codes', () => {
    expect(stripAnsi('\u001b[32m+\u001b[0m create\r\n')).toBe('+ create\n');
  });

  it('keeps heredoc content lines that start with - or + as content', () => {
    const body = ['# x will be created', '+ resource "a" "b" {', '    + content = <<-EOT', '          - item', '      EOT', '  }'].join('\n');
    const lines = toDiffSyntax(body).split('\n');
    expect(lines[3].startsWith(' ')).toBe(true);
    expect(lines[2].startsWith('+')).toBe(true);
  });

  it.skipIf(!haveFixtures)('splits the fixture text plans by the addresses the JSON names', () => {
    const bodies = splitTextPlan(readFixture('replace.plan.txt'), new Set(['local_file.test', 'local_file.test3', 'local_file.test2']));
    expect([...bodies.changes.keys()]).toEqual(['local_file.test', 'local_file.test3']);
    expect(bodies.planLine).toBe('Plan: 2 to add, 0 to change, 2 to destroy.');
    expect(bodies.changes.get('local_file.test3')).toContain('EOT');
  });
});

describe.skipIf(!haveFixtures)('fixtures through the engine', () => {
  const cases: [string, string, string][] = [
    ['create-sensitive', 'Plan: 3 to add, 0 to change, 0 to destroy.', 'create'],
    ['replace', 'Plan: 2 to add, 0 to change, 2 to destroy.', 'replace'],
    ['delete', 'Plan: 0 to add, 0 to change, 2 to destroy.', 'delete'],
    ['no-changes', 'Plan: 0 to add, 0 to change, 0 to destroy.', 'none'],
  ];
  it.each(cases)('%s: counts match the text plan and no sensitive value is rendered', (name, line) => {
    const text = readFixture(`${name}.plan.txt`);
    const v = view(readFixture(`${name}.plan.json`), text);
    expect(preparePlan(readFixture(`${name}.plan.json`), text).summary).toBe(line);
    const markdown = renderPlan(v, { limit: 65_536 }).markdown;
    for (const secret of FIXTURE_SECRETS) expect(markdown).not.toContain(secret);
    if (name === 'no-changes') expect(markdown).toContain('No changes.');
    else expect(markdown).toContain(line);
    if (name === 'replace' || name === 'delete') {
      // Destroys and replacements come first, with their reasons.
      const caution = markdown.indexOf('[!CAUTION]');
      expect(caution).toBeGreaterThan(0);
      expect(caution).toBeLessThan(markdown.indexOf('<details'));
      expect(markdown).toMatch(name === 'replace' ? /cannot be updated in place/ : /not in the configuration/);
    }
  });

  it('renders the JSON diagnostic stream of a failed plan as an error', () => {
    const failed = parsePlanLog(readFixture('error.plan-json-ui.log'));
    expect(failed.format).toBe('json-stream');
    expect(failed.diagnostics[0]).toMatchObject({ severity: 'error', summary: 'Unsupported block type', location: 'main.tf line 2' });
    const { markdown } = renderFailedPlan({ failed, name: 'dev', tool: 'Terraform' }, { limit: 65_536 });
    expect(markdown).toContain('failed');
    expect(markdown).not.toMatch(/No changes\./);
  });

  it('renders the legacy 0.11 text error as an error', () => {
    const failed = parsePlanLog(readFixture('error-legacy-0.11.plan.txt'));
    expect(failed.format).toBe('text');
    expect(failed.diagnostics[0].summary).toContain('null_resource.foo');
    expect(failed.diagnostics[0].detail).toContain('unknown function called: guid');
  });
});

describe('size degradation', () => {
  it('degrades step by step (full, trimmed, addresses, counts) and never exceeds the limit', () => {
    const v = view(JSON.stringify(generatePlan({ resources: 500 })));
    const full = renderPlan(v, { limit: Number.MAX_SAFE_INTEGER, prefix: '<!-- marker -->' });
    expect(full.detail).toBe('full');
    expect(full.cut).toBe('');
    const order = ['full', 'trimmed', 'addresses', 'counts'];
    const seen: string[] = [];
    for (let limit = full.markdown.length; limit > 4_000; limit = Math.floor(limit * 0.93)) {
      const rendered = renderPlan(v, { limit, prefix: '<!-- marker -->' });
      expect(rendered.markdown.length).toBeLessThanOrEqual(limit);
      expect(rendered.markdown.startsWith('<!-- marker -->\n')).toBe(true);
      if (rendered.detail !== 'full') expect(rendered.markdown).toContain('This plan was shortened to fit the size limit');
      if (seen.at(-1) !== rendered.detail) seen.push(rendered.detail);
    }
    // Each step appears, in order, and never goes back to a richer one.
    expect(seen).toEqual(order);
  });

  it('reads the boxed diagnostics of Terraform >= 0.15 text logs', () => {
    const log = [
      'Initializing the backend...',
      '\u001b[31m╷\u001b[0m',
      '\u001b[31m│\u001b[0m \u001b[1m\u001b[31mError: \u001b[0mInvalid reference',
      '│',
      '│   on main.tf line 3, in resource "aws_instance" "web":',
      '│    3:   ami = var.nope',
      '│',
      '│ A reference to a resource type must be followed by at least one attribute access.',
      '╵',
      '╷',
      '│ Warning: Deprecated argument',
      '╵',
    ].join('\n');
    const failed = parsePlanLog(log);
    expect(failed.format).toBe('text');
    expect(failed.diagnostics).toHaveLength(2);
    expect(failed.diagnostics[0]).toMatchObject({ severity: 'error', summary: 'Invalid reference', location: 'main.tf line 3' });
    expect(failed.diagnostics[0].detail).toContain('must be followed by at least one attribute access');
    expect(failed.diagnostics[1]).toMatchObject({ severity: 'warning', summary: 'Deprecated argument' });
    const { markdown } = renderFailedPlan({ failed, name: 'dev', tool: 'Terraform' }, { limit: 65_536 });
    expect(markdown).toContain('**Error: Invalid reference** — <code>main.tf line 3</code>');
    expect(markdown).not.toContain('\u001b');
  });

  it('keeps the failed-plan comment within the limit too', () => {
    const log = Array.from({ length: 3000 }, (_, i) => `╷\n│ Error: problem ${i}\n│\n│ ${'detail '.repeat(20)}\n╵`).join('\n');
    const { markdown, shortened } = renderFailedPlan({ failed: parsePlanLog(log), name: 'dev', tool: 'Terraform' }, { limit: 65_536 });
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    expect(shortened).toBe(true);
  });
});

// GitHub's documented expression examples ("Evaluate expressions in workflows and actions"), evaluated
// by the player through @actions/expressions with the runner's functions.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCondition, evaluateExpression, hashFiles, stepStatus } from '../../packages/workflow-player/expressions';

const contexts = {
  github: { event_name: 'push', ref: 'refs/heads/main', event: { issue: { labels: [{ name: 'bug' }, { name: 'help wanted' }] } } },
  env: { GREETING: 'hi' },
  vars: {},
  inputs: {},
  steps: {},
  needs: {},
  matrix: {},
  secrets: {},
};
const evaluate = (expression: string) => evaluateExpression(expression, { contexts });

describe('literals', () => {
  it.each([
    ['false', false],
    ['null', null],
    ['711', 711],
    ['-9.2', -9.2],
    ['0xff', 255],
    ['-2.99e-2', -0.0299],
    ["'Mona the Octocat'", 'Mona the Octocat'],
    ["'It''s open source!'", "It's open source!"],
  ])('%s', (expression, expected) => expect(evaluate(expression)).toEqual(expected));
});

describe('operators and loose equality', () => {
  it.each([
    ["github.event_name == 'push'", true],
    ["'ABC' == 'abc'", true],
    ["'3' == 3", true],
    ['null == 0', true],
    ['true == 1', true],
    ["'' == 0", true],
    ['!false', true],
    ['1 < 2 && 2 <= 2', true],
    ["github.ref == 'refs/heads/main' && 'value_for_main_branch' || 'value_for_other_branches'", 'value_for_main_branch'],
    ["github.ref == 'refs/heads/dev' && 'value_for_main_branch' || 'value_for_other_branches'", 'value_for_other_branches'],
  ])('%s', (expression, expected) => expect(evaluate(expression)).toEqual(expected));
});

describe('functions', () => {
  it.each([
    ["contains('Hello world', 'llo')", true],
    ["contains(github.event.issue.labels.*.name, 'bug')", true],
    ["contains(fromJSON('[\"push\", \"pull_request\"]'), github.event_name)", true],
    ["startsWith('Hello world', 'He')", true],
    ["endsWith('Hello world', 'ld')", true],
    ["format('Hello {0} {1} {2}', 'Mona', 'the', 'Octocat')", 'Hello Mona the Octocat'],
    ["format('{{Hello {0} {1} {2}!}}', 'Mona', 'the', 'Octocat')", '{Hello Mona the Octocat!}'],
    ["join(github.event.issue.labels.*.name, ', ')", 'bug, help wanted'],
    ["fromJSON('{\"a\": [1, 2]}').a[1]", 2],
    ['github.event.issue.labels.*.name', ['bug', 'help wanted']],
    ["toJSON(fromJSON('[1]'))", '[\n  1\n]'],
  ])('%s', (expression, expected) => expect(evaluate(expression)).toEqual(expected));

  it('an unknown context is an error naming the expression', () => {
    expect(() => evaluate('nope.x')).toThrow(/nope\.x/);
  });
});

describe('status functions', () => {
  it('success(), failure(), always(), cancelled() follow the job so far', () => {
    const ok = { contexts, status: stepStatus(false, false) };
    const failed = { contexts, status: stepStatus(true, false) };
    const cancelled = { contexts, status: stepStatus(false, true) };
    expect([evaluateCondition('success()', ok), evaluateCondition('failure()', ok), evaluateCondition('always()', ok)]).toEqual([true, false, true]);
    expect([evaluateCondition('success()', failed), evaluateCondition('failure()', failed), evaluateCondition('always()', failed)]).toEqual([false, true, true]);
    expect([evaluateCondition('success()', cancelled), evaluateCondition('cancelled()', cancelled), evaluateCondition('!cancelled()', cancelled)]).toEqual([false, true, false]);
  });
});

describe('hashFiles', () => {
  it('hashes matching files as the runner does, and is empty when nothing matches', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'hashfiles-'));
    mkdirSync(path.join(root, 'a'), { recursive: true });
    writeFileSync(path.join(root, 'a', 'package-lock.json'), '{"lockfileVersion":3}');
    writeFileSync(path.join(root, 'Gemfile.lock'), 'GEM');
    const inner = ['Gemfile.lock', 'a/package-lock.json'].map((file) => createHash('sha256').update(file === 'Gemfile.lock' ? 'GEM' : '{"lockfileVersion":3}').digest());
    const expected = createHash('sha256').update(inner[0]).update(inner[1]).digest('hex');
    expect(hashFiles(root, ['**/package-lock.json', '**/Gemfile.lock'])).toBe(expected);
    expect(evaluateExpression("hashFiles('**/package-lock.json', '**/Gemfile.lock')", { contexts, workspace: root })).toBe(expected);
    expect(hashFiles(root, ['**/*.nothing'])).toBe('');
  });
});

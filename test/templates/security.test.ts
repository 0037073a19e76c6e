import { describe, expect, it } from 'vitest';
import { RULES, checkSecurity, type RuleId } from './rules';
import { loadTemplates, parseWorkflowText } from './workflow';

const templates = loadTemplates();
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

/** A minimal workflow that passes every rule; each bad example below breaks exactly one thing of it. */
const good = `
on: push
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: dev
    concurrency:
      group: deploy-dev
      cancel-in-progress: false
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: actions/checkout@${SHA} # v4.2.2
        with:
          persist-credentials: false
      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4.0.2
        with:
          role-to-assume: \${{ vars.AWS_ROLE_ARN }}
          aws-region: us-west-2
      - uses: org/connect2-actions/ecs-deploy@v1
        with: { cluster: c, service: s }
      - env:
          REF: \${{ github.head_ref }}
        run: echo "$REF"
`;

const bad: Record<RuleId, [string, string][]> = {
  'no-pull-request-target': [
    ['pull_request_target trigger', good.replace('on: push', 'on:\n  pull_request_target:\n    branches: [main]')],
    ['pull_request_target in a list', good.replace('on: push', 'on: [push, pull_request_target]')],
  ],
  'top-level-permissions': [
    ['no top-level permissions', good.replace('permissions: {}\n', '')],
    ['write-all at the top', good.replace('permissions: {}', 'permissions: write-all')],
    ['a write scope at the top', good.replace('permissions: {}', 'permissions:\n  contents: write')],
  ],
  'job-permissions': [
    ['a job without permissions', good.replace('    permissions:\n      contents: read\n      id-token: write\n', '')],
    ['write-all in a job', good.replace('    permissions:\n      contents: read\n      id-token: write\n', '    permissions: write-all\n')],
    ['id-token: write without OIDC', good.replace(/ {6}- uses: aws-actions[\s\S]*?aws-region: us-west-2\n/, '')],
    ['contents: write in a job that pushes nothing', good.replace('      contents: read\n', '      contents: write\n')],
    ['a write scope no step uses', good.replace('      contents: read\n', '      contents: read\n      packages: write\n')],
  ],
  'oidc-not-keys': [
    ['access keys instead of a role', good.replace("role-to-assume: ${{ vars.AWS_ROLE_ARN }}", "aws-access-key-id: ${{ secrets.KEY }}\n          aws-secret-access-key: ${{ secrets.SECRET }}")],
    ['OIDC without id-token: write', good.replace('      id-token: write\n', '')],
    ['keys in env', good.replace('REF: ${{ github.head_ref }}', 'AWS_SECRET_ACCESS_KEY: ${{ secrets.SECRET }}')],
  ],
  'pinned-actions': [
    ['a tag', good.replace(`actions/checkout@${SHA} # v4.2.2`, 'actions/checkout@v4')],
    ['a short SHA', good.replace(`actions/checkout@${SHA}`, 'actions/checkout@11bd719')],
    ['a SHA without its version comment', good.replace(`${SHA} # v4.2.2`, SHA)],
    ['a branch of another owner\'s fork of the bundle', good.replace('org/connect2-actions/ecs-deploy@v1', 'evil/connect2-actions/ecs-deploy@main')],
    ['the bundle by a branch', good.replace('org/connect2-actions/ecs-deploy@v1', 'org/connect2-actions/ecs-deploy@main')],
    ['the bundle by a release commit without its version', good.replace('org/connect2-actions/ecs-deploy@v1', `org/connect2-actions/ecs-deploy@${SHA}`)],
    ['another owner\'s reusable workflow by branch', `${good}  call:\n    permissions: {}\n    uses: someone/workflows/.github/workflows/deploy.yml@main\n`],
    ['a docker image by tag', good.replace(`actions/checkout@${SHA} # v4.2.2`, 'docker://alpine:3')],
  ],
  'no-expression-in-run': [
    ['an expression in run', good.replace('run: echo "$REF"', 'run: echo "${{ github.head_ref }}"')],
  ],
  'checkout-persist-credentials': [
    ['persist-credentials left out', good.replace('        with:\n          persist-credentials: false\n', '')],
    ['persist-credentials: true', good.replace('persist-credentials: false', 'persist-credentials: true')],
  ],
  'deploy-concurrency': [
    ['no concurrency', good.replace('    concurrency:\n      group: deploy-dev\n      cancel-in-progress: false\n', '')],
    ['cancel-in-progress: true', good.replace('cancel-in-progress: false', 'cancel-in-progress: true')],
    ['a group not named deploy-<env>', good.replace('group: deploy-dev', 'group: ${{ github.workflow }}')],
    ['an ECS job without environment or concurrency', good.replace('    environment: dev\n', '').replace('    concurrency:\n      group: deploy-dev\n      cancel-in-progress: false\n', '')],
  ],
  'no-secrets-inherit': [
    ['secrets: inherit', `${good}  call:\n    permissions: {}\n    uses: ./.github/workflows/deploy.yml\n    secrets: inherit\n`],
  ],
};

describe('security rules on the templates', () => {
  it.each(templates.map((t) => [t.name, t] as const))('%s follows every rule', (_name, template) => {
    expect(checkSecurity(template)).toEqual([]);
  });
});

describe('each security rule fails on a bad example', () => {
  it('the good example passes every rule', () => {
    expect(checkSecurity(parseWorkflowText('good.yml', good))).toEqual([]);
  });

  it('every rule has bad examples', () => {
    expect(Object.keys(bad).sort()).toEqual(Object.keys(RULES).sort());
  });

  const cases = Object.entries(bad).flatMap(([rule, examples]) => examples.map(([label, text]) => [rule as RuleId, label, text] as const));
  it.each(cases)('%s: %s', (rule, _label, text) => {
    const workflow = parseWorkflowText('bad.yml', text);
    expect(text).not.toEqual(good);
    const violations = RULES[rule](workflow);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.every((v) => v.rule === rule && v.where.startsWith('bad.yml'))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { loadActions } from './actions';
import { checkContract, type ContractCheck } from './contract';
import { loadTemplates, parseWorkflowText } from './workflow';

// Read at test time: colleagues add inputs to the action.yml files while the templates evolve.
const actions = loadActions();
const templates = loadTemplates();

const check = (text: string, extra: string[] = []): { check: ContractCheck; message: string }[] => {
  const workflow = parseWorkflowText('bad.yml', text);
  const others = extra.map((t, i) => parseWorkflowText(`callee-${i}.yml`, t));
  return checkContract(workflow, actions, [...templates, ...others]).map(({ check: c, message }) => ({ check: c, message }));
};

const job = (steps: string): string => `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
${steps}`;

describe('the bundle is what the contract reads', () => {
  it('finds the six actions with their inputs and outputs', () => {
    expect([...actions.keys()]).toEqual(expect.arrayContaining(['classify-pr', 'terraform-plan-comment', 'ecs-deploy', 'wait-stable', 'run-migration', 'create-release']));
    expect(actions.get('ecs-deploy')?.inputs.get('cluster')?.required).toBe(true);
    expect(actions.get('ecs-deploy')?.outputs.has('task-definition-arn')).toBe(true);
  });
});

describe('the templates keep the contract', () => {
  it.each(templates.map((t) => [t.name, t] as const))('%s', (_name, template) => {
    expect(checkContract(template, actions, templates)).toEqual([]);
  });

  it('deploy.yml runs the migration with the revision ecs-deploy registered', () => {
    const deploy = templates.find((t) => t.name === 'deploy.yml');
    expect(deploy?.text).toMatch(/task-definition: \$\{\{ steps\.register\.outputs\.task-definition-arn \}\}/);
  });
});

describe('the contract check fails on bad examples', () => {
  const cases: [string, ContractCheck, RegExp, string, string[]?][] = [
    ['an action that does not exist', 'bundle-action', /no action folder ecs-deplo\//,
      job('      - uses: org/connect2-actions/ecs-deplo@v1\n')],
    ['the bundle at another ref', 'bundle-action', /@v1/,
      job('      - uses: org/connect2-actions/wait-stable@main\n        with: { cluster: c, services: s }\n')],
    ['an unknown input', 'action-inputs', /ecs-deploy has no input 'clutser'/,
      job('      - uses: org/connect2-actions/ecs-deploy@v1\n        with: { clutser: c, cluster: c, service: s }\n')],
    ['a missing required input', 'action-inputs', /ecs-deploy requires input 'service'/,
      job('      - uses: org/connect2-actions/ecs-deploy@v1\n        with: { cluster: c }\n')],
    ['an output the action does not have', 'step-outputs', /ecs-deploy has no output 'task-definition'/,
      job('      - id: d\n        uses: org/connect2-actions/ecs-deploy@v1\n        with: { cluster: c, service: s }\n      - uses: org/connect2-actions/wait-stable@v1\n        with:\n          cluster: c\n          services: s\n          task-definition: ${{ steps.d.outputs.task-definition }}\n')],
    ['a step id that does not exist', 'step-outputs', /no step with id 'register'/,
      job('      - uses: org/connect2-actions/run-migration@v1\n        with:\n          cluster: c\n          task-definition: ${{ steps.register.outputs.task-definition-arn }}\n')],
    ['a step read before it runs', 'step-outputs', /read before it runs/,
      job('      - uses: org/connect2-actions/run-migration@v1\n        with:\n          cluster: c\n          task-definition: ${{ steps.register.outputs.task-definition-arn }}\n      - id: register\n        uses: org/connect2-actions/ecs-deploy@v1\n        with: { cluster: c, service: s, register-only: true }\n')],
    ['a run step output never written', 'step-outputs', /never writes 'image='/,
      job('      - id: build\n        run: echo "tag=1" >> "$GITHUB_OUTPUT"\n      - env:\n          IMAGE: ${{ steps.build.outputs.image }}\n        run: echo "$IMAGE"\n')],
    ['a job output read without needs', 'needs-outputs', /'b' is not in needs/,
      'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    outputs: { x: "1" }\n    steps: [{ run: echo }]\n  a:\n    runs-on: ubuntu-latest\n    if: needs.b.outputs.x\n    steps: [{ run: echo }]\n'],
    ['a job output that is not declared', 'needs-outputs', /job 'b' has no such output/,
      'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n  a:\n    needs: b\n    runs-on: ubuntu-latest\n    if: needs.b.outputs.x\n    steps: [{ run: echo }]\n'],
    ['a call to a template that does not exist', 'reusable-call', /no such template/,
      'on: push\njobs:\n  a:\n    uses: ./.github/workflows/deploy-to-ecs.yml\n    with: { environment: dev }\n'],
    ['a call with an unknown input', 'reusable-call', /declares no input 'enviroment'/,
      'on: push\njobs:\n  a:\n    permissions: { contents: write, id-token: write }\n    uses: ./.github/workflows/deploy.yml\n    with: { environment: dev, enviroment: dev }\n'],
    ['a call without a required input', 'reusable-call', /requires input 'environment'/,
      'on: push\njobs:\n  a:\n    permissions: { contents: write, id-token: write }\n    uses: ./.github/workflows/deploy.yml\n'],
    ['a call granting less than the callee needs', 'reusable-call', /needs id-token: write, the caller grants less/,
      'on: push\njobs:\n  a:\n    permissions: { contents: write }\n    uses: ./.github/workflows/deploy.yml\n    with: { environment: dev }\n'],
    ['a call with an unknown secret and without a required one', 'reusable-call', /declares no secret 'TOKEN'[\s\S]*requires secret 'NEEDED'/,
      'on: push\njobs:\n  a:\n    permissions: {}\n    uses: ./.github/workflows/callee-0.yml\n    secrets: { TOKEN: x }\n',
      ['on:\n  workflow_call:\n    secrets:\n      NEEDED: { required: true }\njobs:\n  z:\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n']],
    ['a call to a workflow that is not reusable', 'reusable-call', /has no on.workflow_call/,
      'on: push\njobs:\n  a:\n    permissions: {}\n    uses: ./.github/workflows/migrate.yml\n'],
    ['an input that is not declared', 'declared-inputs', /inputs.enviroment is read but not declared/,
      'on:\n  workflow_dispatch:\n    inputs:\n      environment: { type: string }\njobs:\n  a:\n    runs-on: ubuntu-latest\n    environment: ${{ inputs.enviroment }}\n    steps: [{ run: echo }]\n'],
    ['a workflow_call output of a missing job output', 'needs-outputs', /jobs.a.outputs.image is not an output/,
      'on:\n  workflow_call:\n    outputs:\n      image: { value: "${{ jobs.a.outputs.image }}" }\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n'],
  ];

  it.each(cases)('%s', (_label, expectedCheck, message, text, extra) => {
    const violations = check(text, extra);
    expect(violations.map((v) => v.check)).toContain(expectedCheck);
    expect(violations.filter((v) => v.check === expectedCheck).map((v) => v.message).join('\n')).toMatch(message);
  });
});

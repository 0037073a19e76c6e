// The runbook's names are the defaults (DESIGN.md, Templates): a rename in a template shows up here.
import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../packages/workflow-player/expressions';
import { events, isObject, jobs, loadTemplates, type Workflow } from './workflow';

const templates = new Map(loadTemplates().map((t) => [t.name, t]));
const get = (name: string): Workflow => {
  const workflow = templates.get(name);
  if (!workflow) throw new Error(`missing template ${name}`);
  return workflow;
};

describe('runbook defaults', () => {
  const deploy = get('deploy.yml');
  const callInputs = (() => {
    const call = events(deploy).workflow_call;
    return isObject(call) && isObject(call.inputs) ? call.inputs : {};
  })();
  const deployJob = jobs(deploy).find((job) => job.id === 'deploy');
  const env = deployJob && isObject(deployJob.data.env) ? deployJob.data.env : {};

  it('builds infrastructure/docker/Dockerfile at target production', () => {
    expect(callInputs.dockerfile).toMatchObject({ default: 'infrastructure/docker/Dockerfile' });
    expect(callInputs['docker-target']).toMatchObject({ default: 'production' });
  });

  it.each([
    ['AWS_REGION', "'us-west-2'"],
    ['CLUSTER', "format('connect2-api-cluster-{0}', inputs.environment)"],
    ['SERVICE', "format('connect2-api-service-{0}', inputs.environment)"],
    ['CONTAINER', "'connect2-api'"],
    // One repository for every environment (the runbook pushes to connect2-api-<env>): an image is built
    // once per tree and staging and prod deploy its digest; separate repositories would need a registry copy.
    ['ECR_REPOSITORY', "'connect2-api'"],
  ])('%s falls back to %s, after an input or variable override', (name, fallback) => {
    const value = String(env[name]);
    expect(value.endsWith(`|| ${fallback} }}`)).toBe(true);
    expect(value).toMatch(/\$\{\{ inputs\.[\w-]+ \|\| vars\.[A-Z_]+ \|\|/);
  });

  it('deploys development to dev, staging to staging, main to prod (one pipeline and group per environment)', () => {
    const pipeline = get('deploy-on-merge.yml');
    const changes = jobs(pipeline).find((job) => job.id === 'changes');
    const expression = String((changes?.data.outputs as Record<string, string>).environment).replace(/^\$\{\{\s*|\s*\}\}$/g, '');
    const mapping = Object.fromEntries(['development', 'staging', 'main'].map((branch) => [branch, evaluateExpression(expression, { contexts: { github: { ref_name: branch } } })]));
    expect(mapping).toEqual({ development: 'dev', staging: 'staging', main: 'prod' });
    expect(String((pipeline.data.concurrency as Record<string, string>).group)).toBe(`deploy-\${{ ${expression} }}`);
    expect(jobs(pipeline).find((job) => job.id === 'deploy')?.uses).toBe('./.github/workflows/deploy.yml');
  });

  it('plans every environment root and round-trips migrations as the runbook does', () => {
    const plan = jobs(get('terraform.yml')).find((job) => job.id === 'plan');
    expect(JSON.stringify(plan?.data.strategy)).toMatch(/"environment":"dev".*"environment":"staging".*"environment":"prod"/);
    const migrations = jobs(get('pr-checks.yml')).find((job) => job.id === 'migrations');
    expect(migrations?.steps.map((step) => step.data.run)).toEqual(expect.arrayContaining(['alembic upgrade head', 'alembic downgrade -1']));
    expect(migrations?.steps.filter((step) => step.data.run === 'alembic upgrade head')).toHaveLength(2);
  });
});

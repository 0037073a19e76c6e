import { describe, expect, it } from 'vitest';
import { githubParserErrors } from './github-parser';
import { loadTemplates } from './workflow';

const templates = loadTemplates();

describe('templates validate with @actions/workflow-parser', () => {
  it('finds the templates', () => {
    expect(templates.map((t) => t.name)).toEqual(expect.arrayContaining(['deploy.yml', 'pr-checks.yml', 'terraform.yml']));
  });

  it.each(templates.map((t) => [t.name, t] as const))('%s has no errors', async (_name, template) => {
    expect(await githubParserErrors(template, templates)).toEqual([]);
  });
});

describe('the parser check fails on bad workflows', () => {
  it('reports an unknown key', async () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n';
    expect((await githubParserErrors({ name: 'bad.yml', text }, [])).join('\n')).toMatch(/stepz/);
  });

  it('reports an unknown context in an expression', async () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n        env:\n          X: ${{ secret.TOKEN }}\n';
    expect((await githubParserErrors({ name: 'bad.yml', text }, [])).join('\n')).toMatch(/secret/);
  });

  it('reports a call to deploy.yml without its required input', async () => {
    const text = 'on: push\njobs:\n  a:\n    uses: ./.github/workflows/deploy.yml\n    with:\n      environmnet: dev\n';
    const errors = (await githubParserErrors({ name: 'caller.yml', text }, templates)).join('\n');
    expect(errors).toMatch(/environment is required/);
    expect(errors).toMatch(/environmnet is not defined/);
  });
});

import { describe, expect, it } from 'vitest';
import { bashSyntaxProblems, runScripts } from './scripts';
import { loadTemplates, parseWorkflowText } from './workflow';

const templates = loadTemplates();

describe('run: scripts parse with bash -n', () => {
  it('finds the scripts (the backport, promotion and digest lookup among them)', () => {
    const all = templates.flatMap(runScripts).map((s) => s.where);
    expect(all).toEqual(expect.arrayContaining([expect.stringMatching(/^hotfix-backport.yml/), expect.stringMatching(/^promote.yml/), expect.stringMatching(/^terraform-apply.yml jobs.reviewed/)]));
  });

  it.each(templates.map((t) => [t.name, t] as const))('%s', (_name, template) => {
    expect(bashSyntaxProblems(template)).toEqual([]);
  });

  it.each([
    ['an unterminated if', 'if [ -n "$X" ]; then\n  echo x\n'],
    ['an unclosed quote', 'echo "unclosed\n'],
    ['a broken case', 'case "$X" in\n  a) echo a\n'],
  ])('fails on %s', (_label, script) => {
    const workflow = parseWorkflowText('bad.yml', `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${JSON.stringify(script)}\n`);
    const problems = bashSyntaxProblems(workflow);
    expect(problems).toHaveLength(1);
    expect(problems[0].where).toBe('bad.yml jobs.a step #1');
  });
});

/** The names module declares exactly the inputs and outputs of terraform-plan-comment/action.yml (both directions). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Input, MODES, Output } from '../../actions/terraform-plan-comment/names';
import { declaredNames } from '../harness/action-names';
import { repoRoot } from '../harness/run-action';

describe('terraform-plan-comment names', () => {
  it('Input and Output equal the inputs and outputs of action.yml', () => {
    const declared = declaredNames('terraform-plan-comment');
    expect(Object.values(Input).sort()).toEqual(declared.inputs);
    expect(Object.values(Output).sort()).toEqual(declared.outputs);
  });

  it('the modes are the ones action.yml describes', () => {
    const meta = parse(readFileSync(path.join(repoRoot, 'terraform-plan-comment', 'action.yml'), 'utf8')) as { inputs: Record<string, { description: string }> };
    for (const mode of MODES) expect(meta.inputs[Input.Mode]!.description).toContain(`\`${mode}\``);
  });
});

/** The names module declares exactly the inputs and outputs of classify-pr/action.yml (both directions). */
import { describe, expect, it } from 'vitest';
import { Input, Output } from '../../actions/classify-pr/names';
import { declaredNames } from '../harness/action-names';

describe('classify-pr names', () => {
  it('Input and Output equal the inputs and outputs of action.yml', () => {
    const declared = declaredNames('classify-pr');
    expect(Object.values(Input).sort()).toEqual(declared.inputs);
    expect(Object.values(Output).sort()).toEqual(declared.outputs);
  });
});

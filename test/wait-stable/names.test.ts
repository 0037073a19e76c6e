/** The names module declares exactly the inputs and outputs of wait-stable/action.yml (both directions). */
import { describe, expect, it } from 'vitest';
import { Input, Output } from '../../actions/wait-stable/names';
import { declaredNames } from '../harness/action-names';

describe('wait-stable names', () => {
  it('Input and Output equal the inputs and outputs of action.yml', () => {
    const declared = declaredNames('wait-stable');
    expect(Object.values(Input).sort()).toEqual(declared.inputs);
    expect(Object.values(Output).sort()).toEqual(declared.outputs);
  });
});

/** The names module declares exactly the inputs and outputs of create-release/action.yml (both directions). */
import { describe, expect, it } from 'vitest';
import { Input, Output } from '../../actions/create-release/names';
import { declaredNames } from '../harness/action-names';

describe('create-release names', () => {
  it('Input and Output equal the inputs and outputs of action.yml', () => {
    const declared = declaredNames('create-release');
    expect(Object.values(Input).sort()).toEqual(declared.inputs);
    expect(Object.values(Output).sort()).toEqual(declared.outputs);
  });
});

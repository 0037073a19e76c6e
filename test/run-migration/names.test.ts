/** The names module declares exactly the inputs and outputs of run-migration/action.yml (both directions). */
import { describe, expect, it } from 'vitest';
import { Input, Output } from '../../actions/run-migration/names';
import { declaredNames } from '../harness/action-names';

describe('run-migration names', () => {
  it('Input and Output equal the inputs and outputs of action.yml', () => {
    const declared = declaredNames('run-migration');
    expect(Object.values(Input).sort()).toEqual(declared.inputs);
    expect(Object.values(Output).sort()).toEqual(declared.outputs);
  });
});

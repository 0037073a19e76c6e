/** The names module declares exactly the inputs and outputs of ecs-deploy/action.yml (both directions). */
import { describe, expect, it } from 'vitest';
import { Input, Output } from '../../actions/ecs-deploy/names';
import { declaredNames } from '../harness/action-names';

describe('ecs-deploy names', () => {
  it('Input and Output equal the inputs and outputs of action.yml', () => {
    const declared = declaredNames('ecs-deploy');
    expect(Object.values(Input).sort()).toEqual(declared.inputs);
    expect(Object.values(Output).sort()).toEqual(declared.outputs);
  });
});

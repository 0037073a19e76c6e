import { InputError, NotImplementedError, readInputs, type ActionContext } from '../../packages/action-kit';

export async function commentPlan(_context: ActionContext): Promise<void> {
  const inputs = readInputs();
  if (!inputs.optional('plan-json') && !inputs.optional('plan-file')) {
    throw new InputError('plan-json', 'and plan-file are both empty', 'set plan-json to the output of `terraform show -json`, or plan-file to a saved plan');
  }
  throw new NotImplementedError('terraform-plan-comment');
}

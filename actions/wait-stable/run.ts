import { NotImplementedError, readInputs, type ActionContext } from '../../packages/action-kit';

export async function waitStable(_context: ActionContext): Promise<void> {
  const inputs = readInputs();
  inputs.required('cluster');
  inputs.required('services');
  throw new NotImplementedError('wait-stable');
}

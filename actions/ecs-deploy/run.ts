import { NotImplementedError, readInputs, type ActionContext } from '../../packages/action-kit';

export async function deploy(_context: ActionContext): Promise<void> {
  const inputs = readInputs();
  inputs.required('cluster');
  inputs.required('service');
  throw new NotImplementedError('ecs-deploy');
}

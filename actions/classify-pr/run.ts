import { NotImplementedError, readInputs, type ActionContext } from '../../packages/action-kit';

export async function classifyPr(_context: ActionContext): Promise<void> {
  const inputs = readInputs();
  inputs.required('github-token');
  throw new NotImplementedError('classify-pr');
}

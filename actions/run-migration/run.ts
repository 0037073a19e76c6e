import { NotImplementedError, readInputs, type ActionContext } from '../../packages/action-kit';

export async function runMigration(_context: ActionContext): Promise<void> {
  const inputs = readInputs();
  inputs.required('cluster');
  throw new NotImplementedError('run-migration');
}

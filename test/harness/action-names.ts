/** Reads an action's action.yml: the input and output names its names module must declare. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './run-action';

export function declaredNames(action: string): { inputs: string[]; outputs: string[] } {
  const meta = parse(readFileSync(path.join(repoRoot, action, 'action.yml'), 'utf8')) as { inputs?: object; outputs?: object };
  return { inputs: Object.keys(meta.inputs ?? {}).sort(), outputs: Object.keys(meta.outputs ?? {}).sort() };
}

// The bundle's action metadata, read from the <action>/action.yml files at test time: colleagues add
// inputs while the templates are written, so the contract is whatever those files say now.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isObject } from './workflow';

export interface ActionInput {
  required: boolean;
  hasDefault: boolean;
}

export interface ActionMetadata {
  name: string;
  inputs: Map<string, ActionInput>;
  outputs: Set<string>;
}

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/** Every root folder with an action.yml, keyed by folder name (what `org/connect2-actions/<name>@v1` names). */
export function loadActions(root = REPO_ROOT): Map<string, ActionMetadata> {
  const actions = new Map<string, ActionMetadata>();
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const file = join(root, entry.name, 'action.yml');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const data = parse(readFileSync(file, 'utf8')) as unknown;
    if (!isObject(data)) throw new Error(`${file}: not a mapping`);
    const inputs = new Map<string, ActionInput>();
    for (const [name, spec] of Object.entries(isObject(data.inputs) ? data.inputs : {})) {
      const input = isObject(spec) ? spec : {};
      inputs.set(name, {
        required: input.required === true || input.required === 'true',
        hasDefault: input.default !== undefined && input.default !== null,
      });
    }
    const outputs = new Set(Object.keys(isObject(data.outputs) ? data.outputs : {}));
    actions.set(entry.name, { name: entry.name, inputs, outputs });
  }
  return actions;
}

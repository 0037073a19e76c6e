/**
 * Issue #25: one name for each action's input-parsing module. Every action reads and checks its inputs in
 * actions/<name>/inputs.ts (before the first call to AWS or GitHub); no other module of the action is named
 * for the same job (config, settings, options, parse, *-inputs), and no other module reads an input.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../scripts/actions.mjs';
import { repoRoot } from '../harness/run-action';

const folder = (action: string) => path.join(repoRoot, 'actions', action);
const modules = (action: string) => readdirSync(folder(action)).filter((file) => file.endsWith('.ts'));

describe.each(ACTIONS)('actions/%s', (action) => {
  it('parses its inputs in inputs.ts', () => {
    expect(existsSync(path.join(folder(action), 'inputs.ts'))).toBe(true);
    expect(readFileSync(path.join(folder(action), 'inputs.ts'), 'utf8')).toMatch(/export (async )?function read\w*\(/);
  });

  it('has no other module named for input parsing', () => {
    expect(modules(action).filter((file) => file !== 'inputs.ts' && /config|settings|options|parse|inputs/i.test(file))).toEqual([]);
  });

  it('reads inputs (the Inputs readers) in inputs.ts only', () => {
    const readers = /\binputs\.(optional|required|boolean|integer|optionalInteger|enumeration|multiline|list|json|duration)\(/;
    const elsewhere = modules(action).filter((file) => file !== 'inputs.ts' && readers.test(readFileSync(path.join(folder(action), file), 'utf8')));
    expect(elsewhere).toEqual([]);
  });
});

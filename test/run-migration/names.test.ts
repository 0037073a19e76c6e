/** run-migration's names module and its action.yml name the same inputs and outputs, in both directions. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Input, Output } from '../../actions/run-migration/names';
import { repoRoot } from '../harness/run-action';

const metadata = parse(readFileSync(path.join(repoRoot, 'run-migration', 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };

describe('run-migration names', () => {
  it('Input lists exactly the inputs of action.yml', () => {
    expect(Object.values(Input).sort()).toEqual(Object.keys(metadata.inputs).sort());
  });

  it('Output lists exactly the outputs of action.yml', () => {
    expect(Object.values(Output).sort()).toEqual(Object.keys(metadata.outputs).sort());
  });
});

import { describe, expect, it } from 'vitest';
import { InputError, parseDuration, readInputs, recordInputs } from '../../packages/action-kit';

const inputsOf = (values: Record<string, string>) => readInputs(recordInputs(values));

describe('typed inputs', () => {
  it('names the input, the problem and the fix for a missing required value', () => {
    expect(() => inputsOf({}).required('cluster')).toThrow("Input 'cluster' is required but was empty; set 'cluster' in the step's 'with:'.");
  });

  it('reads booleans in the YAML spellings and rejects others', () => {
    expect(inputsOf({ wait: 'true' }).boolean('wait', false)).toBe(true);
    expect(inputsOf({ wait: 'False' }).boolean('wait', true)).toBe(false);
    expect(inputsOf({}).boolean('wait', true)).toBe(true);
    expect(() => inputsOf({ wait: 'yep' }).boolean('wait', true)).toThrow("Input 'wait' is 'yep', not a boolean; use 'true' or 'false'.");
  });

  it('reads integers within a range', () => {
    expect(inputsOf({ n: '5' }).integer('n', 1, { min: 1 })).toBe(5);
    expect(inputsOf({}).integer('n', 7)).toBe(7);
    expect(() => inputsOf({ n: '0' }).integer('n', 1, { min: 1 })).toThrow("Input 'n' is 0, out of range; use a whole number of at least 1.");
    expect(() => inputsOf({ n: '2.5' }).integer('n', 1, { min: 1, max: 9 })).toThrow('not a whole number; use a whole number from 1 to 9');
  });

  it('reads enums', () => {
    expect(inputsOf({ mode: 'recreate' }).enumeration('mode', ['update', 'recreate', 'off'] as const, 'update')).toBe('recreate');
    expect(() => inputsOf({ mode: 'upsert' }).enumeration('mode', ['update', 'off'] as const, 'update')).toThrow(
      "Input 'mode' is 'upsert'; use one of 'update', 'off'.",
    );
  });

  it('reads multiline values without blanks and comments, and lists split on commas too', () => {
    expect(inputsOf({ p: 'a/**\n\n# note\n  b.tf  \n' }).multiline('p')).toEqual(['a/**', 'b.tf']);
    expect(inputsOf({ s: 'api, worker\nadmin' }).list('s')).toEqual(['api', 'worker', 'admin']);
  });

  it('reads JSON and says why it is malformed', () => {
    expect(inputsOf({ c: '["a","b"]' }).json('c')).toEqual(['a', 'b']);
    expect(() => inputsOf({ c: '[a' }).json('c', 'a JSON array of strings')).toThrow(/^Input 'c' is not valid JSON \(.+\); use a JSON array of strings\.$/);
  });

  it('reads durations with units', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('30', 'minutes')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('ten')).toBeUndefined();
    expect(() => inputsOf({ t: 'soon' }).duration('t', 1000)).toThrow(InputError);
  });
});

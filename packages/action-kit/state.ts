/**
 * What a main step leaves for its `post:` step (GITHUB_STATE), typed once per action instead of
 * strings and numbers parsed by hand at each call, as actions/cache's StateProvider does.
 */
import * as core from '@actions/core';

/** A state field: its GITHUB_STATE key and how its value is written and read back. */
export type StateField<T> = { key: string; kind: 'string' | 'number' | 'boolean'; _type?: T };

export const stateField = {
  string: (key: string): StateField<string> => ({ key, kind: 'string' }),
  number: (key: string): StateField<number> => ({ key, kind: 'number' }),
  boolean: (key: string): StateField<boolean> => ({ key, kind: 'boolean' }),
};

type Values<F extends Record<string, StateField<unknown>>> = { [K in keyof F]: F[K] extends StateField<infer T> ? T : never };

export interface StateStore<F extends Record<string, StateField<unknown>>> {
  save(values: Partial<Values<F>>): void;
  /** Every field; a field never saved reads as undefined. */
  load(): Partial<Values<F>>;
}

export interface StateBackend {
  save(key: string, value: string): void;
  get(key: string): string;
}

const runnerState: StateBackend = { save: (key, value) => core.saveState(key, value), get: (key) => core.getState(key) };

/** A typed view of GITHUB_STATE for the fields an action declares. */
export function stateStore<F extends Record<string, StateField<unknown>>>(fields: F, backend: StateBackend = runnerState): StateStore<F> {
  return {
    save(values) {
      for (const [name, value] of Object.entries(values)) {
        if (value === undefined) continue;
        backend.save(fields[name].key, String(value));
      }
    },
    load() {
      const values: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(fields)) {
        const raw = backend.get(field.key);
        if (raw === '') continue;
        values[name] = field.kind === 'number' ? Number(raw) : field.kind === 'boolean' ? raw === 'true' : raw;
      }
      return values as Partial<Values<F>>;
    },
  };
}

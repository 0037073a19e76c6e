// The mutation parts together play every case exactly once.
import { describe, expect, it } from 'vitest';
import { MUTATION_NAMES, shareNames } from './mutation-cases';

describe('the template mutations shared out over three files', () => {
  it('cover every case once', () => {
    const dealt = [1, 2, 3].flatMap((part) => shareNames(part, 3));
    expect([...dealt].sort()).toEqual([...MUTATION_NAMES].sort());
  });
});

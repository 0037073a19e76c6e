import { describe, expect, it } from 'vitest';
import { parseAnnotations, parseKeyValueFile } from '../harness/run-action';

describe('runner file parsing', () => {
  it('reads name=value lines and heredocs', () => {
    const text = 'status=deployed\nnotes<<ghadelimiter_1\n## v1.0.0\n\n- feat: a=b\nghadelimiter_1\nempty=\n';
    expect(parseKeyValueFile(text)).toEqual({ status: 'deployed', notes: '## v1.0.0\n\n- feat: a=b', empty: '' });
  });

  it('reads annotations with properties and escaped data', () => {
    const log = 'plain\n::error title=Mixed PR,file=a%3Ab.tf::two%0Alines 100%25\n::warning::careful\n';
    expect(parseAnnotations(log)).toEqual([
      { level: 'error', message: 'two\nlines 100%', properties: { title: 'Mixed PR', file: 'a:b.tf' } },
      { level: 'warning', message: 'careful', properties: {} },
    ]);
  });
});

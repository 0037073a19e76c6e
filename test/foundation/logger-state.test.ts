import { describe, expect, it } from 'vitest';
import { recordingLogger, stateField, stateStore } from '../../packages/action-kit';

describe('recordingLogger', () => {
  it('keeps each line with its level, and runs group bodies', async () => {
    const log = recordingLogger();
    log.info('one');
    const value = await log.group('details', async () => {
      log.warning('two');
      return 42;
    });
    expect(value).toBe(42);
    expect(log.lines).toEqual([
      { level: 'info', message: 'one' },
      { level: 'group', message: 'details' },
      { level: 'warning', message: 'two' },
    ]);
    expect(log.text('warning')).toBe('two');
  });
});

describe('stateStore', () => {
  it('writes typed fields under their keys and reads them back typed', () => {
    const saved = new Map<string, string>();
    const store = stateStore(
      { cluster: stateField.string('cluster'), pollMs: stateField.number('poll-ms'), finished: stateField.boolean('finished') },
      { save: (key, value) => saved.set(key, value), get: (key) => saved.get(key) ?? '' },
    );
    store.save({ cluster: 'c1', pollMs: 5000 });
    expect(Object.fromEntries(saved)).toEqual({ cluster: 'c1', 'poll-ms': '5000' });
    expect(store.load()).toEqual({ cluster: 'c1', pollMs: 5000 });
    store.save({ finished: true });
    expect(store.load().finished).toBe(true);
  });
});

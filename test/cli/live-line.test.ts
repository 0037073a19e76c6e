/** The live progress line of a rollout on a terminal: it ticks, it fits, events stay above it. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveLine } from '../../packages/cli/live-line';

afterEach(() => vi.useRealTimers());

function screen(columns = 80) {
  vi.useFakeTimers();
  const written: string[] = [];
  const line = new LiveLine((text) => written.push(text), () => columns, () => Date.now());
  /** What the last redraw shows (after the last carriage return + clear). */
  const shown = () => written.join('').split('\r\x1b[2K').at(-1)!;
  return { line, written, shown };
}

describe('LiveLine', () => {
  it('counts the seconds on between progress lines (the engines print only on a change)', () => {
    const { line, shown } = screen();
    line.show('[  12s] connect2-api-dev:2 PRIMARY IN_PROGRESS 0/2 running');
    expect(shown()).toBe('[  12s] connect2-api-dev:2 PRIMARY IN_PROGRESS 0/2 running');
    vi.advanceTimersByTime(3000);
    expect(shown()).toBe('[  15s] connect2-api-dev:2 PRIMARY IN_PROGRESS 0/2 running');
    line.show('[  16s] connect2-api-dev:2 PRIMARY IN_PROGRESS 1/2 running');
    vi.advanceTimersByTime(1000);
    expect(shown()).toBe('[  17s] connect2-api-dev:2 PRIMARY IN_PROGRESS 1/2 running');
    line.stop();
  });

  it('is cut to the terminal width, so it never wraps into fragments', () => {
    const { line, shown } = screen(40);
    line.show(`[   1s] ${'x'.repeat(200)}`);
    expect(shown()).toHaveLength(39);
    expect(shown().endsWith('…')).toBe(true);
    line.stop();
  });

  it('an event is written on its own line above the live line, which is drawn again below it', () => {
    const { line, written } = screen();
    line.show('[   1s] rolling out');
    line.above('warning: 1 task stopped');
    expect(written.join('')).toBe('\r\x1b[2K[   1s] rolling out\r\x1b[2Kwarning: 1 task stopped\n\r\x1b[2K[   1s] rolling out');
    line.stop();
    expect(written.at(-1)).toBe('\n');
  });
});

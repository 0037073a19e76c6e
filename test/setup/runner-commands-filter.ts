/** Drops `::add-mask::` lines from what a write function is given; everything else passes as is. */
const ADD_MASK = /^::add-mask::.*(?:\r?\n|$)/gm;

type Write = (chunk: any, ...rest: any[]) => boolean;

export function filterRunnerCommands(write: Write): Write {
  return (chunk, ...rest) => {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return write(chunk, ...rest);
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (!text.includes('::add-mask::')) return write(chunk, ...rest);
    const kept = text.replace(ADD_MASK, '');
    if (kept === '') {
      // Nothing left to write: still honour the callback, as a real write would.
      const callback = rest.find((arg) => typeof arg === 'function');
      if (callback) queueMicrotask(() => callback());
      return true;
    }
    return write(kept, ...rest);
  };
}

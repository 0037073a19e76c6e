/**
 * The actions log through @actions/core, which writes workflow commands (`::warning::`, `::group::`)
 * to stdout. On a terminal those become plain lines on stderr; progress lines (`[  12s] ...`) become
 * one live line when stderr is a TTY. stdout is kept for the result (outputs, --json, --markdown).
 */
const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const PROGRESS = /^\[\s*\d+s\] /;

export interface Terminal {
  /** Writes to the real stdout (the result). */
  result(text: string): void;
  /** A log line on stderr. */
  log(text: string): void;
  restore(): void;
}

export function captureActionLog(options: { debug: boolean; live: boolean }): Terminal {
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  let pending = '';
  let liveShown = false;

  const emit = (text: string) => {
    if (liveShown) {
      stderrWrite('\n');
      liveShown = false;
    }
    stderrWrite(`${text}\n`);
  };
  const route = (line: string) => {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!command) {
      if (options.live && PROGRESS.test(line)) {
        stderrWrite(`\r\x1b[2K${line}`);
        liveShown = true;
      } else emit(line);
      return;
    }
    const [, name, raw] = command;
    const message = unescape(raw);
    if (name === 'group') emit(`── ${message}`);
    else if (name === 'warning' || name === 'error' || name === 'notice') emit(`${name}: ${message}`);
    else if (name === 'debug' && options.debug) emit(`debug: ${message}`);
    // endgroup, add-mask, save-state, set-output...: nothing to show on a terminal.
  };

  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      route(pending.slice(0, newline).replace(/\r$/, ''));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;

  return {
    result: (text) => stdoutWrite(text),
    log: emit,
    restore() {
      if (pending) route(pending);
      pending = '';
      if (liveShown) stderrWrite('\n');
      liveShown = false;
      process.stdout.write = stdoutWrite as typeof process.stdout.write;
    },
  };
}

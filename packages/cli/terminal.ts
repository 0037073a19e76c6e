/**
 * The actions log through @actions/core, which writes workflow commands (`::warning::`, `::group::`)
 * to stdout. On a terminal those become plain lines on stderr; progress lines (`[  12s] ...`) become
 * one live line when stderr is a TTY. stdout is kept for the result (outputs, --json, --markdown).
 *
 * A reader that went away (`| tee log` killed by the same Ctrl-C, an SSH session that dropped) must
 * never stop the clean-up: a write to a dead stdout or stderr (EPIPE, EIO) is dropped, not thrown.
 */
import { LiveLine } from './live-line';

const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const PROGRESS = /^\[\s*\d+s\] /;

export interface Terminal {
  /** Writes to the real stdout (the result). */
  result(text: string): void;
  /** A log line on stderr. */
  log(text: string): void;
  restore(): void;
}

type Write = (text: string) => void;

/** A writer that drops its output once the stream errored (EPIPE: the reader is gone), never throws. */
export function safeWriter(stream: NodeJS.WriteStream, write = stream.write.bind(stream)): Write {
  let dead = false;
  // Without a listener, an EPIPE 'error' event is an uncaught exception that ends the process mid-rollback.
  stream.on('error', () => (dead = true));
  return (text) => {
    if (dead || stream.destroyed) return;
    try {
      write(text);
    } catch {
      dead = true;
    }
  };
}

export function captureActionLog(options: { debug: boolean; live: boolean }): Terminal {
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const toStdout = safeWriter(process.stdout, stdoutWrite);
  const toStderr = safeWriter(process.stderr);
  const live = options.live ? new LiveLine(toStderr, () => process.stderr.columns) : undefined;
  let pending = '';

  const emit = (text: string) => (live ? live.above(text) : toStderr(`${text}\n`));
  const route = (line: string) => {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!command) {
      if (live && PROGRESS.test(line)) live.show(line);
      else emit(line);
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
    result: toStdout,
    log: emit,
    restore() {
      if (pending) route(pending);
      pending = '';
      live?.stop();
      process.stdout.write = stdoutWrite as typeof process.stdout.write;
    },
  };
}

/**
 * The one live line of a rollout on a terminal: the newest progress line (`[  12s] ...`), redrawn
 * every second with its elapsed time counting up (the engines print only when something changes),
 * cut to the terminal's width so it never wraps into fragments, and cleared before any other line is
 * written so events stay on screen above it.
 */
const ELAPSED = /^\[\s*(\d+)s\] /;

export class LiveLine {
  private text?: string;
  private seconds = 0;
  private receivedAt = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly write: (text: string) => void,
    private readonly columns: () => number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new progress line: shown at once, then redrawn every second. */
  show(line: string): void {
    this.text = line.replace(ELAPSED, '');
    this.seconds = Number(ELAPSED.exec(line)?.[1] ?? 0);
    this.receivedAt = this.now();
    this.draw();
    if (!this.timer) {
      this.timer = setInterval(() => this.draw(), 1000);
      // The live line never keeps the process alive on its own.
      this.timer.unref();
    }
  }

  /** A line that stays: the live line is cleared, the line written, the live line drawn again below it. */
  above(line: string): void {
    if (this.text === undefined) {
      this.write(`${line}\n`);
      return;
    }
    this.write(`\r\x1b[2K${line}\n`);
    this.draw();
  }

  /** Stops the ticking and leaves the last state on screen as an ordinary line (the result follows it). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.text !== undefined) this.write('\n');
    this.text = undefined;
  }

  /** The line as drawn now: elapsed time counted on from the last progress line, cut to the width. */
  render(): string {
    const seconds = this.seconds + Math.floor((this.now() - this.receivedAt) / 1000);
    const full = `[${String(seconds).padStart(4)}s] ${this.text ?? ''}`;
    const width = Math.max(20, (this.columns() ?? 80) - 1);
    return full.length > width ? `${full.slice(0, width - 1)}…` : full;
  }

  private draw(): void {
    if (this.text !== undefined) this.write(`\r\x1b[2K${this.render()}`);
  }
}

/**
 * The rehearsal's progress lines in stage order while stages play at once in worlds of their own: the
 * earliest stage not yet finished prints as it plays; a later stage's lines wait until every stage
 * before it has finished, then come out together. So the terminal reads as the sequential story did.
 */
export class StageOutput {
  private readonly held = new Map<number, string[]>();
  private readonly finished = new Set<number>();
  private next = 0;

  /** `order`: the stage numbers to be played, in the order the story tells them. */
  constructor(
    private readonly order: number[],
    private readonly write: (line: string) => void = (line) => console.log(line),
  ) {}

  private get current(): number | undefined {
    return this.order[this.next];
  }

  /** A line of `stage` (0: before any stage, printed at once, as are lines of a stage already finished). */
  line(stage: number, text: string): void {
    if (stage === 0 || stage === this.current || this.finished.has(stage) || !this.order.includes(stage)) this.write(text);
    else this.held.set(stage, [...(this.held.get(stage) ?? []), text]);
  }

  /** `stage` has finished (or will not be played): the stages after it may now print what they hold. */
  done(stage: number): void {
    this.finished.add(stage);
    while (this.current !== undefined && this.finished.has(this.current)) {
      this.next += 1;
      const now = this.current;
      if (now === undefined) break;
      for (const text of this.held.get(now) ?? []) this.write(text);
      this.held.delete(now);
    }
  }

  /** Whatever is still held (a world that ended early), in stage order. */
  flush(): void {
    for (const stage of [...this.held.keys()].sort((a, b) => a - b)) for (const text of this.held.get(stage) ?? []) this.write(text);
    this.held.clear();
  }
}

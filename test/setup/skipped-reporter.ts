/**
 * vitest reporter: collects the `SKIPPED: <what>` lines that suites print when a fixture or a tool is
 * missing, and closes the run with one line listing them, so a skip is never missed in a long log.
 */
import type { Reporter } from 'vitest/reporters';

export function skippedLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /\bSKIPPED\b/.test(line))
    .map((line) => line.trim().replace(/^.*?SKIPPED:?\s*/, ''));
}

export function closingLine(skipped: string[]): string {
  const unique = [...new Set(skipped)];
  return unique.length === 0
    ? 'Skipped for a missing fixture or tool: none.'
    : `Skipped for a missing fixture or tool: ${unique.length} — ${unique.join('; ')}`;
}

export default class SkippedReporter implements Reporter {
  private readonly skipped: string[] = [];

  onUserConsoleLog(log: { content: string }): void {
    this.skipped.push(...skippedLines(log.content));
  }

  onTestRunEnd(): void {
    console.log(closingLine(this.skipped));
  }
}

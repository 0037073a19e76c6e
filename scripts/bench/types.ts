/**
 * One benchmark module per area (`scripts/bench/<area>.ts`) exports `run(): Promise<BenchFigure[]>`;
 * `npm run bench` runs them all, prints one table and writes `.bench/results.json`. Figures only:
 * no thresholds, no pass/fail.
 */
export interface BenchFigure {
  /** What was measured, e.g. 'classify 10,000 paths against the default globs'. */
  name: string;
  value: number;
  /** 'ms', 's', 'MiB', 'bytes', 'calls', ... */
  unit: string;
  /** How it was measured (runs, median of N, what the comparison anchor does). */
  note?: string;
}

export type BenchModule = { run(): Promise<BenchFigure[]> };

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

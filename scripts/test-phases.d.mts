export interface Phase {
  label: string;
  command: string;
  args: string[];
  /** Print "still running" lines while it runs (default true). */
  heartbeat?: boolean;
}
export function runPhases(phases: Phase[], options?: { heartbeatMs?: number; log?: (line: string) => void }): Promise<number>;

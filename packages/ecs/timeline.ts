/**
 * The story of a rollout, shared by the log and the job summary: service events (as ECS wrote them),
 * count changes, and what the engine did (registered, updated, rolled back). One list per run, so a
 * rollback's events follow the failed rollout's in the summary.
 */
import type { Logger } from '../action-kit';
import { formatElapsed } from './context';

export interface TimelineEntry {
  /** Clock time of the entry (ms since epoch); for events, when ECS created them. */
  at: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  kind: 'event' | 'counts' | 'action' | 'result';
  /** The service it is about (several are watched at once by wait-stable). */
  service?: string;
  message: string;
}

export class Timeline {
  readonly entries: TimelineEntry[] = [];

  constructor(
    private readonly startedAt: number,
    private readonly log: Logger,
  ) {}

  /** Records an entry and prints it as a progress line: `[  12s] service: message`. */
  add(entry: Omit<TimelineEntry, 'elapsedMs'> & { now: number }): void {
    const { now, ...rest } = entry;
    const elapsedMs = Math.max(0, now - this.startedAt);
    this.entries.push({ ...rest, elapsedMs });
    const prefix = entry.service ? `${entry.service}: ` : '';
    const kind = entry.kind === 'event' ? 'event: ' : '';
    this.log.info(`[${formatElapsed(elapsedMs)}] ${prefix}${kind}${entry.message}`);
  }
}

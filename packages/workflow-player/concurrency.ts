/**
 * GitHub's concurrency rule: per group at most one run (or job) in progress and one pending. A newer
 * arrival cancels the pending one and waits in its place; with `cancel-in-progress` it cancels the one
 * in progress instead and starts when that has stopped.
 */
export interface ConcurrencyClaim {
  group: string;
  cancelInProgress: boolean;
  /** Who is asking, for the log: `run 4 (Deploy) job deploy`. */
  holder: string;
  /** Called when this claim is cancelled (while pending, or in progress by a cancel-in-progress arrival). */
  onCancel: (reason: string) => void;
}

interface Waiter {
  claim: ConcurrencyClaim;
  resolve: (granted: boolean) => void;
}

interface Group {
  running?: ConcurrencyClaim;
  pending?: Waiter;
}

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();
  /** Every cancellation, for assertions and the report. */
  readonly cancellations: { group: string; cancelled: string; by: string; reason: string }[] = [];

  /** Resolves true when the claim may run, false when it was cancelled while waiting. */
  acquire(claim: ConcurrencyClaim): Promise<boolean> {
    const group = this.groups.get(claim.group) ?? {};
    this.groups.set(claim.group, group);
    if (!group.running) {
      group.running = claim;
      return Promise.resolve(true);
    }
    if (claim.cancelInProgress) {
      this.cancel(claim.group, group.running, claim, `Canceling since a higher priority waiting request for '${claim.group}' exists`);
    }
    if (group.pending) {
      const older = group.pending;
      group.pending = undefined;
      this.cancel(claim.group, older.claim, claim, `Canceling since a higher priority waiting request for '${claim.group}' exists`);
      older.resolve(false);
    }
    return new Promise((resolve) => {
      group.pending = { claim, resolve };
    });
  }

  release(claim: ConcurrencyClaim): void {
    const group = this.groups.get(claim.group);
    if (!group) return;
    if (group.running === claim) {
      group.running = undefined;
      const next = group.pending;
      group.pending = undefined;
      if (next) {
        group.running = next.claim;
        next.resolve(true);
      }
    } else if (group.pending?.claim === claim) {
      group.pending = undefined;
    }
  }

  private cancel(group: string, victim: ConcurrencyClaim, by: ConcurrencyClaim, reason: string): void {
    this.cancellations.push({ group, cancelled: victim.holder, by: by.holder, reason });
    victim.onCancel(reason);
  }
}

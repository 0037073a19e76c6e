/**
 * GitHub's concurrency rule: per group at most one run (or job) in progress and one pending. A newer
 * arrival cancels the pending one and waits in its place; with `cancel-in-progress` it cancels the one
 * in progress instead and starts when that has stopped. Group names compare case-insensitively. A
 * claim whose group is held by its own run above it (the workflow, a caller job, a called workflow) could
 * never start: GitHub cancels it as a deadlock instead of waiting forever.
 */
export interface ConcurrencyClaim {
  group: string;
  cancelInProgress: boolean;
  /** Who is asking, for the log: `run 4 (Deploy) job deploy`. */
  holder: string;
  /** Called when this claim is cancelled (while pending, or in progress by a cancel-in-progress arrival). */
  onCancel: (reason: string) => void;
  /** How GitHub names the claimant in a deadlock message: 'top level workflow', or the job's id. */
  label?: string;
  /** Claims its own run holds above it (the run's, a caller job's, a called workflow's). */
  ancestors?: readonly ConcurrencyClaim[];
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
    const key = claim.group.toLowerCase();
    const group = this.groups.get(key) ?? {};
    this.groups.set(key, group);
    const holder = claim.ancestors?.find((ancestor) => ancestor.group.toLowerCase() === key);
    if (holder) {
      this.cancel(claim.group, claim, holder, `Canceling since a deadlock for concurrency group '${claim.group}' was detected between '${holder.label ?? holder.holder}' and '${claim.label ?? claim.holder}'`);
      return Promise.resolve(false);
    }
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
    const group = this.groups.get(claim.group.toLowerCase());
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

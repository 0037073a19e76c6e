/**
 * What must not outlive the process (a PostgreSQL server, its data directory, task processes): run
 * synchronously, newest first, when the process exits, and on SIGINT/SIGTERM/SIGHUP before it dies
 * of the signal. A handler is registered only while something is registered, so a process without
 * live resources keeps Node's default signal behaviour.
 */
type Cleanup = () => void;

const pending: Cleanup[] = [];
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function runAll(): void {
  while (pending.length > 0) {
    const cleanup = pending.pop()!;
    try {
      cleanup();
    } catch {
      // Best effort: the next one still runs.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  detach();
  // Die of the signal as the process would have without us (exit code 128 + n for the parent),
  // unless someone else handles it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function attach(): void {
  process.on('exit', runAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function detach(): void {
  process.off('exit', runAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Registers `cleanup` to run at exit; the returned function unregisters it (after running it yourself). */
export function registerCleanup(cleanup: Cleanup): () => void {
  if (pending.length === 0) attach();
  pending.push(cleanup);
  return () => {
    const index = pending.indexOf(cleanup);
    if (index >= 0) pending.splice(index, 1);
    if (pending.length === 0) detach();
  };
}

/** Log helpers: collapsible groups for noise, annotations for what a reviewer must see. */
import * as core from '@actions/core';

export { group, info, warning } from '@actions/core';

/** Prints a progress line with the elapsed time, e.g. `[  12s] 2/3 tasks running`. */
export function progress(elapsedMs: number, message: string): void {
  core.info(`[${String(Math.round(elapsedMs / 1000)).padStart(4)}s] ${message}`);
}

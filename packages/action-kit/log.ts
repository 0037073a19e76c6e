/** Log helpers: collapsible groups for noise, annotations for what a reviewer must see. */
import * as core from '@actions/core';

export { group, info, warning, debug, notice } from '@actions/core';

/** An error annotation that does not fail the step by itself (setFailed does that). */
export function errorAnnotation(message: string, properties: core.AnnotationProperties = {}): void {
  core.error(message, properties);
}

/** Prints a progress line with the elapsed time, e.g. `[  12s] 2/3 tasks running`. */
export function progress(elapsedMs: number, message: string): void {
  core.info(`[${String(Math.round(elapsedMs / 1000)).padStart(4)}s] ${message}`);
}

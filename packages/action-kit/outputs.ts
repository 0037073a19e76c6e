/** Outputs: every value set is computed; JSON values are serialised once, here. */
import * as core from '@actions/core';

export type OutputValue = string | number | boolean | object | undefined;

/** Sets each defined output; objects and arrays become JSON. */
export function setOutputs(outputs: Record<string, OutputValue>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    core.setOutput(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
}

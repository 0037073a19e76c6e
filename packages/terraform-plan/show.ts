/**
 * Reads a saved plan with the Terraform (or OpenTofu) binary: `show -json` for the truth and
 * `show -no-color` for the diff bodies. Output is captured silently: a plan's text is not log
 * material (the JSON holds sensitive values in clear text).
 */
import { getExecOutput } from '@actions/exec';
import { errorMessage } from '../action-kit';

export interface ShownPlan {
  json: string;
  /** undefined when `show -no-color` failed: the comment then uses diffs rendered from the JSON. */
  text?: string;
}

export class TerraformShowError extends Error {
  override readonly name = 'TerraformShowError';
}

export async function showPlanFile(command: string, planFile: string, workingDirectory: string): Promise<ShownPlan> {
  const json = await run(command, ['show', '-json', planFile], workingDirectory);
  if (json.exitCode !== 0) {
    throw new TerraformShowError(`\`${command} show -json ${planFile}\` exited with ${json.exitCode}${firstLine(json.stderr)}`);
  }
  const text = await run(command, ['show', '-no-color', planFile], workingDirectory);
  return { json: json.stdout, text: text.exitCode === 0 ? text.stdout : undefined };
}

async function run(command: string, args: string[], cwd: string) {
  try {
    return await getExecOutput(command, args, { cwd, silent: true, ignoreReturnCode: true });
  } catch (error) {
    // Spawn errors (binary not found): @actions/exec says "Unable to locate executable file".
    throw new TerraformShowError(`could not run \`${command}\` (${errorMessage(error)})`);
  }
}

function firstLine(stderr: string): string {
  // stderr of `terraform show` names the problem ("Failed to read the given file as a state or plan
  // file"); it never contains the plan's values.
  // eslint-disable-next-line no-control-regex
  const line = stderr.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.replace(/^[\s│╷╵]+/, '').trim()).find((l) => l !== '');
  return line ? `: ${line}` : '';
}

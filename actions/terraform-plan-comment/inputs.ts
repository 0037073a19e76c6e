/**
 * The action's inputs, read and checked before anything talks to GitHub: a bad input fails with
 * one line naming it, what was wrong and what would be right. Plan files are read (and a saved
 * plan shown) here too, because a missing or malformed plan is a bad input.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError, readInputs, type InputSource, type Inputs } from '../../packages/action-kit';
import { Input, MODES, OUTCOMES } from './names';
import { binaryKind, decodeText, normaliseDigest, PlanFormatError, PlanVersionError, preparePlan, showPlanFile, TerraformShowError, type PreparedPlan } from '../../packages/terraform-plan';

export interface Settings {
  name: string;
  mode: (typeof MODES)[number];
  outcome: (typeof OUTCOMES)[number];
  failOnDestroy: boolean;
  expectedDigest?: string;
  prNumberInput?: number;
  token?: string;
  tool: string;
  /** Set when the plan succeeded. */
  prepared?: PreparedPlan;
  /** Set when the plan failed: the log's text, or undefined when none was given. */
  planLog?: string;
}

export async function readSettings(source?: InputSource): Promise<Settings> {
  const inputs = readInputs(source);
  const command = inputs.optional(Input.TerraformCommand) ?? 'terraform';
  const workingDirectory = inputs.optional(Input.WorkingDirectory) ?? '.';
  const settings = readCommon(inputs, command);
  if (settings.outcome === 'skipped') return settings;
  if (settings.outcome === 'failure' || settings.outcome === 'cancelled') {
    const logPath = inputs.optional(Input.PlanLog);
    if (logPath !== undefined) settings.planLog = readInputFile(Input.PlanLog, logPath, workingDirectory, 'the file the plan step wrote its output to (e.g. `terraform plan -no-color 2>&1 | tee plan.log`)');
    return settings;
  }
  const { json, jsonInput, text } = await readPlanInputs(inputs, command, workingDirectory);
  settings.prepared = prepare(json, text, jsonInput);
  if (text !== undefined && /OpenTofu (used|will perform)/.test(text)) settings.tool = 'OpenTofu';
  return settings;
}

/** The inputs every outcome reads. */
function readCommon(inputs: Inputs, command: string): Settings {
  const outcome = inputs.enumeration(Input.PlanOutcome, OUTCOMES, 'success');
  const mode = inputs.enumeration(Input.Mode, MODES, 'update');
  const name = inputs.optional(Input.Name) ?? 'default';
  // The name goes into a hidden HTML marker and a heading: keep it to one short, plain line.
  if (name.length > 100 || /[\r\n<>`]/.test(name)) {
    throw new InputError(Input.Name, `is '${name.slice(0, 40)}${name.length > 40 ? '…' : ''}', which has line breaks, '<', '>', '\`' or over 100 characters`, 'use a short identity such as the environment (`dev`)');
  }
  const failOnDestroy = inputs.boolean(Input.FailOnDestroy, false);
  const prNumberInput = inputs.optionalInteger(Input.PrNumber, { min: 1 });
  const rawDigest = inputs.optional(Input.ExpectedDigest);
  let expectedDigest: string | undefined;
  if (rawDigest !== undefined) {
    expectedDigest = normaliseDigest(rawDigest);
    if (!expectedDigest) {
      throw new InputError(Input.ExpectedDigest, `is '${rawDigest.slice(0, 80)}', not a plan digest`, "use the 'digest' output of the plan step (sha256: followed by 64 hex digits)");
    }
  }
  const token = inputs.optional(Input.GitHubToken);
  return { name, mode, outcome, failOnDestroy, expectedDigest, prNumberInput, token, tool: toolName(command) };
}

/** The JSON plan (plan-json, or plan-file shown with terraform) and the optional text plan. */
async function readPlanInputs(inputs: Inputs, command: string, workingDirectory: string): Promise<{ json: string; jsonInput: string; text?: string }> {
  const jsonPath = inputs.optional(Input.PlanJson);
  const planFile = inputs.optional(Input.PlanFile);
  if (jsonPath !== undefined && planFile !== undefined) {
    throw new InputError(Input.PlanJson, 'and plan-file are both set', 'set only one: plan-json for `terraform show -json` output, or plan-file for a saved plan');
  }
  const textPath = inputs.optional(Input.PlanText);
  const text = textPath !== undefined ? readInputFile(Input.PlanText, textPath, workingDirectory, 'the output of `terraform show -no-color <planfile>`') : undefined;
  if (jsonPath !== undefined) {
    return { json: readInputFile(Input.PlanJson, jsonPath, workingDirectory, 'the output of `terraform show -json <planfile>`'), jsonInput: Input.PlanJson, text };
  }
  if (planFile === undefined) {
    throw new InputError(Input.PlanJson, 'and plan-file are both empty', 'set plan-json to the output of `terraform show -json`, or plan-file to a saved plan');
  }
  if (!isDirectory(workingDirectory)) {
    throw new InputError(Input.WorkingDirectory, `is '${workingDirectory}', which is not a directory`, 'use the directory of the Terraform root that wrote the plan');
  }
  const planPath = resolveInputFile(Input.PlanFile, planFile, workingDirectory, 'the file `terraform plan -out=<file>` wrote');
  try {
    const shown = await showPlanFile(command, planPath, workingDirectory);
    return { json: shown.json, jsonInput: Input.PlanFile, text: text ?? shown.text };
  } catch (error) {
    if (!(error instanceof TerraformShowError)) throw error;
    throw new InputError(Input.PlanFile, `could not be read: ${error.message}`, `give a plan saved by \`${command} plan -out=<file>\` in working-directory, with ${command} on PATH (terraform-command)`);
  }
}

/** The plan parsed and redacted; a malformed or unknown-format plan is a bad input. */
function prepare(json: string, text: string | undefined, jsonInput: string): PreparedPlan {
  try {
    return preparePlan(json, text);
  } catch (error) {
    if (error instanceof PlanVersionError) {
      throw new InputError(jsonInput, `is a plan of format_version ${error.formatVersion}, which this action does not read (it reads 0.1 to 1.x, written by Terraform 0.12 and later)`, 'use a release of this action that reads it, or plan with a Terraform that writes format 1.x');
    }
    if (!(error instanceof PlanFormatError)) throw error;
    throw new InputError(jsonInput, `is not a Terraform JSON plan: ${error.message}`, 'give the output of `terraform show -json <planfile>`');
  }
}

function toolName(command: string): string {
  return /tofu/i.test(path.basename(command)) ? 'OpenTofu' : 'Terraform';
}

function isDirectory(directory: string): boolean {
  return existsSync(directory) && statSync(directory).isDirectory();
}

/** Finds a file input: relative to working-directory first, then to the workspace. */
function resolveInputFile(input: string, file: string, workingDirectory: string, expected: string): string {
  const candidates = path.isAbsolute(file) ? [file] : [path.resolve(workingDirectory, file), path.resolve(file)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new InputError(input, `is '${file}', which does not exist`, `give the path of ${expected}`);
  if (statSync(found).isDirectory()) throw new InputError(input, `is '${file}', which is a directory`, `give the path of ${expected}`);
  return found;
}

function readInputFile(input: string, file: string, workingDirectory: string, expected: string): string {
  const bytes = readFileSync(resolveInputFile(input, file, workingDirectory, expected));
  // A saved plan (or any binary) read as text gives nothing or nonsense: say what it is instead.
  const kind = binaryKind(bytes);
  if (kind === 'saved-plan') throw new InputError(input, `is '${file}', a saved plan (a binary file), not text`, `give ${expected} (a saved plan goes to plan-file)`);
  if (kind === 'binary') throw new InputError(input, `is '${file}', a binary file, not text`, `give ${expected}`);
  return decodeText(bytes);
}

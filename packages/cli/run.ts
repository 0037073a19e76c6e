/**
 * connect2 <command> [flags]: flags become the action's inputs (INPUT_<NAME>, as the runner sets them,
 * action.yml defaults for the rest), the action's own main runs with an AbortSignal wired to Ctrl-C,
 * then its post step with main's saved state, as on a runner. No engine logic lives here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ECSClient } from '@aws-sdk/client-ecs';
import { CancelledError, InputError, errorMessage, ActionError } from '../action-kit';
import { parseArgs, renderHelp, specOf, type ParsedArgs } from './args';
import { UsageError } from './errors';
import { COMMANDS, findCommand, type Command } from './commands';
import { captureActionLog, safeWriter, type Terminal } from './terminal';
import { parseFileCommands } from './step-files';
import { EXIT, EXIT_CODES } from './exit-codes';
import { checkProfile, forTerminal } from './terminal-advice';
import { readState } from './left-running';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function topHelp(): string {
  return [
    'Usage: connect2 <command> [flags]    (connect2 <command> --help for its flags; connect2 --version)',
    '',
    'The Connect2 actions as a command line, for when GitHub Actions is unavailable: same inputs (as flags), same engines, same errors.',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`),
    '',
    EXIT_CODES,
  ].join('\n');
}

/** The runner's environment for one step: inputs, and files for outputs, state and summary. */
function stepEnvironment(command: Command, given: Record<string, string>, dir: string) {
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_') || name.startsWith('STATE_')) delete process.env[name];
  const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STATE: path.join(dir, 'state'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') };
  for (const [name, file] of Object.entries(files)) {
    writeFileSync(file, '');
    process.env[name] = file;
  }
  process.env.GITHUB_WORKSPACE = process.cwd();
  const token = process.env.GITHUB_TOKEN ?? process.env.GH_TOKEN ?? '';
  for (const [name, input] of Object.entries(specOf(command).inputs)) {
    const fallback = (command.defaults?.[name] ?? input.default)
      .replace(/\$\{\{\s*github\.token\s*\}\}/g, token)
      .replace(/\$\{\{\s*github\.workspace\s*\}\}/g, process.cwd())
      .replace(/\$\{\{\s*github\.sha\s*\}\}/g, process.env.GITHUB_SHA ?? '');
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = given[name] ?? fallback;
  }
  for (const [name, flag] of Object.entries(command.valueFlags ?? {})) process.env[`INPUT_${name.toUpperCase()}`] = given[name] ?? flag.default;
  return files;
}

/** Region from the standard chain (AWS_REGION, AWS_DEFAULT_REGION, the profile's config) for the glue, which reads AWS_REGION. */
async function resolveRegion(): Promise<void> {
  checkProfile();
  if (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION) return;
  let region: string | undefined;
  try {
    const client = new ECSClient({});
    region = await client.config.region();
    client.destroy();
  } catch {
    region = undefined;
  }
  if (!region) throw new UsageError('No AWS region: set AWS_REGION, or a region in the AWS profile you use (AWS_PROFILE, `aws configure set region ...`).');
  process.env.AWS_REGION = region;
}

/** For the CLI, the same one line, with the flag's spelling. */
function cliMessage(error: unknown, command: Command): string {
  const message = forTerminal(errorMessage(error));
  if (!(error instanceof InputError)) return message;
  const flag = command.inputFlags?.[error.input] ?? error.input;
  return message.replace(`Input '${error.input}'`, `--${flag}`).replace(`set '${error.input}' in the step's 'with:'`, `pass --${flag} VALUE`);
}

/** The version of the package this bundle belongs to (dist/cli/index.js -> ../../package.json). */
function cliVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8')) as { name?: string; version?: string };
    return `${manifest.version ?? 'unknown'} (${manifest.name ?? 'connect2-actions'})`;
  } catch {
    return 'unknown (no package.json beside the bundle)';
  }
}

interface Print {
  out(text: string): void;
  err(text: string): void;
}

export async function run(argv: string[]): Promise<number> {
  // Before anything can write: a closed pipe (`| head`, a killed `| tee`) drops output, never throws.
  const print: Print = { out: safeWriter(process.stdout), err: safeWriter(process.stderr) };
  const invocation = parseInvocation(argv, print);
  if ('exit' in invocation) return invocation.exit;
  const { command, parsed } = invocation;
  const dir = mkdtempSync(path.join(tmpdir(), 'connect2-'));
  const terminal = captureActionLog({ debug: Boolean(process.env.CONNECT2_DEBUG), live: Boolean(process.stderr.isTTY) && !parsed.json });
  const controller = new AbortController();
  const stopListening = cancelOnSignals(command, terminal, controller, path.join(dir, 'state'));
  const { failure, files } = await runStep(command, parsed, dir, controller.signal, terminal);
  stopListening();
  terminal.restore();

  const outputs = files ? parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')) : {};
  const summary = files ? readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') : '';
  rmSync(dir, { recursive: true, force: true });
  const exitCode = exitCodeOf(failure, controller.signal.aborted);
  report(command, parsed, terminal, { exitCode, failure, outputs, summary }, print.err);
  return exitCode;
}

/** The command and its flags, or the exit code of help and usage errors (printed here). */
function parseInvocation(argv: string[], print: Print): { exit: number } | { command: Command; parsed: ParsedArgs } {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? print.err : print.out)(`${topHelp()}\n`);
    return { exit: name === undefined ? EXIT.usage : EXIT.ok };
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    print.out(`connect2 ${cliVersion()}\n`);
    return { exit: EXIT.ok };
  }
  const command = findCommand(name);
  if (!command) {
    print.err(`connect2: unknown command '${name}'; use one of ${COMMANDS.map((c) => c.name).join(', ')} (connect2 --help).\n`);
    return { exit: EXIT.usage };
  }
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(command, rest);
  } catch (error) {
    print.err(`connect2 ${command.name}: ${errorMessage(error)}\n`);
    return { exit: EXIT.usage };
  }
  if (parsed.help) {
    print.out(`${renderHelp(command)}\n`);
    return { exit: EXIT.ok };
  }
  return { command, parsed };
}

/**
 * What Ctrl-C, SIGTERM and SIGHUP (the SSH session or VPN dropped) do: cancel as a cancelled job does,
 * then run the clean-up. A second one exits at once, saying what is left running, with its own code.
 * Returns the unsubscribe.
 */
function cancelOnSignals(command: Command, terminal: Terminal, controller: AbortController, stateFile: string): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      const left = command.leftRunning?.(readState(stateFile));
      terminal.log(`${signal} again: exiting before the clean-up finished. ${left ? `Left running: ${left}` : 'Nothing this command started is known to be running.'}`);
      terminal.restore();
      process.exit(left ? EXIT.cleanupUnfinished : EXIT.interrupted);
    }
    terminal.log(`${signal}: cancelling as a cancelled job does (${command.cleanup ?? 'stopping'}); ${signal} again to exit without waiting for it.`);
    controller.abort(new CancelledError(signal));
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}

/** The action's main, then its post step with main's saved state, as on a runner. */
async function runStep(command: Command, parsed: ParsedArgs, dir: string, signal: AbortSignal, terminal: Terminal): Promise<{ failure: unknown; files?: StepFiles }> {
  let failure: unknown;
  let files: StepFiles | undefined;
  try {
    files = stepEnvironment(command, parsed.inputs, dir);
    command.prepare?.(parsed.inputs);
    if (command.aws) await resolveRegion();
    await command.main({ signal });
  } catch (error) {
    failure = error;
  }
  try {
    if (files && command.post) {
      for (const [key, value] of Object.entries(parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')))) process.env[`STATE_${key}`] = value;
      await command.post({ signal });
    }
  } catch (error) {
    terminal.log(`warning: the cleanup failed: ${errorMessage(error)}`);
  }
  return { failure, files };
}

type StepFiles = ReturnType<typeof stepEnvironment>;

function exitCodeOf(failure: unknown, aborted: boolean): number {
  if (failure === undefined) return EXIT.ok;
  if (failure instanceof UsageError || failure instanceof InputError) return EXIT.usage;
  return aborted ? EXIT.interrupted : EXIT.failed;
}

/** The outputs (or JSON, or the summary as Markdown) on stdout, the error on stderr. */
function report(command: Command, parsed: ParsedArgs, terminal: Terminal, result: { exitCode: number; failure: unknown; outputs: Record<string, string>; summary: string }, err: Print['err']): void {
  const { exitCode, failure, outputs, summary } = result;
  const message = failure === undefined ? undefined : cliMessage(failure, command);
  const details = failure instanceof ActionError ? failure.details.map((line) => forTerminal(line)) : [];
  if (parsed.json) {
    terminal.result(`${JSON.stringify({ command: command.name, exitCode, ok: exitCode === 0, outputs, ...(message ? { error: message, details } : {}) })}\n`);
  } else if (parsed.extra.has('markdown') && failure === undefined) {
    terminal.result(summary.endsWith('\n') ? summary : `${summary}\n`);
  } else if (exitCode !== EXIT.usage) {
    if (command.rawOutput && outputs[command.rawOutput]) terminal.result(`${outputs[command.rawOutput]}\n`);
    const shown = Object.entries(outputs).filter(([key]) => key !== command.rawOutput).filter(([key, value]) => value !== '' && (!command.printOutputs || command.printOutputs.includes(key)));
    for (const [key, value] of shown) terminal.result(value.includes('\n') ? `${key}:\n${value}\n` : `${key}: ${value}\n`);
  }
  if (message) err([`connect2 ${command.name}: ${message}`, ...details].join('\n') + '\n');
}

/**
 * Runs a committed bundle the way the GitHub runner does: a child process on Node 24 with `INPUT_<NAME>`
 * variables (hyphens kept), action.yml defaults applied, the runner's files (GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_STATE, GITHUB_ENV, GITHUB_EVENT_PATH), the `post:` step after main (or handed back with `deferPost`, for a job to run at its end)
 * with the saved state, and cancellation by signal. Returns what a workflow would see.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Node 24 binary from the `node` devDependency (the runtime GitHub uses for `node24`). */
export const node24 = path.join(repoRoot, 'node_modules', 'node', 'bin', 'node');

/**
 * V8's compile cache for the bundles this machine starts (Node 22+'s NODE_COMPILE_CACHE): a runner
 * starts each bundle once per step, the player and the tests start the same few bundles hundreds of
 * times, and compiling them again each time is wasted (measured: a bundle's start 0.24 -> 0.20 s of CPU,
 * the rest is evaluating its modules; the gh shim 0.18 -> 0.06 s). The cache changes no behaviour (Node
 * checks each entry against the source and recompiles on a mismatch).
 * node_modules/.cache is where tools keep such caches: ignored by git, gone with a clean install.
 */
export const NODE_COMPILE_CACHE_DIR = path.join(repoRoot, 'node_modules', '.cache', 'node-compile-cache');

export interface ActionMetadata {
  name: string;
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

export function readActionMetadata(action: string): ActionMetadata {
  const file = path.join(repoRoot, action, 'action.yml');
  const parsed = parseYaml(readFileSync(file, 'utf8')) as ActionMetadata;
  return { ...parsed, inputs: parsed.inputs ?? {}, outputs: parsed.outputs ?? {} };
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice' | 'debug';
  message: string;
  properties: Record<string, string>;
}

export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ActionRun {
  /** The main step, then the post step when action.yml declares one. */
  main: StepResult;
  post?: StepResult;
  /** Exit code of main (what decides the step's outcome). */
  exitCode: number | null;
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
  /** Variables the action exported through GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  annotations: Annotation[];
  errors: string[];
  /** main's and post's stdout together, as the job log shows them. */
  log: string;
  /** With `deferPost`: the post step, for the job to run at its end (after the other steps, in reverse order). */
  deferredPost?: { postIf: string; run: () => Promise<StepResult> };
  workDir: string;
}

export interface RunActionOptions {
  /** `with:` values; missing ones take action.yml defaults. */
  inputs?: Record<string, string | number | boolean>;
  /** Extra environment (AWS_ENDPOINT_URL, GITHUB_API_URL, ...). */
  env?: Record<string, string | undefined>;
  /** Webhook payload written to GITHUB_EVENT_PATH. */
  event?: Record<string, unknown>;
  eventName?: string;
  /** Value of `${{ github.token }}` in defaults. */
  token?: string;
  cwd?: string;
  /** Send a signal to main, as the runner does when the job is cancelled. */
  cancel?: { signal?: NodeJS.Signals; afterMs?: number; whenLogMatches?: RegExp; abort?: AbortSignal };
  /** Kill main after this long (a test guard, not the action's timeout). */
  timeoutMs?: number;
  /** Skip the post step even when action.yml declares one. */
  skipPost?: boolean;
  /** Do not run the post step now: hand it back (`deferredPost`), as a job runs post steps at its end. */
  deferPost?: boolean;
  /** Called with each stdout line of main as it arrives (e.g. to trigger simulator changes). */
  onLine?: (line: string) => void;
  /** Bundle to run instead of the one action.yml names (e.g. a deliberately broken copy). */
  bundle?: string;
}

/** The runner replaces these expressions in defaults; others are left as they are. */
function evaluateDefault(value: string, context: { token: string; workspace: string; sha: string }): string {
  return value
    .replace(/\$\{\{\s*github\.token\s*\}\}/g, context.token)
    .replace(/\$\{\{\s*github\.workspace\s*\}\}/g, context.workspace)
    .replace(/\$\{\{\s*github\.sha\s*\}\}/g, context.sha);
}

export async function runAction(action: string, options: RunActionOptions = {}): Promise<ActionRun> {
  const metadata = readActionMetadata(action);
  const workDir = mkdtempSync(path.join(tmpdir(), `run-${action}-`));
  const files = runnerFiles(workDir, options.event);
  const cwd = options.cwd ?? workDir;
  const sha = String(options.env?.GITHUB_SHA ?? '0000000000000000000000000000000000000000');
  const env = { ...runnerEnv(workDir, cwd, sha, options), ...inputEnv(action, metadata, options, { token: options.token ?? '', workspace: cwd, sha }) };

  const entry = options.bundle ?? path.resolve(repoRoot, action, metadata.runs.main);
  const main = await runStep(entry, env, cwd, options, options.cancel);
  const state = parseKeyValueFile(readFileSync(files.GITHUB_STATE, 'utf8'));

  const postScript = metadata.runs.post;
  const runPost = (): Promise<StepResult> => {
    const postEnv = { ...env };
    for (const [name, value] of Object.entries(state)) postEnv[`STATE_${name}`] = value;
    const postEntry = options.bundle ?? path.resolve(repoRoot, action, postScript!);
    // No cancel signal: the runner runs post steps after a cancellation too.
    return runStep(postEntry, postEnv, cwd, { ...options, onLine: undefined }, undefined);
  };
  if (postScript && !options.skipPost && options.deferPost) {
    return { ...actionRun(files, { main, state, workDir }), deferredPost: { postIf: metadata.runs['post-if'] ?? 'always()', run: runPost } };
  }
  const post = postScript && !options.skipPost ? await runPost() : undefined;
  return actionRun(files, { main, post, state, workDir });
}

/** The runner's files, under the work directory: outputs, summary, state, env, path and the event payload. */
function runnerFiles(workDir: string, event: Record<string, unknown> | undefined) {
  const files = runnerFilePaths(workDir);
  for (const file of Object.values(files)) writeFileSync(file, '');
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(event ?? {}));
  return files;
}

/** The runner's environment (the default variables and the files), then `options.env` (undefined removes). */
function runnerEnv(workDir: string, cwd: string, sha: string, options: RunActionOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? workDir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: workDir,
    RUNNER_OS: 'Linux',
    GITHUB_WORKSPACE: cwd,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_REPOSITORY: 'connect2/connect2-api',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1',
    GITHUB_SHA: sha,
    ...runnerFilePaths(workDir),
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function runnerFilePaths(workDir: string) {
  return {
    GITHUB_OUTPUT: path.join(workDir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(workDir, 'summary.md'),
    GITHUB_STATE: path.join(workDir, 'state'),
    GITHUB_ENV: path.join(workDir, 'env'),
    GITHUB_PATH: path.join(workDir, 'path'),
    GITHUB_EVENT_PATH: path.join(workDir, 'event.json'),
  };
}

/** `INPUT_<NAME>` for every input of action.yml: the given value, else its default; an unknown input throws. */
function inputEnv(action: string, metadata: ActionMetadata, options: RunActionOptions, context: { token: string; workspace: string; sha: string }): Record<string, string> {
  const given = options.inputs ?? {};
  for (const name of Object.keys(given)) {
    if (!(name in metadata.inputs)) throw new Error(`${action} has no input '${name}' (action.yml lists ${Object.keys(metadata.inputs).join(', ')})`);
  }
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    const value = name in given ? String(given[name]) : evaluateDefault(spec.default ?? '', context);
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

/** What a workflow sees of the steps: outputs, summary, state, exported env and the annotations of the log. */
function actionRun(files: Record<'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY' | 'GITHUB_ENV', string>, steps: { main: StepResult; post?: StepResult; state: Record<string, string>; workDir: string }): ActionRun {
  const { main, post, state, workDir } = steps;
  const log = main.stdout + (post?.stdout ?? '');
  const annotations = parseAnnotations(log);
  return {
    main,
    post,
    exitCode: main.exitCode,
    outputs: parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    state,
    exportedEnv: parseKeyValueFile(readFileSync(files.GITHUB_ENV, 'utf8')),
    annotations,
    errors: annotations.filter((a) => a.level === 'error').map((a) => a.message),
    log,
    workDir,
  };
}

function runStep(
  entry: string,
  env: Record<string, string>,
  cwd: string,
  options: RunActionOptions,
  cancel: RunActionOptions['cancel'],
): Promise<StepResult> {
  if (!existsSync(entry)) throw new Error(`bundle ${entry} does not exist: run \`npm run build\` first`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(node24, [entry], { cwd, env: { NODE_COMPILE_CACHE: NODE_COMPILE_CACHE_DIR, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let cancelled = false;
    const sendCancel = () => {
      if (cancelled || child.exitCode !== null) return;
      cancelled = true;
      child.kill(cancel?.signal ?? 'SIGINT');
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        options.onLine?.(line);
        if (cancel?.whenLogMatches?.test(line)) sendCancel();
      }
    });
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const cancelTimer = cancel?.afterMs !== undefined ? setTimeout(sendCancel, cancel.afterMs) : undefined;
    if (cancel?.abort?.aborted) sendCancel();
    else cancel?.abort?.addEventListener('abort', sendCancel, { once: true });
    const guard = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(guard);
      if (cancelTimer) clearTimeout(cancelTimer);
      resolve({ exitCode, signal, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

/** Parses GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV: `name=value` lines and `name<<DELIM` heredocs. */
export function parseKeyValueFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]);
      result[name] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** Parses `::error file=a,line=1::message` workflow commands from a log. */
export function parseAnnotations(log: string): Annotation[] {
  const annotations: Annotation[] = [];
  for (const line of log.split('\n')) {
    const match = /^::(error|warning|notice|debug)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, level, props, message] = match;
    const properties: Record<string, string> = {};
    for (const pair of (props ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    annotations.push({ level: level as Annotation['level'], message: unescapeData(message), properties });
  }
  return annotations;
}

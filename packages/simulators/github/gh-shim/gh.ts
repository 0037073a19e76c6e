/**
 * A `gh` CLI shim for the workflow player: the subcommands the workflow templates use, against the
 * GitHub simulator's REST API (GITHUB_API_URL), authenticated with GH_TOKEN (or GITHUB_TOKEN), for
 * GITHUB_REPOSITORY or --repo. `--jq` runs the system jq (raw output, as gh's). Anything else exits 1
 * naming what is supported. Errors print GitHub's message to stderr and exit 1, as gh does.
 * TypeScript that Node 24 runs as it is (types stripped, so only erasable syntax: no enums, no parameter
 * properties); the `gh` next to it starts it with the repository's Node 24. See packages/simulators/README.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SUPPORTED = ['api', 'pr view', 'pr list', 'pr edit', 'pr create', 'pr comment', 'run list', 'run download', 'auth setup-git', 'auth git-credential'];

class ShimError extends Error {
  readonly code: number;
  /** The HTTP status and body of a failed request, when it was one. */
  status?: number;
  body?: string;

  constructor(message: string, code = 1) {
    super(message);
    this.code = code;
  }
}

type Json = any;
type Options = Record<string, string | string[] | boolean | undefined>;
interface FlagSpec {
  alias?: string;
  value: boolean;
  multi?: boolean;
}
interface ArgSpec {
  flags: Record<string, FlagSpec>;
  positionals?: number;
}
/** What a subcommand's flags give: strings, repeated strings, or switches. */
interface ParsedOptions {
  [name: string]: any;
}

const unsupported = (what: string): ShimError => new ShimError(`gh shim: 'gh ${what}' is not supported by the workflow player; supported: ${SUPPORTED.map((s) => `gh ${s}`).join(', ')}`);

/** Parses argv against a spec: { flags: { name: { alias?, value: boolean, multi? } }, positionals: max }. */
function parse(command: string, args: string[], spec: ArgSpec): { options: ParsedOptions; positionals: string[] } {
  const options: Options = {};
  const positionals: string[] = [];
  const byAlias: Record<string, string> = Object.fromEntries(Object.entries(spec.flags).filter(([, def]) => def.alias).map(([name, def]) => [def.alias, name]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    let name: string | undefined;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq > 0) value = arg.slice(eq + 1);
    } else if (/^-[A-Za-z]$/.test(arg)) {
      name = byAlias[arg.slice(1)];
      if (!name) throw unsupported(`${command} ${arg}`);
    } else if (/^-[A-Za-z]./.test(arg) && byAlias[arg.charAt(1)]) {
      name = byAlias[arg.charAt(1)];
      value = arg.slice(2);
    } else {
      positionals.push(arg);
      continue;
    }
    const def = spec.flags[name];
    if (!def) throw unsupported(`${command} --${name}`);
    if (def.value) {
      if (value === undefined) {
        if (i + 1 >= args.length) throw new ShimError(`flag needs an argument: --${name}`);
        value = args[++i];
      }
      if (def.multi) ((options[name] ??= []) as string[]).push(value);
      else options[name] = value;
    } else {
      options[name] = true;
    }
  }
  if (positionals.length > (spec.positionals ?? 0)) throw unsupported(`${command} ${positionals.join(' ')}`);
  return { options, positionals };
}

function token(): string {
  const value = process.env.GH_TOKEN || process.env.GITHUB_TOKEN;
  if (!value) {
    throw new ShimError('gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable. Example:\n  env:\n    GH_TOKEN: ${{ github.token }}', 4);
  }
  return value;
}

const apiUrl = (): string => (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');

function repository(options: ParsedOptions): string {
  const repo = options.repo || process.env.GITHUB_REPOSITORY;
  if (!repo || !/^[^/]+\/[^/]+$/.test(repo)) throw new ShimError('gh shim: no repository: pass --repo owner/name or set GITHUB_REPOSITORY');
  return repo;
}

interface Answer {
  status: number;
  data?: Json;
  text: string;
  bytes?: Buffer;
}

async function request(method: string, path: string, body?: unknown, { raw = false } = {}): Promise<Answer> {
  const url = /^https?:/.test(path) ? path : `${apiUrl()}/${path.replace(/^\//, '')}`;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `token ${token()}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'gh-shim',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  if (raw && response.ok) return { status: response.status, text: '', bytes: Buffer.from(await response.arrayBuffer()) };
  const text = await response.text();
  let data: Json;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!response.ok) {
    const message = data && typeof data === 'object' && data.message ? data.message : text || response.statusText;
    const details = Array.isArray(data?.errors) ? data.errors.map((error: { message?: string }) => error.message).filter(Boolean) : [];
    const error = new ShimError(`${[message, ...details].join('\n')} (HTTP ${response.status})`);
    error.status = response.status;
    error.body = text;
    throw error;
  }
  return { status: response.status, data, text };
}

/** Prints JSON, or what jq makes of it (raw strings, as gh's --jq). */
function output(value: unknown, jq: string | undefined): void {
  const json = typeof value === 'string' ? value : JSON.stringify(value);
  if (!jq) {
    process.stdout.write(typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  // GH_SHIM_JQ names another jq (tests use it to show the error when jq is missing).
  const candidates = process.env.GH_SHIM_JQ ? [process.env.GH_SHIM_JQ] : ['/usr/bin/jq', ...(process.env.PATH ?? '').split(':').filter(Boolean).map((dir) => join(dir, 'jq'))];
  const jqBinary = candidates.find((candidate) => existsSync(candidate));
  if (!jqBinary) throw new ShimError(`gh shim: --jq needs the jq program, which was not found (${candidates.join(', ') || 'PATH'})`);
  const result = spawnSync(jqBinary, ['-r', jq], { input: json, encoding: 'utf8' });
  if (result.status !== 0) throw new ShimError(result.stderr.trim() || `jq failed (${result.status})`);
  process.stdout.write(result.stdout);
}

function bodyOption(options: ParsedOptions): string | undefined {
  if (options['body-file'] !== undefined) {
    const file = options['body-file'];
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  }
  return options.body;
}

// ---- pull requests -------------------------------------------------------------------------------

type Fields = Record<string, (item: Json) => unknown>;

const PR_FIELDS: Fields = {
  number: (pull) => pull.number,
  title: (pull) => pull.title,
  body: (pull) => pull.body ?? '',
  url: (pull) => pull.html_url,
  state: (pull) => (pull.merged_at ? 'MERGED' : String(pull.state).toUpperCase()),
  author: (pull) => ({ login: pull.user?.login, is_bot: pull.user?.type === 'Bot' }),
  headRefName: (pull) => pull.head?.ref,
  headRefOid: (pull) => pull.head?.sha,
  baseRefName: (pull) => pull.base?.ref,
  baseRefOid: (pull) => pull.base?.sha,
  isDraft: (pull) => pull.draft === true,
  labels: (pull) => (pull.labels ?? []).map((label: Json) => ({ name: label.name, color: label.color, description: label.description ?? '' })),
  mergedAt: (pull) => pull.merged_at,
  closed: (pull) => pull.state === 'closed',
  createdAt: (pull) => pull.created_at,
  updatedAt: (pull) => pull.updated_at,
  mergeCommit: (pull) => (pull.merge_commit_sha && pull.merged_at ? { oid: pull.merge_commit_sha } : null),
  id: (pull) => pull.node_id,
};

function pick(fields: string[], table: Fields, item: Json): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fields) result[field] = table[field](item);
  return result;
}

function jsonFields(value: string, table: Fields): string[] {
  const fields = String(value).split(',').map((field) => field.trim()).filter(Boolean);
  const unknown = fields.filter((field) => !table[field]);
  if (unknown.length > 0) throw new ShimError(`Unknown JSON field: "${unknown[0]}"\nAvailable fields (in the shim):\n  ${Object.keys(table).join('\n  ')}`);
  return fields;
}

async function pullNumber(repo: string, selector: string): Promise<number> {
  if (/^\d+$/.test(selector)) return Number(selector);
  const fromUrl = /\/pull\/(\d+)/.exec(selector);
  if (fromUrl) return Number(fromUrl[1]);
  const { data } = await request('GET', `repos/${repo}/pulls?state=open&head=${encodeURIComponent(`${repo.split('/')[0]}:${selector}`)}`);
  if (!data.length) throw new ShimError(`no pull requests found for branch "${selector}"`);
  return data[0].number;
}

const prFlags: Record<string, FlagSpec> = { repo: { alias: 'R', value: true } };

async function prView(args: string[]): Promise<void> {
  const { options, positionals } = parse('pr view', args, { flags: { ...prFlags, json: { value: true }, jq: { alias: 'q', value: true } }, positionals: 1 });
  if (!options.json) throw unsupported('pr view (without --json)');
  if (positionals.length === 0) throw new ShimError('gh shim: gh pr view needs a pull request number, URL or branch');
  const repo = repository(options);
  const fields = jsonFields(options.json, PR_FIELDS);
  const { data } = await request('GET', `repos/${repo}/pulls/${await pullNumber(repo, positionals[0])}`);
  output(pick(fields, PR_FIELDS, data), options.jq);
}

async function prList(args: string[]): Promise<void> {
  const { options } = parse('pr list', args, {
    flags: { ...prFlags, base: { alias: 'B', value: true }, head: { alias: 'H', value: true }, state: { alias: 's', value: true }, limit: { alias: 'L', value: true }, json: { value: true }, jq: { alias: 'q', value: true } },
  });
  if (!options.json) throw unsupported('pr list (without --json)');
  const repo = repository(options);
  const fields = jsonFields(options.json, PR_FIELDS);
  const state = options.state ?? 'open';
  if (!['open', 'closed', 'merged', 'all'].includes(state)) throw new ShimError(`invalid argument "${state}" for "-s, --state" flag: valid values are {open|closed|merged|all}`);
  const limit = options.limit ? Number(options.limit) : 30;
  const query = new URLSearchParams({ state: state === 'merged' ? 'closed' : state, per_page: '100' });
  if (options.base) query.set('base', options.base);
  if (options.head) query.set('head', `${repo.split('/')[0]}:${options.head}`);
  const { data } = await request('GET', `repos/${repo}/pulls?${query}`);
  const pulls = (data as Json[]).filter((pull) => state !== 'merged' || pull.merged_at).slice(0, limit);
  output(pulls.map((pull) => pick(fields, PR_FIELDS, pull)), options.jq);
}

async function prEdit(args: string[]): Promise<void> {
  const { options, positionals } = parse('pr edit', args, {
    flags: { ...prFlags, 'body-file': { alias: 'F', value: true }, body: { alias: 'b', value: true }, title: { alias: 't', value: true }, base: { alias: 'B', value: true } },
    positionals: 1,
  });
  const repo = repository(options);
  const number = await pullNumber(repo, positionals[0] ?? '');
  const patch: Record<string, string> = {};
  const body = bodyOption(options);
  if (body !== undefined) patch.body = body;
  if (options.title !== undefined) patch.title = options.title;
  if (options.base !== undefined) patch.base = options.base;
  if (Object.keys(patch).length === 0) throw new ShimError('gh shim: gh pr edit needs --body-file, --body, --title or --base');
  const { data } = await request('PATCH', `repos/${repo}/pulls/${number}`, patch);
  process.stdout.write(`${data.html_url}\n`);
}

async function prCreate(args: string[]): Promise<void> {
  const { options } = parse('pr create', args, {
    flags: { ...prFlags, base: { alias: 'B', value: true }, head: { alias: 'H', value: true }, title: { alias: 't', value: true }, 'body-file': { alias: 'F', value: true }, body: { alias: 'b', value: true }, draft: { alias: 'd', value: false } },
  });
  const repo = repository(options);
  if (!options.title) throw new ShimError('gh shim: gh pr create needs --title (the shim does not prompt)');
  if (!options.head) throw new ShimError('gh shim: gh pr create needs --head (the shim has no current branch)');
  let base = options.base;
  if (!base) base = (await request('GET', `repos/${repo}`)).data.default_branch;
  try {
    const { data } = await request('POST', `repos/${repo}/pulls`, { base, head: options.head, title: options.title, body: bodyOption(options) ?? '', draft: options.draft === true });
    process.stdout.write(`${data.html_url}\n`);
  } catch (error) {
    if (error instanceof ShimError) throw new ShimError(`pull request create failed: ${error.message}`);
    throw error;
  }
}

async function prComment(args: string[]): Promise<void> {
  const { options, positionals } = parse('pr comment', args, { flags: { ...prFlags, 'body-file': { alias: 'F', value: true }, body: { alias: 'b', value: true } }, positionals: 1 });
  const repo = repository(options);
  const number = await pullNumber(repo, positionals[0] ?? '');
  const body = bodyOption(options);
  if (body === undefined) throw new ShimError('gh shim: gh pr comment needs --body-file or --body');
  const { data } = await request('POST', `repos/${repo}/issues/${number}/comments`, { body });
  process.stdout.write(`${data.html_url}\n`);
}

// ---- runs ----------------------------------------------------------------------------------------

const RUN_FIELDS: Fields = {
  databaseId: (run) => run.id,
  number: (run) => run.run_number,
  attempt: (run) => run.run_attempt,
  status: (run) => run.status,
  conclusion: (run) => run.conclusion ?? '',
  event: (run) => run.event,
  headBranch: (run) => run.head_branch,
  headSha: (run) => run.head_sha,
  name: (run) => run.name,
  displayTitle: (run) => run.display_title,
  workflowName: (run) => run.name,
  workflowDatabaseId: (run) => run.workflow_id,
  url: (run) => run.html_url,
  createdAt: (run) => run.created_at,
  updatedAt: (run) => run.updated_at,
  startedAt: (run) => run.run_started_at,
};

async function runList(args: string[]): Promise<void> {
  const { options } = parse('run list', args, {
    flags: {
      ...prFlags,
      workflow: { alias: 'w', value: true },
      event: { alias: 'e', value: true },
      commit: { alias: 'c', value: true },
      branch: { alias: 'b', value: true },
      status: { alias: 's', value: true },
      limit: { alias: 'L', value: true },
      json: { value: true },
      jq: { alias: 'q', value: true },
    },
  });
  if (!options.json) throw unsupported('run list (without --json)');
  const repo = repository(options);
  const fields = jsonFields(options.json, RUN_FIELDS);
  const query = new URLSearchParams({ per_page: String(Math.min(Number(options.limit ?? 20), 100)) });
  if (options.event) query.set('event', options.event);
  if (options.commit) query.set('head_sha', options.commit);
  if (options.branch) query.set('branch', options.branch);
  if (options.status) query.set('status', options.status);
  const path = options.workflow ? `repos/${repo}/actions/workflows/${encodeURIComponent(options.workflow)}/runs` : `repos/${repo}/actions/runs`;
  const { data } = await request('GET', `${path}?${query}`);
  output((data.workflow_runs as Json[]).slice(0, Number(options.limit ?? 20)).map((run) => pick(fields, RUN_FIELDS, run)), options.jq);
}

/** Entries of a zip (stored or deflated). */
function unzip(bytes: Buffer): Array<{ name: string; data: Buffer }> {
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new ShimError('gh shim: the artifact is not a zip file');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(dataStart, dataStart + size);
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : raw });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function runDownload(args: string[]): Promise<void> {
  const { options, positionals } = parse('run download', args, { flags: { ...prFlags, name: { alias: 'n', value: true, multi: true }, dir: { alias: 'D', value: true } }, positionals: 1 });
  const repo = repository(options);
  if (!positionals[0] || !/^\d+$/.test(positionals[0])) throw new ShimError('gh shim: gh run download needs a run id (the shim does not prompt)');
  const { data } = await request('GET', `repos/${repo}/actions/runs/${positionals[0]}/artifacts?per_page=100`);
  const names: string[] = options.name ?? [];
  const artifacts = (data.artifacts as Json[]).filter((artifact) => !artifact.expired && (names.length === 0 || names.includes(artifact.name)));
  if (artifacts.length === 0) throw new ShimError('no valid artifacts found to download');
  const dir = resolve(options.dir ?? '.');
  for (const artifact of artifacts) {
    // As gh: one artifact asked for by name goes straight into --dir, several each into a folder of their name.
    const target = names.length === 1 ? dir : join(dir, artifact.name);
    const { bytes } = await request('GET', `repos/${repo}/actions/artifacts/${artifact.id}/zip`, undefined, { raw: true });
    for (const entry of unzip(bytes!)) {
      if (entry.name.endsWith('/')) continue;
      const path = resolve(target, entry.name);
      if (isAbsolute(entry.name) || !path.startsWith(target)) throw new ShimError(`gh shim: refusing to extract ${entry.name} outside ${target}`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, entry.data);
    }
  }
}

// ---- api -----------------------------------------------------------------------------------------

function typedValue(value: string): string | number | boolean | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === 'null') return null;
  if (/^-?\d+$/.test(value)) return Number(value);
  if (value.startsWith('@')) return readFileSync(value === '@-' ? 0 : value.slice(1), 'utf8');
  return value;
}

/** Fields as a query string (values as gh sends them: typed ones written out). */
function queryOf(fields: Record<string, unknown>): URLSearchParams {
  return new URLSearchParams(Object.entries(fields).map(([key, value]): [string, string] => [key, String(value)]));
}

async function api(args: string[]): Promise<void> {
  const { options, positionals } = parse('api', args, {
    flags: { method: { alias: 'X', value: true }, 'raw-field': { alias: 'f', value: true, multi: true }, field: { alias: 'F', value: true, multi: true }, input: { value: true }, jq: { alias: 'q', value: true } },
    positionals: 1,
  });
  if (!positionals[0]) throw new ShimError('gh shim: gh api needs an endpoint path');
  // --input <file|->: the request body as it is (JSON); fields then go to the query string, as gh does.
  const inputBody = options.input === undefined ? undefined : readFileSync(options.input === '-' ? 0 : options.input, 'utf8');
  const [owner = '', name = ''] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  let path = positionals[0].replace(/\{owner\}/g, owner).replace(/\{repo\}/g, name);
  if (path === 'graphql' || path === '/graphql') throw unsupported('api graphql');
  const fields: Record<string, unknown> = {};
  for (const pair of (options['raw-field'] ?? []) as string[]) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ShimError(`field "${pair}" requires a value separated by an '=' sign`);
    fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  for (const pair of (options.field ?? []) as string[]) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ShimError(`field "${pair}" requires a value separated by an '=' sign`);
    fields[pair.slice(0, eq)] = typedValue(pair.slice(eq + 1));
  }
  const hasFields = Object.keys(fields).length > 0;
  const method = (options.method ?? (hasFields || inputBody !== undefined ? 'POST' : 'GET')).toUpperCase();
  let body: unknown;
  if (inputBody !== undefined) {
    try {
      body = JSON.parse(inputBody);
    } catch {
      throw new ShimError('gh shim: --input must hold JSON');
    }
    if (hasFields) path += (path.includes('?') ? '&' : '?') + queryOf(fields);
  } else if (hasFields && (method === 'GET' || method === 'HEAD')) {
    path += (path.includes('?') ? '&' : '?') + queryOf(fields);
  } else if (hasFields) {
    body = fields;
  }
  try {
    const { data, text } = await request(method, path, body);
    if (data === undefined) return;
    output(options.jq ? data : text.endsWith('\n') ? text : `${text}\n`, options.jq);
  } catch (error) {
    // gh api prints the answer body on stdout, then the error on stderr.
    if (error instanceof ShimError && error.body) process.stdout.write(`${error.body}\n`);
    if (error instanceof ShimError && error.status) throw new ShimError(`gh: ${error.message}`);
    throw error;
  }
}

// ---- auth ----------------------------------------------------------------------------------------

function hostsToConfigure(): string[] {
  const origins = new Set<string>();
  for (const value of [process.env.GITHUB_API_URL, process.env.GITHUB_SERVER_URL]) {
    if (!value) continue;
    try {
      origins.add(new URL(value).origin);
    } catch {
      // not a URL: skip
    }
  }
  if (origins.size === 0) origins.add('https://github.com');
  return [...origins];
}

function setupGit(args: string[]): void {
  parse('auth setup-git', args, { flags: { hostname: { alias: 'h', value: true } } });
  // The launcher next to this file: what git runs as the credential helper.
  const self = join(dirname(fileURLToPath(import.meta.url)), 'gh');
  for (const origin of hostsToConfigure()) {
    const key = `credential.${origin}.helper`;
    // As gh: reset the helpers for the host, then ours (HOME / GIT_CONFIG_GLOBAL of the step decide the file).
    for (const gitArgs of [
      ['config', '--global', '--replace-all', key, ''],
      ['config', '--global', '--add', key, `!'${self.replace(/'/g, `'\\''`)}' auth git-credential`],
    ]) {
      const result = spawnSync('git', gitArgs, { encoding: 'utf8' });
      if (result.error) throw new ShimError(`gh shim: cannot run git: ${result.error.message}`);
      if (result.status !== 0) throw new ShimError(`gh shim: git ${gitArgs.join(' ')} failed: ${result.stderr.trim()}`);
    }
  }
}

function gitCredential(args: string[]): void {
  const operation = args[0];
  if (operation !== 'get') return; // store / erase: nothing to remember
  const input = readFileSync(0, 'utf8');
  const fields = Object.fromEntries(input.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  const value = process.env.GH_TOKEN || process.env.GITHUB_TOKEN;
  if (!value) throw new ShimError('gh shim: no GH_TOKEN or GITHUB_TOKEN for git credentials');
  const lines = [];
  if (fields.protocol) lines.push(`protocol=${fields.protocol}`);
  if (fields.host) lines.push(`host=${fields.host}`);
  lines.push('username=x-access-token', `password=${value}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

// ---- main ----------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<void> {
  const [group, sub, ...rest] = argv;
  if (group === 'api') return api(argv.slice(1));
  const key = `${group ?? ''} ${sub ?? ''}`.trim();
  switch (key) {
    case 'pr view':
      return prView(rest);
    case 'pr list':
      return prList(rest);
    case 'pr edit':
      return prEdit(rest);
    case 'pr create':
      return prCreate(rest);
    case 'pr comment':
      return prComment(rest);
    case 'run list':
      return runList(rest);
    case 'run download':
      return runDownload(rest);
    case 'auth setup-git':
      return setupGit(rest);
    case 'auth git-credential':
      return gitCredential(rest);
    default:
      throw unsupported(key || '(no subcommand)');
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ShimError ? error.message : `gh shim: ${error instanceof Error ? error.stack : String(error)}`}\n`);
    process.exit(error instanceof ShimError ? error.code : 1);
  },
);

/**
 * Outside actions, replaced by named stand-ins that do for the next steps what the real action does.
 * Each declares the real action's inputs (GitHub warns on others) and fails with the real action's
 * reason where the real one would fail: no `id-token: write`, a role whose trust does not match the
 * job's OIDC subject, a missing Dockerfile, no credentials for ECR. Everything else a template uses
 * and the player cannot play fails the step by name.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Permissions } from './permissions';
import { buildSnapshot, type Snapshot } from './image-snapshot';
import { platformOf, type PlayerWorld } from './world';
import { errorMessage } from '../action-kit';

export interface StandInContext {
  inputs: Record<string, string>;
  world: PlayerWorld;
  /** The github context of the job (event_name, ref, sha, repository, head_ref, token...). */
  github: Record<string, unknown>;
  job: {
    permissions: Permissions;
    token: string;
    environment?: string;
    workspace: string;
    temp: string;
    /** The environment the steps see so far (credentials exported by earlier steps included). */
    env: Record<string, string>;
  };
  runId: number;
  artifacts: ArtifactStore;
}

export interface StandInResult {
  ok: boolean;
  outputs?: Record<string, string>;
  exportedEnv?: Record<string, string>;
  /** Folders put first on PATH for the next steps (as `echo dir >> $GITHUB_PATH`). */
  addedPath?: string[];
  log: string[];
  errors?: string[];
}

export interface StandIn {
  /** `owner/repo` (or `owner/repo/path`) as written before `@`. */
  action: string;
  /** One line for the README: what the stand-in does. */
  does: string;
  /** The real action's input names. */
  inputs: string[];
  run(context: StandInContext): Promise<StandInResult> | StandInResult;
}

/** Artifacts of the runs, by run id and name (upload-artifact / download-artifact, gh run download). */
export class ArtifactStore {
  private readonly byRun = new Map<number, Map<string, Record<string, Buffer>>>();

  put(runId: number, name: string, files: Record<string, Buffer>): void {
    const run = this.byRun.get(runId) ?? new Map();
    this.byRun.set(runId, run);
    run.set(name, files);
  }

  get(runId: number, name: string): Record<string, Buffer> | undefined {
    return this.byRun.get(runId)?.get(name);
  }
}

const failed = (...errors: string[]): StandInResult => ({ ok: false, log: errors.map((e) => `::error::${e}`), errors });

/** Asynchronous: the GitHub simulator that answers the fetch lives in this process. */
async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, encoding: 'utf8' });
  return stdout;
}

/** A value or subsection name in git's config syntax: backslash and double quote escaped, the whole quoted by the caller. */
const configQuote = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/**
 * Appends a section to the checkout's .git/config as `git config` would write it: the checkout stand-in
 * runs for most jobs of a rehearsal, and each git process it spares is a process start on every job.
 */
function appendGitConfig(dir: string, header: string, values: Record<string, string>): void {
  const file = path.join(dir, '.git', 'config');
  // `git remote add` refuses a second origin (a second checkout into the same path).
  if (header === '[remote "origin"]' && readFileSync(file, 'utf8').includes(header)) throw Object.assign(new Error('remote origin exists'), { stderr: 'error: remote origin already exists.' });
  const lines = Object.entries(values).map(([key, value]) => `\t${key} = "${configQuote(value)}"`);
  appendFileSync(file, `${header}\n${lines.join('\n')}\n`);
}

const basicAuth = (token: string) => `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;

/** actions/checkout: the repository at the event's commit, fetched over the simulator's git HTTP. */
const checkout: StandIn = {
  action: 'actions/checkout',
  does: 'fetches the repository from the GitHub simulator over git smart HTTP with the job token, at the event commit (fetch-depth 1) or with every branch and tag (fetch-depth 0); persist-credentials stores the token as actions/checkout does',
  inputs: ['repository', 'ref', 'token', 'ssh-key', 'ssh-known-hosts', 'ssh-strict', 'ssh-user', 'persist-credentials', 'path', 'clean', 'filter', 'sparse-checkout', 'sparse-checkout-cone-mode', 'fetch-depth', 'fetch-tags', 'show-progress', 'lfs', 'submodules', 'set-safe-directory', 'github-server-url'],
  async run({ inputs, world, github, job }) {
    const repository = inputs.repository || String(github.repository);
    const token = inputs.token || job.token;
    const url = platformOf(world).git.url(repository);
    const dir = path.resolve(job.workspace, inputs.path || '.');
    mkdirSync(dir, { recursive: true });
    const auth = ['-c', `http.extraheader=${basicAuth(token)}`];
    const depth = inputs['fetch-depth'] === '' || inputs['fetch-depth'] === undefined ? 1 : Number(inputs['fetch-depth']);
    const eventRef = String(github.event_name) === 'pull_request' ? `refs/heads/${String(github.head_ref)}` : String(github.ref);
    const ref = inputs.ref ? (inputs.ref.startsWith('refs/') ? inputs.ref : `refs/heads/${inputs.ref}`) : eventRef;
    const log: string[] = [`Fetching ${repository} (${depth === 0 ? 'all history' : `depth ${depth}`}) at ${inputs.ref || github.sha}`];
    try {
      await git(dir, ['init', '-q']);
      // What `git remote add origin <url>` writes, without a git process of its own.
      appendGitConfig(dir, '[remote "origin"]', { url, fetch: '+refs/heads/*:refs/remotes/origin/*' });
      const local = `refs/remotes/origin/${ref.replace(/^refs\/(heads|tags)\//, '')}`;
      const refspecs = depth === 0 ? ['+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'] : [`+${ref}:${local}`];
      const fetch = (specs: string[]) => git(dir, [...auth, 'fetch', '-q', '--no-tags', ...(depth > 0 ? [`--depth=${depth}`] : []), 'origin', ...specs]);
      // As actions/checkout does, a shallow fetch asks for the event's commit by SHA: a push the
      // branch has already moved past (a newer merge seconds later) is still checked out.
      if (depth > 0 && !inputs.ref && github.sha) await fetch([`+${String(github.sha)}:${local}`]).catch(() => fetch(refspecs));
      else await fetch(refspecs);
      const target = inputs.ref ? `origin/${ref.replace(/^refs\/(heads|tags)\//, '')}` : String(github.sha);
      await git(dir, ['checkout', '-q', '--detach', target]);
      // As `git config --local http.<url>.extraheader`, after the fetch (which sent the header itself).
      if (inputs['persist-credentials'] !== 'false') appendGitConfig(dir, `[http "${configQuote(url)}"]`, { extraheader: basicAuth(token) });
      // A detached HEAD holds the commit's sha: what `git rev-parse --short HEAD` prints.
      log.push(`HEAD is now at ${readFileSync(path.join(dir, '.git', 'HEAD'), 'utf8').trim().slice(0, 7)}`);
      return { ok: true, log };
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      return failed(`checkout of ${repository} failed: ${stderr.trim().split('\n').pop()}`);
    }
  },
};

/** The OIDC subject GitHub puts in the job's token (`sub`), as IAM trust policies match it. */
function oidcSubject(repository: string, github: Record<string, unknown>, environment?: string): string {
  if (environment) return `repo:${repository}:environment:${environment}`;
  if (github.event_name === 'pull_request') return `repo:${repository}:pull_request`;
  return `repo:${repository}:ref:${String(github.ref)}`;
}

const configureAwsCredentials: StandIn = {
  action: 'aws-actions/configure-aws-credentials',
  does: "checks the job may mint an OIDC token (id-token: write), matches the role's trust policy against the job's OIDC subject (repo:…:environment:<env>, repo:…:pull_request, repo:…:ref:<ref>), then exports credentials for the AWS simulator and the region",
  inputs: ['audience', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'aws-region', 'mask-aws-account-id', 'role-to-assume', 'web-identity-token-file', 'role-duration-seconds', 'role-session-name', 'role-external-id', 'role-skip-session-tagging', 'inline-session-policy', 'managed-session-policies', 'output-credentials', 'unset-current-credentials', 'disable-retry', 'retry-max-attempts', 'special-characters-workaround', 'use-existing-credentials', 'output-env-credentials'],
  run({ inputs, world, github, job }) {
    if (!inputs['aws-region']) return failed('Input required and not supplied: aws-region');
    const role = inputs['role-to-assume'];
    if (!role) return failed('Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers (role-to-assume is empty: is the variable set?)');
    if (job.permissions['id-token'] !== 'write') {
      return failed('Credentials could not be loaded, please check your action inputs: It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission? If you are not trying to authenticate with OIDC and the action is working successfully, you can ignore this message.');
    }
    const subject = oidcSubject(world.repository, github, job.environment);
    const trust = world.roles?.[role];
    if (!trust || !trust.subjects.some((pattern) => picomatch.isMatch(subject, pattern, { dot: true, bash: true }))) {
      return failed(`Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity (role ${role}, subject ${subject})`);
    }
    const keyId = `ASIA${Buffer.from(role).toString('hex').slice(-12).toUpperCase()}`;
    return {
      ok: true,
      outputs: { 'aws-account-id': role.split(':')[4] ?? '' },
      exportedEnv: {
        AWS_ACCESS_KEY_ID: keyId,
        AWS_SECRET_ACCESS_KEY: world.aws.env.AWS_SECRET_ACCESS_KEY ?? 'simulator-secret',
        AWS_SESSION_TOKEN: `session-${inputs['role-session-name'] || 'GitHubActions'}`,
        AWS_REGION: inputs['aws-region'],
        AWS_DEFAULT_REGION: inputs['aws-region'],
      },
      log: [`Assuming role ${role} with OIDC subject ${subject}${trust.description ? ` (${trust.description})` : ''}`, 'Authenticated as assumedRoleId AROA…:' + (inputs['role-session-name'] || 'GitHubActions')],
    };
  },
};

function awsAccount(world: PlayerWorld): string {
  return (world.aws as unknown as { accountId?: string }).accountId ?? '123456789012';
}

const ecrLogin: StandIn = {
  action: 'aws-actions/amazon-ecr-login',
  does: 'needs credentials from an earlier step, outputs the registry of the account and region',
  inputs: ['registries', 'skip-logout', 'registry-type', 'mask-password', 'http-proxy'],
  run({ world, job }) {
    if (!job.env.AWS_ACCESS_KEY_ID) return failed('Could not load credentials from any providers');
    const region = job.env.AWS_REGION || job.env.AWS_DEFAULT_REGION;
    if (!region) return failed('Region is missing');
    const registry = `${awsAccount(world)}.dkr.ecr.${region}.amazonaws.com`;
    return { ok: true, outputs: { registry, [`docker_username_${registry.replace(/[.-]/g, '_')}`]: 'AWS' }, log: [`Logged in to ${registry}`] };
  },
};

/** docker/build-push-action: no Docker engine here, so "build" checks the Dockerfile and "push" puts a manifest into the ECR simulator. */
const buildPush: StandIn = {
  action: 'docker/build-push-action',
  does: 'checks the build context and Dockerfile exist in the checkout, then pushes each tag into the ECR simulator (an image whose behaviour the story attached to the commit) and outputs its digest',
  inputs: ['add-hosts', 'allow', 'annotations', 'attests', 'build-args', 'build-contexts', 'builder', 'cache-from', 'cache-to', 'call', 'cgroup-parent', 'context', 'file', 'labels', 'load', 'network', 'no-cache', 'no-cache-filters', 'outputs', 'platforms', 'provenance', 'pull', 'push', 'sbom', 'secrets', 'secret-envs', 'secret-files', 'shm-size', 'ssh', 'tags', 'target', 'ulimit', 'github-token'],
  run({ inputs, world, github, job }) {
    const context = path.resolve(job.workspace, inputs.context || '.');
    const dockerfile = path.resolve(context, inputs.file || 'Dockerfile');
    if (!existsSync(dockerfile)) return failed(`ERROR: failed to build: failed to solve: failed to read dockerfile: open ${path.relative(job.workspace, dockerfile)}: no such file or directory`);
    if (inputs.target && !new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${inputs.target}\\s*$`, 'im').test(readFileSync(dockerfile, 'utf8'))) {
      return failed(`ERROR: failed to build: failed to solve: target stage "${inputs.target}" could not be found`);
    }
    const tags = inputs.tags.split(/[\n,]/).map((t) => t.trim()).filter(Boolean);
    if (inputs.push !== 'true') return { ok: true, outputs: { imageid: 'sha256:local', digest: '' }, log: [`Built ${tags.join(', ')} (not pushed)`] };
    if (!job.env.AWS_ACCESS_KEY_ID) return failed('ERROR: failed to push: unauthorized: authentication required');
    let snapshot: Snapshot | undefined;
    try {
      // With an image store, a real image: the context's snapshot at the target stage, by content.
      snapshot = world.imageStore ? buildSnapshot({ context, dockerfile, target: inputs.target || undefined, store: world.imageStore }) : undefined;
    } catch (error) {
      return failed(errorMessage(error));
    }
    return pushTags(tags, world, String(github.sha), snapshot);
  },
};

/** Pushes every tag to the ECR simulator: one build, one image, so one digest. */
function pushTags(tags: string[], world: PlayerWorld, sha: string, snapshot: Snapshot | undefined): StandInResult {
  let digest = snapshot?.digest ?? '';
  for (const tag of tags) {
    const match = /^[^/]+\.amazonaws\.com\/(.+):([^:/]+)$/.exec(tag);
    if (!match) return failed(`ERROR: failed to push ${tag}: not an ECR repository of this account`);
    try {
      digest = world.aws.seed.image(match[1], match[2], { scenario: snapshot ? undefined : world.imageScenario?.(sha), ...(digest ? { digest } : {}), ...(snapshot ? { snapshot } : {}) });
    } catch (error) {
      return failed(`ERROR: failed to push ${tag}: ${errorMessage(error)}`);
    }
  }
  const built = snapshot ? [`snapshot ${snapshot.digest.slice(0, 19)}… of the context: WORKDIR ${snapshot.workdir}, CMD ${JSON.stringify(snapshot.cmd)}`] : [];
  return { ok: true, outputs: { digest, imageid: digest, metadata: JSON.stringify({ 'containerimage.digest': digest }) }, log: [...built, ...tags.map((tag) => `pushed ${tag}@${digest}`)] };
}

const probes = new Map<string, Promise<string | undefined>>();

/**
 * A machine tool's answer to a question that does not change while the rehearsal plays (its version,
 * its real path): asked once per PATH, never with a synchronous spawn (that would stop the simulators,
 * which share this process, for as long as a pyenv shim takes to start). Undefined when it fails.
 */
function probe(command: string, args: string[]): Promise<string | undefined> {
  const key = [process.env.PATH, command, ...args].join('\0');
  let answer = probes.get(key);
  if (!answer) {
    // A failure is not remembered: the next job asks again (the tool may be installed meanwhile).
    answer = promisify(execFile)(command, args, { encoding: 'utf8' }).then(
      ({ stdout }) => stdout,
      () => {
        probes.delete(key);
        return undefined;
      },
    );
    probes.set(key, answer);
  }
  return answer;
}

const setupTerraform: StandIn = {
  action: 'hashicorp/setup-terraform',
  does: 'uses the terraform on PATH (fails when there is none); warns when terraform_version names another version',
  inputs: ['cli_config_credentials_hostname', 'cli_config_credentials_token', 'terraform_version', 'terraform_wrapper'],
  async run({ inputs }) {
    const found = await probe('terraform', ['version', '-json']);
    if (found === undefined) return failed('terraform not found on PATH (the player uses the machine\'s terraform)');
    const version = (JSON.parse(found) as { terraform_version: string }).terraform_version;
    const wanted = inputs.terraform_version || 'latest';
    const log = [`Using terraform ${version} from PATH`];
    if (wanted !== 'latest' && !version.startsWith(wanted.replace(/^[~^>=<\s]+/, ''))) log.push(`::warning::terraform_version ${wanted} asked; the player runs ${version}`);
    return { ok: true, outputs: {}, log };
  },
};

/** Console scripts a `pip install -r requirements.txt` would put next to python, as `python -m` wrappers. */
const PYTHON_SCRIPTS: Record<string, string> = { alembic: 'alembic', uvicorn: 'uvicorn', pytest: 'pytest' };

/** A bin folder like a virtualenv's: python3/python and the console scripts, all on `interpreter`. */
function pythonBin(interpreter: string, temp: string): string {
  const bin = path.join(temp, 'setup-python', 'bin');
  mkdirSync(bin, { recursive: true });
  const wrapper = (args: string) => `#!/bin/sh\nexec '${interpreter.replace(/'/g, "'\\''")}' ${args} "$@"\n`;
  for (const name of ['python3', 'python']) writeFileSync(path.join(bin, name), wrapper(''), { mode: 0o755 });
  for (const [name, module] of Object.entries(PYTHON_SCRIPTS)) writeFileSync(path.join(bin, name), wrapper(`-m ${module}`), { mode: 0o755 });
  return bin;
}

const setupPython: StandIn = {
  action: 'actions/setup-python',
  does: "puts the world's python (the one that imports the application's modules; else python3 on PATH) first on PATH, with its console scripts (alembic, uvicorn, pytest) beside it",
  inputs: ['python-version', 'python-version-file', 'cache', 'architecture', 'check-latest', 'token', 'cache-dependency-path', 'update-environment', 'allow-prereleases', 'freethreaded', 'pip-version', 'pip-install'],
  async run({ world, job }) {
    const interpreter = world.python ?? 'python3';
    const found = await probe(interpreter, ['-c', 'import sys, platform; print(platform.python_version()); print(sys.executable)']);
    if (found === undefined) return failed(`${interpreter} not found`);
    const [version, executable] = found.trim().split('\n');
    const bin = pythonBin(executable, job.temp);
    return { ok: true, outputs: { 'python-version': version, 'python-path': executable }, addedPath: [bin], log: [`Using Python ${version} (${executable})`] };
  },
};

function readTree(root: string, pattern: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const full = path.resolve(root, pattern);
  if (!existsSync(full)) return files;
  if (statSync(full).isFile()) {
    files[path.basename(full)] = readFileSync(full);
    return files;
  }
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(child);
      else files[path.relative(full, child)] = readFileSync(child);
    }
  };
  walk(full);
  return files;
}

const uploadArtifact: StandIn = {
  action: 'actions/upload-artifact',
  does: 'stores the files under the run and in the GitHub simulator (so `gh run download` finds them)',
  inputs: ['name', 'path', 'if-no-files-found', 'retention-days', 'compression-level', 'overwrite', 'include-hidden-files'],
  run({ inputs, world, job, runId, artifacts }) {
    const name = inputs.name || 'artifact';
    const files: Record<string, Buffer> = {};
    for (const entry of inputs.path.split('\n').map((p) => p.trim()).filter(Boolean)) Object.assign(files, readTree(job.workspace, entry));
    if (Object.keys(files).length === 0) {
      if ((inputs['if-no-files-found'] || 'warn') === 'error') return failed(`No files were found with the provided path: ${inputs.path}. No artifacts will be uploaded.`);
      return { ok: true, log: [`::warning::No files were found with the provided path: ${inputs.path}. No artifacts will be uploaded.`] };
    }
    artifacts.put(runId, name, files);
    const id = platformOf(world).seed.artifact(world.repository, runId, name, files);
    return { ok: true, outputs: { 'artifact-id': String(id) }, log: [`Artifact ${name} (${Object.keys(files).length} file(s)) uploaded`] };
  },
};

const downloadArtifact: StandIn = {
  action: 'actions/download-artifact',
  does: 'writes the named artifact of the same run into the path',
  inputs: ['name', 'path', 'pattern', 'merge-multiple', 'github-token', 'repository', 'run-id', 'artifact-ids'],
  run({ inputs, job, runId, artifacts }) {
    const files = artifacts.get(inputs['run-id'] ? Number(inputs['run-id']) : runId, inputs.name);
    if (!files) return failed(`Unable to download artifact(s): Artifact not found for name: ${inputs.name}`);
    const dir = path.resolve(job.workspace, inputs.path || '.');
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    return { ok: true, outputs: { 'download-path': dir }, log: [`Artifact ${inputs.name} downloaded to ${dir}`] };
  },
};

const appToken: StandIn = {
  action: 'actions/create-github-app-token',
  does: "mints an installation token of the world's GitHub App in the GitHub simulator (events it causes start workflows, unlike GITHUB_TOKEN's); fails without app-id/client-id and private-key",
  inputs: ['client-id', 'app-id', 'private-key', 'owner', 'repositories', 'skip-token-revoke', 'github-api-url', 'permission-actions', 'permission-checks', 'permission-contents', 'permission-deployments', 'permission-issues', 'permission-metadata', 'permission-pull-requests', 'permission-statuses', 'permission-workflows'],
  run({ inputs, world }) {
    const id = inputs['client-id'] || inputs['app-id'];
    if (!id) return failed('[@octokit/auth-app] appId option is required (the app-id / client-id input is empty: is the variable set?)');
    if (!inputs['private-key']) return failed('[@octokit/auth-app] privateKey option is required (the private-key input is empty: is the secret set?)');
    const app = world.app;
    if (!app || app.appId !== id || app.privateKey !== inputs['private-key']) return failed(`[@octokit/auth-app] A JSON web token could not be decoded (app ${id} is not installed on ${world.repository} or the key does not match)`);
    const asked = Object.entries(inputs).filter(([name, value]) => name.startsWith('permission-') && value).map(([name, value]) => [name.slice('permission-'.length), value]);
    const permissions = asked.length > 0 ? Object.fromEntries(asked) : (app.permissions as Record<string, 'read' | 'write' | 'none'>);
    const token = platformOf(world).tokens.issue({ kind: 'app', login: app.login, permissions });
    return { ok: true, outputs: { token, 'installation-id': '1', 'app-slug': app.login.replace(/\[bot\]$/, '') }, log: [`::add-mask::${token}`, `Installation token of ${app.login} created`] };
  },
};

export const STAND_INS: StandIn[] = [checkout, configureAwsCredentials, ecrLogin, buildPush, setupTerraform, setupPython, uploadArtifact, downloadArtifact, appToken];

/** The stand-in for `uses: owner/repo[/path]@ref`, if the player has one. */
export function standInFor(uses: string): StandIn | undefined {
  const name = uses.split('@')[0].toLowerCase();
  return STAND_INS.find((standIn) => standIn.action === name);
}

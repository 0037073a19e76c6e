/**
 * The workflow player: GitHub's event rules over a folder of workflow files. It listens to the GitHub
 * simulator's events (pushes over git, pull requests opened, edited, synchronised, merged), starts the
 * workflows whose `on:` matches, except for events authored with a GITHUB_TOKEN (GitHub starts no
 * workflow for those), and plays each run to its end. `workflow_dispatch` comes from the story.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConcurrencyGroups, type ConcurrencyClaim } from './concurrency';
import { asText, evaluateToken, type Json } from './expressions';
import type { RunRecord } from './records';
import { playWorkflow } from './run';
import { silentLog, type PlayerLog, type RunState } from './run-state';
import { ArtifactStore } from './stand-ins';
import { triggers, type TriggerEvent } from './triggers';
import { loadWorkflows, type WorkflowFile } from './workflow-file';
import { platformOf, type PlayerWorld, type RepoEvent, type TokenGrant } from './world';
import { errorMessage } from '../action-kit';

const ZERO_SHA = '0000000000000000000000000000000000000000';
const here = path.dirname(fileURLToPath(import.meta.url));

/** The folder holding the `gh` shim (packages/simulators/github/gh-shim). */
export const GH_SHIM_DIR = path.resolve(here, '..', 'simulators', 'github', 'gh-shim');

export interface IgnoredEvent {
  event: string;
  detail: string;
  reason: string;
}

export interface PlayerOptions {
  workflowsDir: string;
  world: PlayerWorld;
  log?: PlayerLog;
}

interface Trigger {
  name: string;
  action?: string;
  ref: string;
  sha: string;
  actor: string;
  payload: Record<string, unknown>;
  headRef?: string;
  baseRef?: string;
  changedFiles?: string[];
  workflowFile?: string;
  inputs?: Record<string, Json>;
}

export class WorkflowPlayer {
  readonly runs: RunRecord[] = [];
  readonly ignored: IgnoredEvent[] = [];
  readonly concurrency = new ConcurrencyGroups();
  readonly artifacts = new ArtifactStore();
  private workflows = new Map<string, WorkflowFile>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly controllers = new Map<number, AbortController>();
  private unsubscribe?: () => void;
  private readonly root = mkdtempSync(path.join(tmpdir(), 'workflow-player-'));
  private readonly log: PlayerLog;

  constructor(private readonly options: PlayerOptions) {
    this.log = options.log ?? silentLog;
  }

  /** Parses the folder (GitHub's parser; any error fails here, naming the file) and starts listening. */
  async start(): Promise<this> {
    const loaded = await loadWorkflows(this.options.workflowsDir);
    this.workflows = new Map(loaded.map((workflow) => [workflow.file, workflow]));
    this.unsubscribe = platformOf(this.options.world).onEvent((event) => this.track(this.onEvent(event)));
    return this;
  }

  stop(): void {
    this.unsubscribe?.();
  }

  get world(): PlayerWorld {
    return this.options.world;
  }

  /** Resolves when no run is queued or in progress, including runs started by events of other runs. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Cancels a run in progress, as the Cancel button does. */
  cancel(runId: number): void {
    this.controllers.get(runId)?.abort();
  }

  /** `workflow_dispatch` of `file` on `ref` by a person (the REST call a user or `gh workflow run` makes). */
  async dispatch(file: string, ref: string, inputs: Record<string, string | boolean> = {}, actor = 'release-manager'): Promise<RunRecord> {
    const workflow = this.workflows.get(file);
    if (!workflow) throw new Error(`no workflow ${file} in ${this.options.workflowsDir}`);
    const definitions = (workflow.template.events.workflow_dispatch?.inputs ?? {}) as Record<string, { type?: string; default?: unknown; required?: boolean; options?: string[] }>;
    const typed: Record<string, Json> = {};
    for (const name of Object.keys(inputs)) {
      if (!(name in definitions)) throw new Error(`Unexpected inputs provided: ["${name}"]`);
    }
    for (const [name, definition] of Object.entries(definitions)) {
      const value = name in inputs ? inputs[name] : definition.default;
      if ((value === undefined || value === '') && definition.required) throw new Error(`Required input '${name}' not provided`);
      if (definition.type === 'choice' && value !== undefined && !(definition.options ?? []).includes(String(value))) throw new Error(`Provided value '${value}' for input '${name}' not in the list of allowed values`);
      typed[name] = definition.type === 'boolean' ? value === true || value === 'true' : value === undefined ? '' : String(value);
    }
    // The `inputs` context keeps booleans; the webhook payload (`github.event.inputs`) carries every input as a string.
    const asStrings = Object.fromEntries(Object.entries(typed).map(([name, value]) => [name, String(value)]));
    const branch = ref.replace(/^refs\/heads\//, '');
    const sha = this.git(['rev-parse', `refs/heads/${branch}`]).trim();
    const trigger: Trigger = {
      name: 'workflow_dispatch',
      ref: `refs/heads/${branch}`,
      sha,
      actor,
      payload: { inputs: asStrings, ref: `refs/heads/${branch}`, repository: this.repositoryPayload(), sender: this.sender(actor), workflow: workflow.path },
      workflowFile: file,
      inputs: typed,
    };
    return this.track(this.startRun(workflow, trigger));
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  private async onEvent(event: RepoEvent): Promise<void> {
    const trigger = this.triggerOf(event);
    if (!trigger) return;
    const detail = event.name === 'push' ? `push ${event.ref}` : `pull_request ${event.action} #${event.number}`;
    if (event.author?.kind === 'github-token') {
      // GitHub: events triggered by the GITHUB_TOKEN, except workflow_dispatch and repository_dispatch, do not create a new workflow run.
      this.ignored.push({ event: event.name, detail, reason: 'authored with the GITHUB_TOKEN: GitHub starts no workflow for it' });
      this.log.note(`${detail} by the GITHUB_TOKEN starts no workflow`);
      return;
    }
    const started: Promise<unknown>[] = [];
    for (const workflow of this.workflows.values()) {
      if (!workflow.template.events) continue;
      const check = triggers(workflow, { name: trigger.name, action: trigger.action, ref: trigger.ref, baseRef: trigger.baseRef, changedFiles: trigger.changedFiles } satisfies TriggerEvent);
      if (check.starts) started.push(this.startRun(workflow, trigger));
    }
    await Promise.all(started);
  }

  private git(args: string[]): string {
    const dir = platformOf(this.options.world).git.dir(this.options.world.repository);
    return execFileSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  }

  private changedFiles(from: string, to: string): string[] | undefined {
    try {
      return this.git(['diff', '--name-only', from, to]).split('\n').filter(Boolean);
    } catch {
      return undefined;
    }
  }

  private repositoryPayload(): Record<string, unknown> {
    return platformOf(this.options.world).state.repository(this.options.world.repository);
  }

  /** The webhook `sender`: the whole user, as GitHub sends it. */
  private sender(login: string): Record<string, unknown> {
    return platformOf(this.options.world).state.user(login);
  }

  /** The push webhook's body (GitHub docs, "push"): with `base_ref`, `compare` and each commit's `url`. */
  private pushPayload(event: Extract<RepoEvent, { name: 'push' }>, repository: Record<string, unknown>, actor: string): Record<string, unknown> {
    const html = String(repository.html_url);
    const withUrl = (commit: { id: string }) => ({ ...commit, url: `${html}/commit/${commit.id}` });
    const name = event.ref.replace(/^refs\/(heads|tags)\//, '');
    const compare = event.created ? `${html}/compare/${name}` : `${html}/compare/${event.before.slice(0, 12)}...${event.after.slice(0, 12)}`;
    return {
      ref: event.ref,
      before: event.before,
      after: event.after,
      base_ref: this.baseRef(event),
      compare,
      created: event.created,
      deleted: event.deleted,
      forced: event.forced,
      commits: event.commits.map(withUrl),
      head_commit: event.headCommit ? withUrl(event.headCommit) : null,
      repository,
      pusher: { name: actor, email: null },
      sender: this.sender(actor),
    };
  }

  /** GitHub sets `base_ref` on a tag push whose commit is a branch's tip (that branch); null otherwise. */
  private baseRef(event: Extract<RepoEvent, { name: 'push' }>): string | null {
    if (!event.ref.startsWith('refs/tags/')) return null;
    const refs = platformOf(this.options.world).state.refs(this.options.world.repository);
    return Object.keys(refs).find((ref) => ref.startsWith('refs/heads/') && refs[ref] === event.after) ?? null;
  }

  private triggerOf(event: RepoEvent): Trigger | undefined {
    const actor = (event.author as TokenGrant | undefined)?.login ?? 'octocat';
    const repository = this.repositoryPayload();
    if (event.name === 'push') {
      if (event.deleted) return undefined;
      const defaultBranch = String(repository.default_branch ?? 'main');
      const base = event.before === ZERO_SHA ? this.git(['merge-base', `refs/heads/${defaultBranch}`, event.after]).trim() : event.before;
      return {
        name: 'push',
        ref: event.ref,
        sha: event.after,
        actor,
        payload: this.pushPayload(event, repository, actor),
        changedFiles: this.changedFiles(base, event.after),
      };
    }
    const pull = platformOf(this.options.world).state.pull(this.options.world.repository, event.number);
    const head = pull.head as { ref: string; sha: string };
    const base = pull.base as { ref: string; sha: string };
    return {
      name: 'pull_request',
      action: event.action,
      // GitHub runs pull_request workflows on the test merge commit; the simulator has none, so the head commit stands for it.
      ref: `refs/pull/${event.number}/merge`,
      sha: head.sha,
      actor,
      headRef: head.ref,
      baseRef: base.ref,
      payload: {
        action: event.action,
        number: event.number,
        ...(event.action === 'synchronize' ? { before: event.before, after: event.after } : {}),
        ...(event.changes ? { changes: event.changes } : {}),
        ...(event.label ? { label: event.label } : {}),
        pull_request: pull,
        repository,
        sender: this.sender(actor),
      },
      changedFiles: this.changedFiles(this.git(['merge-base', base.sha, head.sha]).trim(), head.sha),
    };
  }

  private githubContext(trigger: Trigger, runId: number, workflow: WorkflowFile): Record<string, unknown> {
    const world = this.options.world;
    const platform = platformOf(world);
    return {
      event_name: trigger.name,
      event: trigger.payload,
      ref: trigger.ref,
      ref_name: trigger.name === 'pull_request' ? `${/\d+/.exec(trigger.ref)?.[0]}/merge` : trigger.ref.replace(/^refs\/(heads|tags)\//, ''),
      ref_type: trigger.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      sha: trigger.sha,
      head_ref: trigger.headRef ?? '',
      base_ref: trigger.baseRef ?? '',
      repository: world.repository,
      repository_owner: world.repository.split('/')[0],
      actor: trigger.actor,
      triggering_actor: trigger.actor,
      run_id: String(runId),
      run_number: String(runId),
      run_attempt: '1',
      workflow: workflow.name,
      workflow_ref: `${world.repository}/${workflow.path}@${trigger.ref}`,
      server_url: 'https://github.com',
      api_url: platform.url,
      graphql_url: platform.graphqlUrl,
      retention_days: '90',
    };
  }

  private async startRun(workflow: WorkflowFile, trigger: Trigger): Promise<RunRecord> {
    const world = this.options.world;
    const platform = platformOf(world);
    const id = platform.seed.workflowRun(world.repository, { workflowFile: workflow.file, name: workflow.name, event: trigger.name, headSha: trigger.sha, headBranch: trigger.headRef ?? trigger.ref.replace(/^refs\/heads\//, ''), status: 'queued', conclusion: null });
    const record: RunRecord = { id, workflowFile: workflow.file, workflowName: workflow.name, event: trigger.name, action: trigger.action, ref: trigger.ref, sha: trigger.sha, actor: trigger.actor, status: 'queued', jobs: [], notes: [], startedAtMs: Date.now(), durationMs: 0 };
    this.runs.push(record);
    const controller = new AbortController();
    this.controllers.set(id, controller);
    const github = this.githubContext(trigger, id, workflow);
    const state: RunState = { record, world, github, event: trigger.payload, signal: controller.signal, concurrency: this.concurrency, artifacts: this.artifacts, log: this.log, root: this.root, shimDir: GH_SHIM_DIR };
    const claim = await this.claimRunConcurrency(workflow, state, trigger, controller);
    try {
      if (claim === 'cancelled') {
        record.conclusion = 'cancelled';
        return record;
      }
      if (claim) state.claim = claim;
      record.status = 'in_progress';
      platform.seed.workflowRunStatus(world.repository, id, { status: 'in_progress' });
      this.log.runStarted(record);
      const results = await playWorkflow(state, workflow, this.workflows, trigger.inputs ?? {}, { ...(world.secrets ?? {}) });
      const conclusions = Object.values(results).map((r) => r.result);
      record.conclusion = controller.signal.aborted ? 'cancelled' : conclusions.includes('failure') ? 'failure' : conclusions.includes('cancelled') ? 'cancelled' : 'success';
      this.recordChecks(record);
    } catch (error) {
      record.conclusion = 'failure';
      record.notes.push(`the player could not play this run: ${errorMessage(error)}`);
    } finally {
      if (claim && claim !== 'cancelled') this.concurrency.release(claim);
      record.status = 'completed';
      record.durationMs = Date.now() - record.startedAtMs;
      platform.seed.workflowRunStatus(world.repository, id, { status: 'completed', conclusion: record.conclusion ?? null });
      this.log.runFinished(record);
    }
    return record;
  }

  private async claimRunConcurrency(workflow: WorkflowFile, state: RunState, trigger: Trigger, controller: AbortController): Promise<ConcurrencyClaim | undefined | 'cancelled'> {
    const token = workflow.template.concurrency;
    if (!token) return undefined;
    const value = evaluateToken(token, { contexts: { github: state.github, inputs: trigger.inputs ?? {}, vars: this.options.world.vars ?? {} } });
    const group = typeof value === 'string' ? value : asText((value as Record<string, Json> | null)?.group ?? '');
    const cancelInProgress = typeof value === 'object' && value !== null && !Array.isArray(value) && String(value['cancel-in-progress']) === 'true';
    state.record.concurrencyGroup = group;
    const claim: ConcurrencyClaim = {
      group,
      cancelInProgress,
      holder: `run ${state.record.id} (${workflow.name})`,
      label: 'top level workflow',
      onCancel: (reason) => {
        state.record.notes.push(reason);
        controller.abort();
      },
    };
    return (await this.concurrency.acquire(claim)) ? claim : 'cancelled';
  }

  /** Each job becomes a check run on the commit, named as GitHub names it (the job's name). */
  private recordChecks(run: RunRecord): void {
    const platform = platformOf(this.options.world);
    for (const job of run.jobs) {
      platform.seed.checkRun(this.options.world.repository, { name: job.name, headSha: run.sha, status: 'completed', conclusion: job.conclusion, runId: run.id });
    }
  }
}

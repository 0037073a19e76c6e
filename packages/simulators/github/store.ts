/**
 * Everything the simulator knows: repositories by full name, the id and node-id sequences shared by
 * all of them (GitHub ids are global, and GraphQL finds a comment by node id alone), the clock every
 * timestamp comes from, and the URLs objects link to.
 */
import type { Clock } from '../../action-kit';
import { CommitGraph, type Signature } from './commit-graph';
import { EventBus } from './events';
import { notFound } from './http';
import type { Actor, CommentRecord, RepoRecord } from './model';

/** What the store needs of the git backend (git.ts). */
export interface GitHooks {
  init(repo: RepoRecord): void;
  /** Mirrors an API ref write into the bare repository (skipped when git lacks the object). */
  updateRef(repo: RepoRecord, ref: string, sha: string | null): void;
  /**
   * Makes a merge/squash commit with real git (merge-tree, commit-tree, update-ref), mirrors it into the
   * commit graph and returns its sha; 'conflict' when the trees conflict; undefined when the bare
   * repository lacks one of the commits (seeded history), so the caller records a graph-only merge.
   */
  commitMerge(repo: RepoRecord, input: { base: string; head: string; parents: string[]; message: string; author: Signature }): string | 'conflict' | undefined;
  /**
   * Rebase and merge: replays each commit of base..head onto base (new SHAs, each keeping its author
   * and message, committed by GitHub at `date`), mirrors them into the commit graph and returns the
   * last one's sha; 'conflict' when a commit does not apply; undefined as commitMerge.
   */
  commitRebase(repo: RepoRecord, input: { base: string; head: string; date: number }): string | 'conflict' | undefined;
}

export type IdKind = 'repo' | 'issue' | 'pull' | 'comment' | 'label' | 'release' | 'user' | 'environment' | 'deployment' | 'deployment_status' | 'check_run' | 'workflow_run' | 'artifact' | 'review';

/** GitHub's node id prefixes (new-style global ids). */
const NODE_PREFIX: Record<IdKind, string> = {
  repo: 'R_kgDO',
  issue: 'I_kwDO',
  pull: 'PR_kwDO',
  comment: 'IC_kwDO',
  label: 'LA_kwDO',
  release: 'RE_kwDO',
  user: 'U_kgDO',
  environment: 'EN_kwDO',
  deployment: 'DE_kwDO',
  deployment_status: 'DES_kwDO',
  check_run: 'CR_kwDO',
  workflow_run: 'WFR_kwLO',
  artifact: 'MDg6QXJ0aWZhY3Q',
  review: 'PRR_kwDO',
};

const ID_BASE: Record<IdKind, number> = {
  repo: 500_000_000,
  issue: 1_800_000_000,
  pull: 1_900_000_000,
  comment: 2_400_000_000,
  label: 6_100_000_000,
  release: 180_000_000,
  user: 41_000_000,
  environment: 4_200_000_000,
  deployment: 1_600_000_000,
  deployment_status: 2_100_000_000,
  check_run: 30_000_000_000,
  workflow_run: 12_000_000_000,
  artifact: 1_700_000_000,
  review: 2_000_000_000,
};

export type NodeTarget = { kind: 'comment'; repo: RepoRecord; comment: CommentRecord };

export interface StoreOptions {
  clock: Clock;
  /** html_url base, e.g. https://github.com. */
  serverUrl: string;
  /** The account writes are attributed to. */
  actor: string;
}

export class GitHubStore {
  readonly clock: Clock;
  readonly serverUrl: string;
  /** REST base; set once the server listens. */
  apiUrl = 'http://127.0.0.1';
  readonly actor: Actor;
  readonly events = new EventBus();
  /** Set when the simulator serves git (gitRoot): creates bare repositories and mirrors ref writes. */
  git: GitHooks | undefined;
  private readonly repos = new Map<string, RepoRecord>();
  private readonly counters = new Map<IdKind, number>();
  private readonly nodes = new Map<string, NodeTarget>();
  private readonly users = new Map<string, Actor>();

  constructor(options: StoreOptions) {
    this.clock = options.clock;
    this.serverUrl = options.serverUrl.replace(/\/$/, '');
    this.actor = this.user(options.actor);
  }

  now(): number {
    return this.clock.now();
  }

  nextId(kind: IdKind): number {
    const next = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, next);
    return ID_BASE[kind] + next;
  }

  nodeId(kind: IdKind, id: number): string {
    return NODE_PREFIX[kind] + Buffer.from(`${kind}:${id}`).toString('base64url');
  }

  registerNode(nodeId: string, target: NodeTarget): void {
    this.nodes.set(nodeId, target);
  }

  node(nodeId: string): NodeTarget | undefined {
    return this.nodes.get(nodeId);
  }

  /** A GitHub account by login (created on first use; `[bot]` logins are Bots). */
  user(login: string): Actor {
    let user = this.users.get(login.toLowerCase());
    if (!user) {
      user = { login, id: this.nextId('user'), type: login.endsWith('[bot]') ? 'Bot' : 'User' };
      this.users.set(login.toLowerCase(), user);
    }
    return user;
  }

  createRepo(owner: string, name: string, options: { defaultBranch?: string; private?: boolean } = {}): RepoRecord {
    const fullName = `${owner}/${name}`;
    const existing = this.repos.get(fullName.toLowerCase());
    if (existing) {
      if (options.defaultBranch) {
        existing.defaultBranch = options.defaultBranch;
        this.git?.init(existing);
      }
      return existing;
    }
    const id = this.nextId('repo');
    const repo: RepoRecord = {
      id,
      nodeId: this.nodeId('repo', id),
      owner,
      name,
      fullName,
      defaultBranch: options.defaultBranch ?? 'main',
      private: options.private ?? true,
      graph: new CommitGraph(fullName),
      refs: new Map(),
      tagObjects: new Map(),
      issues: new Map(),
      comments: new Map(),
      labels: new Map(),
      releases: new Map(),
      nextNumber: 1,
      settings: { actionsCanCreatePullRequests: false },
      environments: new Map(),
      deployments: new Map(),
      checkRuns: [],
      workflowRuns: new Map(),
      artifacts: new Map(),
      protections: new Map(),
      reviews: [],
    };
    this.repos.set(fullName.toLowerCase(), repo);
    this.git?.init(repo);
    return repo;
  }

  /** For seeding: the repository, created with defaults when it does not exist yet. */
  ensureRepo(fullName: string): RepoRecord {
    const found = this.repos.get(fullName.toLowerCase());
    if (found) return found;
    const [owner, name] = fullName.split('/');
    if (!owner || !name) throw new Error(`Expected 'owner/repo', got '${fullName}'.`);
    return this.createRepo(owner, name);
  }

  findRepo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** For handlers: the repository or a 404. */
  repo(owner: string, name: string): RepoRecord {
    const repo = this.findRepo(owner, name);
    if (!repo) throw notFound();
    return repo;
  }

  /** For state readers: the repository or a thrown Error naming it. */
  existingRepo(fullName: string): RepoRecord {
    const found = this.repos.get(fullName.toLowerCase());
    if (!found) throw new Error(`No repository '${fullName}' was seeded.`);
    return found;
  }

  repoApiUrl(repo: RepoRecord): string {
    return `${this.apiUrl}/repos/${repo.fullName}`;
  }

  repoHtmlUrl(repo: RepoRecord): string {
    return `${this.serverUrl}/${repo.fullName}`;
  }

  /** A user as GitHub's `simple-user` (REST answers, webhook `sender`): every documented field. */
  renderUser(user: Actor): Record<string, unknown> {
    const url = `${this.apiUrl}/users/${encodeURIComponent(user.login)}`;
    return {
      login: user.login,
      id: user.id,
      node_id: this.nodeId('user', user.id),
      type: user.type,
      site_admin: false,
      url,
      html_url: `${this.serverUrl}/${user.type === 'Bot' ? 'apps/' + user.login.replace(/\[bot\]$/, '') : user.login}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
      gravatar_id: '',
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
    };
  }
}

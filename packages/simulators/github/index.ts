/**
 * The local GitHub: REST and GraphQL subset the actions use, over real HTTP on 127.0.0.1, so Octokit
 * (with its retry and throttling plugins) runs unchanged, in process or inside a bundle in a child
 * process. See packages/simulators/README.md for the contract.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../action-kit';
import { LOOPBACK_WAIT_VARS } from '../../github';
import { RateBudget, Tokens } from './auth';
import { registerCommentRoutes, commentsOf } from './comments';
import { addArtifact, addCheckRun, addWorkflowRun, updateWorkflowRun, registerActionsRoutes, renderEnvironment, upsertEnvironment, type CheckRunInput, type EnvironmentInput, type WorkflowRunInput } from './actions';
import { registerCommitRoutes } from './commits';
import { Faults, type FaultHandle, type RateLimitFault, type ServerErrorFault } from './faults';
import { registerGitRefRoutes, sortedTags } from './git-refs';
import { registerIssueRoutes } from './issues';
import { registerLabelRoutes } from './labels';
import { protectBranch, registerProtectionRoutes, type BranchProtectionInput } from './protection';
import { registerPullRoutes, renderPull } from './pulls';
import { GitBackend } from './git';
import type { RepoEvent } from './events';
import { registerReleaseRoutes, releasesOf } from './releases';
import { registerRepoRoutes, renderRepo } from './repos';
import { RequestLog, type RequestLogEntry } from './request-log';
import { Router } from './router';
import { createSeeder, type GitHubSeed } from './seed';
import type { CheckRunRecord, ReleaseRecord } from './model';
import { createGitHubServer } from './server';
import { GitHubStore } from './store';
import { isoTime } from './http';
import type { TokenGrant } from './permissions';

export type { RequestLogEntry } from './request-log';
export type { GitHubSeed, FileInput } from './seed';
export type { RateLimitFault, ServerErrorFault, FaultHandle } from './faults';
export type { TokenGrant } from './permissions';
export type { CheckRunInput, EnvironmentInput, WorkflowRunInput } from './actions';
export type { BranchProtectionInput } from './protection';
export type CheckRunState = CheckRunRecord;
export type { RepoEvent } from './events';

export interface GitHubSimulatorOptions {
  clock?: Clock;
  /** The token that may read and write (default 'ghs_simulator'). */
  token?: string;
  /** A token that may only read, like a fork's (default 'ghs_readonly'). */
  readOnlyToken?: string;
  /** html_url base (default https://github.com). */
  serverUrl?: string;
  /** GITHUB_REPOSITORY in `env`; created empty at start (default connect2/connect2-api). */
  repository?: string;
  /** Login that writes are attributed to (default github-actions[bot]). */
  actor?: string;
  port?: number;
  /**
   * Serve git over smart HTTP: each repository gets a bare repository `${gitRoot}/${owner}/${repo}.git`
   * (created with the repository), cloned and pushed at `${url}/${owner}/${repo}.git`.
   */
  gitRoot?: string;
}

/**
 * A bundle run against this simulator needs none of the client's waits meant for github.com (writes 1 s
 * apart, retries after 1 s, 4 s, 9 s): the client honours these on loopback only.
 */
const noClientWaits = { [LOOPBACK_WAIT_VARS.writeSpacingMs]: '0', [LOOPBACK_WAIT_VARS.retryBaseMs]: '0' };

export interface GitHubEnv extends Record<string, string> {
  GITHUB_API_URL: string;
  GITHUB_GRAPHQL_URL: string;
  GITHUB_SERVER_URL: string;
  GITHUB_REPOSITORY: string;
}

export interface CommentState {
  id: number;
  nodeId: string;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  minimized: boolean;
  minimizedReason: string | null;
}

export interface PullState {
  number: number;
  title: string;
  state: 'open' | 'closed';
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  merged: boolean;
  mergeCommitSha: string | null;
  changedFiles: number;
  labels: string[];
}

/** What tests read of a release: the record without its bookkeeping. */
export type ReleaseState = Pick<ReleaseRecord, 'id' | 'tagName' | 'targetCommitish' | 'name' | 'body' | 'draft' | 'prerelease'>;

export interface GitHubSimulator {
  url: string;
  graphqlUrl: string;
  env: GitHubEnv;
  token: string;
  readOnlyToken: string;
  /** Scoped tokens: issue one per job (a GITHUB_TOKEN with its `permissions:`), an app or a user token. */
  tokens: {
    issue(grant: TokenGrant): string;
    revoke(token: string): void;
    grantOf(token: string): TokenGrant | undefined;
  };
  clock: Clock;
  seed: GitHubSeed & {
    /** Creates the environment (unprotected) or sets its protection: required reviewers, deployment branch patterns. */
    environment(repo: string, name: string, input?: EnvironmentInput): void;
    checkRun(repo: string, input: CheckRunInput): number;
    workflowRun(repo: string, input: WorkflowRunInput): number;
    /** Moves a seeded run on: status, and the conclusion once completed. */
    workflowRunStatus(repo: string, id: number, update: { status: 'queued' | 'in_progress' | 'completed'; conclusion?: string | null }): void;
    artifact(repo: string, runId: number, name: string, files: Record<string, string | Buffer>): number;
    /** Classic branch protection: required checks by name, up to date (strict), approving reviews. */
    branchProtection(repo: string, branch: string, input: BranchProtectionInput): void;
  };
  faults: {
    rateLimit(fault?: RateLimitFault): FaultHandle;
    serverError(fault?: ServerErrorFault): FaultHandle;
    clear(): void;
  };
  /** Every request, oldest first (a live array). */
  readonly requests: RequestLogEntry[];
  /** POST/PATCH/PUT/DELETE REST calls and GraphQL mutations. */
  mutatingCalls(): RequestLogEntry[];
  /** Requests by method and path (string prefix or RegExp). */
  calls(method?: string, path?: string | RegExp): RequestLogEntry[];
  clearRequests(): void;
  state: {
    comments(repo: string, number: number): CommentState[];
    labels(repo: string, number: number): string[];
    releases(repo: string): ReleaseState[];
    /** Full ref name -> sha. */
    refs(repo: string): Record<string, string>;
    tags(repo: string): { name: string; sha: string }[];
    pulls(repo: string): PullState[];
    /** The pull as GET /pulls/{n} (and the webhook `pull_request` object) shows it. */
    pull(repo: string, number: number): Record<string, any>;
    /** The repository as GET /repos/{o}/{r} (and the webhook `repository` object) shows it. */
    repository(repo: string): Record<string, any>;
    /** A user (or bot) as GitHub shows one (`simple-user`: the webhook `sender`). */
    user(login: string): Record<string, any>;
    environments(repo: string): { name: string; reviewers: string[]; branches: string[]; preventSelfReview: boolean; rendered: Record<string, unknown> }[];
    checkRuns(repo: string, sha?: string): CheckRunState[];
    deployments(repo: string): { id: number; sha: string; ref: string; environment: string; task: string; payload: unknown; statuses: { state: string; environment: string; description: string; logUrl: string }[] }[];
  };
  /** Subscribe to push and pull_request events (synchronous, after the change); returns the unsubscribe. */
  onEvent(listener: (event: RepoEvent) => void): () => void;
  git: {
    /** `${url}/${owner}/${repo}.git` (clone/push with `x-access-token:<token>` or an Authorization header). */
    url(repo: string): string;
    /** The bare repository's directory (only with gitRoot). */
    dir(repo: string): string;
  };
  close(): Promise<void>;
}

export async function startGitHubSimulator(options: GitHubSimulatorOptions = {}): Promise<GitHubSimulator> {
  const clock = options.clock ?? systemClock;
  const token = options.token ?? 'ghs_simulator';
  const readOnlyToken = options.readOnlyToken ?? 'ghs_readonly';
  const repository = options.repository ?? 'connect2/connect2-api';
  const serverUrl = options.serverUrl ?? 'https://github.com';
  const store = new GitHubStore({ clock, serverUrl, actor: options.actor ?? 'github-actions[bot]' });
  const git = options.gitRoot ? new GitBackend(options.gitRoot, store) : undefined;
  store.git = git;
  store.ensureRepo(repository);

  const log = new RequestLog();
  const faults = new Faults();
  const tokens = new Tokens(token, readOnlyToken, store.actor.login);
  const server = createGitHubServer({ store, router: allRoutes(), tokens, budget: new RateBudget(), faults, log, git });
  // A kept-alive connection is closed by its client, never by the server first: with Node's 5 s default,
  // a client in a busy process (several rehearsal worlds at once on two loaded cores) could send its
  // next request on a socket the server had just closed and read ECONNRESET. close() ends every one.
  server.keepAliveTimeout = 65_000;
  const url = await listen(server, options.port ?? 0);
  store.apiUrl = url;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    env: { GITHUB_API_URL: url, GITHUB_GRAPHQL_URL: `${url}/graphql`, GITHUB_SERVER_URL: store.serverUrl, GITHUB_REPOSITORY: repository, ...noClientWaits },
    token,
    readOnlyToken,
    tokens: {
      issue: (grant) => tokens.issue(grant),
      revoke: (issued) => tokens.revoke(issued),
      grantOf: (issued) => tokens.grantOf(issued),
    },
    clock,
    seed: seedApi(store),
    onEvent: (listener) => store.events.on(listener),
    git: gitApi(store, url, git),
    faults: {
      rateLimit: (fault) => faults.rateLimit(fault),
      serverError: (fault) => faults.serverError(fault),
      clear: () => faults.clear(),
    },
    requests: log.entries,
    mutatingCalls: () => log.mutating(),
    calls: (method, path) => log.calls(method, path),
    clearRequests: () => log.clear(),
    state: stateApi(store),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Every REST route, in matching order. */
function allRoutes(): Router<GitHubStore> {
  const router = new Router<GitHubStore>();
  // Comment routes first: /issues/comments/{id} must not be read as /issues/{number}.
  registerActionsRoutes(router);
  // Before the repository routes: /branches/{branch}/protection is not a branch named `x/protection`.
  registerProtectionRoutes(router);
  registerCommentRoutes(router);
  registerLabelRoutes(router);
  registerIssueRoutes(router);
  registerPullRoutes(router);
  registerCommitRoutes(router);
  registerGitRefRoutes(router);
  registerReleaseRoutes(router);
  registerRepoRoutes(router);
  return router;
}

/** Listens on 127.0.0.1 and answers the base URL. */
async function listen(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function seedApi(store: GitHubStore): GitHubSimulator['seed'] {
  return {
    ...createSeeder(store),
    environment: (repo, name, input) => void upsertEnvironment(store, store.ensureRepo(repo), name, input),
    checkRun: (repo, input) => addCheckRun(store, store.ensureRepo(repo), input).id,
    workflowRun: (repo, input) => addWorkflowRun(store, store.ensureRepo(repo), input).id,
    workflowRunStatus: (repo, id, update) => updateWorkflowRun(store.existingRepo(repo), id, update as Parameters<typeof updateWorkflowRun>[2]),
    artifact: (repo, runId, name, files) => addArtifact(store, store.ensureRepo(repo), runId, name, files).id,
    branchProtection: (repo, branch, input) => void protectBranch(store.ensureRepo(repo), branch, input),
  };
}

function gitApi(store: GitHubStore, url: string, git: GitBackend | undefined): GitHubSimulator['git'] {
  return {
    url: (repo) => `${url}/${store.existingRepo(repo).fullName}.git`,
    dir: (repo) => {
      if (!git) throw new Error('The GitHub simulator serves git only when started with { gitRoot }.');
      return git.dir(store.existingRepo(repo));
    },
  };
}

/** What tests read of the model, rendered as the API (or the webhook payloads) show it. */
function stateApi(store: GitHubStore): GitHubSimulator['state'] {
  return {
    ...issueState(store),
    ...repositoryState(store),
  };
}

/** Comments, labels and pulls. */
function issueState(store: GitHubStore): Pick<GitHubSimulator['state'], 'comments' | 'labels' | 'pull' | 'pulls'> {
  return {
    comments: (repo, number) =>
      commentsOf(store.existingRepo(repo), number).map((comment) => ({
        id: comment.id,
        nodeId: comment.nodeId,
        body: comment.body,
        user: comment.user.login,
        createdAt: isoTime(comment.createdAt),
        updatedAt: isoTime(comment.updatedAt),
        minimized: comment.minimized,
        minimizedReason: comment.minimizedReason,
      })),
    labels: (repo, number) => [...(store.existingRepo(repo).issues.get(number)?.labels ?? [])],
    pull: (repo, number) => {
      const record = store.existingRepo(repo);
      const issue = record.issues.get(number);
      if (!issue?.pull) throw new Error(`No pull #${number} in ${record.fullName}.`);
      return renderPull(store, record, issue, true);
    },
    pulls: (repo) =>
      [...store.existingRepo(repo).issues.values()]
        .filter((issue) => issue.pull)
        .map((issue) => ({
          number: issue.number,
          title: issue.title,
          state: issue.state,
          head: { ...issue.pull!.head },
          base: { ...issue.pull!.base },
          merged: issue.pull!.merged,
          mergeCommitSha: issue.pull!.mergeCommitSha,
          changedFiles: issue.pull!.files.length,
          labels: [...issue.labels],
        })),
  };
}

/** Releases, refs, environments, check runs and deployments. */
function repositoryState(store: GitHubStore): Pick<GitHubSimulator['state'], 'releases' | 'refs' | 'tags' | 'repository' | 'user' | 'environments' | 'checkRuns' | 'deployments'> {
  return {
    releases: (repo) =>
      releasesOf(store.existingRepo(repo)).map((release) => ({
        id: release.id,
        tagName: release.tagName,
        targetCommitish: release.targetCommitish,
        name: release.name,
        body: release.body,
        draft: release.draft,
        prerelease: release.prerelease,
      })),
    refs: (repo) => Object.fromEntries(store.existingRepo(repo).refs),
    tags: (repo) => sortedTags(store.existingRepo(repo)),
    repository: (repo) => renderRepo(store, store.existingRepo(repo)),
    user: (login) => store.renderUser(store.user(login)),
    environments: (repo) => {
      const record = store.existingRepo(repo);
      return [...record.environments.values()].map((environment) => ({ name: environment.name, reviewers: [...environment.reviewers], branches: [...environment.branches], preventSelfReview: environment.preventSelfReview, rendered: renderEnvironment(store, record, environment) }));
    },
    checkRuns: (repo, sha) => store.existingRepo(repo).checkRuns.filter((run) => !sha || run.headSha === sha).map((run) => ({ ...run })),
    deployments: (repo) =>
      [...store.existingRepo(repo).deployments.values()].map((deployment) => ({
        id: deployment.id,
        sha: deployment.sha,
        ref: deployment.ref,
        environment: deployment.environment,
        task: deployment.task,
        payload: deployment.payload,
        statuses: deployment.statuses.map((status) => ({ state: status.state, environment: status.environment, description: status.description, logUrl: status.logUrl })),
      })),
  };
}

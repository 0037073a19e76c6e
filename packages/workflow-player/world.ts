/**
 * What the player plays against: the GitHub simulator (tokens, environments, git over HTTP, events,
 * runs and artifacts), the AWS simulator, and the facts about the outside world a real runner would
 * meet: IAM roles with their OIDC trust, the GitHub App behind the app-token action, the repository's
 * variables and secrets, and who approves a protected environment.
 */
import type { Scenario } from '../simulators/aws';
import type { startAwsSimulator } from '../simulators/aws';
import type { startGitHubSimulator } from '../simulators/github';
import type { PostgresServer } from '../simulators/postgres';
import type { Permissions } from './permissions';

export type AwsSimulator = Awaited<ReturnType<typeof startAwsSimulator>>;
export type GitHubSimulator = Awaited<ReturnType<typeof startGitHubSimulator>>;

/** An IAM role the configure-aws-credentials stand-in may assume through OIDC. */
export interface RoleTrust {
  /** `token.actions.githubusercontent.com:sub` patterns the trust policy allows (`*` wildcards, StringLike). */
  subjects: string[];
  /** What the role may do, for the log: `plan (read-only)`, `deploy dev`. */
  description?: string;
}

/** The GitHub App whose installation token the create-github-app-token stand-in mints. */
export interface GitHubApp {
  appId: string;
  privateKey: string;
  /** The bot login its token acts as, e.g. `connect2-release[bot]`. */
  login: string;
  permissions: Permissions;
}

export interface ApprovalRequest {
  runId: number;
  workflow: string;
  job: string;
  environment: string;
  reviewers: string[];
  sha: string;
}

export interface PlayerWorld {
  github: GitHubSimulator;
  aws: AwsSimulator;
  /** `owner/name` of the repository the workflows live in. */
  repository: string;
  /** Repository variables; per-environment variables override them in jobs of that environment. */
  vars?: Record<string, string>;
  environmentVars?: Record<string, Record<string, string>>;
  secrets?: Record<string, string>;
  environmentSecrets?: Record<string, Record<string, string>>;
  roles?: Record<string, RoleTrust>;
  app?: GitHubApp;
  /** Decides a deployment review of a protected environment (default: approve). */
  review?: (request: ApprovalRequest) => Promise<'approve' | 'reject'> | 'approve' | 'reject';
  /** How the image built from a commit behaves once deployed (the build stand-in attaches it). */
  imageScenario?: (sha: string) => Scenario | undefined;
  /** Variables every job's steps see, like a self-hosted runner's `.env` file. */
  runnerEnv?: Record<string, string>;
  /** The machine's PostgreSQL: `services: postgres*` get a fresh database on it (none: such jobs fail by name). */
  postgres?: PostgresServer;
  /** Where docker/build-push-action keeps image snapshots; set: images are real (run as processes by the ECS simulator). */
  imageStore?: string;
  /** The Python that imports the application's modules (actions/setup-python puts it first on PATH). */
  python?: string;
  /** Bundles to run instead of dist/<action>/index.js (a deliberately broken one, in tests). */
  bundles?: Record<string, string>;
}

// ---- the GitHub platform surface the player uses (packages/simulators/github, see its README) ----

export type { TokenGrant, RepoEvent } from '../simulators/github';

/** The simulator, as the player uses it. */
export function platformOf(world: PlayerWorld): GitHubSimulator {
  return world.github;
}

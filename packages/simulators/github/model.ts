/**
 * The records the simulator keeps. They are stored in GitHub's terms (numbers shared by issues and
 * pulls, labels owned by the repository, refs by full name) and rendered to REST shapes by the module
 * that owns each endpoint.
 */
import type { CommitGraph, Signature } from './commit-graph';

export interface Actor {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface FileChange {
  sha: string;
  filename: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  changes: number;
  previous_filename?: string;
  patch?: string;
}

export interface PullRecord {
  id: number;
  nodeId: string;
  number: number;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  draft: boolean;
  merged: boolean;
  mergedAt: number | null;
  mergeCommitSha: string | null;
  mergedBy?: Actor;
  /** Every changed file; the files endpoint lists at most 3000 of them. */
  files: FileChange[];
}

/** Issues and pulls share one number space; a pull is an issue with `pull` set. */
export interface IssueRecord {
  id: number;
  nodeId: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  user: Actor;
  labels: string[];
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  pull?: PullRecord;
}

export interface CommentRecord {
  id: number;
  nodeId: string;
  issueNumber: number;
  body: string;
  user: Actor;
  createdAt: number;
  updatedAt: number;
  minimized: boolean;
  minimizedReason: string | null;
}

export interface LabelRecord {
  id: number;
  nodeId: string;
  name: string;
  color: string;
  description: string | null;
}

export interface ReleaseRecord {
  id: number;
  nodeId: string;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: Actor;
  createdAt: number;
  publishedAt: number | null;
}

/** An annotated tag object (`git tag -a`): a ref to it names the tag object, which names a commit. */
export interface TagObjectRecord {
  sha: string;
  tag: string;
  message: string;
  objectSha: string;
  objectType: 'commit' | 'tag';
  tagger: Signature;
}

export interface RepoRecord {
  id: number;
  nodeId: string;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  private: boolean;
  graph: CommitGraph;
  /** Full ref name (`refs/heads/main`, `refs/tags/v1.0.0`) -> commit sha (or tag object sha). */
  refs: Map<string, string>;
  tagObjects: Map<string, TagObjectRecord>;
  issues: Map<number, IssueRecord>;
  comments: Map<number, CommentRecord>;
  /** Lower-cased name -> label (GitHub matches label names case-insensitively). */
  labels: Map<string, LabelRecord>;
  releases: Map<number, ReleaseRecord>;
  nextNumber: number;
  settings: RepoSettings;
  /** Lower-cased name -> environment. */
  environments: Map<string, EnvironmentRecord>;
  deployments: Map<number, DeploymentRecord>;
  checkRuns: CheckRunRecord[];
  workflowRuns: Map<number, WorkflowRunRecord>;
  artifacts: Map<number, ArtifactRecord>;
  /** Branch name -> its protection (classic branch protection rules). */
  protections: Map<string, BranchProtectionRecord>;
  reviews: ReviewRecord[];
}

export interface BranchProtectionRecord {
  /** Check names that must have succeeded (success, neutral or skipped) on the pull's head. */
  requiredChecks: string[];
  /** "Require branches to be up to date before merging": the base tip must be in the head's history. */
  strict: boolean;
  /** Approving reviews needed (0: no review rule). */
  requiredApprovingReviews: number;
}

export interface ReviewRecord {
  id: number;
  number: number;
  user: Actor;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';
  body: string;
  commitId: string;
  submittedAt: number;
}

export interface EnvironmentRecord {
  id: number;
  name: string;
  /** Logins whose approval a job using the environment waits for. */
  reviewers: string[];
  /** Deployment branch policy: branch name patterns allowed to deploy ([] = any branch). */
  branches: string[];
  /** "Prevent self-review": whoever triggered the run cannot approve its deployment. */
  preventSelfReview: boolean;
  createdAt: number;
}

export interface DeploymentStatusRecord {
  id: number;
  state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  environment: string;
  description: string;
  logUrl: string;
  environmentUrl: string;
  creator: Actor;
  createdAt: number;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  description: string | null;
  /** As given, else GitHub's default: true only for the environment named `production`. */
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  creator: Actor;
  createdAt: number;
  statuses: DeploymentStatusRecord[];
}

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  runId?: number;
  startedAt: number;
  completedAt: number | null;
}

export interface WorkflowRunRecord {
  id: number;
  workflowFile: string;
  name: string;
  event: string;
  headSha: string;
  headBranch: string;
  status: string;
  conclusion: string | null;
  runNumber: number;
  createdAt: number;
}

export interface ArtifactRecord {
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  createdAt: number;
}

export interface RepoSettings {
  /** "Allow GitHub Actions to create and approve pull requests" (off by default, as on GitHub). */
  actionsCanCreatePullRequests: boolean;
}

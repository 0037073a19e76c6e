/**
 * Repository events, in the shape of GitHub's webhook payloads (trimmed to what a workflow player
 * needs to build `github.event`): `push` for every ref a git push or an API write changes, and
 * `pull_request` for opened/edited/synchronize/closed/reopened/labeled/unlabeled. They are emitted synchronously, right
 * after the state change, with the grant of the token that caused it (undefined for seeding).
 */
import type { CommitRecord } from './commit-graph';
import type { TokenGrant } from './permissions';

export interface PushCommit {
  id: string;
  tree_id: string;
  message: string;
  timestamp: string;
  author: { name: string; email: string; username?: string };
  committer: { name: string; email: string };
  added: string[];
  removed: string[];
  modified: string[];
  distinct: boolean;
}

export interface PushEvent {
  name: 'push';
  repo: string;
  /** Full ref: refs/heads/main, refs/tags/v1.0.0. */
  ref: string;
  /** 40 zeros when the ref is created. */
  before: string;
  /** 40 zeros when the ref is deleted. */
  after: string;
  created: boolean;
  deleted: boolean;
  forced: boolean;
  headCommit: PushCommit | null;
  /** What the push brought in, oldest first (at most 2048, as GitHub). */
  commits: PushCommit[];
  author?: TokenGrant;
}

export interface PullRequestEvent {
  name: 'pull_request';
  action: 'opened' | 'edited' | 'synchronize' | 'closed' | 'reopened' | 'labeled' | 'unlabeled';
  repo: string;
  number: number;
  /** For labeled/unlabeled: the label added or removed (GitHub sends one event per label). */
  label?: { name: string };
  /** For edited: the previous values. */
  changes?: { base?: { ref: { from: string }; sha: { from: string } }; title?: { from: string }; body?: { from: string | null } };
  /** For synchronize: the head sha before and after. */
  before?: string;
  after?: string;
  author?: TokenGrant;
}

export type RepoEvent = PushEvent | PullRequestEvent;
export type RepoEventListener = (event: RepoEvent) => void;

export const ZERO_SHA = '0000000000000000000000000000000000000000';

export function pushCommit(commit: CommitRecord): PushCommit {
  const pick = (statuses: string[]) => commit.files.filter((file) => statuses.includes(file.status)).map((file) => file.filename);
  return {
    id: commit.sha,
    tree_id: commit.treeSha,
    message: commit.message,
    timestamp: new Date(commit.author.date).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    author: { name: commit.author.name, email: commit.author.email, ...(commit.login ? { username: commit.login } : {}) },
    committer: { name: commit.committer.name, email: commit.committer.email },
    added: pick(['added', 'copied']),
    removed: pick(['removed']),
    modified: pick(['modified', 'changed', 'renamed']),
    distinct: true,
  };
}

export class EventBus {
  private readonly listeners = new Set<RepoEventListener>();

  get active(): boolean {
    return this.listeners.size > 0;
  }

  on(listener: RepoEventListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(event: RepoEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

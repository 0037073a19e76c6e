/**
 * Where commits and ancestry come from: the GitHub API (always available) or the local checkout
 * (when it holds the history: no network, no rate limit). Both answer the same two questions.
 */
import { commitFiles, compareCommits, compareStatus, listHistory, type GitHubClient, type RepositoryRef } from '../github';
import { silentLogger, type Logger } from '../action-kit';
import type { FileEdit } from './same-content';

export interface SourceCommit {
  sha: string;
  message: string;
  parents: string[];
  login?: string;
  name?: string;
}

export interface CommitRange {
  /** Reachable from head and not from base, oldest first. */
  commits: SourceCommit[];
  /** False when the history was cut at the limit (first release of a long history). */
  complete: boolean;
}

export interface History {
  readonly kind: 'api' | 'git';
  /** Is `ancestor` reachable from `descendant` (or the same commit)? */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** Commits in `base..head`; with no base, the history of head up to `limit` commits. */
  range(base: string | undefined, head: string, limit: number): Promise<CommitRange>;
  /** What one commit changes, file by file (a merge: against its first parent). */
  edits(sha: string): Promise<FileEdit[] | undefined>;
}

/** History through the compare and commits APIs. */
export function apiHistory(client: GitHubClient, repository: RepositoryRef, log: Logger = silentLogger): History {
  return {
    kind: 'api',
    async isAncestor(ancestor, descendant) {
      if (ancestor === descendant) return true;
      // `compare/{tag}...{target}`: 'ahead' (target has more) or 'identical' means the tag is in the target's history.
      const status = await compareStatus(client, repository, ancestor, descendant);
      return status === 'ahead' || status === 'identical';
    },
    async range(base, head, limit) {
      if (base === undefined) {
        const { commits, complete } = await listHistory(client, repository, head, limit);
        return { commits: commits.reverse(), complete };
      }
      let lastReport = 0;
      const comparison = await compareCommits(client, repository, base, head, {
        onPage: (received, total) => {
          // One progress line per 1,000 commits keeps long comparisons visible without noise.
          if (received - lastReport >= 1000 || (received >= total && lastReport > 0)) {
            lastReport = received;
            log.info(`read ${received}/${total} commits`);
          }
        },
      });
      return { commits: comparison.commits, complete: true };
    },
    async edits(sha) {
      const files = await commitFiles(client, repository, sha);
      return files.map((file) => ({ filename: file.filename, patch: file.patch, blob: file.sha }));
    },
  };
}

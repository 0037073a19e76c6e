/**
 * The one path by which a ref changes on behalf of someone (a git push, an API ref write, a merge,
 * seed.branch): the ref moves, the bare repository follows when git is served and the write did not
 * come from it, a `push` event goes out, and open pulls whose head branch moved are synchronized
 * (head sha, base sha, files) with a `pull_request` `synchronize` event.
 */
import type { CommitRecord } from './commit-graph';
import { filesOf } from './commits';
import { ZERO_SHA, pushCommit } from './events';
import { peel } from './git-refs';
import type { RepoRecord } from './model';
import type { TokenGrant } from './permissions';
import type { GitHubStore } from './store';

/** GitHub's push payload lists at most this many commits. */
const PUSH_COMMITS_LIMIT = 2048;

export interface RefUpdateOptions {
  author?: TokenGrant;
  /** False when the bare repository already has the change (a push, a git merge). */
  syncGit?: boolean;
}

export function updateRef(store: GitHubStore, repo: RepoRecord, ref: string, after: string | null, options: RefUpdateOptions = {}): void {
  const before = repo.refs.get(ref) ?? null;
  if (before === after) return;
  // The other tips, before the change: a new branch brings only the commits no other ref had.
  const otherTips = [...repo.refs.entries()].filter(([name]) => name !== ref).map(([, sha]) => peel(repo, sha)).filter((sha): sha is string => !!sha);
  if (after === null) repo.refs.delete(ref);
  else repo.refs.set(ref, after);
  if (options.syncGit !== false) store.git?.updateRef(repo, ref, after);

  const beforeCommit = before ? peel(repo, before) : undefined;
  const afterCommit = after ? peel(repo, after) : undefined;
  if (store.events.active) {
    let commits: CommitRecord[] = [];
    if (afterCommit && repo.graph.get(afterCommit)) {
      if (beforeCommit && repo.graph.get(beforeCommit)) commits = repo.graph.compare(beforeCommit, afterCommit).ahead;
      else {
        const known = new Set<string>();
        for (const tip of otherTips) if (repo.graph.get(tip)) for (const sha of repo.graph.ancestors(tip)) known.add(sha);
        commits = repo.graph.history(afterCommit).filter((commit) => !known.has(commit.sha)).reverse();
      }
    }
    const head = afterCommit ? repo.graph.get(afterCommit) : undefined;
    store.events.emit({
      name: 'push',
      repo: repo.fullName,
      ref,
      before: before ?? ZERO_SHA,
      after: after ?? ZERO_SHA,
      created: before === null,
      deleted: after === null,
      forced: !!beforeCommit && !!afterCommit && repo.graph.get(beforeCommit) !== undefined && !repo.graph.isAncestor(beforeCommit, afterCommit),
      headCommit: head ? pushCommit(head) : null,
      commits: commits.slice(-PUSH_COMMITS_LIMIT).map(pushCommit),
      ...(options.author ? { author: options.author } : {}),
    });
  }

  if (!ref.startsWith('refs/heads/') || !afterCommit) return;
  const branch = ref.slice('refs/heads/'.length);
  for (const issue of repo.issues.values()) {
    const pull = issue.pull;
    if (!pull || issue.state !== 'open' || pull.head.ref !== branch || pull.head.sha === afterCommit) continue;
    const previous = pull.head.sha;
    pull.head.sha = afterCommit;
    const baseTip = repo.refs.get(`refs/heads/${pull.base.ref}`);
    if (baseTip && repo.graph.get(baseTip)) pull.base.sha = baseTip;
    if (repo.graph.get(pull.base.sha) && repo.graph.get(afterCommit)) pull.files = filesOf(repo.graph.compare(pull.base.sha, afterCommit).ahead);
    issue.updatedAt = store.now();
    store.events.emit({
      name: 'pull_request',
      action: 'synchronize',
      repo: repo.fullName,
      number: issue.number,
      before: previous,
      after: afterCommit,
      ...(options.author ? { author: options.author } : {}),
    });
  }
}

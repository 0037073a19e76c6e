/**
 * Synchronous seeding for tests: repositories, a commit graph, branches and tags, pulls with their
 * files, issues, comments, labels and releases. Seeding goes through the same model functions as the
 * endpoints, so a seeded pull looks exactly like one created over HTTP.
 */
import { addComment } from './comments';
import { filesOf } from './commits';
import { createTagObject, setRef } from './git-refs';
import { createIssue } from './issues';
import { addLabels } from './labels';
import type { FileChange, FileStatus, RepoRecord } from './model';
import { createPull, mergePull } from './pulls';
import { createRelease } from './releases';
import type { GitHubStore } from './store';
import { createHash } from 'node:crypto';

export type FileInput = string | (Partial<FileChange> & { filename: string });

export interface CommitInput {
  message: string;
  /** Parent shas; default: the tip of `branch` when given, else none (a root commit). */
  parents?: string[];
  /** Advance this branch to the new commit (created when missing). */
  branch?: string;
  /** GitHub login of the author (default 'octocat'); `null` for an author with no account. */
  author?: string | null;
  /** Author date (epoch ms); default the clock's now. */
  date?: number;
  /** Files the commit changes (used by compare, commits/{sha}, and pulls seeded or created without a file list). */
  files?: FileInput[];
  sha?: string;
}

export interface PullInput {
  number?: number;
  head: string;
  base: string;
  headSha?: string;
  baseSha?: string;
  title?: string;
  body?: string | null;
  user?: string;
  draft?: boolean;
  labels?: string[];
  state?: 'open' | 'closed';
  /** A merged pull: merged into base with a merge commit (made unless `mergeCommitSha` names one). */
  merged?: boolean;
  mergeCommitSha?: string;
  files?: FileInput[];
}

export interface ReleaseInput {
  tag_name: string;
  target_commitish?: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
}

export interface GitHubSeed {
  /** `repo('connect2', 'connect2-api')` or `repo('connect2/connect2-api')`. */
  repo(owner: string, name?: string, options?: { defaultBranch?: string; private?: boolean }): { id: number; fullName: string };
  commit(repo: string, input: CommitInput): string;
  /** Many commits in a line on top of `parent` (or a root); returns their shas, oldest first. */
  commits(repo: string, count: number, options?: { parent?: string; branch?: string; message?: (index: number) => string }): string[];
  branch(repo: string, name: string, sha: string): void;
  /** A lightweight tag, or with `annotated` a tag object the ref points at; returns what the ref names. */
  tag(repo: string, name: string, sha: string, options?: { annotated?: boolean; message?: string; tagger?: string }): string;
  pull(repo: string, input: PullInput): number;
  issue(repo: string, input: { number?: number; title: string; body?: string; user?: string; labels?: string[] }): number;
  comment(repo: string, number: number, body: string, options?: { user?: string }): { id: number; nodeId: string };
  labels(repo: string, number: number, names: string[]): void;
  release(repo: string, input: ReleaseInput): number;
  /** Repository settings (`actionsCanCreatePullRequests`: "Allow GitHub Actions to create and approve pull requests", default false). */
  settings(repo: string, settings: { actionsCanCreatePullRequests?: boolean }): void;
}

const DEFAULT_AUTHOR = 'octocat';

function normaliseFile(input: FileInput): FileChange {
  const file = typeof input === 'string' ? { filename: input } : input;
  const status: FileStatus = file.status ?? (file.previous_filename ? 'renamed' : 'modified');
  const additions = file.additions ?? (status === 'removed' || status === 'renamed' ? 0 : 1);
  const deletions = file.deletions ?? (status === 'added' || status === 'renamed' ? 0 : 1);
  return {
    sha: file.sha ?? createHash('sha1').update(`blob\0${file.filename}\0${status}`).digest('hex'),
    filename: file.filename,
    status,
    additions,
    deletions,
    changes: file.changes ?? additions + deletions,
    ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
    ...(file.patch !== undefined ? { patch: file.patch } : status === 'renamed' ? {} : { patch: `@@ -1 +1 @@\n-old\n+new` }),
  };
}

export function createSeeder(store: GitHubStore): GitHubSeed {
  const repoOf = (name: string): RepoRecord => store.ensureRepo(name);
  return {
    repo(owner, name, options) {
      const [o, n] = name === undefined ? owner.split('/') : [owner, name];
      if (!o || !n) throw new Error(`Expected repo('owner', 'name') or repo('owner/name'), got '${owner}'.`);
      const repo = store.createRepo(o, n, options);
      return { id: repo.id, fullName: repo.fullName };
    },
    commit: (repoName, input) => seedCommit(store, repoName, input),
    commits: (repoName, count, options = {}) => seedCommits(store, repoName, count, options),
    branch(repoName, name, sha) {
      setRef(store, repoOf(repoName), `refs/heads/${name}`, sha);
    },
    tag: (repoName, name, sha, options = {}) => seedTag(store, repoName, name, sha, options),
    pull: (repoName, input) => seedPull(store, repoName, input),
    issue(repoName, input) {
      const repo = repoOf(repoName);
      const issue = createIssue(store, repo, { number: input.number, title: input.title, body: input.body, user: store.user(input.user ?? DEFAULT_AUTHOR) });
      if (input.labels) addLabels(store, repo, issue, input.labels);
      return issue.number;
    },

    comment(repoName, number, body, options = {}) {
      const repo = repoOf(repoName);
      const issue = repo.issues.get(number);
      if (!issue) throw new Error(`No issue or pull #${number} in ${repo.fullName}; seed it first.`);
      const comment = addComment(store, repo, issue, body, options.user ? store.user(options.user) : store.actor);
      return { id: comment.id, nodeId: comment.nodeId };
    },

    labels(repoName, number, names) {
      const repo = repoOf(repoName);
      const issue = repo.issues.get(number);
      if (!issue) throw new Error(`No issue or pull #${number} in ${repo.fullName}; seed it first.`);
      addLabels(store, repo, issue, names);
    },

    release(repoName, input) {
      return createRelease(store, repoOf(repoName), input, store.actor).id;
    },

    settings(repoName, settings) {
      const repo = repoOf(repoName);
      if (settings.actionsCanCreatePullRequests !== undefined) repo.settings.actionsCanCreatePullRequests = settings.actionsCanCreatePullRequests;
    },
  };
}

function seedCommit(store: GitHubStore, repoName: string, input: CommitInput): string {
  const repo = store.ensureRepo(repoName);
  const branchTip = input.branch ? repo.refs.get(`refs/heads/${input.branch}`) : undefined;
  const parents = input.parents ?? (branchTip ? [branchTip] : []);
  const login = input.author === undefined ? DEFAULT_AUTHOR : input.author;
  const user = login ? store.user(login) : undefined;
  const date = input.date ?? store.now();
  const record = repo.graph.add({
    message: input.message,
    parents,
    author: { name: login ?? 'Someone', email: user ? `${user.id}+${user.login}@users.noreply.github.com` : 'someone@example.com', date },
    committer: { name: 'GitHub', email: 'noreply@github.com', date },
    login,
    sha: input.sha,
    files: (input.files ?? []).map(normaliseFile),
  });
  if (input.branch) repo.refs.set(`refs/heads/${input.branch}`, record.sha);
  return record.sha;
}

function seedCommits(store: GitHubStore, repoName: string, count: number, options: NonNullable<Parameters<GitHubSeed['commits']>[2]>): string[] {
  const shas: string[] = [];
  let parent = options.parent ?? (options.branch ? store.ensureRepo(repoName).refs.get(`refs/heads/${options.branch}`) : undefined);
  for (let i = 0; i < count; i++) {
    parent = seedCommit(store, repoName, { message: options.message?.(i) ?? `chore: commit ${i + 1}`, parents: parent ? [parent] : [] });
    shas.push(parent);
  }
  if (options.branch && parent) store.ensureRepo(repoName).refs.set(`refs/heads/${options.branch}`, parent);
  return shas;
}

function seedTag(store: GitHubStore, repoName: string, name: string, sha: string, options: NonNullable<Parameters<GitHubSeed['tag']>[3]>): string {
  const repo = store.ensureRepo(repoName);
  let target = sha;
  if (options.annotated) {
    const tagger = store.user(options.tagger ?? DEFAULT_AUTHOR);
    target = createTagObject(repo, {
      tag: name,
      message: options.message ?? name,
      object: sha,
      tagger: { name: tagger.login, email: `${tagger.id}+${tagger.login}@users.noreply.github.com`, date: store.now() },
    }).sha;
  }
  setRef(store, repo, `refs/tags/${name}`, target);
  return target;
}

/** A pull as over HTTP: base and head branches made when missing, the files of its commits unless given. */
function seedPull(store: GitHubStore, repoName: string, input: PullInput): number {
  const repo = store.ensureRepo(repoName);
  const title = input.title ?? `Merge ${input.head} into ${input.base}`;
  // Base: the given sha, the branch tip, or a fresh root commit on a new branch.
  let baseSha = input.baseSha ?? repo.refs.get(`refs/heads/${input.base}`);
  if (!baseSha) baseSha = seedCommit(store, repoName, { message: 'Initial commit', parents: [] });
  if (!repo.refs.has(`refs/heads/${input.base}`)) repo.refs.set(`refs/heads/${input.base}`, baseSha);
  // Head: the given sha, the branch tip, or one commit on top of base carrying the pull's files.
  let headSha = input.headSha ?? repo.refs.get(`refs/heads/${input.head}`);
  if (!headSha) headSha = seedCommit(store, repoName, { message: title, parents: [baseSha], author: input.user ?? DEFAULT_AUTHOR, files: input.files });
  if (!repo.refs.has(`refs/heads/${input.head}`)) repo.refs.set(`refs/heads/${input.head}`, headSha);
  // Without a file list the pull changes what its commits change, as a pull opened over HTTP does.
  const files = input.files ? input.files.map(normaliseFile) : filesOf(repo.graph.compare(baseSha, headSha).ahead);

  const issue = createPull(store, repo, {
    number: input.number,
    title,
    body: input.body,
    user: store.user(input.user ?? DEFAULT_AUTHOR),
    head: { ref: input.head, sha: headSha },
    base: { ref: input.base, sha: baseSha },
    draft: input.draft,
    files,
  });
  if (input.labels) addLabels(store, repo, issue, input.labels);
  if (input.merged || input.mergeCommitSha) mergePull(store, repo, issue, { mergeCommitSha: input.mergeCommitSha });
  else if (input.state === 'closed') {
    issue.state = 'closed';
    issue.closedAt = store.now();
  }
  return issue.number;
}

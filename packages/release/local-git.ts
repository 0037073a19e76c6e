/**
 * History from the local checkout, used when it holds the commits: actions/checkout with
 * `fetch-depth: 0`. A shallow clone (the checkout default) or a checkout of another commit does
 * not qualify, and the API is used instead.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CommitRange, History, SourceCommit } from './history';
import { parseGitDiff } from './same-content';

const exec = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  try {
    const { stdout } = await exec('git', args, { cwd, maxBuffer: 512 * 1024 * 1024 });
    return { ok: true, stdout };
  } catch {
    return { ok: false, stdout: '' };
  }
}

async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  return (await git(cwd, ['cat-file', '-e', `${sha}^{commit}`])).ok;
}

/** A History over the checkout in `cwd`, or undefined when it cannot answer for `target`. */
export async function localHistory(cwd: string, target: string): Promise<History | undefined> {
  const shallow = await git(cwd, ['rev-parse', '--is-shallow-repository']);
  if (!shallow.ok || shallow.stdout.trim() !== 'false') return undefined;
  if (!(await hasCommit(cwd, target))) return undefined;

  return {
    kind: 'git',
    async isAncestor(ancestor, descendant) {
      if (ancestor === descendant) return true;
      // A tag commit the clone does not have cannot be an ancestor of a commit whose full history it has.
      if (!(await hasCommit(cwd, ancestor))) return false;
      return (await git(cwd, ['merge-base', '--is-ancestor', ancestor, descendant])).ok;
    },
    async range(base, head, limit): Promise<CommitRange> {
      const spec = base === undefined ? [head] : [`${base}..${head}`];
      // NUL between fields, RS (0x1e) between records: messages may hold any printable text.
      const { ok, stdout } = await git(cwd, ['log', '--reverse', '--topo-order', `--format=%H%x00%P%x00%an%x00%ae%x00%B%x1e`, ...spec]);
      if (!ok) throw new Error(`git log ${spec.join(' ')} failed in ${cwd}`);
      const commits = stdout
        .split('\x1e')
        .map((record) => record.replace(/^\n/, ''))
        .filter((record) => record !== '')
        .map(toCommit);
      if (base === undefined && commits.length > limit) return { commits: commits.slice(commits.length - limit), complete: false };
      return { commits, complete: true };
    },
    async edits(sha) {
      // As GitHub shows a commit: a merge against its first parent; no rename detection, as patch ids.
      const { ok, stdout } = await git(cwd, ['show', '--format=', '--no-color', '--no-ext-diff', '--no-renames', '--diff-merges=first-parent', '-p', sha]);
      return ok ? parseGitDiff(stdout) : undefined;
    },
  };
}

function toCommit(record: string): SourceCommit {
  const [sha, parents, name, email, ...message] = record.split('\x00');
  return { sha, parents: parents.split(' ').filter(Boolean), name, login: loginFromEmail(email), message: message.join('\x00').trim() };
}

/** `12345+alice@users.noreply.github.com` (or the older `alice@users.noreply.github.com`) -> `alice`. */
export function loginFromEmail(email: string | undefined): string | undefined {
  const match = /^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$/.exec(email ?? '');
  return match?.[1];
}

/**
 * Git over smart HTTP with real git: each repository has a bare repository under gitRoot, served at
 * `${url}/${owner}/${repo}.git` by `git http-backend` (CGI). Fetch needs contents read (anonymous on a
 * public repository), push contents write (401 asks git for credentials; 403 without the permission).
 * After every successful receive-pack the new commits are mirrored into the commit graph with their
 * real shas, parents, message, author and changed files (`git diff-tree`), the refs are updated, and
 * push / pull_request synchronize events go out (ref-updates.ts). API ref writes and merges go the
 * other way: the bare repository follows them when it has the objects.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Signature } from './commit-graph';
import { createTagObject, peel } from './git-refs';
import type { FileChange, FileStatus, RepoRecord } from './model';
import { levelOf, type TokenGrant } from './permissions';
import { updateRef } from './ref-updates';
import type { RequestLog } from './request-log';
import type { GitHooks, GitHubStore } from './store';
import type { Tokens } from './auth';

const STATUS: Record<string, FileStatus> = { A: 'added', M: 'modified', D: 'removed', T: 'changed' };

/** `/{owner}/{repo}.git/...`: the git smart HTTP paths. */
export const GIT_PATH = /^\/([^/]+)\/([^/]+?)\.git(\/.*)?$/;

export class GitBackend implements GitHooks {
  constructor(
    readonly root: string,
    private readonly store: GitHubStore,
  ) {}

  dir(repo: RepoRecord): string {
    return join(this.root, repo.owner, `${repo.name}.git`);
  }

  private git(repo: RepoRecord, args: string[], options: { env?: Record<string, string>; allowFail?: boolean } = {}): { status: number; stdout: string } {
    try {
      const stdout = execFileSync('git', args, { cwd: this.dir(repo), env: { ...process.env, GIT_DIR: this.dir(repo), ...options.env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
      return { status: 0, stdout };
    } catch (error) {
      const failed = error as { status?: number; stdout?: string; stderr?: string };
      if (options.allowFail) return { status: failed.status ?? 1, stdout: failed.stdout ?? '' };
      throw new Error(`git ${args.join(' ')} failed in ${this.dir(repo)}: ${failed.stderr ?? String(error)}`);
    }
  }

  init(repo: RepoRecord): void {
    const dir = this.dir(repo);
    if (!existsSync(join(dir, 'HEAD'))) {
      mkdirSync(dir, { recursive: true });
      execFileSync('git', ['init', '--bare', '--quiet', dir], { stdio: 'ignore' });
      this.git(repo, ['config', 'http.receivepack', 'true']);
      // GitHub keeps every pushed object reachable through its own refs; never prune behind the simulator's back.
      this.git(repo, ['config', 'gc.auto', '0']);
    }
    this.git(repo, ['symbolic-ref', 'HEAD', `refs/heads/${repo.defaultBranch}`]);
  }

  hasObject(repo: RepoRecord, sha: string): boolean {
    return this.git(repo, ['cat-file', '-e', sha], { allowFail: true }).status === 0;
  }

  updateRef(repo: RepoRecord, ref: string, sha: string | null): void {
    if (sha === null) this.git(repo, ['update-ref', '-d', ref], { allowFail: true });
    else if (this.hasObject(repo, sha)) this.git(repo, ['update-ref', ref, sha]);
  }

  /** Full ref -> object sha, for branches and tags. */
  refs(repo: RepoRecord): Map<string, string> {
    const out = this.git(repo, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags']).stdout;
    const refs = new Map<string, string>();
    for (const line of out.split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) refs.set(line.slice(space + 1), line.slice(0, space));
    }
    return refs;
  }

  /** Adds to the commit graph every commit reachable from `tips` it lacks, parents first. */
  importCommits(repo: RepoRecord, tips: string[]): void {
    const wanted = tips.filter((tip) => !repo.graph.get(tip));
    if (wanted.length === 0) return;
    const known = [...new Set([...repo.refs.values()].map((sha) => peel(repo, sha)).filter((sha): sha is string => !!sha && this.hasObject(repo, sha)))];
    const list = this.git(repo, ['rev-list', '--reverse', '--topo-order', ...wanted, ...(known.length > 0 ? ['--not', ...known] : [])]).stdout.split('\n').filter(Boolean);
    for (const sha of list) {
      if (repo.graph.get(sha)) continue;
      const raw = this.git(repo, ['show', '-s', '--format=%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B', sha]).stdout;
      const [parents = '', an = '', ae = '', at = '0', cn = '', ce = '', ct = '0', ...body] = raw.split('\0');
      const parentList = parents.split(' ').filter(Boolean);
      const noreply = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/.exec(ae);
      repo.graph.add({
        sha,
        message: body.join('\0').replace(/\n+$/, ''),
        parents: parentList.filter((parent) => repo.graph.get(parent)),
        author: { name: an, email: ae, date: Number(at) * 1000 },
        committer: { name: cn, email: ce, date: Number(ct) * 1000 },
        login: noreply ? noreply[1]! : null,
        files: this.changedFiles(repo, sha, parentList[0]),
      });
    }
  }

  /** What a commit changes against its first parent (everything, for a root commit). */
  private changedFiles(repo: RepoRecord, sha: string, parent: string | undefined): FileChange[] {
    const range = parent ? [parent, sha] : ['--root', sha];
    const raw = this.git(repo, ['diff-tree', '-r', '-z', '--no-commit-id', '--raw', ...range]).stdout.split('\0');
    const numstat = this.git(repo, ['diff-tree', '-r', '-z', '--no-commit-id', '--numstat', ...range]).stdout.split('\0');
    const counts = new Map<string, { additions: number; deletions: number }>();
    for (const entry of numstat) {
      const match = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(entry);
      if (match) counts.set(match[3]!, { additions: match[1] === '-' ? 0 : Number(match[1]), deletions: match[2] === '-' ? 0 : Number(match[2]) });
    }
    const files: FileChange[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const meta = raw[i]!;
      if (!meta.startsWith(':')) continue;
      const [, , oldSha, newSha, letter] = meta.slice(1).split(' ');
      const filename = raw[i + 1]!;
      const status = STATUS[letter!.charAt(0)] ?? 'modified';
      const { additions, deletions } = counts.get(filename) ?? { additions: 0, deletions: 0 };
      files.push({ sha: status === 'removed' ? oldSha! : newSha!, filename, status, additions, deletions, changes: additions + deletions });
    }
    return files;
  }

  /** After a receive-pack: mirror what changed between two snapshots of the bare repository's refs. */
  mirrorPush(repo: RepoRecord, before: Map<string, string>, author: TokenGrant): void {
    const after = this.refs(repo);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((ref) => before.get(ref) !== after.get(ref)).sort();
    const commitOf = (sha: string) => this.git(repo, ['rev-parse', `${sha}^{commit}`], { allowFail: true }).stdout.trim();
    this.importCommits(repo, changed.map((ref) => after.get(ref)).filter((sha): sha is string => !!sha).map(commitOf).filter(Boolean));
    for (const ref of changed) {
      const sha = after.get(ref) ?? null;
      if (sha && !repo.graph.get(sha) && !repo.tagObjects.has(sha)) this.importTagObject(repo, sha);
      updateRef(this.store, repo, ref, sha, { author, syncGit: false });
    }
  }

  private importTagObject(repo: RepoRecord, sha: string): void {
    if (this.git(repo, ['cat-file', '-t', sha]).stdout.trim() !== 'tag') return;
    const text = this.git(repo, ['cat-file', 'tag', sha]).stdout;
    const [header = '', ...message] = text.split('\n\n');
    const field = (name: string) => new RegExp(`^${name} (.*)$`, 'm').exec(header)?.[1] ?? '';
    const tagger = /^(.*) <(.*)> (\d+)/.exec(field('tagger'));
    const record = createTagObject(repo, {
      tag: field('tag'),
      message: message.join('\n\n').replace(/\n+$/, ''),
      object: field('object'),
      tagger: { name: tagger?.[1] ?? '', email: tagger?.[2] ?? '', date: Number(tagger?.[3] ?? 0) * 1000 },
    });
    // Keyed by the real object sha, so refs and peeling agree with git.
    repo.tagObjects.delete(record.sha);
    repo.tagObjects.set(sha, { ...record, sha });
  }

  commitMerge(repo: RepoRecord, input: { base: string; head: string; parents: string[]; message: string; author: Signature }): string | 'conflict' | undefined {
    if (!this.hasObject(repo, input.base) || !this.hasObject(repo, input.head)) return undefined;
    const merged = this.git(repo, ['merge-tree', '--write-tree', input.base, input.head], { allowFail: true });
    if (merged.status === 1) return 'conflict';
    if (merged.status !== 0) throw new Error(`git merge-tree failed in ${this.dir(repo)}`);
    const tree = merged.stdout.split('\n')[0]!.trim();
    const date = `${Math.floor(input.author.date / 1000)} +0000`;
    const sha = this.git(repo, ['commit-tree', tree, ...input.parents.flatMap((parent) => ['-p', parent]), '-m', input.message], {
      env: {
        GIT_AUTHOR_NAME: input.author.name,
        GIT_AUTHOR_EMAIL: input.author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: 'GitHub',
        GIT_COMMITTER_EMAIL: 'noreply@github.com',
        GIT_COMMITTER_DATE: date,
      },
    }).stdout.trim();
    this.importCommits(repo, [sha]);
    return sha;
  }

  commitRebase(repo: RepoRecord, input: { base: string; head: string; date: number }): string | 'conflict' | undefined {
    if (!this.hasObject(repo, input.base) || !this.hasObject(repo, input.head)) return undefined;
    // GitHub replays the PR's own commits (merge commits of the branch are left out) in order.
    const commits = this.git(repo, ['rev-list', '--reverse', '--topo-order', '--no-merges', `${input.base}..${input.head}`]).stdout.split('\n').filter(Boolean);
    const date = `${Math.floor(input.date / 1000)} +0000`;
    let tip = input.base;
    for (const commit of commits) {
      const [parent = '', an = '', ae = '', at = '0', ...body] = this.git(repo, ['show', '-s', '--format=%P%x00%an%x00%ae%x00%at%x00%B', commit]).stdout.split('\0');
      // git 2.39's merge-tree takes no --merge-base: a stand-in commit with the tip's tree on the
      // commit's parent makes that parent the merge base, so the merge is a cherry-pick of `commit`.
      const tipTree = this.git(repo, ['rev-parse', `${tip}^{tree}`]).stdout.trim();
      const standIn = this.git(repo, ['commit-tree', tipTree, '-p', parent.split(' ')[0]!, '-m', 'rebase'], { env: { GIT_AUTHOR_NAME: 'GitHub', GIT_AUTHOR_EMAIL: 'noreply@github.com', GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' } }).stdout.trim();
      const merged = this.git(repo, ['merge-tree', '--write-tree', standIn, commit], { allowFail: true });
      if (merged.status === 1) return 'conflict';
      if (merged.status !== 0) throw new Error(`git merge-tree failed in ${this.dir(repo)}`);
      const tree = merged.stdout.split('\n')[0]!.trim();
      tip = this.git(repo, ['commit-tree', tree, '-p', tip, '-m', body.join('\0').replace(/\n+$/, '')], {
        env: { GIT_AUTHOR_NAME: an, GIT_AUTHOR_EMAIL: ae, GIT_AUTHOR_DATE: `${at} +0000`, GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com', GIT_COMMITTER_DATE: date },
      }).stdout.trim();
    }
    this.importCommits(repo, [tip]);
    return tip;
  }

  /** Serves one smart-HTTP request (the repository must exist; auth as GitHub does it). */
  serve(request: IncomingMessage, response: ServerResponse, tokens: Tokens, log: RequestLog): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const match = GIT_PATH.exec(url.pathname)!;
    const repo = this.store.findRepo(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
    const rest = match[3] ?? '/';
    const method = (request.method ?? 'GET').toUpperCase();
    const push = url.searchParams.get('service') === 'git-receive-pack' || rest === '/git-receive-pack';
    const record = (status: number) =>
      log.record({ method, path: url.pathname, query: url.search.replace(/^\?/, ''), status, body: undefined, at: this.store.now(), mutating: push && method === 'POST' });
    const grant = tokens.check(request.headers.authorization);
    const refused = refusal(repo, grant, push, request.headers.authorization);
    if (refused || !repo) {
      const { status, text, headers } = refused ?? { status: 404, text: 'Repository not found.' };
      record(status);
      request.resume();
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      response.end(`${text}\n`);
      return;
    }
    const before = push && method === 'POST' ? this.refs(repo) : undefined;
    const child = this.httpBackend(request, { repo, rest, url, method, grant });
    const answer = relayCgiAnswer(child, response);
    child.on('close', (code) => {
      if (!answer.started) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`git http-backend failed (${code}): ${answer.stderr}\n`);
        record(500);
        return;
      }
      // Mirror before the client sees the end of the answer: once `git push` returns, the state and events are there.
      if (before && code === 0 && answer.status < 400) this.mirrorPushReporting(repo, before, grant!);
      record(answer.status);
      response.end();
    });
  }

  /** `git http-backend` (CGI) for one request, the request body piped into it. */
  private httpBackend(request: IncomingMessage, target: { repo: RepoRecord; rest: string; url: URL; method: string; grant: TokenGrant | undefined }): ChildProcessWithoutNullStreams {
    const { repo, rest, url, method, grant } = target;
    const child = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: this.root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${repo.owner}/${repo.name}.git${rest}`,
        QUERY_STRING: url.search.replace(/^\?/, ''),
        REQUEST_METHOD: method,
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['content-length'] ? { CONTENT_LENGTH: request.headers['content-length'] } : {}),
        ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(request.headers['content-encoding']) } : {}),
        ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
        REMOTE_USER: grant?.login ?? '',
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    request.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    return child;
  }

  /** A failed mirror is the simulator's fault, not the client's: the push stands, the failure is told on stderr. */
  private mirrorPushReporting(repo: RepoRecord, before: Map<string, string>, grant: TokenGrant): void {
    try {
      this.mirrorPush(repo, before, grant);
    } catch (error) {
      process.stderr.write(`GitHub simulator: mirroring a push into ${repo.fullName} failed: ${String(error)}\n`);
    }
  }
}

const BASIC_CHALLENGE = { 'www-authenticate': 'Basic realm="GitHub"' };

/** Why GitHub would refuse this git request (404, 401 asking for credentials, 403), or undefined when allowed. */
function refusal(repo: RepoRecord | undefined, grant: TokenGrant | undefined, push: boolean, authorization: string | undefined): { status: number; text: string; headers?: Record<string, string> } | undefined {
  if (!repo) return { status: 404, text: 'Repository not found.' };
  if (!grant && authorization) return { status: 401, text: 'Invalid username or token. Password authentication is not supported for Git operations.', headers: BASIC_CHALLENGE };
  if (!grant && (push || repo.private)) return { status: 401, text: 'Authentication required.', headers: BASIC_CHALLENGE };
  const level = grant ? levelOf(grant, 'contents') : 'read';
  if (push ? level !== 'write' : level === 'none') return { status: 403, text: `Permission to ${repo.fullName}.git denied to ${grant?.login ?? 'anonymous'}.` };
  return undefined;
}

/**
 * Relays the CGI answer: reads the header block (a `Status:` line sets the status), then streams the
 * body. The returned object fills in as the child writes: `started` once the headers went out.
 */
function relayCgiAnswer(child: ChildProcessWithoutNullStreams, response: ServerResponse): { started: boolean; status: number; stderr: string } {
  const answer = { started: false, status: 200, stderr: '' };
  child.stderr.on('data', (chunk: Buffer) => (answer.stderr += chunk.toString('utf8')));
  let head = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    if (answer.started) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
    if (end < 0) return;
    const separator = head.indexOf('\r\n\r\n') === end ? 4 : 2;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'status') answer.status = Number.parseInt(value, 10) || 200;
      else headers[name] = value;
    }
    answer.started = true;
    response.writeHead(answer.status, headers);
    response.write(head.subarray(end + separator));
  });
  return answer;
}

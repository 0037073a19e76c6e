/**
 * A person working on the repository, as the runbook has them work: a clone, commits on branches,
 * `git push` over HTTP with their own token, pull requests opened, reviewed and merged through the
 * REST API. Their pushes and PRs are events by a user, so they start workflows.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import type { Files } from './app-files';

export interface DeveloperOptions {
  login: string;
  token: string;
  gitUrl: string;
  apiUrl: string;
  repository: string;
}

export class Developer {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'rehearsal-clone-'));
  private readonly api: ReturnType<typeof getOctokit>;
  private readonly owner: string;
  private readonly repo: string;

  constructor(readonly options: DeveloperOptions) {
    this.api = getOctokit(options.token, { baseUrl: options.apiUrl });
    [this.owner, this.repo] = options.repository.split('/');
    this.git(['init', '-q', '-b', 'main']);
    this.git(['config', 'user.name', options.login]);
    this.git(['config', 'user.email', `${options.login}@connect2.example`]);
    this.git(['remote', 'add', 'origin', options.gitUrl]);
    const header = `AUTHORIZATION: basic ${Buffer.from(`${options.login}:${options.token}`).toString('base64')}`;
    this.git(['config', `http.${options.gitUrl}.extraheader`, header]);
  }

  /** Local git commands (no network): synchronous. */
  git(args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  }

  /** git commands that talk to the simulator, which lives in this process: they must not block it. */
  private async remote(args: string[]): Promise<void> {
    await promisify(execFile)('git', args, { cwd: this.dir, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  }

  /** Writes `files` (null deletes) and commits them on the current branch. */
  commit(message: string, files: Files): string {
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(this.dir, file);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    this.git(['add', '-A']);
    this.git(['commit', '-q', '-m', message]);
    return this.git(['rev-parse', 'HEAD']).trim();
  }

  /** `git fetch` then a new branch from `origin/<from>`. */
  async branch(name: string, from: string): Promise<void> {
    await this.remote(['fetch', '-q', 'origin']);
    this.git(['switch', '-q', '-C', name, `origin/${from}`]);
  }

  push(branch: string): Promise<void> {
    return this.remote(['push', '-q', 'origin', `HEAD:refs/heads/${branch}`]);
  }

  /** The first push of the repository: every long-lived branch at the initial commit. */
  pushAll(branches: string[]): Promise<void> {
    return this.remote(['push', '-q', 'origin', ...branches.map((b) => `HEAD:refs/heads/${b}`)]);
  }

  async openPullRequest(head: string, base: string, title: string, body = ''): Promise<number> {
    const { data } = await this.api.rest.pulls.create({ owner: this.owner, repo: this.repo, head, base, title, body });
    return data.number;
  }

  async merge(number: number, method: 'merge' | 'squash' | 'rebase', title?: string): Promise<string> {
    const { data } = await this.api.rest.pulls.merge({ owner: this.owner, repo: this.repo, pull_number: number, merge_method: method, commit_title: title });
    return data.sha;
  }

  /** Classic branch protection (an admin's token): these checks must pass before a merge. */
  async protectBranch(branch: string, checks: string[]): Promise<void> {
    await this.api.rest.repos.updateBranchProtection({
      owner: this.owner,
      repo: this.repo,
      branch,
      required_status_checks: { strict: false, contexts: checks },
      enforce_admins: null,
      required_pull_request_reviews: null,
      restrictions: null,
    });
  }

  /** A label on a PR (by a person: GitHub sends `labeled` and the PR's checks with that type run again). */
  async addLabel(number: number, label: string): Promise<void> {
    await this.api.rest.issues.addLabels({ owner: this.owner, repo: this.repo, issue_number: number, labels: [label] });
  }

  async close(number: number): Promise<void> {
    await this.api.rest.pulls.update({ owner: this.owner, repo: this.repo, pull_number: number, state: 'closed' });
  }

  async changeBase(number: number, base: string): Promise<void> {
    await this.api.rest.pulls.update({ owner: this.owner, repo: this.repo, pull_number: number, base });
  }

  async pullRequests(base?: string): Promise<{ number: number; title: string; head: string; base: string; user: string }[]> {
    const { data } = await this.api.rest.pulls.list({ owner: this.owner, repo: this.repo, state: 'open', base, per_page: 100 });
    return data.map((pr) => ({ number: pr.number, title: pr.title, head: pr.head.ref, base: pr.base.ref, user: pr.user?.login ?? '' }));
  }
}

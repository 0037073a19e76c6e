/**
 * The application repository as the rehearsal moves code through it: commits on branches, pull
 * requests and their merges, all written into the GitHub simulator so the actions read a real
 * commit graph through the API.
 */
import type { FileInput } from '../../packages/simulators/github';
import { FULL_REPO, type GitHubSimulator } from './world';

export type FileChange = FileInput;

export class RehearsalRepository {
  private readonly heads = new Map<string, string>();

  constructor(private readonly gh: GitHubSimulator) {}

  /** The first commit, on every long-lived branch. */
  init(message: string, branches: string[]): string {
    const sha = this.gh.seed.commit(FULL_REPO, { message, parents: [], author: 'platform-bot' });
    for (const branch of branches) this.moveBranch(branch, sha);
    return sha;
  }

  head(branch: string): string {
    const sha = this.heads.get(branch);
    if (!sha) throw new Error(`branch ${branch} does not exist in the rehearsal repository`);
    return sha;
  }

  /** A commit on top of `branch` (a new branch starts from `from`). */
  commit(branch: string, message: string, author = 'alice', from?: string): string {
    const parent = this.heads.get(branch) ?? this.head(from ?? 'development');
    const sha = this.gh.seed.commit(FULL_REPO, { message, parents: [parent], author });
    this.moveBranch(branch, sha);
    return sha;
  }

  /** Opens a pull request of `head` into `base` listing the files it changes. */
  pull(head: string, base: string, title: string, files: FileChange[]): number {
    return this.gh.seed.pull(FULL_REPO, { head, base, headSha: this.head(head), baseSha: this.head(base), title, user: 'alice', files });
  }

  /** Squash-merges a feature PR: one commit on base whose subject carries `(#n)`. */
  squashMerge(number: number, base: string, subject: string, author = 'alice'): string {
    return this.commit(base, `${subject} (#${number})`, author);
  }

  /** Merges a promotion PR with a merge commit, bringing every commit of `head` into `base`. */
  merge(number: number, head: string, base: string): string {
    const sha = this.gh.seed.commit(FULL_REPO, {
      message: `Merge pull request #${number} from ${FULL_REPO.split('/')[0]}/${head}`,
      parents: [this.head(base), this.head(head)],
      author: 'release-manager',
    });
    this.moveBranch(base, sha);
    return sha;
  }

  private moveBranch(branch: string, sha: string): void {
    this.heads.set(branch, sha);
    this.gh.seed.branch(FULL_REPO, branch, sha);
  }
}

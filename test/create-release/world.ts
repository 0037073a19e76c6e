/**
 * Test world for create-release: a GitHub simulator with one repository whose history is seeded
 * commit by commit, and a runner of the built bundle against it.
 */
import { startGitHubSimulator, type FileInput } from '../../packages/simulators/github';
import { runAction, type ActionRun, type RunActionOptions } from '../harness/run-action';

export const REPO = 'connect2/connect2-api';

export type GitHubSimulator = Awaited<ReturnType<typeof startGitHubSimulator>>;

export interface World {
  gh: GitHubSimulator;
  /** Seeds one commit on top of `parents` (default: the last commit seeded) and returns its SHA. */
  commit(message: string, options?: { parents?: string[]; author?: string; files?: FileInput[] }): string;
  /** Seeds a chain of commits on the last one; returns the last SHA. */
  chain(messages: string[], author?: string): string;
  tag(name: string, sha: string): void;
  /** Runs the bundle releasing `target`, as a workflow would on that push. */
  release(target: string, inputs?: RunActionOptions['inputs'], options?: Partial<RunActionOptions>): Promise<ActionRun>;
  /** Mutating REST calls made since `mark()`. */
  writesSince(mark: number): { method: string; path: string; status: number; body: unknown }[];
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const gh = await startGitHubSimulator();
  const [owner, name] = REPO.split('/');
  gh.seed.repo(owner, name, { defaultBranch: 'main' });
  let last: string | undefined;
  const world: World = {
    gh,
    commit(message, options = {}) {
      const parents = options.parents ?? (last ? [last] : []);
      last = gh.seed.commit(REPO, { message, parents, author: options.author ?? 'alice', files: options.files });
      gh.seed.branch(REPO, 'main', last);
      return last;
    },
    chain(messages, author) {
      let sha = last ?? '';
      for (const message of messages) sha = world.commit(message, { author });
      return sha;
    },
    tag(tagName, sha) {
      gh.seed.tag(REPO, tagName, sha);
    },
    release(target, inputs = {}, options = {}) {
      return runAction('create-release', {
        token: gh.token,
        inputs,
        ...options,
        env: { ...gh.env, GITHUB_SHA: target, ...options.env },
      });
    },
    writesSince(mark) {
      return gh.requests.slice(mark).filter((request) => request.method !== 'GET' && request.method !== 'HEAD');
    },
    close: () => gh.close(),
  };
  return world;
}

/** The single `::error::` line of a failed run. */
export function onlyError(run: ActionRun): string {
  if (run.errors.length !== 1) throw new Error(`expected one error, got ${JSON.stringify(run.errors)}\n${run.log}`);
  return run.errors[0];
}

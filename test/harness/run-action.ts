/**
 * The test harness's bundle runner: the runner itself lives in packages/workflow-player/bundle-run.ts
 * (the player runs workflow steps with it, and packages never import test/); tests and scripts keep
 * importing it from here. The module itself rather than the player's index, so that a test needing only
 * `repoRoot` does not load the workflow parser. Also the `pull_request` payload tests hand to a bundle.
 */
export { node24, parseAnnotations, parseKeyValueFile, readActionMetadata, repoRoot, runAction } from '../../packages/workflow-player/bundle-run';
export type { ActionRun, RunActionOptions } from '../../packages/workflow-player/bundle-run';

export interface PullRequestRef {
  number: number;
  head: string;
  headSha: string;
  base: string;
  baseSha: string;
  changedFiles: number;
  /** The repository of the head branch (`owner/name`): another one for a PR from a fork; null for a deleted fork. Default: the base repository. */
  headRepository?: string | null;
}

/** The `pull_request` webhook payload the runner writes to GITHUB_EVENT_PATH (the fields the actions read). */
export function pullRequestEvent(pull: PullRequestRef, repository = 'connect2/connect2-api'): Record<string, unknown> {
  const [owner, name] = repository.split('/');
  return {
    action: 'synchronize',
    number: pull.number,
    pull_request: {
      number: pull.number,
      head: { ref: pull.head, sha: pull.headSha, repo: pull.headRepository === null ? null : { full_name: pull.headRepository ?? repository } },
      base: { ref: pull.base, sha: pull.baseSha, repo: { full_name: repository } },
      changed_files: pull.changedFiles,
    },
    repository: { full_name: repository, name, owner: { login: owner } },
  };
}

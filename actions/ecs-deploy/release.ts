/**
 * `task-definition: v1.2.3`: what that release ran, read from GitHub. The tag names a commit; every
 * successful deploy of that commit (deploy.yml records `task: deploy:ecs`, payload `task_definition_arn`)
 * names a revision; the engine picks the one of the service's family. An unknown tag is an input error.
 */
import { InputError } from '../../packages/action-kit';
import { createGitHubClient, currentRepository, deployedRevisions, resolveCommit } from '../../packages/github';
import type { ReleasedRevisions } from '../../packages/ecs';
import { Input } from './names';

export async function readReleasedRevisions(tag: string, token: string): Promise<ReleasedRevisions> {
  if (!token) {
    throw new InputError(
      Input.GitHubToken,
      `is empty, but '${Input.TaskDefinition}' is the release tag '${tag}', which is resolved through the repository's GitHub deployments`,
      'give a token that may read contents and deployments (the default github.token with `permissions: contents: read, deployments: read`)',
    );
  }
  const client = createGitHubClient(token);
  const repository = currentRepository();
  const commit = await resolveCommit(client, repository, tag);
  if (!commit) {
    throw new InputError(Input.TaskDefinition, `is '${tag}', but ${repository.owner}/${repository.repo} has no tag ${tag}`, 'give an existing release tag (gh release list), a task definition (family:revision or its ARN) or previous');
  }
  const deployed = await deployedRevisions(client, repository, commit, 'deploy:ecs');
  return { tag, commit, arns: deployed.map((entry) => entry.taskDefinitionArn) };
}

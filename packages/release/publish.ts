/**
 * Writing a release: the tag through the git refs API on the target commit, then the release on
 * that tag. Each write tolerates the same write by a concurrent run (two pipelines for the same
 * push, a rerun racing the first run): the 422 is read back and accepted when it is the same thing.
 * A release is never updated, so a published release is never turned back into a draft.
 */
import { ActionError } from '../action-kit';
import { createTag, peelTag, createRelease, type GitHubClient, type NewRelease, type RepositoryRef, type Release } from '../github';

/** The release to write; `makeLatest` is false when a higher release exists (a hotfix of an older line must not become "Latest"). */
export type ReleaseDraft = NewRelease & { makeLatest: boolean };

export type PublishResult =
  | { outcome: 'published'; release: Release; created: boolean; tagCreated: boolean }
  /** The tag appeared meanwhile on another commit: a concurrent release of another commit won. */
  | { outcome: 'tag-taken'; existingSha: string };

export async function publishRelease(client: GitHubClient, repository: RepositoryRef, draft: ReleaseDraft): Promise<PublishResult> {
  const tag = await createTag(client, repository, draft.tag, draft.targetSha);
  if (!tag.created) {
    if (!tag.existing) throw new ActionError(`Creating tag '${draft.tag}' failed with 422, yet the tag cannot be read back.`);
    const sha = await peelTag(client, repository, tag.existing);
    if (sha !== draft.targetSha) return { outcome: 'tag-taken', existingSha: sha };
  }
  const result = await createRelease(client, repository, {
    tag: draft.tag,
    targetSha: draft.targetSha,
    name: draft.name,
    body: draft.body,
    draft: draft.draft,
    prerelease: draft.prerelease,
    makeLatest: draft.makeLatest,
  });
  return { outcome: 'published', release: result.release, created: result.created, tagCreated: tag.created };
}

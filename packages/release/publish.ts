/**
 * Writing a release: the tag through the git refs API on the target commit, then the release on
 * that tag. Each write tolerates the same write by a concurrent run (two pipelines for the same
 * push, a rerun racing the first run): the 422 is read back and accepted when it is the same thing.
 * A published release is never updated, so it is never turned back into a draft. A **draft** found
 * on the tag (a `draft: true` run, one made by hand) is published with the computed notes when the
 * run asks for a published release: reporting success while nothing is public would leave
 * production without its release.
 */
import { ActionError } from '../action-kit';
import { createTag, peelTag, createRelease, publishDraft, type GitHubClient, type NewRelease, type RepositoryRef, type Release } from '../github';

/** The release to write; `makeLatest` is false when a higher release exists (a hotfix of an older line must not become "Latest"). */
export type ReleaseDraft = NewRelease & {
  makeLatest: boolean;
  /** A draft release of the tag already known (read by tag on the target): published instead of creating another. */
  existingDraft?: Release;
};

export type PublishResult =
  | { outcome: 'published'; release: Release; created: boolean; tagCreated: boolean; publishedDraft?: boolean }
  /** The tag appeared meanwhile on another commit: a concurrent release of another commit won. */
  | { outcome: 'tag-taken'; existingSha: string };

export async function publishRelease(client: GitHubClient, repository: RepositoryRef, draft: ReleaseDraft): Promise<PublishResult> {
  const tag = await createTag(client, repository, draft.tag, draft.targetSha);
  if (!tag.created) {
    if (!tag.existing) throw new ActionError(`Creating tag '${draft.tag}' failed with 422, yet the tag cannot be read back.`);
    const sha = await peelTag(client, repository, tag.existing);
    if (sha !== draft.targetSha) return { outcome: 'tag-taken', existingSha: sha };
  }
  if (draft.existingDraft && !draft.draft) {
    const release = await publishExistingDraft(client, repository, draft.existingDraft, draft);
    return { outcome: 'published', release, created: true, tagCreated: tag.created, publishedDraft: true };
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
  if (!result.created && result.release.draft && !draft.draft) {
    const release = await publishExistingDraft(client, repository, result.release, draft);
    return { outcome: 'published', release, created: true, tagCreated: tag.created, publishedDraft: true };
  }
  return { outcome: 'published', release: result.release, created: result.created, tagCreated: tag.created };
}

/** Publishes `existing` (a draft of the tag) with the draft's notes, target and flags. */
async function publishExistingDraft(client: GitHubClient, repository: RepositoryRef, existing: Release, draft: ReleaseDraft): Promise<Release> {
  const release = await publishDraft(client, repository, existing.id, {
    body: draft.body,
    targetSha: draft.targetSha,
    name: draft.name,
    prerelease: draft.prerelease,
    makeLatest: draft.makeLatest,
  });
  if (release.draft) throw new ActionError(`The draft release of '${draft.tag}' (id ${existing.id}) is still a draft after publishing it: publish it by hand.`);
  return release;
}

/**
 * Git refs through the REST API: list tags by prefix, read, create and move a tag. Tags may be
 * lightweight (the ref points at the commit) or annotated (the ref points at a tag object, which
 * points at the commit): `peel` turns either into the commit SHA.
 */
import type { GitHubClient } from './client';
import { httpStatus } from './client';
import type { RepositoryRef } from './repository';

export interface TagRef {
  /** Tag name without `refs/tags/`. */
  name: string;
  /** What the ref points at: a commit, or an annotated tag object. */
  objectSha: string;
  objectType: string;
}

/**
 * Every tag whose name starts with `prefix` (git matching-refs, paginated). An empty prefix lists
 * all tags. GitHub answers 404 or an empty list when none match; both mean "no tags".
 */
export async function listTags(client: GitHubClient, repository: RepositoryRef, prefix: string): Promise<TagRef[]> {
  try {
    const refs = await client.paginate(client.rest.git.listMatchingRefs, { ...repository, ref: `tags/${prefix}`, per_page: 100 });
    return refs
      .filter((ref) => ref.ref.startsWith('refs/tags/'))
      .map((ref) => ({ name: ref.ref.slice('refs/tags/'.length), objectSha: ref.object.sha, objectType: ref.object.type }));
  } catch (error) {
    if (httpStatus(error) === 404) return [];
    throw error;
  }
}

/** The commit a tag ref designates: annotated tag objects are followed (tags of tags included). */
export async function peelTag(client: GitHubClient, repository: RepositoryRef, tag: Pick<TagRef, 'objectSha' | 'objectType'>): Promise<string> {
  let { objectSha: sha, objectType: type } = tag;
  // A chain of annotated tags is legal git; ten hops is far beyond anything real.
  for (let hop = 0; type === 'tag' && hop < 10; hop++) {
    const { data } = await client.rest.git.getTag({ ...repository, tag_sha: sha });
    sha = data.object.sha;
    type = data.object.type;
  }
  return sha;
}

/** One tag ref, or undefined when it does not exist. */
export async function getTag(client: GitHubClient, repository: RepositoryRef, name: string): Promise<TagRef | undefined> {
  try {
    const { data } = await client.rest.git.getRef({ ...repository, ref: `tags/${name}` });
    // getRef on a missing ref may answer with a prefix match list on some servers; only an exact match counts.
    if (Array.isArray(data)) return undefined;
    if (data.ref !== `refs/tags/${name}`) return undefined;
    return { name, objectSha: data.object.sha, objectType: data.object.type };
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}

export type CreateTagResult = { created: true } | { created: false; existing: TagRef | undefined };

/**
 * Creates the lightweight tag `name` on `sha`. A 422 means the ref exists (a concurrent run, or a
 * tag made by hand): it is read back so the caller can tell "same commit, fine" from a collision.
 */
export async function createTag(client: GitHubClient, repository: RepositoryRef, name: string, sha: string): Promise<CreateTagResult> {
  try {
    await client.rest.git.createRef({ ...repository, ref: `refs/tags/${name}`, sha });
    return { created: true };
  } catch (error) {
    if (httpStatus(error) !== 422) throw error;
    return { created: false, existing: await getTag(client, repository, name) };
  }
}

/**
 * Moves an existing tag to `sha`. Without `force` only a fast-forward is accepted, so a tag that a
 * concurrent run moved elsewhere meanwhile is not overwritten: false is returned (GitHub's 422) and
 * the caller reads the tag again.
 */
export async function moveTag(client: GitHubClient, repository: RepositoryRef, name: string, sha: string, force: boolean): Promise<boolean> {
  try {
    await client.rest.git.updateRef({ ...repository, ref: `tags/${name}`, sha, force });
    return true;
  } catch (error) {
    if (httpStatus(error) === 422 && !force) return false;
    throw error;
  }
}

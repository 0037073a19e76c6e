/**
 * The release tags of a repository: tags named `<prefix><semver>`, each with the commit it
 * designates, highest version first. Other tags with the prefix (`v1`, `v1.2`, `vnext`) are not
 * releases and are ignored here.
 */
import { listTags, peelTag, type GitHubClient, type RepositoryRef, type TagRef } from '../github';
import { compareDescending, versionOfTag } from './version';

export interface ReleaseTag {
  name: string;
  version: string;
  /** The commit the tag designates (annotated tags peeled). */
  sha: string;
}

export interface TagIndex {
  /** Release tags, highest version first. */
  releases: ReleaseTag[];
  /** Every tag with the prefix, by name (release tags and others such as the major tag `v1`). */
  all: Map<string, TagRef>;
}

export async function readTags(client: GitHubClient, repository: RepositoryRef, prefix: string): Promise<TagIndex> {
  const refs = await listTags(client, repository, prefix);
  const releases: ReleaseTag[] = [];
  for (const ref of refs) {
    const version = versionOfTag(ref.name, prefix);
    if (version === undefined) continue;
    // Lightweight tags (what this action creates) point at the commit; annotated ones need one read.
    const sha = ref.objectType === 'commit' ? ref.objectSha : await peelTag(client, repository, ref);
    releases.push({ name: ref.name, version, sha });
  }
  releases.sort((a, b) => compareDescending(a.version, b.version) || a.name.localeCompare(b.name));
  return { releases, all: new Map(refs.map((ref) => [ref.name, ref])) };
}

/** The release tags on `sha`, highest first. */
export function tagsOn(index: TagIndex, sha: string): ReleaseTag[] {
  return index.releases.filter((tag) => tag.sha === sha);
}

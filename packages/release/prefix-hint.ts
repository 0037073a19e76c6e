/**
 * A first release that is probably not one: no tag has the configured `tag-prefix`, yet the
 * repository has semver tags with another prefix (`1.4.0` while `tag-prefix` is `v`, or `v1.4.0`
 * while it is empty). Releasing `initial-version` then restarts the version line silently, so the
 * run warns and names the tag that would have been the previous release.
 */
import type { GitHubClient, RepositoryRef } from '../github';
import type { History } from './history';
import { findPreviousRelease } from './previous-release';
import { readTags } from './tags';

/** The prefixes tried besides the configured one: none, and GitHub's usual `v`. */
const OTHER_PREFIXES = ['', 'v'];

export interface PrefixHint {
  prefix: string;
  tag: string;
  message: string;
}

export async function otherPrefixBase(client: GitHubClient, repository: RepositoryRef, tagPrefix: string, targetSha: string, history: History): Promise<PrefixHint | undefined> {
  for (const prefix of OTHER_PREFIXES.filter((candidate) => candidate !== tagPrefix)) {
    const tags = await readTags(client, repository, prefix);
    const base = await findPreviousRelease(tags.releases, targetSha, history);
    if (!base) continue;
    const message = `No tag with tag-prefix '${tagPrefix}' is in the history of ${targetSha.slice(0, 7)}, but the semver tag '${base.name}' is: with tag-prefix '${prefix}' it would be the previous release (${base.version}).`;
    return { prefix, tag: base.name, message };
  }
  return undefined;
}

/**
 * The floating major tag (`v1`) that users pin (`uses: org/action@v1`). It follows the newest
 * release of its major and never goes backwards: when it points at a release newer than this one
 * (a rerun of an old pipeline, a hotfix of an older line), it stays where it is.
 */
import { createTag, getTag, moveTag, peelTag, type GitHubClient, type RepositoryRef } from '../github';
import type { History } from './history';
import { readTags, type TagIndex } from './tags';
import { greaterThan, isPrerelease, majorOf } from './version';

export type MajorTagAction = 'created' | 'moved' | 'unchanged' | 'kept-newer' | 'kept-unknown' | 'skipped';

export interface MajorTagResult {
  tag: string;
  action: MajorTagAction;
  /** The commit the tag pointed at before. */
  from?: string;
  /** Why nothing was written, for the log and summary. */
  reason: string;
}

export interface MajorTagRequest {
  prefix: string;
  version: string;
  targetSha: string;
  tags: TagIndex;
  history: History;
  /** Compute only (dry run). */
  write: boolean;
  /** Drafts and pre-releases are not what `@v1` users should get. */
  skipReason?: string;
}

export async function updateMajorTag(client: GitHubClient, repository: RepositoryRef, request: MajorTagRequest): Promise<MajorTagResult> {
  const tag = `${request.prefix}${majorOf(request.version)}`;
  if (request.skipReason) return { tag, action: 'skipped', reason: request.skipReason };
  if (isPrerelease(request.version)) return { tag, action: 'skipped', reason: `${request.version} is a pre-release version` };

  // The tag list read at the start says whether the tag exists; a concurrent run may create it
  // between that read and our create, so a second attempt reads it fresh.
  let tags = request.tags;
  for (let attempt = 0; attempt < 2; attempt++) {
    // After a lost race the releases changed too (the other run's tag): read both again.
    if (attempt > 0) tags = await readTags(client, repository, request.prefix);
    const current = attempt === 0 ? tags.all.get(tag) : await getTag(client, repository, tag);
    if (!current) {
      if (!request.write) return { tag, action: 'created', reason: `would create ${tag}` };
      const created = await createTag(client, repository, tag, request.targetSha);
      if (created.created) return { tag, action: 'created', reason: `created ${tag}` };
      continue;
    }
    const from = await peelTag(client, repository, current);
    if (from === request.targetSha) return { tag, action: 'unchanged', from, reason: `${tag} already points at the release` };

    const releasedThere = tags.releases.filter((release) => release.sha === from && majorOf(release.version) === majorOf(request.version));
    const newer = releasedThere.find((release) => greaterThan(release.version, request.version));
    if (newer) return { tag, action: 'kept-newer', from, reason: `${tag} points at ${newer.name}, newer than ${request.version}: never moved backwards` };
    const fastForward = await request.history.isAncestor(from, request.targetSha);
    if (releasedThere.length === 0 && !fastForward) {
      // Not a release we know and not in the target's history: someone put it there on purpose.
      return { tag, action: 'kept-unknown', from, reason: `${tag} points at ${from.slice(0, 7)}, which is neither a release tag nor in the target's history: left alone` };
    }
    if (!request.write) return { tag, action: 'moved', from, reason: `would move ${tag} from ${from.slice(0, 7)}` };
    // A forward move is a fast-forward, so GitHub itself refuses it if a concurrent run moved the tag
    // meanwhile; only a move off an older release line that the target lacks needs force.
    if (await moveTag(client, repository, tag, request.targetSha, !fastForward)) {
      return { tag, action: 'moved', from, reason: `moved ${tag} from ${from.slice(0, 7)}` };
    }
  }
  return { tag, action: 'unchanged', reason: `${tag} was changed concurrently by another run: left as it is` };
}

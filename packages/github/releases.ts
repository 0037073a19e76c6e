/**
 * GitHub Releases: find the release of a tag (drafts included) and create one, reading back the
 * release a concurrent run created first (422 `already_exists`) instead of failing.
 */
import type { GitHubClient } from './client';
import { httpStatus } from './client';
import type { RepositoryRef } from './repository';

export interface Release {
  id: number;
  tagName: string;
  url: string;
  draft: boolean;
  prerelease: boolean;
  body: string;
}

type RawRelease = { id: number; tag_name: string; html_url: string; draft: boolean; prerelease: boolean; body?: string | null };

function toRelease(raw: RawRelease): Release {
  return { id: raw.id, tagName: raw.tag_name, url: raw.html_url, draft: raw.draft, prerelease: raw.prerelease, body: raw.body ?? '' };
}

/**
 * The release of `tag`, or undefined. The by-tag endpoint does not return drafts, so a miss is
 * followed by a look through the release list (newest first, a few pages), where drafts appear
 * for tokens with push access.
 */
export async function findRelease(client: GitHubClient, repository: RepositoryRef, tag: string, maxPages = 5): Promise<Release | undefined> {
  try {
    const { data } = await client.rest.repos.getReleaseByTag({ ...repository, tag });
    return toRelease(data);
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
  let page = 0;
  for await (const { data } of client.paginate.iterator(client.rest.repos.listReleases, { ...repository, per_page: 100 })) {
    const match = data.find((release) => release.tag_name === tag);
    if (match) return toRelease(match);
    if (++page >= maxPages) break;
  }
  return undefined;
}

/** The newest releases (drafts included for tokens with push access), at most `count` (one page up to 100). */
export async function listRecentReleases(client: GitHubClient, repository: RepositoryRef, count = 100): Promise<Release[]> {
  const { data } = await client.rest.repos.listReleases({ ...repository, per_page: Math.min(100, count) });
  return data.map(toRelease);
}

export interface NewRelease {
  tag: string;
  /** The commit the tag is on (used by GitHub only when the tag does not exist yet). */
  targetSha: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  /**
   * Whether GitHub should show it as the repository's "Latest" release. GitHub's default marks every
   * new published release latest, so a hotfix of an older line would displace a newer release.
   */
  makeLatest?: boolean;
}

export type CreateReleaseResult = { created: true; release: Release } | { created: false; release: Release };

/** Creates the release; when one already exists for the tag (a concurrent run), returns that one. */
export async function createRelease(client: GitHubClient, repository: RepositoryRef, release: NewRelease): Promise<CreateReleaseResult> {
  try {
    const { data } = await client.rest.repos.createRelease({
      ...repository,
      tag_name: release.tag,
      target_commitish: release.targetSha,
      name: release.name,
      body: release.body,
      draft: release.draft,
      prerelease: release.prerelease,
      ...(release.makeLatest === undefined ? {} : { make_latest: release.makeLatest ? 'true' : 'false' }),
    });
    return { created: true, release: toRelease(data) };
  } catch (error) {
    if (httpStatus(error) !== 422 || !isAlreadyExists(error)) throw error;
    const existing = await findRelease(client, repository, release.tag);
    if (!existing) throw error;
    return { created: false, release: existing };
  }
}

/** GitHub's validation error for a duplicate: `errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]`. */
function isAlreadyExists(error: unknown): boolean {
  const errors = (error as { response?: { data?: { errors?: { code?: string }[] } } }).response?.data?.errors;
  return Array.isArray(errors) && errors.some((entry) => entry.code === 'already_exists');
}

export interface DraftPublication {
  /** The notes to publish with (replaces the draft's body). */
  body: string;
  /** The commit of the release's tag. */
  targetSha: string;
  name: string;
  prerelease: boolean;
  makeLatest?: boolean;
}

/** Publishes a draft release (`draft: false`): GitHub creates its tag then, if it does not exist yet. */
export async function publishDraft(client: GitHubClient, repository: RepositoryRef, id: number, publication: DraftPublication): Promise<Release> {
  const { data } = await client.rest.repos.updateRelease({
    ...repository,
    release_id: id,
    draft: false,
    body: publication.body,
    name: publication.name,
    target_commitish: publication.targetSha,
    prerelease: publication.prerelease,
    ...(publication.makeLatest === undefined ? {} : { make_latest: publication.makeLatest ? 'true' : 'false' }),
  });
  return toRelease(data);
}

/**
 * Releases: list (newest first), latest, by tag, get, create (tagging target_commitish when the tag
 * does not exist yet; 422 already_exists when a release uses the tag), update (publishing a draft
 * tags it then), delete. Drafts are invisible to /releases/latest and /releases/tags/{tag}, as on
 * GitHub ("get a published release with the specified tag").
 */
import { resolveCommitish } from './git-refs';
import { created, isoTime, noContent, notFound, ok, optionalBoolean, optionalString, requireString, validationFailed } from './http';
import type { Reply } from './http';
import type { Actor, ReleaseRecord, RepoRecord } from './model';
import { pagedReply } from './pagination';
import type { TokenGrant } from './permissions';
import { updateRef } from './ref-updates';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';

export interface NewRelease {
  tag_name: string;
  target_commitish?: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
}

/** Newest first (creation order, as the list endpoint returns them). */
export function releasesOf(repo: RepoRecord): ReleaseRecord[] {
  return [...repo.releases.values()].reverse();
}

/** Validates and stores a release; shared by the REST endpoint and seeding. */
export function createRelease(store: GitHubStore, repo: RepoRecord, input: NewRelease, author: Actor, grant?: TokenGrant): ReleaseRecord {
  const tag = input.tag_name;
  if ([...repo.releases.values()].some((release) => release.tagName === tag)) {
    throw validationFailed({ resource: 'Release', code: 'already_exists', field: 'tag_name' });
  }
  const target = input.target_commitish ?? repo.defaultBranch;
  const draft = input.draft ?? false;
  const tagRef = `refs/tags/${tag}`;
  if (!repo.refs.has(tagRef)) {
    const sha = resolveCommitish(repo, target);
    if (!sha) throw validationFailed({ resource: 'Release', code: 'invalid', field: 'target_commitish' });
    // GitHub creates the tag when the release is published; a draft waits.
    if (!draft) updateRef(store, repo, tagRef, sha, { author: grant });
  }
  const id = store.nextId('release');
  const now = store.now();
  const release: ReleaseRecord = {
    id,
    nodeId: store.nodeId('release', id),
    tagName: tag,
    targetCommitish: target,
    name: input.name ?? null,
    body: input.body ?? null,
    draft,
    prerelease: input.prerelease ?? false,
    author,
    createdAt: now,
    publishedAt: draft ? null : now,
  };
  repo.releases.set(id, release);
  return release;
}

function renderRelease(store: GitHubStore, repo: RepoRecord, release: ReleaseRecord): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  const html = store.repoHtmlUrl(repo);
  return {
    url: `${api}/releases/${release.id}`,
    assets_url: `${api}/releases/${release.id}/assets`,
    upload_url: `https://uploads.github.com/repos/${repo.fullName}/releases/${release.id}/assets{?name,label}`,
    html_url: release.draft ? `${html}/releases/tag/untagged-${release.id}` : `${html}/releases/tag/${encodeURIComponent(release.tagName)}`,
    id: release.id,
    node_id: release.nodeId,
    author: store.renderUser(release.author),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    created_at: isoTime(release.createdAt),
    published_at: release.publishedAt === null ? null : isoTime(release.publishedAt),
    assets: [],
    tarball_url: `${api}/tarball/${encodeURIComponent(release.tagName)}`,
    zipball_url: `${api}/zipball/${encodeURIComponent(release.tagName)}`,
  };
}

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

function releaseOr404(repo: RepoRecord, id: string): ReleaseRecord {
  const release = repo.releases.get(Number(id));
  if (!release) throw notFound();
  return release;
}

export function registerReleaseRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo/releases', listReleases);
  router.on('GET', '/repos/:owner/:repo/releases/latest', getLatestRelease);
  router.on('GET', '/repos/:owner/:repo/releases/tags/*tag', getReleaseByTag);
  router.on('GET', '/repos/:owner/:repo/releases/:id', getRelease);
  router.on('POST', '/repos/:owner/:repo/releases', postRelease);
  router.on('PATCH', '/repos/:owner/:repo/releases/:id', patchRelease);
  router.on('DELETE', '/repos/:owner/:repo/releases/:id', deleteRelease);
}

function listReleases(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  return pagedReply(context.url, context.query, releasesOf(repo), (release) => renderRelease(context.state, repo, release));
}

function getLatestRelease(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const latest = releasesOf(repo).find((release) => !release.draft && !release.prerelease);
  if (!latest) throw notFound();
  return ok(renderRelease(context.state, repo, latest));
}

function getReleaseByTag(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const release = releasesOf(repo).find((candidate) => !candidate.draft && candidate.tagName === context.params.tag);
  if (!release) throw notFound();
  return ok(renderRelease(context.state, repo, release));
}

function getRelease(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  return ok(renderRelease(context.state, repo, releaseOr404(repo, context.params.id!)));
}

function postRelease(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const body = context.body as Record<string, unknown>;
  const release = createRelease(
    context.state,
    repo,
    {
      tag_name: requireString(body, 'tag_name', 'Release'),
      target_commitish: optionalString(body, 'target_commitish', 'Release'),
      name: optionalString(body, 'name', 'Release'),
      body: optionalString(body, 'body', 'Release'),
      draft: optionalBoolean(body, 'draft', 'Release'),
      prerelease: optionalBoolean(body, 'prerelease', 'Release'),
    },
    context.actor,
    context.grant,
  );
  return created(renderRelease(context.state, repo, release));
}

function patchRelease(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const release = releaseOr404(repo, context.params.id!);
  const body = context.body as Record<string, unknown>;
  const tag = optionalString(body, 'tag_name', 'Release');
  const target = optionalString(body, 'target_commitish', 'Release');
  const name = optionalString(body, 'name', 'Release');
  const text = optionalString(body, 'body', 'Release');
  const draft = optionalBoolean(body, 'draft', 'Release');
  const prerelease = optionalBoolean(body, 'prerelease', 'Release');
  if (tag !== undefined && tag !== release.tagName) {
    if ([...repo.releases.values()].some((other) => other.tagName === tag)) throw validationFailed({ resource: 'Release', code: 'already_exists', field: 'tag_name' });
    release.tagName = tag;
  }
  if (target !== undefined) release.targetCommitish = target;
  if (name !== undefined) release.name = name;
  if (text !== undefined) release.body = text;
  if (prerelease !== undefined) release.prerelease = prerelease;
  if (draft === false && release.draft) {
    const tagRef = `refs/tags/${release.tagName}`;
    if (!repo.refs.has(tagRef)) {
      const sha = resolveCommitish(repo, release.targetCommitish);
      if (!sha) throw validationFailed({ resource: 'Release', code: 'invalid', field: 'target_commitish' });
      updateRef(context.state, repo, tagRef, sha, { author: context.grant });
    }
    release.draft = false;
    release.publishedAt = context.state.now();
  } else if (draft === true) {
    release.draft = true;
  }
  return ok(renderRelease(context.state, repo, release));
}

function deleteRelease(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const release = releaseOr404(repo, context.params.id!);
  repo.releases.delete(release.id);
  return noContent();
}

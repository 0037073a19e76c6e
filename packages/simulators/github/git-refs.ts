/**
 * Branches and tags as git refs: the git/refs API (get, matching, create, update with the
 * fast-forward rule, delete), annotated tag objects (git/tags), the tags list, and the one place
 * that turns a "commit-ish" (sha, abbreviated sha, branch, tag, `heads/x`, `refs/tags/x`, HEAD) into
 * a commit, peeling annotated tags on the way.
 */
import { createHash } from 'node:crypto';
import { HttpError, created, isoTime, noContent, notFound, ok, unprocessable, validationFailed } from './http';
import type { Reply } from './http';
import type { RepoRecord, TagObjectRecord } from './model';
import { pagedReply } from './pagination';
import { updateRef } from './ref-updates';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';

/** The commit an object names: itself, or what a chain of annotated tags points at. */
export function peel(repo: RepoRecord, sha: string | undefined): string | undefined {
  // A chain of tags of tags is legal git; ten hops is far beyond anything real.
  for (let hop = 0; sha !== undefined && hop < 10; hop++) {
    const tag = repo.tagObjects.get(sha);
    if (!tag) return sha;
    sha = tag.objectSha;
  }
  return undefined;
}

/** Whether a sha names a commit or an annotated tag object of this repository. */
function objectType(repo: RepoRecord, sha: string): 'commit' | 'tag' | undefined {
  if (repo.tagObjects.has(sha)) return 'tag';
  return repo.graph.get(sha) ? 'commit' : undefined;
}

/** The commit a commit-ish names, or undefined. */
export function resolveCommitish(repo: RepoRecord, commitish: string): string | undefined {
  return peel(repo, resolveObject(repo, commitish));
}

function resolveObject(repo: RepoRecord, commitish: string): string | undefined {
  let ref = commitish.trim();
  if (ref === 'HEAD') ref = repo.defaultBranch;
  // GitHub accepts `owner:branch` in compare and pulls filters; only this repository's owner is modelled.
  const colon = ref.indexOf(':');
  if (colon > 0 && ref.slice(0, colon).toLowerCase() === repo.owner.toLowerCase()) ref = ref.slice(colon + 1);
  if (ref.startsWith('refs/')) return repo.refs.get(ref);
  if (ref.startsWith('heads/') || ref.startsWith('tags/')) {
    const direct = repo.refs.get(`refs/${ref}`);
    if (direct) return direct;
  }
  return repo.refs.get(`refs/heads/${ref}`) ?? repo.refs.get(`refs/tags/${ref}`) ?? repo.graph.find(ref)?.sha;
}

export function branchSha(repo: RepoRecord, branch: string): string | undefined {
  return repo.refs.get(`refs/heads/${branch}`);
}

/** For seeding: moves a ref (a push event without an author, synchronizing open pulls), refusing unknown objects. */
export function setRef(store: GitHubStore, repo: RepoRecord, fullRef: string, sha: string): void {
  if (!objectType(repo, sha)) throw new Error(`Commit ${sha} does not exist in ${repo.fullName}.`);
  updateRef(store, repo, fullRef, sha);
}

export interface NewTagObject {
  tag: string;
  message: string;
  object: string;
  tagger: TagObjectRecord['tagger'];
}

export function createTagObject(repo: RepoRecord, input: NewTagObject): TagObjectRecord {
  const type = objectType(repo, input.object);
  if (!type) throw unprocessable('Object does not exist');
  const sha = createHash('sha1').update(`tag\0${repo.fullName}\0${input.tag}\0${input.object}\0${input.message}\0${repo.tagObjects.size}`).digest('hex');
  const record: TagObjectRecord = { sha, tag: input.tag, message: input.message, objectSha: input.object, objectType: type, tagger: input.tagger };
  repo.tagObjects.set(sha, record);
  return record;
}

function renderTagObject(store: GitHubStore, repo: RepoRecord, tag: TagObjectRecord): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  return {
    node_id: `TAG_kwDO${Buffer.from(`${repo.fullName}:${tag.sha}`).toString('base64url')}`,
    sha: tag.sha,
    url: `${api}/git/tags/${tag.sha}`,
    tag: tag.tag,
    message: tag.message,
    tagger: { name: tag.tagger.name, email: tag.tagger.email, date: isoTime(tag.tagger.date) },
    object: { sha: tag.objectSha, type: tag.objectType, url: `${api}/git/${tag.objectType === 'tag' ? 'tags' : 'commits'}/${tag.objectSha}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function renderRef(store: GitHubStore, repo: RepoRecord, fullRef: string, sha: string): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  return {
    ref: fullRef,
    node_id: `REF_kwDO${Buffer.from(`${repo.fullName}:${fullRef}`).toString('base64url')}`,
    url: `${api}/git/${fullRef}`,
    object: objectType(repo, sha) === 'tag' ? { sha, type: 'tag', url: `${api}/git/tags/${sha}` } : { sha, type: 'commit', url: `${api}/git/commits/${sha}` },
  };
}

/** Tags newest version first, as GitHub lists them (a version-aware descending sort of names). */
export function sortedTags(repo: RepoRecord): { name: string; sha: string }[] {
  const tags: { name: string; sha: string }[] = [];
  // The tags list shows the commit, whether the tag is lightweight or annotated.
  for (const [ref, sha] of repo.refs) if (ref.startsWith('refs/tags/')) tags.push({ name: ref.slice('refs/tags/'.length), sha: peel(repo, sha) ?? sha });
  const collator = new Intl.Collator('en', { numeric: true });
  return tags.sort((a, b) => collator.compare(b.name, a.name));
}

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

/** `heads/main` and `refs/heads/main` both name the same ref in the refs API. */
const fullRefName = (ref: string) => (ref.startsWith('refs/') ? ref : `refs/${ref}`);

export function registerGitRefRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo/git/ref/*ref', getRef);
  // Deprecated but still served by GitHub: GET git/refs/{ref} answers a single ref when exact.
  router.on('GET', '/repos/:owner/:repo/git/refs/*ref', listRefs);
  router.on('GET', '/repos/:owner/:repo/git/matching-refs/*ref', listMatchingRefs);
  router.on('POST', '/repos/:owner/:repo/git/refs', postRef);
  router.on('PATCH', '/repos/:owner/:repo/git/refs/*ref', patchRef);
  router.on('DELETE', '/repos/:owner/:repo/git/refs/*ref', deleteRef);
  router.on('GET', '/repos/:owner/:repo/git/tags/:sha', getTagObject);
  router.on('POST', '/repos/:owner/:repo/git/tags', postTagObject);
  router.on('GET', '/repos/:owner/:repo/tags', listTags);
  router.on('GET', '/repos/:owner/:repo/branches', listBranches);
  router.on('GET', '/repos/:owner/:repo/branches/*branch', getBranch);
}

function getRef(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const ref = fullRefName(context.params.ref!);
  const sha = repo.refs.get(ref);
  if (!sha) throw notFound();
  return ok(renderRef(context.state, repo, ref, sha));
}

function listRefs(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const ref = fullRefName(context.params.ref!);
  const sha = repo.refs.get(ref);
  if (!sha) throw notFound();
  return ok(renderRef(context.state, repo, ref, sha));
}

function listMatchingRefs(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const prefix = fullRefName(context.params.ref!);
  const matches = [...repo.refs.entries()].filter(([ref]) => ref.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pagedReply(context.url, context.query, matches, ([ref, sha]) => renderRef(context.state, repo, ref, sha));
}

function postRef(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const { ref, sha } = context.body as { ref?: unknown; sha?: unknown };
  if (typeof ref !== 'string' || typeof sha !== 'string') throw validationFailed({ resource: 'Reference', code: 'missing_field', field: typeof ref !== 'string' ? 'ref' : 'sha' });
  if (!/^refs\/[^/]+\/.+/.test(ref)) throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
  const target = sha.toLowerCase();
  if (!objectType(repo, target)) throw unprocessable('Object does not exist');
  if (repo.refs.has(ref)) throw unprocessable('Reference already exists');
  updateRef(context.state, repo, ref, target, { author: context.grant });
  return created(renderRef(context.state, repo, ref, target));
}

function patchRef(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const ref = fullRefName(context.params.ref!);
  const { sha, force } = context.body as { sha?: unknown; force?: unknown };
  if (typeof sha !== 'string') throw validationFailed({ resource: 'Reference', code: 'missing_field', field: 'sha' });
  const current = repo.refs.get(ref);
  if (!current) throw unprocessable('Reference does not exist');
  const target = sha.toLowerCase();
  if (!objectType(repo, target)) throw unprocessable('Object does not exist');
  // Fast-forward is judged on the commits, annotated tags peeled.
  if (force !== true && !repo.graph.isAncestor(peel(repo, current)!, peel(repo, target)!)) throw unprocessable('Update is not a fast forward');
  updateRef(context.state, repo, ref, target, { author: context.grant });
  return ok(renderRef(context.state, repo, ref, target));
}

function deleteRef(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const ref = fullRefName(context.params.ref!);
  if (!repo.refs.has(ref)) throw unprocessable('Reference does not exist');
  updateRef(context.state, repo, ref, null, { author: context.grant });
  return noContent();
}

function getTagObject(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const tag = repo.tagObjects.get(context.params.sha!.toLowerCase());
  if (!tag) throw notFound();
  return ok(renderTagObject(context.state, repo, tag));
}

function postTagObject(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const body = context.body as Record<string, unknown>;
  for (const field of ['tag', 'message', 'object', 'type']) {
    if (typeof body[field] !== 'string') throw validationFailed({ resource: 'Tag', code: 'missing_field', field });
  }
  const tagger = body.tagger as { name?: string; email?: string; date?: string } | undefined;
  const actor = context.actor;
  const record = createTagObject(repo, {
    tag: body.tag as string,
    message: body.message as string,
    object: (body.object as string).toLowerCase(),
    tagger: {
      name: tagger?.name ?? actor.login,
      email: tagger?.email ?? `${actor.id}+${actor.login}@users.noreply.github.com`,
      date: tagger?.date ? Date.parse(tagger.date) : context.state.now(),
    },
  });
  return created(renderTagObject(context.state, repo, record));
}

function listTags(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const api = context.state.repoApiUrl(repo);
  return pagedReply(context.url, context.query, sortedTags(repo), (tag) => ({
    name: tag.name,
    commit: { sha: tag.sha, url: `${api}/commits/${tag.sha}` },
    zipball_url: `${api}/zipball/refs/tags/${tag.name}`,
    tarball_url: `${api}/tarball/refs/tags/${tag.name}`,
    node_id: `REF_kwDO${Buffer.from(`${repo.fullName}:refs/tags/${tag.name}`).toString('base64url')}`,
  }));
}

function listBranches(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const branches = [...repo.refs.entries()].filter(([ref]) => ref.startsWith('refs/heads/')).sort(([a], [b]) => (a < b ? -1 : 1));
  return pagedReply(context.url, context.query, branches, ([ref, sha]) => renderBranch(context.state, repo, ref.slice('refs/heads/'.length), sha));
}

function getBranch(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const branch = context.params.branch!;
  const sha = branchSha(repo, branch);
  if (!sha) throw new HttpError(404, 'Branch not found');
  return ok(renderBranch(context.state, repo, branch, sha));
}

function renderBranch(store: GitHubStore, repo: RepoRecord, name: string, sha: string): Record<string, unknown> {
  return {
    name,
    commit: { sha, url: `${store.repoApiUrl(repo)}/commits/${sha}` },
    protected: name === repo.defaultBranch,
  };
}

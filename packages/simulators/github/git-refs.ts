/**
 * Branches and tags as git refs: the git/refs API (get, matching, create, update with the
 * fast-forward rule, delete), the tags list, and the one place that turns a "commit-ish" (sha,
 * abbreviated sha, branch, tag, `heads/x`, `refs/tags/x`, HEAD) into a commit.
 */
import { HttpError, created, noContent, notFound, ok, unprocessable, validationFailed } from './http';
import type { RepoRecord } from './model';
import { pagedReply } from './pagination';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';

/** The commit a commit-ish names, or undefined. */
export function resolveCommitish(repo: RepoRecord, commitish: string): string | undefined {
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

export function setRef(repo: RepoRecord, fullRef: string, sha: string): void {
  if (!repo.graph.get(sha)) throw new Error(`Commit ${sha} does not exist in ${repo.fullName}.`);
  repo.refs.set(fullRef, sha);
}

export function renderRef(store: GitHubStore, repo: RepoRecord, fullRef: string, sha: string): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  return {
    ref: fullRef,
    node_id: `REF_kwDO${Buffer.from(`${repo.fullName}:${fullRef}`).toString('base64url')}`,
    url: `${api}/git/${fullRef}`,
    object: { sha, type: 'commit', url: `${api}/git/commits/${sha}` },
  };
}

/** Tags newest version first, as GitHub lists them (a version-aware descending sort of names). */
export function sortedTags(repo: RepoRecord): { name: string; sha: string }[] {
  const tags: { name: string; sha: string }[] = [];
  for (const [ref, sha] of repo.refs) if (ref.startsWith('refs/tags/')) tags.push({ name: ref.slice('refs/tags/'.length), sha });
  const collator = new Intl.Collator('en', { numeric: true });
  return tags.sort((a, b) => collator.compare(b.name, a.name));
}

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

/** `heads/main` and `refs/heads/main` both name the same ref in the refs API. */
const fullRefName = (ref: string) => (ref.startsWith('refs/') ? ref : `refs/${ref}`);

export function registerGitRefRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo/git/ref/*ref', (context) => {
    const repo = repoOf(context);
    const ref = fullRefName(context.params.ref!);
    const sha = repo.refs.get(ref);
    if (!sha) throw notFound();
    return ok(renderRef(context.state, repo, ref, sha));
  });

  // Deprecated but still served by GitHub: GET git/refs/{ref} answers a single ref when exact.
  router.on('GET', '/repos/:owner/:repo/git/refs/*ref', (context) => {
    const repo = repoOf(context);
    const ref = fullRefName(context.params.ref!);
    const sha = repo.refs.get(ref);
    if (!sha) throw notFound();
    return ok(renderRef(context.state, repo, ref, sha));
  });

  router.on('GET', '/repos/:owner/:repo/git/matching-refs/*ref', (context) => {
    const repo = repoOf(context);
    const prefix = fullRefName(context.params.ref!);
    const matches = [...repo.refs.entries()].filter(([ref]) => ref.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return pagedReply(context.url, context.query, matches, ([ref, sha]) => renderRef(context.state, repo, ref, sha));
  });

  router.on('POST', '/repos/:owner/:repo/git/refs', (context) => {
    const repo = repoOf(context);
    const { ref, sha } = context.body as { ref?: unknown; sha?: unknown };
    if (typeof ref !== 'string' || typeof sha !== 'string') throw validationFailed({ resource: 'Reference', code: 'missing_field', field: typeof ref !== 'string' ? 'ref' : 'sha' });
    if (!/^refs\/[^/]+\/.+/.test(ref)) throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
    const commit = repo.graph.find(sha);
    if (!commit || commit.sha !== sha.toLowerCase()) throw unprocessable('Object does not exist');
    if (repo.refs.has(ref)) throw unprocessable('Reference already exists');
    repo.refs.set(ref, commit.sha);
    return created(renderRef(context.state, repo, ref, commit.sha));
  });

  router.on('PATCH', '/repos/:owner/:repo/git/refs/*ref', (context) => {
    const repo = repoOf(context);
    const ref = fullRefName(context.params.ref!);
    const { sha, force } = context.body as { sha?: unknown; force?: unknown };
    if (typeof sha !== 'string') throw validationFailed({ resource: 'Reference', code: 'missing_field', field: 'sha' });
    const current = repo.refs.get(ref);
    if (!current) throw unprocessable('Reference does not exist');
    const commit = repo.graph.get(sha.toLowerCase());
    if (!commit) throw unprocessable('Object does not exist');
    if (force !== true && !repo.graph.isAncestor(current, commit.sha)) throw unprocessable('Update is not a fast forward');
    repo.refs.set(ref, commit.sha);
    return ok(renderRef(context.state, repo, ref, commit.sha));
  });

  router.on('DELETE', '/repos/:owner/:repo/git/refs/*ref', (context) => {
    const repo = repoOf(context);
    const ref = fullRefName(context.params.ref!);
    if (!repo.refs.delete(ref)) throw unprocessable('Reference does not exist');
    return noContent();
  });

  router.on('GET', '/repos/:owner/:repo/tags', (context) => {
    const repo = repoOf(context);
    const api = context.state.repoApiUrl(repo);
    return pagedReply(context.url, context.query, sortedTags(repo), (tag) => ({
      name: tag.name,
      commit: { sha: tag.sha, url: `${api}/commits/${tag.sha}` },
      zipball_url: `${api}/zipball/refs/tags/${tag.name}`,
      tarball_url: `${api}/tarball/refs/tags/${tag.name}`,
      node_id: `REF_kwDO${Buffer.from(`${repo.fullName}:refs/tags/${tag.name}`).toString('base64url')}`,
    }));
  });

  router.on('GET', '/repos/:owner/:repo/branches', (context) => {
    const repo = repoOf(context);
    const branches = [...repo.refs.entries()].filter(([ref]) => ref.startsWith('refs/heads/')).sort(([a], [b]) => (a < b ? -1 : 1));
    return pagedReply(context.url, context.query, branches, ([ref, sha]) => renderBranch(context.state, repo, ref.slice('refs/heads/'.length), sha));
  });

  router.on('GET', '/repos/:owner/:repo/branches/*branch', (context) => {
    const repo = repoOf(context);
    const branch = context.params.branch!;
    const sha = branchSha(repo, branch);
    if (!sha) throw new HttpError(404, 'Branch not found');
    return ok(renderBranch(context.state, repo, branch, sha));
  });
}

function renderBranch(store: GitHubStore, repo: RepoRecord, name: string, sha: string): Record<string, unknown> {
  return {
    name,
    commit: { sha, url: `${store.repoApiUrl(repo)}/commits/${sha}` },
    protected: name === repo.defaultBranch,
  };
}

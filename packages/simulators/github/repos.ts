/** The repository resource: GET /repos/{owner}/{repo}. */
import { isoTime, ok } from './http';
import type { RepoRecord } from './model';
import type { Router } from './router';
import type { GitHubStore } from './store';

export function renderRepo(store: GitHubStore, repo: RepoRecord): Record<string, unknown> {
  const api = store.repoApiUrl(repo);
  const owner = store.user(repo.owner);
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    owner: { ...store.renderUser(owner), type: 'Organization' },
    html_url: store.repoHtmlUrl(repo),
    description: null,
    fork: false,
    url: api,
    git_refs_url: `${api}/git/refs{/sha}`,
    tags_url: `${api}/tags`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    clone_url: `${store.repoHtmlUrl(repo)}.git`,
    default_branch: repo.defaultBranch,
    archived: false,
    disabled: false,
    created_at: isoTime(0),
    updated_at: isoTime(store.now()),
    pushed_at: isoTime(store.now()),
    // What an installation token with contents/pull-requests write sees.
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

export function registerRepoRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo', (context) => ok(renderRepo(context.state, context.state.repo(context.params.owner!, context.params.repo!))));
}

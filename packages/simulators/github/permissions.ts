/**
 * Token grants and the permission each route needs, in GitHub's GITHUB_TOKEN / GitHub App terms.
 * The table is the single declaration: the router refuses to register a route it does not list, so a
 * new endpoint cannot be served without saying what it needs. Levels follow GitHub's docs ("Permissions
 * required for fine-grained personal access tokens / GitHub Apps" on each endpoint page): where the
 * docs accept either of two permissions (comments and labels on a pull: issues or pull-requests), the
 * requirement lists both alternatives.
 */

export type Permission =
  | 'actions'
  | 'administration'
  | 'checks'
  | 'contents'
  | 'deployments'
  | 'id-token'
  | 'issues'
  | 'metadata'
  | 'packages'
  | 'pages'
  | 'pull-requests'
  | 'repository-projects'
  | 'security-events'
  | 'statuses';

const PERMISSIONS: readonly Permission[] = [
  'actions',
  'administration',
  'checks',
  'contents',
  'deployments',
  'id-token',
  'issues',
  'metadata',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
];

export type Level = 'read' | 'write' | 'none';

export interface TokenGrant {
  /** github-token: a job's GITHUB_TOKEN; app: an installation token; user: a personal access token. */
  kind: 'github-token' | 'app' | 'user';
  /** The account writes are attributed to (github-actions[bot] for a GITHUB_TOKEN). */
  login: string;
  permissions: 'all' | Partial<Record<Permission, Level>>;
}

/** Alternatives; each alternative is a list of [permission, level] that must all hold. `[]` = none needed. */
export type Requirement = readonly (readonly (readonly [Permission, 'read' | 'write'])[])[];

const NONE: Requirement = [];
const need = (permission: Permission, level: 'read' | 'write'): Requirement => [[[permission, level]]];
const either = (a: Permission, b: Permission, level: 'read' | 'write'): Requirement => [[[a, level]], [[b, level]]];
const both = (a: Permission, b: Permission, level: 'read' | 'write'): Requirement => [[[a, level], [b, level]]];

/** `METHOD pattern` (as registered with the router) -> what the token needs. */
export const ROUTE_PERMISSIONS: Record<string, Requirement> = {
  // repository
  'GET /repos/:owner/:repo': need('metadata', 'read'),
  'GET /repos/:owner/:repo/branches': need('contents', 'read'),
  'GET /repos/:owner/:repo/branches/*branch': need('contents', 'read'),
  'GET /repos/:owner/:repo/tags': need('contents', 'read'),
  // issues and their comments/labels: a pull is an issue, so either permission does
  'GET /repos/:owner/:repo/issues/comments': either('issues', 'pull-requests', 'read'),
  'GET /repos/:owner/:repo/issues/comments/:id': either('issues', 'pull-requests', 'read'),
  'PATCH /repos/:owner/:repo/issues/comments/:id': either('issues', 'pull-requests', 'write'),
  'DELETE /repos/:owner/:repo/issues/comments/:id': either('issues', 'pull-requests', 'write'),
  'GET /repos/:owner/:repo/issues/:number/comments': either('issues', 'pull-requests', 'read'),
  'POST /repos/:owner/:repo/issues/:number/comments': either('issues', 'pull-requests', 'write'),
  'GET /repos/:owner/:repo/issues/:number': either('issues', 'pull-requests', 'read'),
  'PATCH /repos/:owner/:repo/issues/:number': either('issues', 'pull-requests', 'write'),
  'GET /repos/:owner/:repo/issues/:number/labels': either('issues', 'pull-requests', 'read'),
  'POST /repos/:owner/:repo/issues/:number/labels': either('issues', 'pull-requests', 'write'),
  'PUT /repos/:owner/:repo/issues/:number/labels': either('issues', 'pull-requests', 'write'),
  'DELETE /repos/:owner/:repo/issues/:number/labels': either('issues', 'pull-requests', 'write'),
  'DELETE /repos/:owner/:repo/issues/:number/labels/*name': either('issues', 'pull-requests', 'write'),
  'GET /repos/:owner/:repo/labels': either('issues', 'pull-requests', 'read'),
  'POST /repos/:owner/:repo/labels': either('issues', 'pull-requests', 'write'),
  'GET /repos/:owner/:repo/labels/*name': either('issues', 'pull-requests', 'read'),
  'PATCH /repos/:owner/:repo/labels/*name': either('issues', 'pull-requests', 'write'),
  'DELETE /repos/:owner/:repo/labels/*name': either('issues', 'pull-requests', 'write'),
  // pulls
  'GET /repos/:owner/:repo/pulls': need('pull-requests', 'read'),
  'POST /repos/:owner/:repo/pulls': need('pull-requests', 'write'),
  'GET /repos/:owner/:repo/pulls/:number': need('pull-requests', 'read'),
  'PATCH /repos/:owner/:repo/pulls/:number': need('pull-requests', 'write'),
  'PUT /repos/:owner/:repo/pulls/:number/merge': need('contents', 'write'),
  'GET /repos/:owner/:repo/pulls/:number/merge': need('pull-requests', 'read'),
  'GET /repos/:owner/:repo/pulls/:number/files': need('pull-requests', 'read'),
  'GET /repos/:owner/:repo/pulls/:number/commits': need('pull-requests', 'read'),
  'GET /repos/:owner/:repo/pulls/:number/reviews': need('pull-requests', 'read'),
  'POST /repos/:owner/:repo/pulls/:number/reviews': need('pull-requests', 'write'),
  // branch protection: repository administration
  'GET /repos/:owner/:repo/branches/:branch/protection': need('administration', 'read'),
  'PUT /repos/:owner/:repo/branches/:branch/protection': need('administration', 'write'),
  'DELETE /repos/:owner/:repo/branches/:branch/protection': need('administration', 'write'),
  // commits, refs, tags, releases
  'GET /repos/:owner/:repo/commits': need('contents', 'read'),
  'GET /repos/:owner/:repo/commits/:ref/pulls': both('contents', 'pull-requests', 'read'),
  'GET /repos/:owner/:repo/commits/:ref/check-runs': need('checks', 'read'),
  'GET /repos/:owner/:repo/commits/*ref': need('contents', 'read'),
  'GET /repos/:owner/:repo/git/commits/:sha': need('contents', 'read'),
  'GET /repos/:owner/:repo/compare/*basehead': need('contents', 'read'),
  'GET /repos/:owner/:repo/git/ref/*ref': need('contents', 'read'),
  'GET /repos/:owner/:repo/git/refs/*ref': need('contents', 'read'),
  'GET /repos/:owner/:repo/git/matching-refs/*ref': need('contents', 'read'),
  'POST /repos/:owner/:repo/git/refs': need('contents', 'write'),
  'PATCH /repos/:owner/:repo/git/refs/*ref': need('contents', 'write'),
  'DELETE /repos/:owner/:repo/git/refs/*ref': need('contents', 'write'),
  'GET /repos/:owner/:repo/git/tags/:sha': need('contents', 'read'),
  'POST /repos/:owner/:repo/git/tags': need('contents', 'write'),
  'GET /repos/:owner/:repo/releases': need('contents', 'read'),
  'POST /repos/:owner/:repo/releases': need('contents', 'write'),
  'GET /repos/:owner/:repo/releases/latest': need('contents', 'read'),
  'GET /repos/:owner/:repo/releases/tags/*tag': need('contents', 'read'),
  'GET /repos/:owner/:repo/releases/:id': need('contents', 'read'),
  'PATCH /repos/:owner/:repo/releases/:id': need('contents', 'write'),
  'DELETE /repos/:owner/:repo/releases/:id': need('contents', 'write'),
  // environments, deployments, actions
  'GET /repos/:owner/:repo/environments': need('actions', 'read'),
  'GET /repos/:owner/:repo/environments/:name': need('actions', 'read'),
  'GET /repos/:owner/:repo/deployments': need('deployments', 'read'),
  'POST /repos/:owner/:repo/deployments': need('deployments', 'write'),
  'GET /repos/:owner/:repo/deployments/:id': need('deployments', 'read'),
  'GET /repos/:owner/:repo/deployments/:id/statuses': need('deployments', 'read'),
  'POST /repos/:owner/:repo/deployments/:id/statuses': need('deployments', 'write'),
  'GET /repos/:owner/:repo/actions/workflows/:workflow/runs': need('actions', 'read'),
  'GET /repos/:owner/:repo/actions/runs': need('actions', 'read'),
  'GET /repos/:owner/:repo/actions/runs/:id': need('actions', 'read'),
  'GET /repos/:owner/:repo/actions/runs/:id/artifacts': need('actions', 'read'),
  'GET /repos/:owner/:repo/actions/artifacts/:id': need('actions', 'read'),
  'GET /repos/:owner/:repo/actions/artifacts/:id/zip': need('actions', 'read'),
};

/** GraphQL root fields -> what the token needs (minimizing a comment on a pull or an issue). */
export const GRAPHQL_PERMISSIONS: Record<string, Requirement> = {
  'mutation minimizeComment': either('issues', 'pull-requests', 'write'),
  'mutation unminimizeComment': either('issues', 'pull-requests', 'write'),
  'query node': either('issues', 'pull-requests', 'read'),
  'query viewer': NONE,
  'query rateLimit': NONE,
};

const RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };

/** The level a grant has of one permission; metadata read comes with any other grant, as on GitHub. */
export function levelOf(grant: TokenGrant, permission: Permission): Level {
  if (grant.permissions === 'all') return permission === 'metadata' ? 'read' : 'write';
  const explicit = grant.permissions[permission];
  if (permission === 'metadata') {
    if (explicit && explicit !== 'none') return 'read';
    return Object.values(grant.permissions).some((level) => level && level !== 'none') ? 'read' : 'none';
  }
  return explicit ?? 'none';
}

export function allows(grant: TokenGrant, requirement: Requirement): boolean {
  if (requirement.length === 0) return true;
  return requirement.some((alternative) => alternative.every(([permission, level]) => RANK[levelOf(grant, permission)] >= RANK[level]));
}

/** GitHub's wording differs for personal access tokens. */
export function forbiddenMessage(grant: TokenGrant): string {
  return grant.kind === 'user' ? 'Resource not accessible by personal access token' : 'Resource not accessible by integration';
}

export const ALL_READ: Partial<Record<Permission, Level>> = Object.fromEntries(PERMISSIONS.map((permission) => [permission, 'read' as Level]));

/**
 * The GITHUB_TOKEN's scopes from `permissions:` as GitHub computes them: a job's mapping replaces the
 * workflow's; neither means the repository default; `read-all`, `write-all` and `{}`; a scope not named
 * in a mapping is `none`; `metadata: read` always. A called workflow can only narrow what its caller
 * job was given: asking for more fails the run before any job starts, as on GitHub.
 */
import type { Json } from './expressions';

export const SCOPES = ['actions', 'attestations', 'checks', 'contents', 'deployments', 'id-token', 'issues', 'discussions', 'metadata', 'models', 'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses'] as const;
export type Scope = (typeof SCOPES)[number];
export type Level = 'none' | 'read' | 'write';
export type Permissions = Partial<Record<Scope, Level>>;

const RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };

/** GitHub's "restricted" default for new repositories: contents and packages read. */
const RESTRICTED_DEFAULT: Permissions = { contents: 'read', packages: 'read', metadata: 'read' };

export function parsePermissions(value: Json | undefined): Permissions | undefined {
  if (value === undefined) return undefined;
  if (value === 'read-all' || value === 'write-all') {
    const level: Level = value === 'read-all' ? 'read' : 'write';
    return Object.fromEntries(SCOPES.map((scope) => [scope, scope === 'id-token' && level === 'read' ? 'none' : level])) as Permissions;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`permissions: expected read-all, write-all or a mapping, got ${JSON.stringify(value)}`);
  const result: Permissions = { metadata: 'read' };
  for (const [scope, level] of Object.entries(value)) {
    if (!(SCOPES as readonly string[]).includes(scope)) throw new Error(`permissions: unknown scope '${scope}'`);
    if (level !== 'none' && level !== 'read' && level !== 'write') throw new Error(`permissions.${scope}: expected read, write or none`);
    result[scope as Scope] = level;
  }
  return result;
}

/** A job's token: its own mapping, else the workflow's, else the repository default. */
export function effectivePermissions(job: Permissions | undefined, workflow: Permissions | undefined, repositoryDefault: Permissions = RESTRICTED_DEFAULT): Permissions {
  return { metadata: 'read', ...(job ?? workflow ?? repositoryDefault) };
}

/** Scopes a called job asks for beyond what its caller granted, as GitHub's startup error words them. */
export function exceedsCaller(callee: Permissions, caller: Permissions, jobName: string): string[] {
  const problems: string[] = [];
  for (const scope of SCOPES) {
    const asked = callee[scope] ?? 'none';
    const allowed = caller[scope] ?? 'none';
    if (RANK[asked] > RANK[allowed]) problems.push(`The nested job '${jobName}' is requesting '${scope}: ${asked}', but is only allowed '${scope}: ${allowed}'.`);
  }
  return problems;
}

export function describePermissions(permissions: Permissions): string {
  return Object.entries(permissions)
    .filter(([scope, level]) => level !== 'none' && scope !== 'metadata')
    .map(([scope, level]) => `${scope}: ${level}`)
    .join(', ') || 'none';
}

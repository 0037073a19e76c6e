/**
 * The config-free defaults: the Connect 2.0 layout (Terraform under infrastructure/, Docker
 * configuration, workflows, Alembic migrations) and the runbook's promotion flow. action.yml repeats
 * them as input defaults (a test keeps both equal); the engine uses these when an input is absent.
 */
import { PROMOTION_BRANCHES } from '../branches';

/**
 * Globs whose files are infrastructure: DESIGN.md's list, exactly. Globs naming a Dockerfile or a
 * Containerfile match case-insensitively (globs.ts), so `api.Dockerfile` and `docker/dockerfile`
 * count; only a migration folder's `versions/` is infrastructure (its `env.py` and
 * `script.py.mako` are application code, as are a frontend's `settings/migrations/`).
 */
export const DEFAULT_INFRASTRUCTURE_PATHS: readonly string[] = [
  'infrastructure/**',
  '**/*.tf',
  '**/*.tfvars',
  '**/*.hcl',
  '**/Dockerfile*',
  '**/*.dockerfile',
  '**/Containerfile*',
  '**/docker-compose*.yml',
  '**/docker-compose*.yaml',
  '**/compose.yml',
  '**/compose.yaml',
  '**/compose.*.yml',
  '**/compose.*.yaml',
  '**/.dockerignore',
  '.github/workflows/**',
  '.github/actions/**',
  '**/alembic/versions/**',
  '**/migrations/versions/**',
  'infra/**',
  'terraform/**',
  'charts/**',
  'helm/**',
  'k8s/**',
  '**/kustomization.yaml',
];

/**
 * `feature/*` -> `development` -> `staging` -> `main`, hotfixes straight to `main`; Dependabot's
 * branches (`dependabot/<ecosystem>/<name>`) go where features go (set `target-branch: development`
 * in dependabot.yml); a release branch ships to `main` and merges back into `development`. GitHub's
 * revert branches (`revert-<n>-<branch>`) need no rule: they may go wherever `<branch>` may
 * (branch-flow.ts).
 */
export const DEFAULT_BRANCH_FLOW: readonly string[] = [
  'feature/* -> development',
  'fix/* -> development',
  'infra/* -> development',
  'dependabot/** -> development',
  'development -> staging',
  'staging -> main',
  'hotfix/* -> main',
  'release/* -> main',
  'release/* -> development',
];

/**
 * Head branches whose PRs promote already-reviewed work: mixing is expected there. The one
 * definition shared with create-release (packages/branches).
 */
export const DEFAULT_PROMOTION_BRANCHES: readonly string[] = PROMOTION_BRANCHES;

export const DEFAULT_LABELS = {
  infrastructure: 'infrastructure',
  application: 'application',
  mixed: 'mixed-changes',
} as const;

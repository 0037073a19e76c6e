/**
 * The config-free defaults: the Connect 2.0 layout (Terraform under infrastructure/, Docker
 * configuration, workflows, Alembic migrations) and the runbook's promotion flow. action.yml repeats
 * them as input defaults (a test keeps both equal); the engine uses these when an input is absent.
 */

/** Globs whose files are infrastructure (the runbook's "Infrastructure PRs" list). */
export const DEFAULT_INFRASTRUCTURE_PATHS: readonly string[] = [
  'infrastructure/**',
  '**/*.tf',
  '**/*.tfvars',
  '**/*.hcl',
  '**/Dockerfile*',
  '**/*.dockerfile',
  '**/docker-compose*.yml',
  '**/docker-compose*.yaml',
  '**/compose*.yml',
  '**/compose*.yaml',
  '**/.dockerignore',
  '.github/workflows/**',
  '.github/actions/**',
  '**/alembic/versions/**',
  '**/migrations/**',
];

/** `feature/*` -> `development` -> `staging` -> `main`, hotfixes straight to `main`. */
export const DEFAULT_BRANCH_FLOW: readonly string[] = [
  'feature/* -> development',
  'fix/* -> development',
  'infra/* -> development',
  'development -> staging',
  'staging -> main',
  'hotfix/* -> main',
];

/** Head branches whose PRs promote already-reviewed work: mixing is expected there. */
export const DEFAULT_PROMOTION_BRANCHES: readonly string[] = ['development', 'staging'];

export const DEFAULT_LABELS = {
  infrastructure: 'infrastructure',
  application: 'application',
  mixed: 'mixed-changes',
} as const;

/**
 * The Connect 2.0 API repository the rehearsal plays in, as files: the FastAPI service with its tests
 * (run for real by the PR checks), Alembic migrations (app-python.ts), the production Dockerfile of the
 * runbook, and one Terraform root per environment built from `terraform_data` resources (real plans and
 * applies with the terraform on PATH, no provider download). With the real stack the roots keep their
 * state in PostgreSQL (`backend "pg"`, PG_CONN_STR from the runner, one schema per environment): state
 * persists across jobs and locks are real. Without it, the local backend inside each job's checkout.
 */

import { spawnSync } from 'node:child_process';
import { pythonAppFiles, usersEndpointPython } from './app-python';

/** Where the Terraform roots keep their state. */
export type TerraformBackend = 'pg' | 'local';

export type Files = Record<string, string | null>;

/** The Terraform the rehearsal plays with (the machine's), pinned as a team pins it: `.terraform-version`. */
function terraformVersion(): string {
  const found = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  if (found.status !== 0) return '1.11.4';
  return (JSON.parse(found.stdout) as { terraform_version: string }).terraform_version;
}

const BACKEND = (env: string, backend: TerraformBackend) =>
  backend === 'pg' ? `\n  # State in PostgreSQL (PG_CONN_STR from the runner's environment), one schema per environment.\n  backend "pg" {\n    schema_name = "terraform_${env}"\n  }\n` : '';

const TERRAFORM_ROOT = (env: string, backend: TerraformBackend) => `terraform {
  required_version = "~> ${terraformVersion().split('.').slice(0, 2).join('.')}.0"
${BACKEND(env, backend)}}

variable "environment" {
  type    = string
  default = "${env}"
}

module "api" {
  source      = "../../modules/api"
  environment = var.environment
  desired_count = ${env === 'prod' ? 4 : 2}
}
`;

export const initialFiles = (backend: TerraformBackend): Files => ({
  '.terraform-version': `${terraformVersion()}\n`,
  'README.md': '# Connect 2.0 API\n\nFastAPI service deployed to AWS ECS by the connect2-actions pipeline.\n',
  ...pythonAppFiles(),
  'infrastructure/docker/Dockerfile': 'FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY requirements.txt .\n\nFROM base AS production\nCOPY alembic.ini .\nCOPY alembic ./alembic\nCOPY app ./app\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]\n',
  'infrastructure/terraform/modules/api/main.tf': `variable "environment" {
  type = string
}

variable "desired_count" {
  type = number
}

resource "terraform_data" "service" {
  input = {
    name          = "connect2-api-service-\${var.environment}"
    desired_count = var.desired_count
  }
}
`,
  'infrastructure/terraform/environments/dev/main.tf': TERRAFORM_ROOT('dev', backend),
  'infrastructure/terraform/environments/staging/main.tf': TERRAFORM_ROOT('staging', backend),
  'infrastructure/terraform/environments/prod/main.tf': TERRAFORM_ROOT('prod', backend),
});

/** The secret each environment's Redis uses; it must never reach a comment, summary or log. */
const REDIS_SECRET = (env: string) => `rehearsal-secret-${env}-7f3a`;
export const PLAN_SECRETS = ['dev', 'staging', 'prod'].map(REDIS_SECRET);

/** The infrastructure PR of the runbook: "Add ElastiCache Redis for sessions", in every environment. */
export function redisFiles(): Files {
  const files: Files = {
    'infrastructure/terraform/modules/redis/main.tf': `variable "environment" {
  type = string
}

variable "auth_token" {
  type      = string
  sensitive = true
}

resource "terraform_data" "sessions" {
  input = {
    replication_group_id = "connect2-sessions-\${var.environment}"
    auth_token           = var.auth_token
  }
}

resource "terraform_data" "api_to_redis" {
  input = { from_port = 6379, to_port = 6379, protocol = "tcp" }
}
`,
  };
  for (const env of ['dev', 'staging', 'prod']) {
    files[`infrastructure/terraform/environments/${env}/redis.tf`] = `variable "redis_auth_token" {
  type      = string
  sensitive = true
  default   = "${REDIS_SECRET(env)}"
}

module "redis" {
  source      = "../../modules/redis"
  environment = var.environment
  auth_token  = var.redis_auth_token
}
`;
  }
  return files;
}

/** A small infrastructure change merged while the Redis PR waits: the base moves under the reviewed plan. */
export function scaleDevFiles(backend: TerraformBackend): Files {
  return { 'infrastructure/terraform/environments/dev/main.tf': TERRAFORM_ROOT('dev', backend).replace('desired_count = 2', 'desired_count = 3') };
}

/** The users endpoint of the application PR (its table comes in a migration PR of its own). */
export function usersEndpointFiles(): Files {
  return usersEndpointPython();
}

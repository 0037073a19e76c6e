/**
 * The Connect 2.0 API repository the rehearsal plays in, as files: a small Python service with its
 * tests (run for real by the PR checks with python3), Alembic migrations, the production Dockerfile of
 * the runbook, and one Terraform root per environment built from `terraform_data` resources (real
 * plans and applies with the terraform on PATH, no provider download, the local backend).
 */

import { spawnSync } from 'node:child_process';

export type Files = Record<string, string | null>;

/** The Terraform the rehearsal plays with (the machine's), pinned as a team pins it: `.terraform-version`. */
function terraformVersion(): string {
  const found = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  if (found.status !== 0) return '1.11.4';
  return (JSON.parse(found.stdout) as { terraform_version: string }).terraform_version;
}

const TERRAFORM_ROOT = (env: string) => `terraform {
  required_version = "~> ${terraformVersion().split('.').slice(0, 2).join('.')}.0"
}

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

export const INITIAL_FILES: Files = {
  '.terraform-version': `${terraformVersion()}\n`,
  'README.md': '# Connect 2.0 API\n\nFastAPI service deployed to AWS ECS by the connect2-actions pipeline.\n',
  'requirements.txt': 'fastapi==0.115.0\nuvicorn==0.30.6\nsqlalchemy==2.0.35\nalembic==1.13.2\n',
  'app/__init__.py': '',
  'app/main.py': 'from app.api.routes import health\n\nROUTES = {"/health": health.status}\n\n\ndef handle(path: str) -> dict:\n    return ROUTES[path]()\n',
  'app/api/__init__.py': '',
  'app/api/routes/__init__.py': '',
  'app/api/routes/health.py': 'def status() -> dict:\n    return {"status": "ok"}\n',
  'tests/__init__.py': '',
  'tests/test_health.py': 'import unittest\n\nfrom app.main import handle\n\n\nclass HealthTest(unittest.TestCase):\n    def test_health(self):\n        self.assertEqual(handle("/health"), {"status": "ok"})\n',
  'alembic.ini': '[alembic]\nscript_location = alembic\n',
  'alembic/env.py': '# Alembic environment (application code).\n',
  'alembic/versions/3f2a1c_initial.py': 'revision = "3f2a1c"\ndown_revision = None\n',
  'infrastructure/docker/Dockerfile': 'FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY requirements.txt .\n\nFROM base AS production\nCOPY app ./app\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]\n',
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
  'infrastructure/terraform/environments/dev/main.tf': TERRAFORM_ROOT('dev'),
  'infrastructure/terraform/environments/staging/main.tf': TERRAFORM_ROOT('staging'),
  'infrastructure/terraform/environments/prod/main.tf': TERRAFORM_ROOT('prod'),
};

/** The secret each environment's Redis uses; it must never reach a comment, summary or log. */
export const REDIS_SECRET = (env: string) => `rehearsal-secret-${env}-7f3a`;
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
export function scaleDevFiles(): Files {
  return { 'infrastructure/terraform/environments/dev/main.tf': TERRAFORM_ROOT('dev').replace('desired_count = 2', 'desired_count = 3') };
}

/** The users endpoint of the application PR. */
export function usersEndpointFiles(): Files {
  return {
    'app/api/routes/users.py': 'def list_users() -> list:\n    return []\n',
    'app/main.py': 'from app.api.routes import health, users\n\nROUTES = {"/health": health.status, "/users": users.list_users}\n\n\ndef handle(path: str):\n    return ROUTES[path]()\n',
    'tests/test_users.py': 'import unittest\n\nfrom app.main import handle\n\n\nclass UsersTest(unittest.TestCase):\n    def test_users(self):\n        self.assertEqual(handle("/users"), [])\n',
  };
}

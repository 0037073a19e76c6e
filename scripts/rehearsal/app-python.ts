/**
 * The Connect 2.0 API itself, as the rehearsal seeds and changes it: a FastAPI app whose `/health`
 * queries the database and whose `/users` reads a table, SQLAlchemy models, Alembic migrations with
 * upgrade and downgrade (alembic/env.py reads DATABASE_URL), and unittest tests the PR checks run.
 * Written for SQLAlchemy 1.4 and 2.0 (Debian ships 1.4). Where FastAPI or SQLAlchemy cannot be imported
 * (the scripted stack), the tests skip and say so.
 */
import type { Files } from './app-files';

const ALEMBIC_INI = `[alembic]
script_location = alembic

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
`;

const ALEMBIC_ENV = `"""Alembic environment: the database comes from DATABASE_URL (the task definition's secret)."""
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

def run_migrations_online() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("DATABASE_URL is not set: alembic needs the database to migrate")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()

run_migrations_online()
`;

const SCRIPT_MAKO = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
"""
from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}
revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = None
depends_on = None

def upgrade() -> None:
    \${upgrades if upgrades else "pass"}

def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`;

const INITIAL_REVISION = `"""initial: the service's metadata table

Revision ID: 3f2a1c
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "3f2a1c"
down_revision = None
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(255), nullable=False),
    )
    op.execute("INSERT INTO app_meta (key, value) VALUES ('service', 'connect2-api')")

def downgrade() -> None:
    op.drop_table("app_meta")
`;

const DB = `"""The database session: DATABASE_URL (a secret of the task definition in ECS)."""
import os

from sqlalchemy import create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./connect2.db")

engine = create_engine(DATABASE_URL, pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine)
Base = declarative_base()

def get_session():
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()
`;

const HEALTH = `from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import text

from app.db import get_session

router = APIRouter()

@router.get("/health")
def health(session=Depends(get_session)) -> dict:
    """Healthy when the database answers: the load balancer's health check."""
    try:
        session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any database failure is "unhealthy"
        raise HTTPException(status_code=503, detail="database unreachable") from error
    return {"status": "ok", "database": "ok"}
`;

const MAIN = (routers: string[]) => `import logging

from fastapi import FastAPI

from app.api.routes import ${routers.join(', ')}

logging.getLogger("uvicorn.error").info("Connect 2.0 API starting")

app = FastAPI(title="Connect 2.0 API", version="1.0.0")
${routers.map((r) => `app.include_router(${r}.router)`).join('\n')}
`;

const TEST_SUPPORT = `"""Test set-up: a throwaway SQLite database, or a visible skip where FastAPI is not installed."""
import os
import tempfile
import unittest

os.environ.setdefault("DATABASE_URL", "sqlite:///" + os.path.join(tempfile.mkdtemp(), "test.db"))

try:
    from fastapi.testclient import TestClient
    import sqlalchemy  # noqa: F401
    HAVE_STACK = True
except ImportError as missing:  # the scripted stack: no FastAPI here
    HAVE_STACK = False
    MISSING = str(missing)

requires_stack = unittest.skipUnless(HAVE_STACK, "SKIPPED: FastAPI/SQLAlchemy not importable" if not HAVE_STACK else "")

def client():
    from app import models  # noqa: F401 - registers the tables
    from app.db import Base, engine
    from app.main import app as api

    Base.metadata.create_all(engine)
    return TestClient(api)
`;

const TEST_HEALTH = `import unittest

from tests.support import client, requires_stack

@requires_stack
class HealthTest(unittest.TestCase):
    def test_health_queries_the_database(self):
        response = client().get("/health")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok"})
`;

const MODELS_INITIAL = `"""SQLAlchemy models (the tables Alembic creates)."""
from sqlalchemy import Column, String

from app.db import Base

class AppMeta(Base):
    __tablename__ = "app_meta"

    key = Column(String(64), primary_key=True)
    value = Column(String(255), nullable=False)
`;

const USER_MODEL = `

class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False, unique=True)
    name = Column(String(255), nullable=False)
`;

/**
 * The script pr-checks' API compatibility job runs (OPENAPI_COMMAND's default) once for the base's tree
 * and once for the head's: FastAPI's own document of the app, no server started. Where FastAPI cannot
 * be imported (the scripted stack) it says SKIPPED and writes an empty API, as the tests skip there.
 */
const OPENAPI_SCRIPT = `"""Writes the OpenAPI document of the app in OPENAPI_APP_DIR (default: here) to OPENAPI_OUT (default: stdout)."""
import json
import os
import sys

app_dir = os.path.abspath(os.environ.get("OPENAPI_APP_DIR", "."))
out = os.environ.get("OPENAPI_OUT")

try:
    import fastapi  # noqa: F401
    import sqlalchemy  # noqa: F401
except ImportError as missing:  # the scripted stack: no FastAPI here
    print(f"SKIPPED: FastAPI/SQLAlchemy not importable ({missing}): an empty API is written", file=sys.stderr)
    document = {"openapi": "3.1.0", "info": {"title": "SKIPPED", "version": "0"}, "paths": {}}
else:
    sys.path.insert(0, app_dir)
    from app.main import app

    document = app.openapi()

text = json.dumps(document, indent=2, sort_keys=True) + "\\n"
if out:
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"{out}: {len(document.get('paths', {}))} paths of {app_dir}")
else:
    sys.stdout.write(text)
`;

/** The application of the initial import (no users yet). */
export function pythonAppFiles(): Files {
  return {
    'requirements.txt': 'fastapi==0.115.0\nuvicorn==0.30.6\nsqlalchemy==2.0.35\nalembic==1.13.2\npsycopg2-binary==2.9.9\nhttpx==0.27.2\n',
    'app/__init__.py': '',
    'app/db.py': DB,
    'app/models.py': MODELS_INITIAL,
    'app/main.py': MAIN(['health']),
    'app/api/__init__.py': '',
    'app/api/routes/__init__.py': '',
    'app/api/routes/health.py': HEALTH,
    'scripts/openapi.py': OPENAPI_SCRIPT,
    'tests/__init__.py': '',
    'tests/support.py': TEST_SUPPORT,
    'tests/test_health.py': TEST_HEALTH,
    'alembic.ini': ALEMBIC_INI,
    'alembic/env.py': ALEMBIC_ENV,
    'alembic/script.py.mako': SCRIPT_MAKO,
    'alembic/versions/3f2a1c_initial.py': INITIAL_REVISION,
  };
}

/** The migration PR: the users table, with the two people the API starts with. */
export function usersTableMigration(): Files {
  return {
    'alembic/versions/8b9d4e_add_users_table.py': `"""add users table

Revision ID: 8b9d4e
Revises: 3f2a1c
"""
from alembic import op
import sqlalchemy as sa

revision = "8b9d4e"
down_revision = "3f2a1c"
branch_labels = None
depends_on = None

def upgrade() -> None:
    users = op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("name", sa.String(255), nullable=False),
    )
    op.bulk_insert(users, [
        {"id": 1, "email": "ada@example.com", "name": "Ada"},
        {"id": 2, "email": "grace@example.com", "name": "Grace"},
    ])

def downgrade() -> None:
    op.drop_table("users")
`,
  };
}

const FIELD_TYPES: Record<string, string> = { id: 'int', email: 'str', name: 'str' };

/** The users route answering `fields` of each user: its response model is the API clients read. */
function usersRoute(fields: string[]): string {
  return `from typing import List

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from app.db import get_session
from app.models import User

router = APIRouter(prefix="/api/v1")

class UserOut(BaseModel):
${fields.map((f) => `    ${f}: ${FIELD_TYPES[f] ?? 'str'}`).join('\n')}


@router.get("/users", response_model=List[UserOut])
def list_users(session=Depends(get_session)) -> list:
    return [{${fields.map((f) => `"${f}": u.${f}`).join(', ')}} for u in session.query(User).order_by(User.id)]
`;
}

const USERS_TEST = `import unittest

from tests.support import client, requires_stack

@requires_stack
class UsersTest(unittest.TestCase):
    def test_users_reads_the_table(self):
        api = client()
        from app.db import SessionLocal
        from app.models import User

        with SessionLocal() as session:
            session.query(User).delete()
            session.add(User(id=7, email="x@example.com", name="X"))
            session.commit()
        response = api.get("/api/v1/users")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), [{"id": 7, "email": "x@example.com", "name": "X"}])
`;

/**
 * The PR of stage 12 that breaks the API on purpose: /users stops answering each user's email
 * (a privacy change). Clients that read `email` break: API compatibility fails until it is labelled.
 */
export function usersWithoutEmail(): Files {
  return {
    'app/api/routes/users.py': usersRoute(['id', 'name']),
    'tests/test_users.py': USERS_TEST.replace('[{"id": 7, "email": "x@example.com", "name": "X"}]', '[{"id": 7, "name": "X"}]'),
  };
}

/** The application PR: the users endpoint over the users table, with its test. */
export function usersEndpointPython(): Files {
  return {
    'app/models.py': `"""SQLAlchemy models (the tables Alembic creates)."""
from sqlalchemy import Column, Integer, String

from app.db import Base


class AppMeta(Base):
    __tablename__ = "app_meta"

    key = Column(String(64), primary_key=True)
    value = Column(String(255), nullable=False)
${USER_MODEL}`,
    'app/api/routes/users.py': usersRoute(['id', 'email', 'name']),
    'app/main.py': MAIN(['health', 'users']),
    'tests/test_users.py': USERS_TEST,
  };
}

const PLAN_MIGRATION = (column: string) => `"""add users plan

Revision ID: c41f07
Revises: 8b9d4e
"""
from alembic import op
import sqlalchemy as sa

revision = "c41f07"
down_revision = "8b9d4e"
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.add_column("users", ${column})

def downgrade() -> None:
    op.drop_column("users", "plan")
`;

/**
 * The migration that fails in stage 6: a NOT NULL column without a default on a table with rows.
 * PostgreSQL refuses it (NotNullViolation); the revision after the users table.
 */
export function failingMigration(): Files {
  return { 'alembic/versions/c41f07_add_users_plan.py': PLAN_MIGRATION('sa.Column("plan", sa.String(32), nullable=False)') };
}

/** The same revision fixed: existing rows get the default plan. */
export function fixedMigration(): Files {
  return { 'alembic/versions/c41f07_add_users_plan.py': PLAN_MIGRATION('sa.Column("plan", sa.String(32), nullable=False, server_default="free")') };
}

/**
 * A bad image: in a deployed environment (ENVIRONMENT set by the task definition) the app imports a
 * module the image does not have, so uvicorn exits at import; the tests, which run without it, pass.
 */
export function gunicornWorkersPython(workers = 4): Files {
  return {
    'gunicorn.conf.py': `workers = ${workers}\n`,
    'app/main.py': `import os\n\nif os.environ.get("ENVIRONMENT") in ("staging", "prod"):\n    import gunicorn.glogging  # noqa: F401 - the workers' access log format\n\n${MAIN(['health', 'users'])}`,
  };
}

/**
 * Stage 5's fix forward on staging: the app without the gunicorn import (the config file stays, unused),
 * with a line saying why, so it is a new image and a new rollout, as a team's fix would be.
 */
export function withoutGunicornPython(): Files {
  return { 'app/main.py': `# Served by uvicorn: gunicorn is not in the image.\n${MAIN(['health', 'users'])}` };
}

/** Twenty connections where the database is PostgreSQL (SQLite, in the tests, has no pool to size). */
const LARGER_POOL = 'POOL = {"pool_size": 20} if DATABASE_URL.startswith("postgresql") else {}\n';

/**
 * Stage 11's failed production deploy: a larger pool for prod, taken from psycopg_pool, which the image
 * does not have. Only prod imports it (ENVIRONMENT from the task definition): the tests, dev and staging
 * pass; prod's tasks exit at import and the circuit breaker rolls the deploy back.
 */
export function productionPoolPython(): Files {
  const pool = `${LARGER_POOL}if os.environ.get("ENVIRONMENT") == "prod":\n    import psycopg_pool  # noqa: F401 - the connection pool prod was sized for\n\nengine = create_engine(DATABASE_URL, pool_pre_ping=True, **POOL)`;
  return { 'app/db.py': DB.replace('engine = create_engine(DATABASE_URL, pool_pre_ping=True)', pool) };
}

/** The fix forward of that deploy: the larger pool from SQLAlchemy alone. */
export function sqlalchemyPoolPython(): Files {
  return { 'app/db.py': DB.replace('engine = create_engine(DATABASE_URL, pool_pre_ping=True)', `${LARGER_POOL}engine = create_engine(DATABASE_URL, pool_pre_ping=True, **POOL)`) };
}

/** The health route as it was before stage 9's release: the fix that follows it. */
export function healthPython(): Files {
  return { 'app/api/routes/health.py': HEALTH };
}

/** Stage 9's release whose health check fails: /health now also reads a sessions table no migration created. */
export function sessionsHealthPython(): Files {
  return {
    'app/api/routes/health.py': HEALTH.replace('session.execute(text("SELECT 1"))', 'session.execute(text("SELECT 1"))\n        session.execute(text("SELECT count(*) FROM sessions"))'),
  };
}

/**
 * A release that logs a Traceback on the users endpoint once it serves, yet answers 200: sorting by a
 * field the rows lack fails, the route logs the exception and returns the users unsorted.
 */
export function usersSortedBySignupPython(): Files {
  // The same response model as the users endpoint: the API does not change, only the behaviour.
  return {
    'app/api/routes/users.py': `import traceback
${usersRoute(['id', 'email', 'name']).replace(/\n\n@router[\s\S]*$/, '')}

@router.get("/users", response_model=List[UserOut])
def list_users(session=Depends(get_session)) -> list:
    users = [{"id": u.id, "email": u.email, "name": u.name} for u in session.query(User).order_by(User.id)]
    try:
        return sorted(users, key=lambda u: u["signup_date"])
    except KeyError:
        traceback.print_exc()
        return users
`,
  };
}

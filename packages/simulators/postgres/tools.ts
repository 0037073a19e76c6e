/**
 * Which PostgreSQL and which Python the real stack uses, found on the machine, or one line saying what
 * is missing and how to install it (the rehearsal then plays scripted images).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface PostgresTools {
  bin: string;
  version: string;
}

/** The Debian packages of the real stack. */
const REAL_STACK_PACKAGES = ['postgresql', 'python3-fastapi', 'python3-uvicorn', 'python3-alembic', 'python3-psycopg2', 'python3-sqlalchemy', 'python3-httpx'];

/** PG_BIN, else the newest /usr/lib/postgresql/<major>/bin with initdb and postgres. */
export function findPostgresTools(env: NodeJS.ProcessEnv = process.env): PostgresTools | { missing: string } {
  const candidates = env.PG_BIN
    ? [env.PG_BIN]
    : (existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [])
        .filter((major) => /^\d+$/.test(major))
        .sort((a, b) => Number(b) - Number(a))
        .map((major) => `/usr/lib/postgresql/${major}/bin`);
  for (const bin of candidates) {
    if (!['initdb', 'postgres', 'psql'].every((tool) => existsSync(path.join(bin, tool)))) continue;
    const version = /\d+(\.\d+)+/.exec(spawnSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[0] ?? '';
    return { bin, version };
  }
  return { missing: 'PostgreSQL server binaries (initdb, postgres) not found in /usr/lib/postgresql/*/bin (apt-get install postgresql, or set PG_BIN)' };
}

const PYTHON_MODULES = ['fastapi', 'uvicorn', 'alembic', 'psycopg2', 'sqlalchemy', 'httpx'];

/**
 * The first interpreter that imports the application's modules: PYTHON, /usr/bin/python3 (Debian's
 * packages) or python3 on PATH (a pip install). Answers what is missing otherwise.
 */
function findPython(env: NodeJS.ProcessEnv = process.env): { python: string } | { missing: string } {
  const candidates = [env.PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  let best: { python: string; missing: string[] } | undefined;
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', `import importlib.util, sys; print(" ".join(m for m in ${JSON.stringify(PYTHON_MODULES)} if importlib.util.find_spec(m) is None)); print(sys.executable)`], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const [missingLine, executable] = probe.stdout.split('\n');
    const missing = missingLine.trim() ? missingLine.trim().split(' ') : [];
    if (missing.length === 0) return { python: executable.trim() || python };
    if (!best || missing.length < best.missing.length) best = { python, missing };
  }
  if (!best) return { missing: 'python3 not found' };
  return { missing: `python modules ${best.missing.join(', ')} not importable by ${best.python}` };
}

/** Everything the real stack needs, or one line naming what is missing and the install command. */
export function realStack(env: NodeJS.ProcessEnv = process.env): { postgres: PostgresTools; python: string } | { missing: string } {
  const postgres = findPostgresTools(env);
  const python = findPython(env);
  const missing = [postgres, python].filter((found): found is { missing: string } => 'missing' in found).map((found) => found.missing);
  if (missing.length > 0 || 'missing' in postgres || 'missing' in python) {
    return { missing: `${missing.join('; ')}; install them with: apt-get install ${REAL_STACK_PACKAGES.join(' ')}` };
  }
  return { postgres, python: python.python };
}

// The docker stand-in's image: a content-addressed snapshot of the context at the Dockerfile's target stage.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../packages/workflow-player';

const DOCKERFILE = `FROM python:3.12-slim AS base
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 LOG_LEVEL=info
COPY requirements.txt .
RUN pip install -r requirements.txt

FROM base AS production
COPY alembic.ini .
COPY alembic ./alembic
COPY app ./app
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]

FROM base AS debug
CMD python -m debugpy
`;

function context(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'context-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const APP = { 'Dockerfile': DOCKERFILE, 'requirements.txt': 'fastapi\n', 'alembic.ini': '[alembic]\n', 'alembic/env.py': '# env\n', 'app/main.py': 'app = 1\n', 'tests/test_x.py': '# not copied\n' };

describe('image snapshots', () => {
  it('takes WORKDIR, ENV and CMD from the target stage chain and copies only what COPY names', () => {
    const store = mkdtempSync(path.join(tmpdir(), 'store-'));
    const dir = context(APP);
    const image = buildSnapshot({ context: dir, dockerfile: path.join(dir, 'Dockerfile'), target: 'production', store });
    expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image).toMatchObject({ workdir: '/app', cmd: ['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000'], env: { PYTHONDONTWRITEBYTECODE: '1', LOG_LEVEL: 'info' } });
    expect(readFileSync(path.join(image.root, 'app/app/main.py'), 'utf8')).toBe('app = 1\n');
    expect(existsSync(path.join(image.root, 'app/alembic/env.py'))).toBe(true);
    expect(existsSync(path.join(image.root, 'app/requirements.txt'))).toBe(true);
    expect(existsSync(path.join(image.root, 'app/tests'))).toBe(false);
    const debug = buildSnapshot({ context: dir, dockerfile: path.join(dir, 'Dockerfile'), target: 'debug', store });
    expect(debug.cmd).toEqual(['/bin/sh', '-c', 'python -m debugpy']);
  });

  it('same content, same digest; a changed file, another digest', () => {
    const store = mkdtempSync(path.join(tmpdir(), 'store-'));
    const build = (files: Record<string, string>) => {
      const dir = context(files);
      return buildSnapshot({ context: dir, dockerfile: path.join(dir, 'Dockerfile'), target: 'production', store }).digest;
    };
    const first = build(APP);
    expect(build({ ...APP, 'tests/test_x.py': '# changed, not copied\n' })).toBe(first);
    expect(build({ ...APP, 'app/main.py': 'app = 2\n' })).not.toBe(first);
  });

  it('fails as docker does for a missing stage or a missing COPY source', () => {
    const store = mkdtempSync(path.join(tmpdir(), 'store-'));
    const dir = context(APP);
    expect(() => buildSnapshot({ context: dir, dockerfile: path.join(dir, 'Dockerfile'), target: 'nope', store })).toThrow('target stage "nope" could not be found');
    const { 'alembic.ini': _missing, ...withoutIni } = APP;
    const other = context(withoutIni);
    expect(() => buildSnapshot({ context: other, dockerfile: path.join(other, 'Dockerfile'), target: 'production', store })).toThrow('"/alembic.ini": not found');
  });
});

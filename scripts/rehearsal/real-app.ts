/**
 * The real Connect 2.0 API in the rehearsal's AWS: the image of the initial import (a snapshot built as
 * the docker stand-in builds every later one), each environment's DATABASE_URL as a Secrets Manager
 * secret its task definition names, the databases migrated to the initial revision (the app was running
 * before the story starts), and one load balancer per service: the environments' health URLs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImageSnapshot } from '../../packages/simulators/aws';
import { buildSnapshot } from '../../packages/workflow-player';
import type { Files } from './app-files';
import type { RealStack } from './real-stack';
import { ENVIRONMENTS, type AwsSimulator } from './world';

/** What seedAws needs to make the seeded tasks real: the image and each environment's secret. */
export interface RealImages {
  snapshot: ImageSnapshot & { digest: string };
  /** environment name -> the ARN of its DATABASE_URL secret. */
  databaseSecrets: Record<string, string>;
}

/** The initial commit's image, built from its files as the docker stand-in builds (target production). */
function initialImage(real: RealStack, files: Files): ImageSnapshot & { digest: string } {
  const context = mkdtempSync(path.join(tmpdir(), 'rehearsal-context-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      if (text === null) continue;
      mkdirSync(path.dirname(path.join(context, name)), { recursive: true });
      writeFileSync(path.join(context, name), text);
    }
    return buildSnapshot({ context, dockerfile: path.join(context, 'infrastructure/docker/Dockerfile'), target: 'production', store: real.imageStore });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** `alembic upgrade head` of the initial image in every environment's database, side by side. */
async function migrateInitial(real: RealStack, snapshot: ImageSnapshot): Promise<void> {
  const cwd = path.join(snapshot.root, snapshot.workdir);
  await Promise.all(ENVIRONMENTS.map((env) => new Promise<void>((resolve, reject) => {
    const child = spawn(real.python, ['-m', 'alembic', 'upgrade', 'head'], { cwd, env: { PATH: process.env.PATH, LANG: 'C.UTF-8', DATABASE_URL: real.databaseUrls[env.name] }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`alembic upgrade head of the initial image in ${env.name} exited ${code}: ${stderr.trim().split('\n').at(-1)}`))));
  })));
}

/** Secrets, the migrated databases and the initial image: the real world seedAws then completes. */
export async function prepareRealImages(aws: AwsSimulator, real: RealStack, files: Files): Promise<RealImages> {
  const snapshot = initialImage(real, files);
  const databaseSecrets = Object.fromEntries(ENVIRONMENTS.map((env) => [env.name, aws.seed.secret(`connect2/${env.name}/database-url`, real.databaseUrls[env.name])]));
  await migrateInitial(real, snapshot);
  return { snapshot, databaseSecrets };
}

/** Each environment's health URL: `/health` behind its service's load balancer. */
export async function loadBalancedHealthUrls(aws: AwsSimulator): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const env of ENVIRONMENTS) urls[env.name] = `${(await aws.loadBalancer(env.cluster, env.service)).url}/health`;
  return urls;
}

/** The base image's programs, found on this machine: the Python that imports the app's modules. */
export function executableFor(python: string): (name: string) => string[] | undefined {
  return (name) => {
    if (name === 'python' || name === 'python3') return [python];
    if (name === 'uvicorn' || name === 'alembic') return [python, '-m', name];
    return undefined;
  };
}

/**
 * Holds an ACCESS EXCLUSIVE lock on an environment's `alembic_version` table (a session of the app's
 * role, as another migration or a long transaction would), so an Alembic run there waits for it: the
 * rehearsal decides when a real migration ends. Resolves once the lock is held; `release` ends the session.
 */
export async function lockAlembicVersion(real: Pick<RealStack, 'python' | 'databaseUrls'>, env: string): Promise<{ release: () => Promise<void> }> {
  const holder = 'import sys, psycopg2\nc = psycopg2.connect(sys.argv[1])\nc.cursor().execute("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")\nprint("locked", flush=True)\nsys.stdin.read()\nc.rollback()\n';
  const child = spawn(real.python, ['-c', holder, real.databaseUrls[env]], { env: { PATH: process.env.PATH, LANG: 'C.UTF-8' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.stdin.on('error', () => undefined); // a holder that already exited has nothing left to release
  const release = async () => {
    child.stdin.end();
    await exited;
  };
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('close', (code) => reject(new Error(`the lock on ${env}'s alembic_version was not taken (exit ${code}): ${stderr.trim().split('\n').at(-1)}`)));
    child.once('error', reject);
  });
  return { release };
}

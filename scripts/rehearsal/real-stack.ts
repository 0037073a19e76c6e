/**
 * The real stack of the rehearsal, when the machine has it: the machine's PostgreSQL (one database per
 * environment, one for Terraform state) and the Python that imports FastAPI, Uvicorn, Alembic and
 * psycopg2. Without it, one line says what is missing and how to install it, and the rehearsal plays
 * scripted images as before.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { realStack, startPostgres, type PostgresServer } from '../../packages/simulators/postgres';
import type { Timeline } from './timeline';
import { ENVIRONMENTS } from './world';

export interface RealStack {
  postgres: PostgresServer;
  python: string;
  /** What every job sees (the runner's environment): where Terraform keeps its state. */
  runnerEnv: Record<string, string>;
  /** Each environment's DATABASE_URL (the value of its secret). */
  databaseUrls: Record<string, string>;
  /** Where the docker stand-in keeps image snapshots (inside the server's directory: removed with it). */
  imageStore: string;
  describe: string;
  close(): Promise<void>;
}

/** Role and password of the application in every environment (a rehearsal's throwaway credentials). */
const APP_ROLE = { user: 'connect2', password: 'connect2-rehearsal' };
const TERRAFORM_ROLE = { user: 'terraform', password: 'terraform-rehearsal' };

export async function startRealStack(timeline: Timeline, env: NodeJS.ProcessEnv = process.env): Promise<RealStack | undefined> {
  const found = env.REHEARSAL_STACK === 'scripted' ? { missing: 'REHEARSAL_STACK=scripted' } : realStack(env);
  if ('missing' in found) {
    timeline.playing(`scripted images (${found.missing})`, `Real stack unavailable: ${found.missing}. Playing scripted images.`);
    return undefined;
  }
  const postgres = await startPostgres({ tools: found.postgres });
  try {
    postgres.ensureRole(APP_ROLE.user, APP_ROLE.password);
    postgres.ensureRole(TERRAFORM_ROLE.user, TERRAFORM_ROLE.password);
    const databaseUrls: Record<string, string> = {};
    for (const environment of ENVIRONMENTS) {
      const database = `connect2_${environment.name}`;
      postgres.createDatabase(database, APP_ROLE.user);
      databaseUrls[environment.name] = postgres.url(database, APP_ROLE.user, APP_ROLE.password);
    }
    postgres.createDatabase('terraform_state', TERRAFORM_ROLE.user);
    // Inside the server's temporary directory: whatever removes it (close, the exit handlers, or its
    // guardian when this process is killed outright) removes the image snapshots too.
    const imageStore = path.join(postgres.dir, 'images');
    mkdirSync(imageStore);
    const describe = `real stack: PostgreSQL ${postgres.version} on 127.0.0.1:${postgres.port} (pid ${postgres.pid}, data in ${postgres.dir}), ${found.python}, images in ${imageStore}`;
    timeline.playing(describe, `Playing the ${describe}.`);
    return {
      postgres,
      python: found.python,
      // Terraform's pg backend asks for SSL unless told not to; the loopback server has none.
      runnerEnv: { PG_CONN_STR: `${postgres.url('terraform_state', TERRAFORM_ROLE.user, TERRAFORM_ROLE.password)}?sslmode=disable` },
      databaseUrls,
      imageStore,
      describe,
      close: () => postgres.close(),
    };
  } catch (error) {
    await postgres.close();
    throw error;
  }
}

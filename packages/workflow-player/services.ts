/**
 * `services:` of a job, where the machine can play them: a `postgres*` image becomes a fresh database on
 * the rehearsal's PostgreSQL server (world.postgres), with the role, password and database the
 * service's `env` gives the image (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, with the image's
 * defaults), reachable on the host port its `ports:` maps, as on a GitHub-hosted runner. Each hosted job
 * has a machine of its own; here jobs share one, so a job waits until the host port it maps is free.
 * Any other image, or no server, fails the job by name.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { PostgresServer } from '../simulators/postgres';

export interface ServiceSpec {
  image?: string;
  env?: Record<string, string>;
  ports?: (string | number)[];
}

export interface PlayedServices {
  /** One line per service for the job's notes. */
  notes: string[];
  stop(): Promise<void>;
}

const PORT_WAIT_MS = 120_000;

/** Why these services cannot be played, or undefined. */
export function unplayableServices(services: Record<string, ServiceSpec>, postgres: PostgresServer | undefined): string | undefined {
  for (const [name, spec] of Object.entries(services)) {
    if (!/^postgres(:|@|$)/.test(spec.image ?? '')) return `services: ${name} (${spec.image ?? 'no image'}) is not played: the workflow player plays only postgres images, on the machine's PostgreSQL`;
    if (!postgres) return `services: ${name} (${spec.image}) needs PostgreSQL, which this rehearsal runs without (apt-get install postgresql); this job cannot be rehearsed`;
  }
  return undefined;
}

/** `5432:5432` -> 5432; `5432` alone: Docker picks a host port (here: the server's own). */
function hostPort(ports: ServiceSpec['ports'], fallback: number): number {
  const mapping = (ports ?? []).map(String).find((p) => /(^|:)5432(\/tcp)?$/.test(p));
  const host = mapping?.includes(':') ? Number(mapping.split(':').at(-2)) : NaN;
  return Number.isInteger(host) && host > 0 ? host : fallback;
}

function listenWhenFree(server: Server, port: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + PORT_WAIT_MS;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE' || Date.now() > deadline || signal.aborted) {
          reject(new Error(`services: Bind for 127.0.0.1:${port} failed: port is already allocated`));
          return;
        }
        setTimeout(attempt, 250);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    };
    attempt();
  });
}

/** Forwards 127.0.0.1:port to the server, as Docker's port mapping does. */
async function forward(port: number, target: number, signal: AbortSignal): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => (socket === client ? upstream : client).destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await listenWhenFree(server, port, signal);
  const close = server.close.bind(server);
  server.close = (callback) => {
    sockets.forEach((s) => s.destroy());
    return close(callback);
  };
  return server;
}

/** Starts the job's services: a fresh database each, and the host port forwarded to the server. */
export async function startServices(services: Record<string, ServiceSpec>, postgres: PostgresServer, signal: AbortSignal): Promise<PlayedServices> {
  const notes: string[] = [];
  const forwards: Server[] = [];
  const databases: string[] = [];
  const stop = async () => {
    await Promise.all(forwards.map((server) => new Promise((resolve) => server.close(resolve))));
    for (const database of databases) postgres.dropDatabase(database);
  };
  try {
    for (const [name, spec] of Object.entries(services)) {
      const user = spec.env?.POSTGRES_USER || 'postgres';
      const password = spec.env?.POSTGRES_PASSWORD ?? '';
      if (!password) throw new Error(`services: ${name}: Database is uninitialized and superuser password is not specified (set POSTGRES_PASSWORD)`);
      const database = spec.env?.POSTGRES_DB || user;
      const port = hostPort(spec.ports, postgres.port);
      if (port !== postgres.port) forwards.push(await forward(port, postgres.port, signal));
      postgres.ensureRole(user, password);
      postgres.createDatabase(database, user);
      databases.push(database);
      notes.push(`services: ${name} (${spec.image}) is a fresh database ${database} owned by ${user} on the machine's PostgreSQL ${postgres.version}, at 127.0.0.1:${port}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { notes, stop };
}

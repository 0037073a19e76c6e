/** Started as a child by postgres.test.ts: starts PostgreSQL, prints where it is, then waits to be killed. */
import { startPostgres } from '../../packages/simulators/postgres';

const server = await startPostgres();
server.ensureRole('app', 'app');
server.createDatabase('app', 'app');
console.log(JSON.stringify({ pid: server.pid, port: server.port, dir: server.dir }));
setInterval(() => undefined, 60_000);

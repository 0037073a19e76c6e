/** The machine's PostgreSQL for tests and the rehearsal. See packages/simulators/README.md. */
export { startPostgres, type PostgresServer, type PostgresServerOptions } from './server';
export { findPostgresTools, findPython, realStack, REAL_STACK_PACKAGES, type PostgresTools } from './tools';
export { freePort, isListening } from './ports';
export { registerCleanup } from './cleanup';

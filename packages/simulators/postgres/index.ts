/** The machine's PostgreSQL for tests and the rehearsal. See packages/simulators/README.md. */
export { startPostgres, type PostgresServer } from './server';
export { findPostgresTools, realStack } from './tools';
export { freePort, isListening } from './ports';
export { registerCleanup } from './cleanup';

/**
 * vitest setup: clients made in process against a simulator on loopback wait for nothing between writes
 * and retries (the client honours these variables only for an API on this machine; bundles get them from
 * the simulator's `env`). Tests about the waits themselves pass the options explicitly.
 */
import { LOOPBACK_WAIT_VARS } from '../../packages/github';

process.env[LOOPBACK_WAIT_VARS.writeSpacingMs] ??= '0';
process.env[LOOPBACK_WAIT_VARS.retryBaseMs] ??= '0';

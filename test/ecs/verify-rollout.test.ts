/**
 * verifyRollout in process (issue #25: engine cases that need only a fake HTTP server do not spawn a
 * bundle): the key endpoints checked once the services are stable, against a local app server. A failure
 * there ends the verification before the bake, without one call to ECS (the client points nowhere).
 * The bundle's wiring of the same engine is test/wait-stable/verify.bundle.test.ts.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger, systemClock } from '../../packages/action-kit';
import { parseVerifyChecks, verifyRollout, type EcsContext } from '../../packages/ecs';
import { startKeyEndpoints, type KeyEndpoints } from '../harness/key-endpoints';

let endpoints: KeyEndpoints | undefined;
afterEach(async () => {
  await endpoints?.close();
  endpoints = undefined;
});

/** The app's key endpoints, closed after each test. */
async function startApp(statuses: Record<string, number> = {}): Promise<KeyEndpoints> {
  endpoints = await startKeyEndpoints(statuses);
  return endpoints;
}

/** An ECS client that fails any call: the checks before the bake must not need ECS. */
function unreachableEcs(): { ctx: EcsContext; calls: string[] } {
  const calls: string[] = [];
  const ecs = new ECSClient({ region: 'us-west-2', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
  ecs.middlewareStack.add((next, context) => (args) => {
    calls.push(String(context.commandName));
    return next(args);
  });
  return { ctx: { ecs, clock: systemClock, log: recordingLogger() }, calls };
}

const service = { name: 'connect2-api-service-dev', rolloutStartMs: Date.now() };

describe('verifyRollout: the key endpoints once the services are stable', () => {
  it('a key endpoint answering 500 fails the verification naming the URL, after its attempts and before any bake', async () => {
    const app = await startApp({ '/api/v1/users': 500 });
    const { ctx, calls } = unreachableEcs();
    const checks = parseVerifyChecks([`${app.base}/health 200`, `${app.base}/api/v1/users`], 'verify-urls');
    const verification = await verifyRollout(ctx, { cluster: 'connect2-dev', services: [service], checks, bakeMs: 30_000, intervalMs: 1000, checkRetryDelayMs: 0 });
    expect(verification.status).toBe('failed');
    expect(verification.failure).toBe(`GET ${app.base}/api/v1/users answered 500, expected 2xx (once the services were stable, 3 attempt(s))`);
    expect(app.asked.filter((asked) => asked === 'GET /api/v1/users')).toHaveLength(3);
    expect(verification.bake.polls).toBe(0);
    expect(calls).toEqual([]);
  });

  it('endpoints answering as expected pass, each checked once, with no bake and no log watch asked for', async () => {
    const app = await startApp({ '/missing': 404 });
    const { ctx, calls } = unreachableEcs();
    const checks = parseVerifyChecks([`${app.base}/health`, `POST ${app.base}/api/v1/users 2xx`, `${app.base}/missing 404`], 'verify-urls');
    const verification = await verifyRollout(ctx, { cluster: 'connect2-dev', services: [service], checks, bakeMs: 0, intervalMs: 1000, checkRetryDelayMs: 0 });
    expect(verification.status).toBe('passed');
    expect(app.asked).toEqual(['GET /health', 'POST /api/v1/users', 'GET /missing']);
    expect(verification.checks).toHaveLength(3);
    expect(calls).toEqual([]);
  });
});

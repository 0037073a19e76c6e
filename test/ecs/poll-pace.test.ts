/** The deployment watcher's pace (packages/ecs/poll-pace.ts) on plain DescribeServices answers. */
import { describe, expect, it } from 'vitest';
import type { Deployment, Service, ServiceEvent } from '@aws-sdk/client-ecs';
import { FORESEEN_MARGIN_MS, lastRolloutMs, nextPollDelay } from '../../packages/ecs/poll-pace';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const dep = (over: Partial<Deployment>): Deployment => ({ id: 'ecs-svc/new', status: 'PRIMARY', desiredCount: 2, runningCount: 0, pendingCount: 2, rolloutState: 'IN_PROGRESS', createdAt: at(0), ...over });
const old = dep({ id: 'ecs-svc/old', status: 'ACTIVE', runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED', createdAt: at(-600_000) });
const completedEvent = (id: string, ms: number): ServiceEvent => ({ id: `e-${id}`, createdAt: at(ms), message: `(service api) (deployment ${id}) deployment completed.` });
const svc = (deployments: Deployment[], events: ServiceEvent[] = []): Service => ({ serviceName: 'api', status: 'ACTIVE', deployments, events });
const pace = (service: Service, nowMs: number, quietPolls = 0) => nextPollDelay({ service, deploymentId: 'ecs-svc/new', intervalMs: 5000, nowMs: T0 + nowMs, quietPolls });

describe('nextPollDelay', () => {
  it('tasks still starting, no history: the interval', () => {
    expect(pace(svc([dep({}), old]), 0)).toBe(5000);
  });

  it('the new tasks run (health checks, the old tasks draining): every second', () => {
    expect(pace(svc([dep({ runningCount: 2, pendingCount: 0 }), old]), 3000)).toBe(1000);
  });

  it('tasks of the new deployment failed (the circuit breaker is counting): every second', () => {
    expect(pace(svc([dep({ failedTasks: 1 }), old]), 3000)).toBe(1000);
  });

  it('slows back towards the interval while the counts stay the same (a long drain)', () => {
    const running = svc([dep({ runningCount: 2, pendingCount: 0 }), old]);
    expect([0, 4, 5, 10, 15, 40].map((quiet) => pace(running, 3000, quiet))).toEqual([1000, 1000, 2000, 4000, 5000, 5000]);
  });

  it('never waits longer than the interval, however near the end', () => {
    const service = svc([dep({ runningCount: 2, pendingCount: 0 }), old]);
    expect(nextPollDelay({ service, deploymentId: 'ecs-svc/new', intervalMs: 500, nowMs: T0, quietPolls: 0 })).toBe(500);
  });

  it("lands just after the end the service's last rollout foresees (8 s: polls at 0, 5 and 8.25 s)", () => {
    const history = svc([dep({}), old], [completedEvent('ecs-svc/old', -600_000 + 8000)]);
    expect(pace(history, 0)).toBe(5000);
    expect(pace(history, 5000)).toBe(3000 + FORESEEN_MARGIN_MS);
    // Past the foreseen end and still starting (this rollout is slower): the interval again.
    expect(pace(history, 9000)).toBe(5000);
  });
});

describe('lastRolloutMs', () => {
  it("from the replaced deployment's creation to its 'deployment completed' event", () => {
    expect(lastRolloutMs(svc([dep({}), old], [completedEvent('ecs-svc/old', -600_000 + 42_000)]), 'ecs-svc/new')).toBe(42_000);
  });
  it("none without that event, or for the tracked deployment's own, or beyond half an hour", () => {
    expect(lastRolloutMs(svc([dep({}), old]), 'ecs-svc/new')).toBeUndefined();
    expect(lastRolloutMs(svc([dep({})], [completedEvent('ecs-svc/new', 8000)]), 'ecs-svc/new')).toBeUndefined();
    expect(lastRolloutMs(svc([dep({}), old], [completedEvent('ecs-svc/old', 3_600_000)]), 'ecs-svc/new')).toBeUndefined();
  });
});

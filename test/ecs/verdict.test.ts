/** Every transition of the watcher's verdict, on plain DescribeServices answers. */
import { describe, expect, it } from 'vitest';
import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { chooseDeployment, evaluateDeployment } from '../../packages/ecs';

const td = (n: number) => `arn:aws:ecs:us-west-2:123456789012:task-definition/api:${n}`;
const dep = (over: Partial<Deployment>): Deployment => ({ id: 'ecs-svc/new', status: 'PRIMARY', taskDefinition: td(2), desiredCount: 2, runningCount: 0, pendingCount: 0, rolloutState: 'IN_PROGRESS', ...over });
const svc = (...deployments: Deployment[]): Service => ({ serviceName: 'api', status: 'ACTIVE', deployments });
const tracked = { deploymentId: 'ecs-svc/new', taskDefinitionArn: td(2) };
const old = dep({ id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: td(1), runningCount: 2, rolloutState: 'COMPLETED' });

describe('evaluateDeployment', () => {
  it('two deployments in flight: in progress', () => {
    expect(evaluateDeployment(svc(dep({ runningCount: 1 }), old), tracked).state).toBe('in-progress');
  });
  it('COMPLETED: completed', () => {
    expect(evaluateDeployment(svc(dep({ runningCount: 2, rolloutState: 'COMPLETED' })), tracked).state).toBe('completed');
  });
  it('COMPLETED but short of desired (tasks crashed after the rollout): not stable yet', () => {
    expect(evaluateDeployment(svc(dep({ runningCount: 1, rolloutState: 'COMPLETED' })), tracked).state).toBe('in-progress');
  });
  it('FAILED while still PRIMARY (no rollback): failed with the reason', () => {
    const v = evaluateDeployment(svc(dep({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }), old), tracked);
    expect(v).toMatchObject({ state: 'failed' });
    expect(v.state === 'failed' && v.reason).toMatch(/FAILED \(ECS deployment circuit breaker: tasks failed to start\.\)/);
  });
  it('FAILED and the previous revision PRIMARY again: rolled back by the circuit breaker', () => {
    const v = evaluateDeployment(svc(dep({ status: 'ACTIVE', rolloutState: 'FAILED' }), { ...old, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }), tracked);
    expect(v).toMatchObject({ state: 'rolled-back', byCircuitBreaker: true });
  });
  it('another task definition PRIMARY while ours is still IN_PROGRESS: rolled back (not by the breaker)', () => {
    const v = evaluateDeployment(svc(dep({ status: 'ACTIVE' }), dep({ id: 'ecs-svc/other', taskDefinition: td(3) })), tracked);
    expect(v).toMatchObject({ state: 'rolled-back', byCircuitBreaker: false });
  });
  it('our deployment vanished with another revision PRIMARY: rolled back', () => {
    expect(evaluateDeployment(svc({ ...old, status: 'PRIMARY' }), tracked).state).toBe('rolled-back');
  });
  it('our deployment already dropped after the breaker failed it: rolled back by the breaker, reason from the events', () => {
    const s = {
      ...svc({ ...old, status: 'PRIMARY' }),
      events: [
        { id: '2', message: '(service api) rolling back to deployment ecs-svc/rb.' },
        { id: '1', message: '(service api) (deployment ecs-svc/new) deployment failed: tasks failed to start.' },
      ],
    };
    const v = evaluateDeployment(s, tracked);
    expect(v).toMatchObject({ state: 'rolled-back', byCircuitBreaker: true });
    expect(v.state === 'rolled-back' && v.reason).toMatch(/FAILED \(deployment failed: tasks failed to start\)/);
  });
  it('our deployment vanished with nothing to explain it: failed', () => {
    expect(evaluateDeployment(svc(), tracked).state).toBe('failed');
  });
  it('replaced by a new deployment of the same revision (forced redeploy): follow it', () => {
    const v = evaluateDeployment(svc(dep({ status: 'ACTIVE' }), dep({ id: 'ecs-svc/again' })), tracked);
    expect(v).toMatchObject({ state: 'retarget', deployment: { id: 'ecs-svc/again' } });
    expect(evaluateDeployment(svc(dep({ id: 'ecs-svc/again' })), tracked).state).toBe('retarget');
  });
  it('service draining: failed', () => {
    expect(evaluateDeployment({ ...svc(dep({})), status: 'DRAINING' }, tracked).state).toBe('failed');
  });
  describe('without rolloutState', () => {
    const bare = (over: Partial<Deployment>) => dep({ rolloutState: undefined, ...over });
    it('alone, full and of the deployed revision: completed', () => {
      expect(evaluateDeployment(svc(bare({ runningCount: 2 })), tracked).state).toBe('completed');
    });
    it('full but the old deployment still draining: in progress', () => {
      expect(evaluateDeployment(svc(bare({ runningCount: 2 }), { ...old, rolloutState: undefined }), tracked).state).toBe('in-progress');
    });
    it('alone but short of desired or with pending tasks: in progress', () => {
      expect(evaluateDeployment(svc(bare({ runningCount: 1 })), tracked).state).toBe('in-progress');
      expect(evaluateDeployment(svc(bare({ runningCount: 2, pendingCount: 1 })), tracked).state).toBe('in-progress');
    });
    it('alone and full but of another revision than expected: rolled back, never stable', () => {
      expect(evaluateDeployment(svc(bare({ runningCount: 2, taskDefinition: td(1) })), tracked).state).toBe('rolled-back');
    });
  });
});

describe('chooseDeployment', () => {
  it('prefers the deployment of the expected revision, else the PRIMARY', () => {
    const s = svc(dep({}), old);
    expect(chooseDeployment(s, td(1))?.id).toBe('ecs-svc/old');
    expect(chooseDeployment(s)?.id).toBe('ecs-svc/new');
    expect(chooseDeployment(s, td(9))).toBeUndefined();
  });
});

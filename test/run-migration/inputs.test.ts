/** run-migration's inputs, read in process from a record (as the runner's INPUT_ variables would be). */
import { describe, expect, it } from 'vitest';
import { readInputs, recordInputs } from '../../packages/action-kit';
import { readMigrationInputs } from '../../actions/run-migration/inputs';

const read = (values: Record<string, string>) => readMigrationInputs(readInputs(recordInputs({ cluster: 'c', service: 's', ...values })));

describe('readMigrationInputs', () => {
  it('has the documented defaults, also for inputs set to an empty string', () => {
    const inputs = read({ command: '', 'started-by': '' });
    expect(inputs.request.command).toEqual(['alembic', 'upgrade', 'head']);
    expect(inputs.startedBy).toBe('connect2-actions/run-migration');
    expect(inputs.timeoutMs).toBe(20 * 60_000);
    expect(inputs.intervalMs).toBe(5000);
    expect(inputs.stopOnCancel).toBe(true);
    expect(inputs.logs).toBe(true);
    expect(inputs.request.network).toEqual({ subnets: undefined, securityGroups: undefined, assignPublicIp: undefined, launchType: undefined });
  });

  it('reads lists, durations and case-insensitive assign-public-ip', () => {
    const inputs = read({
      subnets: 'subnet-a\nsubnet-b, subnet-c',
      'security-groups': 'sg-1',
      'assign-public-ip': 'enabled',
      'timeout-minutes': '90s',
      'poll-interval-seconds': '2',
      'launch-type': 'FARGATE',
    });
    expect(inputs.request.network).toEqual({ subnets: ['subnet-a', 'subnet-b', 'subnet-c'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED', launchType: 'FARGATE' });
    expect(inputs.timeoutMs).toBe(90_000);
    expect(inputs.intervalMs).toBe(2000);
  });

  it('needs the cluster', () => {
    expect(() => read({ cluster: '' })).toThrow("Input 'cluster' is required but was empty; set 'cluster' in the step's 'with:'.");
  });
});

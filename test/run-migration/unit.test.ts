/** Pure parts of the one-off task engine: the command, startedBy, placement and the console link. */
import { describe, expect, it } from 'vitest';
import { describePlacement, logStreamTarget, logsConsoleUrl, parseTaskCommand, resolvePlacement, validateStartedBy } from '../../packages/ecs';

describe('parseTaskCommand', () => {
  it('splits shell words with quotes', () => {
    expect(parseTaskCommand('alembic upgrade head')).toEqual(['alembic', 'upgrade', 'head']);
    expect(parseTaskCommand(`python -c "print('hi there')"`)).toEqual(['python', '-c', "print('hi there')"]);
    expect(parseTaskCommand(`echo '$HOME'`)).toEqual(['echo', '$HOME']);
  });

  it('takes a JSON array of strings as it is', () => {
    expect(parseTaskCommand('["sh","-c","alembic upgrade head && alembic current"]')).toEqual(['sh', '-c', 'alembic upgrade head && alembic current']);
  });

  it.each([
    ['alembic upgrade head && alembic current', "operator '&&'"],
    ['alembic history | head', "operator '|'"],
    ['alembic upgrade head; echo done', "operator ';'"],
    ['alembic upgrade head > out.txt', "operator '>'"],
    ['ls migrations/*.py', "glob 'migrations/*.py'"],
    ['alembic upgrade $REVISION', "variable '$REVISION'"],
  ])('refuses shell syntax in %s, naming the input and suggesting a JSON array', (command, found) => {
    expect(() => parseTaskCommand(command)).toThrow(`Input 'command' uses shell syntax (${found}) but ECS runs the command without a shell; pass a JSON array, e.g. ${JSON.stringify(['sh', '-c', command])}.`);
  });

  it('keeps shell syntax inside an explicit sh -c / bash -c script: the shell there is the user\'s', () => {
    expect(parseTaskCommand('sh -c "alembic upgrade head; echo $DATABASE_URL"')).toEqual(['sh', '-c', 'alembic upgrade head; echo ${DATABASE_URL}']);
    expect(parseTaskCommand(`bash -c 'alembic upgrade head && alembic current | tee out.txt'`)).toEqual(['bash', '-c', 'alembic upgrade head && alembic current | tee out.txt']);
    expect(parseTaskCommand('/bin/sh -ec "alembic upgrade ${REVISION:-head} > /tmp/out; echo $(date)"')).toEqual(['/bin/sh', '-ec', 'alembic upgrade ${REVISION:-head} > /tmp/out; echo $(date)']);
    expect(parseTaskCommand(`bash -c 'echo "$1"' migrate head`)).toEqual(['bash', '-c', 'echo "$1"', 'migrate', 'head']);
  });

  it.each([
    ['sh -c "alembic upgrade head" && echo done', "operator '&&'"],
    ['sh -c "alembic upgrade $1" $REVISION', "variable '$REVISION'"],
    ['sh -c', "operator"],
    ['sh alembic.sh; echo done', "operator ';'"],
  ])('still refuses shell syntax outside the sh -c script: %s', (command, found) => {
    expect(() => parseTaskCommand(command)).toThrow(/^Input 'command' (uses shell syntax|has no script after -c)/);
    if (found !== 'operator') expect(() => parseTaskCommand(command)).toThrow(`(${found})`);
  });

  it('refuses JSON that is not an array of strings', () => {
    expect(() => parseTaskCommand('["alembic", 1]')).toThrow(/^Input 'command' is not a non-empty JSON array of strings/);
    expect(() => parseTaskCommand('["alembic"')).toThrow(/^Input 'command' starts with '\[' but is not valid JSON/);
    expect(() => parseTaskCommand('  ')).toThrow(/^Input 'command' is empty/);
  });
});

describe('validateStartedBy', () => {
  it('accepts what ECS accepts and refuses the rest', () => {
    expect(validateStartedBy('connect2-actions/run-migration')).toBe('connect2-actions/run-migration');
    expect(() => validateStartedBy('x'.repeat(37))).toThrow(/^Input 'started-by' is 37 characters long; use at most 36/);
    expect(() => validateStartedBy('run migration')).toThrow(/^Input 'started-by' is 'run migration', with characters ECS does not allow/);
  });
});

describe('resolvePlacement', () => {
  const vpc = { subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' as const };

  it('never sends a launch type with a capacity provider strategy', () => {
    const placement = resolvePlacement(
      { serviceName: 's', launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }], networkConfiguration: { awsvpcConfiguration: vpc } },
      {},
      'awsvpc',
    );
    expect(placement.launchType).toBeUndefined();
    expect(placement.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }]);
    expect(describePlacement(placement)).toBe('capacity providers FARGATE_SPOT (weight 1); subnets subnet-a; security groups sg-1; public IP DISABLED');
  });

  it('lets a launch-type input replace the service\'s capacity provider strategy', () => {
    const placement = resolvePlacement(
      { serviceName: 's', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }], platformVersion: 'LATEST', networkConfiguration: { awsvpcConfiguration: vpc } },
      { launchType: 'FARGATE', subnets: ['subnet-b'] },
      'awsvpc',
    );
    expect(placement).toEqual({
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
    });
  });

  it('copies an EC2 service\'s placement rules, not when Fargate is asked for', () => {
    const service = {
      serviceName: 's',
      launchType: 'EC2' as const,
      placementConstraints: [{ type: 'memberOf' as const, expression: 'attribute:ecs.instance-type =~ t3.*' }],
      placementStrategy: [{ type: 'spread' as const, field: 'attribute:ecs.availability-zone' }],
    };
    expect(resolvePlacement(service, {}, 'bridge')).toEqual({
      launchType: 'EC2',
      placementConstraints: service.placementConstraints,
      placementStrategy: service.placementStrategy,
    });
    expect(resolvePlacement(service, { launchType: 'FARGATE', subnets: ['subnet-a'] }, 'awsvpc')).toEqual({
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } },
    });
  });

  it('sends no network configuration for a bridge task without network inputs', () => {
    expect(resolvePlacement({ serviceName: 's', launchType: 'EC2' }, {}, 'bridge')).toEqual({ launchType: 'EC2' });
  });
});

describe('logsConsoleUrl', () => {
  it('double-encodes names with $ for %, as the CloudWatch console does', () => {
    expect(logsConsoleUrl('us-west-2', '/ecs/connect2-api-dev', 'ecs/connect2-api/abc')).toBe(
      'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Fconnect2-api-dev/log-events/ecs$252Fconnect2-api$252Fabc',
    );
  });
});

describe('logStreamTarget', () => {
  const arn = 'arn:aws:ecs:us-west-2:123456789012:task/connect2-api-cluster-dev/0123abcd';

  it('follows the awslogs options, region included', () => {
    const found = logStreamTarget(
      { name: 'connect2-api', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/api', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'web' } } },
      arn,
      'us-west-2',
    );
    expect(found).toEqual({ target: { group: '/ecs/api', region: 'eu-west-1', stream: 'web/connect2-api/0123abcd', url: logsConsoleUrl('eu-west-1', '/ecs/api', 'web/connect2-api/0123abcd') } });
  });

  it('says why a stream cannot be known', () => {
    expect(logStreamTarget({ name: 'a', logConfiguration: { logDriver: 'awsfirelens' } }, arn, 'us-west-2')).toEqual({ reason: 'container a logs with awsfirelens, not awslogs' });
    expect(logStreamTarget({ name: 'a' }, arn, 'us-west-2')).toEqual({ reason: 'container a has no logConfiguration' });
  });
});

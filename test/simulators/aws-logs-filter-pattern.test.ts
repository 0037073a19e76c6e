/**
 * FilterLogEvents in the AWS simulator answers with CloudWatch's filter pattern rules (terms, `?` any,
 * `-` none, quoted phrases, `%regex%`) and rejects what CloudWatch rejects with InvalidParameterException.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilterLogEventsCommand, InvalidParameterException, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { VirtualClock } from '../../packages/action-kit';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';

let aws: AwsSimulator;
let logs: CloudWatchLogsClient;
const GROUP = '/ecs/connect2-api-dev';
const LINES = [
  'INFO:     127.0.0.1 - "GET /health HTTP/1.1" 200 OK',
  'ERROR:    Exception in ASGI application',
  'Traceback (most recent call last):',
  'CRITICAL database unreachable',
  'ERROR HealthCheck probe timed out',
  'error: lower case is another term',
  'INFO user_id=42 GET /api/v1/users 500',
];

beforeEach(async () => {
  aws = await startAwsSimulator({ clock: new VirtualClock() });
  aws.seed.logLines(GROUP, 'ecs/connect2-api/task1', LINES.slice(0, 4));
  aws.seed.logLines(GROUP, 'ecs/connect2-api/task2', LINES.slice(4));
  ({ logs } = aws.clients({ maxAttempts: 1 }));
});
afterEach(() => aws.close());

const filter = async (filterPattern: string) => {
  const answer = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern }));
  return answer.events!.map((e) => e.message);
};

describe('FilterLogEvents filter patterns', () => {
  it('matches terms case-sensitively, all of them', async () => {
    expect(await filter('ERROR')).toEqual([LINES[1], LINES[4]]);
    expect(await filter('ERROR Exception')).toEqual([LINES[1]]);
    expect(await filter('')).toHaveLength(LINES.length);
  });

  it('? terms: any of them; - terms: none of them', async () => {
    expect(await filter('?ERROR ?CRITICAL ?Traceback')).toEqual([LINES[1], LINES[2], LINES[3], LINES[4]]);
    expect(await filter('ERROR -HealthCheck')).toEqual([LINES[1]]);
    expect(await filter('?ERROR ?CRITICAL -database')).toEqual([LINES[1], LINES[4]]);
  });

  it('quoted phrases and %regex%', async () => {
    expect(await filter('"most recent call"')).toEqual([LINES[2]]);
    expect(await filter('"user_id=42"')).toEqual([LINES[6]]);
  });

  it('%regex% of the supported subset', async () => {
    expect(await filter('%users.5[0-9][0-9]$%')).toEqual([LINES[6]]);
    expect(await filter('%^ERROR%')).toEqual([LINES[1], LINES[4]]);
  });

  it('rejects what CloudWatch rejects, with InvalidParameterException', async () => {
    for (const pattern of ['user_id=42', 'ERROR "unterminated', '%a(b)%', '%/api/v1/users 5%', '%a% %b% %c%', '? ERROR']) {
      const error = await filter(pattern).catch((e: unknown) => e);
      expect(error, pattern).toBeInstanceOf(InvalidParameterException);
    }
    const error = (await filter('user_id=42').catch((e: unknown) => e)) as Error;
    expect(error.message).toBe("Invalid character(s) in term 'user_id=42'");
  });
});

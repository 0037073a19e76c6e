/**
 * Tasks of snapshot images run as local processes: service tasks on free loopback ports become RUNNING
 * when they answer HTTP, their output reaches CloudWatch Logs as the awslogs driver names streams,
 * secrets resolve from Secrets Manager, exit codes are real, StopTask sends SIGTERM, a crashing image
 * trips the circuit breaker, and closing the simulator leaves no process behind.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeServicesCommand, DescribeTasksCommand, RunTaskCommand, StopTaskCommand, UpdateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAwsSimulator, type AwsSimulator, type ImageSnapshot } from '../../packages/simulators/aws';

const SERVER = `import os, signal, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port = int(sys.argv[sys.argv.index("--port") + 1])
host = sys.argv[sys.argv.index("--host") + 1]

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok " + os.environ["ENVIRONMENT"].encode())
    def log_message(self, *args):
        pass

def stop(*_):
    print("shutting down", flush=True)
    sys.exit(0)

signal.signal(signal.SIGTERM, stop)
print("listening on %s:%d, database %s" % (host, port, "configured" if os.environ.get("DATABASE_URL", "").startswith("postgresql://") else "missing"), flush=True)
HTTPServer((host, port), Handler).serve_forever()
`;

function snapshot(): ImageSnapshot {
  const root = mkdtempSync(path.join(tmpdir(), 'snapshot-'));
  writeFileSync(path.join(root, 'server.py'), SERVER);
  return { root, workdir: '.', cmd: ['python3', 'server.py', '--host', '0.0.0.0', '--port', '8000'], entrypoint: [], env: { ENVIRONMENT: 'dev' } };
}

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function world(): Promise<{ aws: AwsSimulator; taskDefinition: (image: string) => Record<string, unknown> }> {
  const aws = await startAwsSimulator({ processes: { stopTimeoutMs: 2000 } });
  closers.push(() => aws.close());
  aws.seed.cluster('c');
  const { repositoryUri } = aws.seed.repository('api');
  const secret = aws.seed.secret('connect2/dev/database-url', 'postgresql://app:pw@127.0.0.1:5432/app');
  const taskDefinition = (image: string) => ({
    family: 'api',
    containerDefinitions: [{
      name: 'api', image: `${repositoryUri}:${image}`, essential: true,
      portMappings: [{ containerPort: 8000 }],
      secrets: [{ name: 'DATABASE_URL', valueFrom: secret }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/api', 'awslogs-stream-prefix': 'ecs', 'awslogs-region': 'us-west-2' } },
    }],
  });
  return { aws, taskDefinition };
}

describe('tasks as processes', () => {
  it('runs service tasks on loopback ports, logs to CloudWatch, runs one-off commands with real exit codes, stops with SIGTERM', async () => {
    const { aws, taskDefinition } = await world();
    aws.seed.image('api', 'v1', { snapshot: snapshot() });
    const td = aws.seed.taskDefinition(taskDefinition('v1'));
    aws.seed.service({ cluster: 'c', serviceName: 'api', taskDefinition: td, desiredCount: 2, launchType: 'FARGATE' });
    const { ecs, logs } = aws.clients();
    await vi.waitFor(async () => {
      const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['api'] }));
      expect(services?.[0].runningCount).toBe(2);
    }, { timeout: 30_000, interval: 200 });
    const tasks = aws.state.tasks('c').filter((t) => t.lastStatus === 'RUNNING');
    const ports = tasks.map((t) => t.model.process?.port);
    expect(new Set(ports).size).toBe(2);
    for (const port of ports) expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok dev');
    const balancer = await aws.loadBalancer('c', 'api');
    const answers = await Promise.all([1, 2].map(async () => (await fetch(`${balancer.url}/health`)).status));
    expect(answers).toEqual([200, 200]);
    const stream = `ecs/api/${tasks[0].model.id}`;
    await vi.waitFor(async () => {
      const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/api', logStreamName: stream }));
      expect(events?.map((e) => e.message)).toContain(`listening on 127.0.0.1:${ports[0]}, database configured`);
    }, { timeout: 10_000, interval: 200 });

    const { tasks: [oneOff] = [] } = await ecs.send(new RunTaskCommand({ cluster: 'c', taskDefinition: td, launchType: 'FARGATE', overrides: { containerOverrides: [{ name: 'api', command: ['python3', '-c', 'print("migrating"); raise SystemExit(3)'] }] } }));
    await vi.waitFor(async () => {
      const { tasks: [t] = [] } = await ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: [oneOff.taskArn!] }));
      expect(t.lastStatus).toBe('STOPPED');
      expect(t.containers?.[0].exitCode).toBe(3);
      expect(t.stopCode).toBe('EssentialContainerExited');
    }, { timeout: 30_000, interval: 200 });
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/api', logStreamName: `ecs/api/${oneOff.taskArn!.split('/').pop()}` }));
    expect(events?.map((e) => e.message)).toEqual(['migrating']);

    await ecs.send(new StopTaskCommand({ cluster: 'c', task: tasks[0].taskArn, reason: 'test' }));
    await vi.waitFor(async () => {
      const { tasks: [t] = [] } = await ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: [tasks[0].taskArn] }));
      expect(t.lastStatus).toBe('STOPPED');
      expect(t.containers?.[0].exitCode).toBe(0);
      const { events: lines } = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/api', logStreamName: stream }));
      expect(lines?.map((e) => e.message)).toContain('shutting down');
    }, { timeout: 30_000, interval: 200 });
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['api'] }));
    expect(services?.[0].events?.[0].message).toMatch(/has started 1 tasks/);
  }, 90_000);

  it('a service whose image crashes at start trips the circuit breaker and rolls back; nothing runs after close', async () => {
    const { aws, taskDefinition } = await world();
    const good = snapshot();
    aws.seed.image('api', 'v1', { snapshot: good });
    aws.seed.image('api', 'bad', { snapshot: { ...good, cmd: ['python3', '-c', 'import gunicorn'] } });
    const td = aws.seed.taskDefinition(taskDefinition('v1'));
    aws.seed.service({ cluster: 'c', serviceName: 'api', taskDefinition: td, desiredCount: 1, launchType: 'FARGATE', deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } });
    const { ecs } = aws.clients();
    const bad = await ecs.send(new RegisterTaskDefinitionCommand(taskDefinition('bad') as never));
    await ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'api', taskDefinition: bad.taskDefinition!.taskDefinitionArn }));
    await vi.waitFor(async () => {
      const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['api'] }));
      expect(services?.[0].events?.some((e) => /rolling back to deployment/.test(e.message ?? ''))).toBe(true);
    }, { timeout: 60_000, interval: 300 });
    // The breaker counts tasks that exited (STOPPING or STOPPED): each exited 1, the import's failure.
    const crashed = aws.state.tasks('c').filter((t) => t.taskDefinitionArn === bad.taskDefinition!.taskDefinitionArn && t.model.failed);
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    expect(crashed.every((t) => t.model.containers[0].exitCode === 1 && t.stopCode === 'EssentialContainerExited')).toBe(true);
    const pids = aws.state.tasks('c').map((t) => t.model.process?.pid).filter((pid): pid is number => pid !== undefined);
    await aws.close();
    closers.length = 0;
    for (const pid of pids) expect(alive(pid), `process ${pid}`).toBe(false);
  }, 90_000);
});

/**
 * The README's "Manual deployment (no GitHub Actions)" section: every command of the runbook's manual
 * section has its row, every `connect2` flag written there exists, and its command blocks run as
 * written against the AWS simulator (docker and the AWS CLI stubbed, placeholders filled in).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { ACTION_SPECS } from '../../packages/cli/action-inputs.generated';
import { COMMANDS } from '../../packages/cli/commands';
import { repoRoot } from '../harness/run-action';
import { installedCli } from './run-cli';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Manual deployment (no GitHub Actions)'), readme.indexOf('## Contributing'));
const runbookFile = path.resolve(repoRoot, '..', 'shared', 'runbook', 'DEPLOYMENT.md');
const haveRunbook = existsSync(runbookFile);
if (!haveRunbook) console.warn(`SKIPPED: runbook not found at ${runbookFile}; the one-for-one check is skipped.`);

const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
/** Each `connect2 ...` invocation, continuation lines joined. */
const invocations = blocks
  .flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'))
  .flatMap((line) => [...line.matchAll(/(?<![\w-])connect2 (\w+)([^|)]*)/g)].map((m) => ({ command: m[1], flags: [...m[2].matchAll(/--([a-z-]+)/g)].map((f) => f[1]) })));

let sim: AwsSimulator | undefined;
let http: Server | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  http = undefined;
});

/** Runs a script with bash exactly as written (its own `set -euo pipefail`), asynchronously: the simulator answers from this process. */
function bash(script: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], {
      cwd: repoRoot,
      env: { PATH: installedCli(), HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(guard);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The placeholders filled in, the profile left to the simulator's environment, polling every second. */
function fillIn(block: string, health: string): string {
  return block
    .replace('<account-id>', '123456789012')
    .replace('https://<prod-api-host>/health', health)
    .replace(/^export AWS_PROFILE=.*$/m, '')
    .replace(/((?<![\w-])connect2 (?:deploy|migrate|wait) [^\n]*?)(\\?)$/gm, '$1 --poll-interval-seconds 1 $2');
}

describe('README: Manual deployment (no GitHub Actions)', () => {
  it.skipIf(!haveRunbook)('has a row for every command of the runbook\'s manual section', () => {
    const runbook = readFileSync(runbookFile, 'utf8');
    const manual = runbook.slice(runbook.indexOf('## Manual Deployment'), runbook.indexOf('## Deployment Checklist'));
    const commands = [...manual.matchAll(/^(docker \w+|aws ecr get-login-password|aws ecs [\w-]+|terraform \w+)/gm)].map((m) => m[1]);
    expect(commands).toEqual(expect.arrayContaining(['docker build', 'aws ecr get-login-password', 'docker tag', 'docker push', 'aws ecs update-service', 'aws ecs wait', 'terraform init', 'terraform plan', 'terraform apply']));
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    for (const command of new Set(commands.filter((c) => c !== 'terraform init'))) {
      expect(rows.some((row) => row.split(' | ')[0].includes(command)), `no row for ${command}`).toBe(true);
    }
    // The runbook's flag that loses the safety is gone; the migration path (ECS Exec) has its row too.
    expect(section).toMatch(/\| `aws ecs update-service --force-new-deployment` \| `connect2 deploy/);
    expect(section).toMatch(/\| `aws ecs execute-command [^|]*` \(Database Migrations\) \| `connect2 migrate/);
  });

  it('uses only commands and flags the CLI has', () => {
    expect(invocations.length).toBeGreaterThanOrEqual(8);
    for (const { command, flags } of invocations) {
      const spec = COMMANDS.find((c) => c.name === command);
      expect(spec, command).toBeDefined();
      const inputs = Object.keys(ACTION_SPECS[spec!.action].inputs);
      for (const flag of flags) expect([...inputs, ...Object.keys(spec!.extraFlags ?? {}), ...Object.keys(spec!.valueFlags ?? {}), 'json', 'help'], `${command} --${flag}`).toContain(flag);
    }
  });

  it('never tells anyone to run an unscoped `npx connect2` outside a clone; every block starts with set -euo pipefail', () => {
    for (const block of blocks) {
      expect(block).not.toMatch(/npx connect2/);
      if (/(?<![\w-])connect2 (deploy|migrate|wait|plan|status|rollback)/.test(block)) expect(block.startsWith('set -euo pipefail\n'), block.split('\n')[0]).toBe(true);
    }
    expect(section).toMatch(/npm install --global ~\/connect2-actions/);
  });

  it('the tested block runs as written against the simulator: deploy, wait, status, rollback to previous', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    sim.seed.image(world.repository, 'next');
    const block = /<!-- tested: connect2 -->\s*```bash\n([\s\S]*?)```/.exec(section)![1];
    const result = await bash(block, { ...sim.env });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^status: deployed$/m);
    expect(result.stdout).toMatch(/^status: stable$/m);
    expect(result.stdout).toMatch(/^connect2-api-service-dev: ACTIVE, runs connect2-api-dev:2, /m);
    expect(result.stdout).toMatch(/^ {2}previous: connect2-api-dev:1 /m);
    expect(result.stdout).toMatch(new RegExp(`^task-definition-arn: ${world.taskDefinitionArn}$`, 'm'));
    expect(sim.state.service(world.cluster, world.service).deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition).toBe(world.taskDefinitionArn);
  });

  it('the tested block stops at a failed deploy (set -euo pipefail): nothing after it runs', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    sim.seed.image(world.repository, 'crash-loop', { scenario: { kind: 'crash-loop', exitCode: 1 } });
    const block = /<!-- tested: connect2 -->\s*```bash\n([\s\S]*?)```/.exec(section)![1].replace('connect2-api-dev:next', 'connect2-api-dev:crash-loop');
    const result = await bash(block, { ...sim.env });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^status: rolled-back$/m);
    expect(result.stdout).not.toMatch(/^status: stable$/m);
    expect(sim.calls('ListServiceDeployments')).toHaveLength(0);
  });

  it('the Deploy Application block stops at a failing migration: the revision is registered, never rolled out', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim, { env: 'prod' });
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    sim.seed.image(world.repository, sha);
    sim.scenarios.forCommand('alembic upgrade head', { kind: 'exit', exitCode: 3, afterMs: 500, logLines: ['sqlalchemy.exc.ProgrammingError: relation "users" already exists'] });
    const block = blocks.find((b) => b.includes('docker build'))!;
    const result = await bash(['docker() { echo "docker $*" >&2; }', 'aws() { echo "aws $*" >&2; }', fillIn(block, 'http://127.0.0.1:9/health')].join('\n'), { ...sim.env });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^connect2 migrate: .*exited with code 3/m);
    expect(sim.calls('RegisterTaskDefinition')).toHaveLength(1);
    expect(sim.calls('UpdateService')).toHaveLength(0);
    expect(result.stdout).not.toMatch(/Result: deployed/);
  });

  it('the Deploy Application block runs against the simulator (docker and aws stubbed): register, migrate with that revision, roll out, wait', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim, { env: 'prod' });
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    sim.seed.image(world.repository, sha);
    http = createServer((_req, res) => res.writeHead(200).end('ok'));
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    const health = `http://127.0.0.1:${(http.address() as AddressInfo).port}/health`;
    const block = blocks.find((b) => b.includes('docker build'))!;
    const script = [
      'docker() { echo "docker $*" >&2; }',
      'aws() { echo "aws $*" >&2; }',
      fillIn(block, health),
    ].join('\n');
    const result = await bash(script, { ...sim.env });
    expect(result.status, result.stderr).toBe(0);
    const registered = sim.calls('RegisterTaskDefinition');
    expect(registered).toHaveLength(1);
    const runTask = sim.calls('RunTask');
    expect(runTask).toHaveLength(1);
    expect(runTask[0].body.taskDefinition).toMatch(/connect2-api-prod:2$/);
    expect(runTask[0].body.overrides.containerOverrides).toEqual([{ name: 'connect2-api', command: ['alembic', 'upgrade', 'head'] }]);
    expect(sim.calls('UpdateService')).toHaveLength(1);
    expect(sim.calls('UpdateService')[0].body.taskDefinition).toMatch(/connect2-api-prod:2$/);
    expect(result.stdout).toMatch(/^status: stable$/m);
  });
});

/**
 * The README's "Try it by hand" walk-through, run as a new user would: `npm run sim` in one shell,
 * its `export` lines pasted into another, then the README's AWS CLI commands and its bundle command,
 * exactly as written there (blocks marked `<!-- tested: ... -->`). The AWS CLI part skips visibly
 * when no `aws` is installed.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './harness/run-action';
import { installedCli } from './cli/run-cli';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** The fenced block right after `<!-- tested: name -->`. */
function testedBlock(name: string): string {
  const match = new RegExp(`<!-- tested: ${name} -->\\s*\`\`\`(?:bash|sh)\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no block marked <!-- tested: ${name} -->`);
  return match[1];
}

let sim: ChildProcess;
let simOutput = '';
let env: Record<string, string> = {};

beforeAll(async () => {
  sim = spawn(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/sim.ts'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run sim did not get ready:\n${simOutput}`)), 120_000); // tsx compiling the simulators: slow on a loaded machine
    sim.stdout!.on('data', (chunk: Buffer) => {
      simOutput += chunk.toString();
      if (simOutput.includes('# Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    });
    sim.stderr!.on('data', (chunk: Buffer) => (simOutput += chunk.toString()));
    sim.on('exit', (code) => reject(new Error(`npm run sim exited with ${code}:\n${simOutput}`)));
  });
  env = Object.fromEntries([...simOutput.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
});

afterAll(() => {
  sim?.kill('SIGTERM');
});

/** Runs a README block with bash in a shell holding only the exported variables (and PATH, HOME). */
async function runBlock(script: string, pathVariable = process.env.PATH!): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: repoRoot,
    encoding: 'utf8',
    // A shell of the person trying it: their PATH and HOME, no AWS profile of the test machine.
    env: { PATH: pathVariable, HOME: process.env.HOME!, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...env },
    timeout: 60_000,
  });
}

describe('npm run sim', () => {
  it('prints the variables for the SDKs and the AWS CLI (AWS_DEFAULT_REGION too) and the README commands', () => {
    expect(env).toMatchObject({ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-west-2', GITHUB_REPOSITORY: 'connect2/connect2-api' });
    expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const block of ['aws-cli', 'bundle']) {
      for (const line of testedBlock(block).split('\n').filter((l) => l.trim() && !l.startsWith('#'))) {
        expect(simOutput, `npm run sim prints the README line: ${line}`).toContain(line.replace(/\s+#.*$/, ''));
      }
    }
  });
});

// First, on the world as `npm run sim` seeds it (the bundle tests below deploy to the same service).
describe('the README connect2 block against npm run sim', () => {
  it('deploys, waits, shows the status and rolls back to the revision that served before, as written', async () => {
    const { stdout } = await runBlock(testedBlock('connect2'), installedCli());
    expect(stdout).toMatch(/^status: deployed$/m);
    expect(stdout).toMatch(/^status: stable$/m);
    expect(stdout).toMatch(/^connect2-api-service-dev: ACTIVE, runs connect2-api-dev:2, /m);
    expect(stdout).toMatch(/^ {2}previous: connect2-api-dev:1 \(what rollback --to previous deploys\)$/m);
    expect(stdout).toMatch(/^task-definition-arn: arn:aws:ecs:us-west-2:123456789012:task-definition\/connect2-api-dev:1$/m);
  });
});

const cli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
if (cli.status !== 0) console.log('SKIPPED: the README AWS CLI commands against npm run sim (no `aws` on PATH)');

describe.skipIf(cli.status !== 0)('the README AWS CLI commands', () => {
  it(`list the seeded clusters, services and log groups and the caller (${`${cli.stdout ?? ''}${cli.stderr ?? ''}`.trim().split(' ')[0] || 'no CLI'})`, async () => {
    const { stdout } = await runBlock(testedBlock('aws-cli'));
    for (const name of ['dev', 'staging', 'prod']) {
      expect(stdout).toContain(`"arn:aws:ecs:us-west-2:123456789012:cluster/connect2-api-cluster-${name}"`);
      expect(stdout).toContain(`"logGroupName": "/ecs/connect2-api-${name}"`);
    }
    expect(stdout).toContain('"arn:aws:ecs:us-west-2:123456789012:service/connect2-api-cluster-dev/connect2-api-service-dev"');
    expect(stdout).toContain('"Arn": "arn:aws:iam::123456789012:user/simulator"');
  });
});

describe('the README bundle command', () => {
  it('deploys the seeded image with the committed ecs-deploy bundle on Node 24 and writes a job summary', async () => {
    const { stdout } = await runBlock(testedBlock('bundle'));
    expect(stdout).toContain('Result: deployed: rollout of connect2-api-dev:2 COMPLETED');
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toMatch(/^status<<.*\ndeployed\n/m);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('## ✅ ECS deploy connect2-api-service-dev: `deployed`');
  });

  it('fails, rolled back, with the crash-looping image the simulator seeds', async () => {
    const script = testedBlock('bundle').replace('connect2-api-dev:next', 'connect2-api-dev:crash-loop');
    const error = await runBlock(script).then(
      () => undefined,
      (e: { code: number; stdout: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stdout).toContain('Result: rolled-back');
  });
});

/**
 * The CLI's --help comes from the action.yml files; AWS credentials and region come from the standard
 * chain (a profile here), never from flags; the live progress line on a terminal; no engine is imported
 * by the CLI except through the actions' own glue.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as core from '@actions/core';
import { startAwsSimulator, type AwsSimulator } from '../../packages/simulators/aws';
import { seedConnect2 } from '../../packages/simulators/aws/fixtures';
import { captureActionLog } from '../../packages/cli/terminal';
import { readActionMetadata, repoRoot } from '../harness/run-action';
import { printedOutputs, runCli } from './run-cli';

let sim: AwsSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('connect2 --help', () => {
  it.each([
    ['deploy', 'ecs-deploy'],
    ['migrate', 'run-migration'],
    ['wait', 'wait-stable'],
    ['plan', 'terraform-plan-comment'],
    ['release', 'create-release'],
  ])('%s --help lists every input of %s/action.yml by its name, with its description', async (command, action) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    const metadata = readActionMetadata(action);
    for (const [name, spec] of Object.entries(metadata.inputs)) {
      if (name === 'github-token') {
        expect(result.stdout).not.toContain('--github-token');
        continue;
      }
      expect(result.stdout).toMatch(new RegExp(`^  --${name}\\b`, 'm'));
      expect(result.stdout).toContain(String(spec.description).replace(/\s*\n\s*/g, ' ').trim());
    }
    expect(result.stdout).toMatch(/Exit codes: 0 done, 1 failed.*2 bad flags.*130 interrupted/);
  });

  it('the generated flag table is up to date with the action.yml files', () => {
    expect(() => execFileSync(process.execPath, ['scripts/cli-inputs.mjs', '--check'], { cwd: repoRoot, stdio: 'pipe' })).not.toThrow();
  });

  it('connect2 with no command prints the commands on stderr and exits 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ {2}deploy /m);
    expect(result.stderr).toMatch(/^ {2}release /m);
  });
});

describe('AWS settings from the standard chain', () => {
  it('a profile in the shared config and credentials files gives region and keys', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-aws-'));
    writeFileSync(path.join(dir, 'config'), `[profile connect2-dev]\nregion = ${sim.env.AWS_REGION}\n`);
    writeFileSync(path.join(dir, 'credentials'), `[connect2-dev]\naws_access_key_id = ${sim.env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${sim.env.AWS_SECRET_ACCESS_KEY}\n`);
    const env = { AWS_ENDPOINT_URL: sim.env.AWS_ENDPOINT_URL, AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: 'connect2-dev', AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') };
    sim.seed.image(world.repository, 'v2');
    const result = await runCli(['deploy', '--cluster', world.cluster, '--service', world.service, '--image', `${world.repositoryUri}:v2`, '--register-only'], { env });
    expect(result.stderr).not.toMatch(/^connect2 deploy:/m);
    expect(result.code).toBe(0);
    expect(printedOutputs(result.stdout).status).toBe('registered');
    expect(printedOutputs(result.stdout)['task-definition-arn']).toContain(`:${sim.env.AWS_REGION}:`);
  });

  it('no region anywhere: one line, exit 2, no request', async () => {
    sim = await startAwsSimulator();
    const world = seedConnect2(sim);
    const result = await runCli(['deploy', '--cluster', world.cluster, '--service', world.service], {
      env: { AWS_ENDPOINT_URL: sim.env.AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      'connect2 deploy: No AWS region: set AWS_REGION, or a region in the AWS profile you use (AWS_PROFILE, `aws configure set region ...`).',
    ]);
    expect(sim.requests).toHaveLength(0);
  });
});

describe('terminal output', () => {
  it('on a TTY, progress lines replace each other on one live line; workflow commands become plain lines', () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const terminal = captureActionLog({ debug: false, live: true });
    try {
      core.info('[   1s] 0/2 running');
      core.info('[   2s] 1/2 running');
      core.warning('slow start');
      core.info('[   3s] 2/2 running');
    } finally {
      terminal.restore();
      spy.mockRestore();
    }
    // The warning is written in place of the live line, which is drawn again below it (events stay above).
    expect(written.join('')).toBe(
      '\r\x1b[2K[   1s] 0/2 running\r\x1b[2K[   2s] 1/2 running\r\x1b[2Kwarning: slow start\n\r\x1b[2K[   2s] 1/2 running\r\x1b[2K[   3s] 2/2 running\n',
    );
  });
});

describe('no second copy of engine logic', () => {
  it('packages/cli imports the actions\' glue, never an engine package directly', () => {
    const dir = path.join(repoRoot, 'packages', 'cli');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const imports = [...readFileSync(path.join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const target of imports) expect(target, `${file} imports ${target}`).not.toMatch(/packages\/(ecs|release|terraform-plan|classify|github|aws)\b|^\.\.\/(ecs|release|terraform-plan|classify|github|aws)\b/);
    }
  });
});

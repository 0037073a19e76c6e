/**
 * Real plans made during the test by the `terraform` on PATH: `terraform_data` resources (built
 * into Terraform, no provider to download) and the local backend, so it works offline. Each
 * scenario applies its `before` configuration (when it has one), then saves a plan of `after`.
 * One `terraform init` is shared (TF_DATA_DIR); scenarios run in parallel.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function findTerraform(): string | undefined {
  try {
    return JSON.parse(execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' }, stdio: ['ignore', 'pipe', 'ignore'] })).terraform_version;
  } catch {
    return undefined;
  }
}

export const terraformVersion = findTerraform();

if (!terraformVersion) console.warn('SKIPPED: terraform not found on PATH; the tests on real plans made by terraform are skipped.');

export interface Scenario {
  name: string;
  /** Configuration applied first (the state the plan starts from). */
  before?: string;
  /** Configuration planned. */
  after: string;
  /** -var arguments of the apply and of the plan. */
  beforeVars?: Record<string, string>;
  afterVars?: Record<string, string>;
}

export interface RealPlan {
  name: string;
  /** The Terraform root: `tfplan` is the saved plan, `plan.json` its `show -json`, `plan.txt` its `show -no-color`. */
  dir: string;
  /** What `terraform plan` printed (no colour). */
  planOutput: string;
  /** The `Plan: ...` line terraform printed, when it printed one. */
  planLine?: string;
}

export interface RealPlans {
  plans: Map<string, RealPlan>;
  /** Variables for the bundle's child process so `terraform show` runs the same way. */
  env: Record<string, string>;
  durationMs: number;
}

/** Runs every scenario (in parallel, `concurrency` at a time) and returns their saved plans. */
export async function makeRealPlans(scenarios: Scenario[], concurrency = 4): Promise<RealPlans> {
  const started = performance.now();
  const root = mkdtempSync(path.join(tmpdir(), 'tpc-real-tf-'));
  const cliConfig = path.join(root, 'terraformrc');
  writeFileSync(cliConfig, '');
  const env: Record<string, string> = {
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_DATA_DIR: path.join(root, 'shared-data-dir'),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
  const childEnv = { ...process.env, ...env };
  const terraform = (dir: string, args: string[]) => run('terraform', args, { cwd: dir, env: childEnv, maxBuffer: 64 * 1024 * 1024 });

  // The one init: the local backend and the built-in provider, nothing downloaded.
  const initDir = path.join(root, 'init');
  mkdirSync(initDir);
  writeFileSync(path.join(initDir, 'main.tf'), 'resource "terraform_data" "init" {}\n');
  await terraform(initDir, ['init', '-input=false', '-no-color']);

  const vars = (values: Record<string, string> = {}) => Object.entries(values).flatMap(([name, value]) => ['-var', `${name}=${value}`]);
  const one = async (scenario: Scenario): Promise<RealPlan> => {
    const dir = path.join(root, scenario.name);
    mkdirSync(dir);
    if (scenario.before !== undefined) {
      writeFileSync(path.join(dir, 'main.tf'), scenario.before);
      await terraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color', ...vars(scenario.beforeVars)]);
    }
    writeFileSync(path.join(dir, 'main.tf'), scenario.after);
    const planned = await terraform(dir, ['plan', '-input=false', '-no-color', '-out=tfplan', ...vars(scenario.afterVars)]);
    const [json, text] = await Promise.all([terraform(dir, ['show', '-json', 'tfplan']), terraform(dir, ['show', '-no-color', 'tfplan'])]);
    writeFileSync(path.join(dir, 'plan.json'), json.stdout);
    writeFileSync(path.join(dir, 'plan.txt'), text.stdout);
    return { name: scenario.name, dir, planOutput: planned.stdout, planLine: /^(Plan: .*\.)$/m.exec(planned.stdout)?.[1] };
  };

  const plans = new Map<string, RealPlan>();
  const queue = [...scenarios];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let scenario = queue.shift(); scenario; scenario = queue.shift()) plans.set(scenario.name, await one(scenario));
    }),
  );
  return { plans, env, durationMs: performance.now() - started };
}

/**
 * Issue #17's lint rules, proved on small in-memory files linted as if they lived in packages/ or
 * actions/: each rule fires on the bad import (or the long function) and stays quiet on the good one.
 * Imports resolve against the real tree, so the targets named here are real files.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/run-action';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot });
});

/** The rule ids and severities (2 error, 1 warning) ESLint reports for `code` as the file `file`. */
async function problems(file: string, code: string): Promise<{ rule: string | null; severity: number; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return result!.messages.map((message) => ({ rule: message.ruleId, severity: message.severity, message: message.message }));
}

const errorsOf = async (file: string, code: string, rule: string) => (await problems(file, code)).filter((problem) => problem.rule === rule && problem.severity === 2);

describe('another package only through its index', () => {
  const rule = 'import-x/no-restricted-paths';

  it('fails on a package file reaching past the index of another package', async () => {
    const found = await errorsOf('packages/github/lint-probe.ts', "export { deploy } from '../ecs/deploy';\n", rule);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('Import packages/ecs through its index');
  });

  it('fails on an action file reaching past a package index', async () => {
    expect(await errorsOf('actions/ecs-deploy/lint-probe.ts', "export { deploy } from '../../packages/ecs/deploy';\n", rule)).toHaveLength(1);
  });

  it('holds for the test infrastructure too', async () => {
    expect(await errorsOf('packages/simulators/aws/lint-probe.ts', "export { parseImage } from '../../ecs/image';\n", rule)).toHaveLength(1);
  });

  it('accepts the index, by either path, and relative imports inside the same package', async () => {
    expect(await errorsOf('packages/github/lint-probe.ts', "export { deploy } from '../ecs';\nexport { releaseTag } from './releases';\n", rule)).toEqual([]);
    expect(await errorsOf('packages/github/lint-probe.ts', "export { deploy } from '../../packages/ecs';\n", rule)).toEqual([]);
    expect(await errorsOf('packages/ecs/lint-probe.ts', "export { deploy } from './deploy';\n", rule)).toEqual([]);
    expect(await errorsOf('actions/ecs-deploy/lint-probe.ts', "export { deploy } from '../../packages/ecs';\n", rule)).toEqual([]);
  });
});

describe('product code never imports test infrastructure', () => {
  const rule = 'import-x/no-restricted-paths';

  it.each([
    ['the AWS simulator', "export { startAwsSimulator } from '../simulators/aws';\n", 'must not import the simulators or the workflow player'],
    ['the workflow player', "export * from '../workflow-player';\n", 'must not import the simulators or the workflow player'],
    ['the test harness', "export { repoRoot } from '../../test/harness/run-action';\n", 'must not import test/'],
    ['scripts/', "export * from '../../scripts/readme-tables.mjs';\n", 'must not import scripts/'],
  ])('fails on a package file importing %s', async (_what, code, message) => {
    const found = await errorsOf('packages/ecs/lint-probe.ts', code, rule);
    expect(found.map((problem) => problem.message).join('\n')).toContain(message);
  });

  it('fails on an action file importing the GitHub simulator', async () => {
    expect(await errorsOf('actions/classify-pr/lint-probe.ts', "export { startGitHubSimulator } from '../../packages/simulators/github';\n", rule)).toHaveLength(1);
  });

  it('fails on the test infrastructure importing test/ (packages never import test/)', async () => {
    const found = await errorsOf('packages/workflow-player/lint-probe.ts', "export { runAction } from '../../test/harness/run-action';\n", rule);
    expect(found.map((problem) => problem.message)).toEqual([expect.stringContaining('must not import test/')]);
  });

  it('lets the test infrastructure import product packages (through their index) and each other', async () => {
    expect(await errorsOf('packages/simulators/aws/lint-probe.ts', "export { parseImage } from '../../ecs';\nexport { startGitHubSimulator } from '../github';\n", rule)).toEqual([]);
    expect(await errorsOf('packages/workflow-player/lint-probe.ts', "export { startAwsSimulator } from '../simulators/aws';\nexport { runAction } from './bundle-run';\n", rule)).toEqual([]);
  });
});

describe('no import cycle between packages', () => {
  const rule = 'import-x/no-cycle';

  it('fails when a package imports one that already imports it', async () => {
    // packages/ecs imports action-kit's errors; action-kit's errors importing packages/ecs closes the loop.
    const found = await errorsOf('packages/action-kit/errors.ts', "export { deploy } from '../ecs';\nexport class ActionError extends Error {}\n", rule);
    expect(found.length).toBeGreaterThan(0);
  });

  it('accepts an import that does not lead back', async () => {
    expect(await errorsOf('packages/ecs/lint-probe.ts', "export { ActionError } from '../action-kit';\n", rule)).toEqual([]);
  });
});

describe('no function in packages/ over 60 lines', () => {
  const rule = 'max-lines-per-function';
  /** A function of exactly `lines` lines, counting its blank lines and comments as eslint does by default. */
  const functionOf = (lines: number) => {
    const body = Array.from({ length: lines - 4 }, (_, index) => (index % 3 === 0 ? '  // why this step' : index % 3 === 1 ? '' : `  total += ${index};`));
    return `export function steps(): number {\n  let total = 0;\n${body.join('\n')}\n  return total;\n}\n`;
  };

  it('fails on 61 lines, blank lines and comments counted', async () => {
    expect(functionOf(61).trimEnd().split('\n')).toHaveLength(61);
    const found = await errorsOf('packages/ecs/lint-probe.ts', functionOf(61), rule);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('too many lines (61). Maximum allowed is 60');
  });

  it('accepts 60 lines, also in the simulators', async () => {
    expect(await errorsOf('packages/ecs/lint-probe.ts', functionOf(60), rule)).toEqual([]);
    expect(await errorsOf('packages/simulators/aws/lint-probe.ts', functionOf(60), rule)).toEqual([]);
    expect(await errorsOf('packages/simulators/aws/lint-probe.ts', functionOf(61), rule)).toHaveLength(1);
  });

  it('holds in scripts/ too: the rehearsal, the bench and the build scripts (issue #25)', async () => {
    expect(await errorsOf('scripts/rehearsal/lint-probe.ts', functionOf(61), rule)).toHaveLength(1);
    expect(await errorsOf('scripts/lint-probe.mjs', functionOf(61).replace(': number', ''), rule)).toHaveLength(1);
    expect(await errorsOf('scripts/bench/lint-probe.ts', functionOf(60), rule)).toEqual([]);
  });
});

describe('the glue logs through the Logger (issue #25)', () => {
  it.each([
    ['core.info', "import * as core from '@actions/core';\ncore.info('deploying');\n"],
    ['core.warning', "import * as core from '@actions/core';\ncore.warning('slow');\n"],
    ['core.error', "import * as core from '@actions/core';\ncore.error('failed');\n"],
    ['core.debug', "import * as core from '@actions/core';\ncore.debug('detail');\n"],
  ])('fails on %s in an action', async (_what, code) => {
    const found = await errorsOf('actions/ecs-deploy/lint-probe.ts', code, 'no-restricted-syntax');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('Log through the Logger');
  });

  it('fails on importing the log functions of @actions/core by name', async () => {
    const found = await errorsOf('actions/wait-stable/lint-probe.ts', "import { info } from '@actions/core';\ninfo('x');\n", 'no-restricted-syntax');
    expect(found).toHaveLength(1);
  });

  it('accepts the Logger, and @actions/core for what the Logger is not (outputs, state)', async () => {
    const code = "import * as core from '@actions/core';\nimport { actionsLogger } from '../../packages/action-kit';\nconst log = actionsLogger();\nlog.info('deploying');\ncore.setOutput('status', 'ok');\ncore.saveState('k', 'v');\n";
    expect(await problems('actions/ecs-deploy/lint-probe.ts', code)).toEqual([]);
  });
});

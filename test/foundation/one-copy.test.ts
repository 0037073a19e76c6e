/**
 * Logic written once (issue #17): the simulators share one request-body reader, read image references
 * with the ECS engine's parseImage and the last part of an ARN with packages/aws's arnResource, and no
 * package reaches into test/ (the bundle runner lives in packages/workflow-player).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/run-action';

/** Every .ts file under packages/, as `packages/...` paths with their text. */
const sources = (readdirSync(path.join(repoRoot, 'packages'), { recursive: true }) as string[])
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file: path.posix.join('packages', file.split(path.sep).join('/')), text: readFileSync(path.join(repoRoot, 'packages', file), 'utf8') }));

const filesWhere = (pattern: RegExp) => sources.filter(({ text }) => pattern.test(text)).map(({ file }) => file);

describe('one copy of each helper in packages/', () => {
  it('has found the sources', () => {
    expect(sources.length).toBeGreaterThan(100);
  });

  it('one request-body reader for both simulator servers', () => {
    expect(filesWhere(/function readBody\(/)).toEqual(['packages/simulators/http-body.ts']);
  });

  it('parseImage only in the ECS engine', () => {
    expect(filesWhere(/function parseImage\(/)).toEqual(['packages/ecs/image.ts']);
  });

  it("no hand-made 'last part of an ARN' (split('/').pop()): arnResource from packages/aws", () => {
    expect(filesWhere(/\.split\('\/'\)\.pop\(\)/)).toEqual([]);
  });

  it('no package imports test/', () => {
    expect(filesWhere(/from '(\.\.\/)+test\//)).toEqual([]);
  });
});

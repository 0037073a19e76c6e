/**
 * The README's Architecture picture stays true: its action -> package arrows are exactly the imports
 * of actions/<name>/*.ts, its package -> package arrows are real imports, and every folder of
 * packages/ has a node and a line in the table (no more, no fewer).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../scripts/actions.mjs';
import { repoRoot } from '../harness/run-action';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const block = /<!-- architecture: [^>]*-->\s*```mermaid\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const table = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('## Contributing'));
const packageDirs = readdirSync(path.join(repoRoot, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Node id -> label, from `id["label"]` and `id(["label"])` declarations anywhere in the block. */
const labels = new Map([...block.matchAll(/(\w+)\(?\["([^"]+)"\]\)?/g)].map((match) => [match[1]!, match[2]!]));
const nodeOf = (text: string) => labels.get(/^\s*(\w+)/.exec(text)?.[1] ?? '') ?? '';

/** Solid arrows `a --> b & c` as [from label, to label] pairs. */
const arrows = block
  .split('\n')
  .filter((line) => line.includes('-->'))
  .flatMap((line) => {
    const [from, to] = line.split('-->');
    return to!.split('&').map((target) => [nodeOf(from!), nodeOf(target)] as const);
  });

/** The packages a folder's .ts files import (`../x`, `../../packages/x`, or deeper into x). */
function importedPackages(dir: string): string[] {
  const files = readdirSync(path.join(repoRoot, dir)).filter((file) => file.endsWith('.ts'));
  const names = files.flatMap((file) => [...readFileSync(path.join(repoRoot, dir, file), 'utf8').matchAll(/from '\.\.\/(?:\.\.\/packages\/)?([\w-]+)/g)].map((match) => match[1]!));
  return [...new Set(names.filter((name) => packageDirs.includes(name)))].sort();
}

describe('README Architecture', () => {
  it('has the mermaid block', () => {
    expect(block).toContain('flowchart');
  });

  it('draws exactly the packages each action imports', () => {
    const drawn = arrows.filter(([from]) => ACTIONS.includes(from)).map(([from, to]) => `${from} -> ${to}`);
    const actual = ACTIONS.flatMap((action) => importedPackages(`actions/${action}`).map((name) => `${action} -> packages/${name}`));
    expect(drawn.sort()).toEqual(actual.sort());
  });

  it('draws only package -> package arrows that are real imports', () => {
    const drawn = arrows.filter(([from]) => from.startsWith('packages/'));
    expect(drawn.length).toBeGreaterThan(0);
    for (const [from, to] of drawn) expect(importedPackages(from), `${from} -> ${to}`).toContain(to.replace('packages/', ''));
  });

  it('has a node for every folder of packages/, and none for a folder that is not there', () => {
    const drawn = [...labels.values()].filter((label) => label.startsWith('packages/')).map((label) => label.replace('packages/', ''));
    expect([...new Set(drawn)].sort()).toEqual(packageDirs);
  });

  it('says in one table line what each package owns', () => {
    const rows = [...table.matchAll(/^\| `([\w-]+)` \| (.+) \|$/gm)].map((match) => match[1]!);
    expect(rows.sort()).toEqual(packageDirs);
  });
});

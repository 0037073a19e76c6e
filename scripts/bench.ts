/**
 * `npm run bench`: runs every bench module in scripts/bench/ (bundles first), prints one table and
 * writes .bench/results.json. Figures only: nothing here passes or fails on a threshold.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../test/harness/run-action';
import type { BenchFigure, BenchModule } from './bench/types';

const only = process.argv.slice(2);
const dir = path.join(repoRoot, 'scripts', 'bench');
const modules = readdirSync(dir)
  .filter((file) => file.endsWith('.ts') && file !== 'types.ts')
  .map((file) => file.replace(/\.ts$/, ''))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort((a, b) => (a === 'bundles' ? -1 : b === 'bundles' ? 1 : a.localeCompare(b)));

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
console.log(`Benchmarks on ${machine}\n`);

const results: Array<BenchFigure & { area: string }> = [];
const failures: string[] = [];
for (const name of modules) {
  const started = Date.now();
  process.stdout.write(`… ${name}\n`);
  try {
    const module = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as BenchModule;
    const figures = await module.run();
    results.push(...figures.map((figure) => ({ area: name, ...figure })));
    console.log(`  ${figures.length} figures in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    console.log(`  could not measure: ${failures.at(-1)}`);
  }
}

const rows = results.map((r) => [r.area, r.name, `${r.value} ${r.unit}`, r.note ?? '']);
const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length), ['area', 'figure', 'value'][i].length));
const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('  ');
console.log('\n' + line(['area', 'figure', 'value', 'note']));
for (const row of rows) console.log(line(row));

mkdirSync(path.join(repoRoot, '.bench'), { recursive: true });
const markdown = [
  `Measured on ${machine}, ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| Area | Figure | Value | Note |',
  '| --- | --- | --- | --- |',
  ...results.map((r) => `| ${r.area} | ${r.name} | ${r.value} ${r.unit} | ${(r.note ?? '').replace(/\|/g, '\\|')} |`),
].join('\n');
writeFileSync(path.join(repoRoot, '.bench', 'results.json'), JSON.stringify({ machine, date: new Date().toISOString(), figures: results, failures }, null, 2));
writeFileSync(path.join(repoRoot, '.bench', 'results.md'), markdown + '\n');
console.log(`\nWrote .bench/results.json and .bench/results.md${failures.length ? `; ${failures.length} module(s) could not measure` : ''}.`);

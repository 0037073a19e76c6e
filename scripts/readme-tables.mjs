// Renders each action's inputs/outputs tables from its action.yml into its README, between
// <!-- inputs:start --> / <!-- inputs:end --> and <!-- outputs:start --> / <!-- outputs:end -->.
// `node scripts/readme-tables.mjs` rewrites the READMEs; `--check` fails when any is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ACTIONS } from './actions.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const escape = (text) => String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim();

function renderDefault(value) {
  if (value === undefined || value === '') return '';
  const lines = String(value).split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.map((line) => `\`${line.replace(/\|/g, '\\|')}\``).join('<br>');
}

export function renderTables(action) {
  const meta = parse(readFileSync(path.join(root, action, 'action.yml'), 'utf8'));
  const inputs = Object.entries(meta.inputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${spec.required ? 'yes' : 'no'} | ${renderDefault(spec.default)} | ${escape(spec.description ?? '')} |`,
  );
  const outputs = Object.entries(meta.outputs ?? {}).map(([name, spec]) => `| \`${name}\` | ${escape(spec.description ?? '')} |`);
  return {
    inputs: ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |', ...inputs].join('\n'),
    outputs: ['| Output | Description |', '| --- | --- |', ...outputs].join('\n'),
  };
}

/** Replaces what stands between `<!-- key:start -->` and `<!-- key:end -->` (generated README sections). */
export function replaceBetween(text, key, body, file) {
  const start = `<!-- ${key}:start -->`;
  const end = `<!-- ${key}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} lacks the ${start} ... ${end} markers`);
  return text.slice(0, from + start.length) + '\n' + body + '\n' + text.slice(to);
}

export function renderReadme(action) {
  const file = path.join(root, action, 'README.md');
  const current = readFileSync(file, 'utf8');
  const tables = renderTables(action);
  const next = replaceBetween(replaceBetween(current, 'inputs', tables.inputs, file), 'outputs', tables.outputs, file);
  return { file, current, next };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const action of ACTIONS) {
    const { file, current, next } = renderReadme(action);
    if (current === next) continue;
    if (check) {
      console.error(`${path.relative(root, file)} is out of date with action.yml: run npm run docs`);
      stale++;
    } else {
      writeFileSync(file, next);
      console.log(`updated ${path.relative(root, file)}`);
    }
  }
  process.exit(stale ? 1 : 0);
}

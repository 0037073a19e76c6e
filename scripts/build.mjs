// Bundles each action with ncc into dist/<name>/index.js (minified, licences emitted).
// and the connect2 command line (packages/cli/main.ts) into dist/cli/index.js (package.json `bin`).
// Usage: node scripts/build.mjs [name ...]   (no names: all six and cli)
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ACTIONS } from './actions.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const requested = process.argv.slice(2);
const TARGETS = [...ACTIONS, 'cli'];
const entry = (name) => (name === 'cli' ? 'packages/cli/main.ts' : `actions/${name}/main.ts`);
const unknown = requested.filter((name) => !TARGETS.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown action(s): ${unknown.join(', ')}; expected one of ${TARGETS.join(', ')}.`);
  process.exit(2);
}
const names = requested.length > 0 ? requested : TARGETS;

function bundle(name) {
  return new Promise((resolve, reject) => {
    const args = [ncc, 'build', entry(name), '-o', `dist/${name}`, '-m', '--license', 'licenses.txt', '-q'];
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ncc failed for ${name} (exit ${code})`))));
  });
}

// Two at a time: the machines here have two cores.
const queue = [...names];
async function worker() {
  for (let name = queue.shift(); name; name = queue.shift()) {
    await rm(path.join(root, 'dist', name), { recursive: true, force: true });
    await bundle(name);
    console.log(`built dist/${name}/index.js`);
  }
}
try {
  await Promise.all([worker(), worker()]);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

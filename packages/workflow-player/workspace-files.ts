/** Files of a workspace as relative POSIX paths, without `.git` (hashFiles, paths filters on checkouts). */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return files;
}

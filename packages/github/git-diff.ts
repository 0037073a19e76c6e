/**
 * The files changed between two commits as `git diff --name-status base...head` reports them
 * (three dots: against the merge base, which is what a pull request shows), in the pulls API's
 * vocabulary (added, modified, removed, renamed, ...).
 */
import { git } from './git-command';
import type { ChangedFile } from './changed-files';

const STATUS: Record<string, string> = {
  A: 'added',
  M: 'modified',
  D: 'removed',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
  U: 'unmerged',
};

/** Parses `git diff --name-status -z` output: `STATUS\0path\0`, or `R100\0old\0new\0` for renames and copies. */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++];
    if (!code) continue;
    const letter = code[0];
    const status = STATUS[letter] ?? 'changed';
    if (letter === 'R' || letter === 'C') {
      const previousPath = fields[i++];
      const path = fields[i++];
      files.push({ path, status, previousPath });
    } else {
      files.push({ path: fields[i++], status });
    }
  }
  return files;
}

/**
 * Files changed from the merge base of `base` and `head` to `head`; the commits must be present.
 * Only exact renames are detected (`-M100%`): they compare object ids, while inexact detection reads
 * every blob, which a blobless clone (`filter: blob:none`) would fetch one by one. An edited move then
 * shows as removed + added, which classifies the same since both paths count.
 */
export async function gitDiffFiles(cwd: string, base: string, head: string): Promise<ChangedFile[]> {
  const result = await git(cwd, ['diff', '--name-status', '-z', '--find-renames=100%', '--no-ext-diff', `${base}...${head}`, '--']);
  return parseNameStatus(result.stdout);
}

/**
 * One change under two pull request numbers: a hotfix squash-merged into `main` as #20 and
 * squash-merged again into `development` as its backport #21 ("fix: x (#20)", "fix: x (#21)").
 * The messages differ, so duplicates.ts cannot tell; the same subject alone is no proof either (two
 * real fixes may both be "fix: typo"). Their content decides: the later change is listed once when
 * it makes the same edit as the earlier one (the same lines added and removed in the same files,
 * wherever they sit, as `git patch-id` compares), and twice when the edits differ.
 */
import { createHash } from 'node:crypto';
import type { ParsedCommit } from './conventional';

/** Reading a commit's diff is one API call: only this many changes are compared per release. */
const MAX_CONTENT_READS = 40;

export interface FileEdit {
  filename: string;
  /** Unified diff of the file, or undefined (binary): then `blob` stands for the content. */
  patch?: string;
  blob: string;
}

/** Copy sha -> the sha of the earlier change with the same subject and the same edit. */
export async function findSameContent(changes: readonly ParsedCommit[], editsOf: (sha: string) => Promise<FileEdit[] | undefined>): Promise<Map<string, string>> {
  const copies = new Map<string, string>();
  let reads = 0;
  for (const group of sameSubjectGroups(changes)) {
    const firstOfContent = new Map<string, ParsedCommit>();
    for (const change of group) {
      if (reads >= MAX_CONTENT_READS) return copies;
      reads++;
      const edits = await editsOf(change.sha);
      // No diff to compare (an empty commit, a diff the API would not give): two entries stay two.
      if (!edits || edits.length === 0) continue;
      const id = contentId(edits);
      const earlier = firstOfContent.get(id);
      if (earlier && earlier.pullRequest !== change.pullRequest) copies.set(change.sha, earlier.sha);
      else if (!earlier) firstOfContent.set(id, change);
    }
  }
  return copies;
}

/** Changes (oldest first) sharing kind, scope and subject under at least two PR numbers. */
function sameSubjectGroups(changes: readonly ParsedCommit[]): ParsedCommit[][] {
  const groups = new Map<string, ParsedCommit[]>();
  for (const change of changes) {
    if (change.fromBody || change.pullRequest === undefined) continue;
    const key = `${change.kind}\u0000${change.type ?? ''}\u0000${change.scope ?? ''}\u0000${change.subject}`;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  return [...groups.values()].filter((group) => new Set(group.map((change) => change.pullRequest)).size > 1);
}

/** The edit without where it sits: per file, the lines added and removed (hunk positions and context dropped). */
function contentId(edits: readonly FileEdit[]): string {
  const hash = createHash('sha256');
  for (const edit of [...edits].sort((a, b) => a.filename.localeCompare(b.filename))) {
    hash.update(`${edit.filename}\u0000`);
    if (edit.patch === undefined) hash.update(`blob ${edit.blob}`);
    else for (const line of edit.patch.split('\n')) if (/^[+-]/.test(line)) hash.update(`${line.trimEnd()}\n`);
    hash.update('\u0001');
  }
  return hash.digest('hex');
}

/** `git diff` output (one commit's) as per-file edits. */
export function parseGitDiff(diff: string): FileEdit[] {
  const edits: FileEdit[] = [];
  for (const section of diff.split(/^diff --git /m).slice(1)) {
    const lines = section.split('\n');
    const name = /^\+\+\+ b\/(.*)$/m.exec(section)?.[1] ?? /^--- a\/(.*)$/m.exec(section)?.[1] ?? /^a\/(\S+)/.exec(lines[0])?.[1] ?? lines[0];
    const hunk = lines.findIndex((line) => line.startsWith('@@'));
    const blob = /^index [0-9a-f]+\.\.([0-9a-f]+)/m.exec(section)?.[1] ?? '';
    edits.push({ filename: name, blob, patch: hunk >= 0 ? lines.slice(hunk).join('\n') : undefined });
  }
  return edits;
}

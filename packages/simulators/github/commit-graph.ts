/**
 * A repository's commits as a DAG. Commits are added parents-first, so insertion order is a
 * topological order: "newest first" is descending insertion order and "oldest first" ascending,
 * which is what `git log` and the compare API show for linear and merged histories alike.
 *
 * Reachability is a BFS per commit, memoised in a small cache: the graph is append-only, so a
 * commit's ancestry never changes, and paging through a 5,000-commit compare reuses one walk instead
 * of repeating it per page.
 */
import { createHash } from 'node:crypto';
import type { FileChange } from './model';

export interface Signature {
  name: string;
  email: string;
  /** Epoch milliseconds. */
  date: number;
}

export interface CommitRecord {
  sha: string;
  seq: number;
  message: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  /** GitHub account of the author, when the email belongs to one. */
  login: string | null;
  treeSha: string;
  files: FileChange[];
}

export interface NewCommit {
  message: string;
  parents: string[];
  author: Signature;
  committer?: Signature;
  login?: string | null;
  sha?: string;
  files?: FileChange[];
}

export interface Comparison {
  /** Reachable from head and not from base, oldest first. */
  ahead: CommitRecord[];
  behindBy: number;
  mergeBase: CommitRecord | undefined;
}

const CACHE_LIMIT = 32;

export class CommitGraph {
  private readonly commits = new Map<string, CommitRecord>();
  private readonly ancestryCache = new Map<string, Set<string>>();
  private readonly historyCache = new Map<string, CommitRecord[]>();
  private readonly comparisonCache = new Map<string, Comparison>();

  constructor(private readonly salt: string) {}

  get size(): number {
    return this.commits.size;
  }

  add(input: NewCommit): CommitRecord {
    for (const parent of input.parents) {
      if (!this.commits.has(parent)) throw new Error(`Parent commit ${parent} does not exist in ${this.salt}; seed parents first.`);
    }
    const seq = this.commits.size;
    const sha = input.sha ?? createHash('sha1').update(`${this.salt}\0${seq}\0${input.parents.join(',')}\0${input.message}`).digest('hex');
    if (this.commits.has(sha)) throw new Error(`Commit ${sha} already exists in ${this.salt}.`);
    const record: CommitRecord = {
      sha,
      seq,
      message: input.message,
      parents: [...input.parents],
      author: input.author,
      committer: input.committer ?? input.author,
      login: input.login ?? null,
      treeSha: createHash('sha1').update(`tree\0${sha}`).digest('hex'),
      files: input.files ?? [],
    };
    this.commits.set(sha, record);
    return record;
  }

  get(sha: string): CommitRecord | undefined {
    return this.commits.get(sha);
  }

  /** A full sha, or an abbreviated one of at least 4 hex digits that names exactly one commit. */
  find(shaOrPrefix: string): CommitRecord | undefined {
    const lower = shaOrPrefix.toLowerCase();
    const exact = this.commits.get(lower);
    if (exact || !/^[0-9a-f]{4,39}$/.test(lower)) return exact;
    let found: CommitRecord | undefined;
    for (const [sha, record] of this.commits) {
      if (!sha.startsWith(lower)) continue;
      if (found) return undefined;
      found = record;
    }
    return found;
  }

  /** The commit and everything it descends from. */
  ancestors(sha: string): Set<string> {
    const cached = this.ancestryCache.get(sha);
    if (cached) return cached;
    const seen = new Set<string>([sha]);
    const queue = [sha];
    for (let i = 0; i < queue.length; i++) {
      for (const parent of this.commits.get(queue[i]!)?.parents ?? []) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        queue.push(parent);
      }
    }
    remember(this.ancestryCache, sha, seen);
    return seen;
  }

  isAncestor(ancestor: string, of: string): boolean {
    return this.ancestors(of).has(ancestor);
  }

  /** `git log <sha>`: newest first. */
  history(sha: string): CommitRecord[] {
    const cached = this.historyCache.get(sha);
    if (cached) return cached;
    const list = this.sorted(this.ancestors(sha)).reverse();
    remember(this.historyCache, sha, list);
    return list;
  }

  compare(base: string, head: string): Comparison {
    const key = `${base}...${head}`;
    const cached = this.comparisonCache.get(key);
    if (cached) return cached;
    const fromBase = this.ancestors(base);
    const fromHead = this.ancestors(head);
    const ahead: string[] = [];
    let mergeBase: CommitRecord | undefined;
    for (const sha of fromHead) {
      if (!fromBase.has(sha)) {
        ahead.push(sha);
        continue;
      }
      // The best common ancestor is the newest one both sides reach.
      const record = this.commits.get(sha)!;
      if (!mergeBase || record.seq > mergeBase.seq) mergeBase = record;
    }
    let behindBy = 0;
    for (const sha of fromBase) if (!fromHead.has(sha)) behindBy++;
    const comparison = { ahead: this.sorted(ahead), behindBy, mergeBase };
    remember(this.comparisonCache, key, comparison);
    return comparison;
  }

  /** Oldest first. */
  private sorted(shas: Iterable<string>): CommitRecord[] {
    const list: CommitRecord[] = [];
    for (const sha of shas) list.push(this.commits.get(sha)!);
    return list.sort((a, b) => a.seq - b.seq);
  }
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}

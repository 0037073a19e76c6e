/** Conventional commit parsing, release level and merge look-through. */
import { describe, expect, it } from 'vitest';
import { changesOf, loginFromEmail, parseCommit, releaseLevel, type SourceCommit } from '../../packages/release';

const sha = (n: number) => n.toString(16).padStart(40, '0');
const parse = (message: string) => parseCommit({ sha: sha(1), message, login: 'alice' });

describe('parseCommit', () => {
  it('reads type, scope, subject and the squash-merge PR number', () => {
    const commit = parse('feat(api): add users endpoint (#12)');
    expect(commit).toMatchObject({ kind: 'feature', type: 'feat', scope: 'api', subject: 'add users endpoint', pullRequest: 12, login: 'alice' });
  });

  it.each([
    ['fix: handle empty body', 'fix'],
    ['perf: cache lookups', 'performance'],
    ['chore: bump deps', 'other'],
    ['docs(readme): typo', 'other'],
    ['Fix: capitalised type', 'fix'],
    ['Update README.md', 'other'],
    ['feat!: drop v1 API', 'breaking'],
    ['refactor(db)!: rename tables', 'breaking'],
    ['feat: new auth\n\nBREAKING CHANGE: tokens issued before are invalid', 'breaking'],
    ['fix: x\n\nBREAKING-CHANGE: y', 'breaking'],
    ['chore: x\n\nmentions a breaking change in prose only', 'other'],
  ])('%j is %s', (message, kind) => {
    expect(parse(message).kind).toBe(kind);
  });

  it('keeps the breaking footer text for the notes', () => {
    const commit = parse('feat(auth): rotate signing keys (#30)\n\nLonger body.\n\nBREAKING CHANGE: tokens issued before today are rejected');
    expect(commit.breakingNotes).toEqual(['tokens issued before today are rejected']);
    expect(commit.pullRequest).toBe(30);
  });

  it('a free-form subject keeps its text and PR number', () => {
    expect(parse('Bump fastapi from 0.110 to 0.111 (#77)')).toMatchObject({ kind: 'other', subject: 'Bump fastapi from 0.110 to 0.111', pullRequest: 77 });
  });
});

describe('releaseLevel', () => {
  const level = (...messages: string[]) => releaseLevel(messages.map(parse));
  it('takes the largest bump', () => {
    expect(level('chore: a', 'fix: b')).toBe('patch');
    expect(level('perf: a')).toBe('patch');
    expect(level('fix: a', 'feat: b', 'chore: c')).toBe('minor');
    expect(level('fix: a', 'feat!: b')).toBe('major');
    expect(level('chore: a', 'docs: b', 'Merge stuff')).toBe('none');
    expect(level()).toBe('none');
  });
});

describe('changesOf: merge commits are looked through', () => {
  // main: base -> M1 (merges feature PR #41: f1, f2) -> M2 (promotion PR #40 from staging, brings M1's line + s1)
  const base = sha(1);
  const f1: SourceCommit = { sha: sha(2), message: 'feat: add export', parents: [base], login: 'bob' };
  const f2: SourceCommit = { sha: sha(3), message: 'fix: export encoding', parents: [f1.sha], login: 'bob' };
  const s0: SourceCommit = { sha: sha(4), message: 'chore: staging tweak', parents: [base] };
  const m1: SourceCommit = { sha: sha(5), message: 'Merge pull request #41 from org/feature/export\n\nfeat: export', parents: [s0.sha, f2.sha] };
  const s1: SourceCommit = { sha: sha(6), message: 'fix: squash on staging (#43)', parents: [m1.sha], login: 'carol' };
  const m2: SourceCommit = { sha: sha(7), message: 'Merge pull request #40 from org/staging\n\nRelease', parents: [base, s1.sha] };
  const { commits, merges } = changesOf([f1, f2, s0, m1, s1, m2]);

  it('drops the merges themselves and keeps what they bring', () => {
    expect(merges).toBe(2);
    expect(commits.map((c) => c.subject)).toEqual(['add export', 'export encoding', 'staging tweak', 'squash on staging']);
  });

  it('links a commit without (#N) to the smallest PR merge that brought it, keeps an own (#N)', () => {
    const bySubject = Object.fromEntries(commits.map((c) => [c.subject, c.pullRequest]));
    expect(bySubject['add export']).toBe(41);
    expect(bySubject['export encoding']).toBe(41);
    expect(bySubject['staging tweak']).toBe(40);
    expect(bySubject['squash on staging']).toBe(43);
  });

  it('a promotion merge subject does not make a release by itself', () => {
    const only = changesOf([{ sha: sha(9), message: "Merge branch 'staging'", parents: [base, sha(8)] }]);
    expect(only.commits).toEqual([]);
    expect(releaseLevel(only.commits)).toBe('none');
  });
});

describe('changesOf: feature PRs merged with a merge commit', () => {
  const base = sha(20);
  const wip: SourceCommit = { sha: sha(21), message: 'wip', parents: [base], login: 'dana' };
  const review: SourceCommit = { sha: sha(22), message: 'address review', parents: [wip.sha], login: 'dana' };
  const merge = (title: string, from: string, tip: string): SourceCommit => ({ sha: sha(23), message: `Merge pull request #77 from connect2/${from}\n\n${title}`, parents: [base, tip] });

  it('counts a conventional PR title when none of its own commits is conventional', () => {
    const { commits } = changesOf([wip, review, merge('feat(users): export users', 'feature/export', review.sha)]);
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({ kind: 'feature', scope: 'users', subject: 'export users', pullRequest: 77, login: 'dana' });
    expect(releaseLevel(commits)).toBe('minor');
  });

  it('lists the commits instead when one of them is conventional', () => {
    const fix: SourceCommit = { ...review, message: 'fix: handle empty export' };
    const { commits } = changesOf([wip, fix, merge('feat(users): export users', 'feature/export', fix.sha)]);
    expect(commits.map((c) => c.subject)).toEqual(['wip', 'handle empty export']);
    expect(releaseLevel(commits)).toBe('patch');
  });

  it('never takes the title of a promotion PR', () => {
    const { commits } = changesOf([wip, review, merge('feat!: the big release', 'staging', review.sha)]);
    expect(commits.map((c) => c.subject)).toEqual(['wip', 'address review']);
    expect(releaseLevel(commits)).toBe('none');
  });
});

describe('loginFromEmail', () => {
  it('reads GitHub noreply addresses only', () => {
    expect(loginFromEmail('12345+alice@users.noreply.github.com')).toBe('alice');
    expect(loginFromEmail('bob@users.noreply.github.com')).toBe('bob');
    expect(loginFromEmail('carol@example.com')).toBeUndefined();
  });
});

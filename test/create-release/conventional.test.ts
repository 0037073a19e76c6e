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

describe('reverts, repeated changes, breaking footers and body lines (issue 15)', () => {
  const commit = (n: number, message: string, extra: Partial<SourceCommit> = {}): SourceCommit => ({ sha: sha(n), message, parents: n > 1 ? [sha(n - 1)] : [], login: 'alice', ...extra });

  it('parses both revert spellings', () => {
    expect(parse(`Revert "feat(users): add CSV export (#12)" (#13)\n\nThis reverts commit ${sha(7)}.`)).toMatchObject({ kind: 'revert', subject: 'feat(users): add CSV export', pullRequest: 13, reverts: { header: 'feat(users): add CSV export (#12)', sha: sha(7) } });
    expect(parse('revert: feat: add export\n\nThis reverts commit abc1234.')).toMatchObject({ kind: 'revert', reverts: { header: 'feat: add export', sha: 'abc1234' } });
  });

  it('a feature and its revert in the same range cancel out: feature + revert + fix is a patch', () => {
    const bySha = changesOf([
      commit(1, 'feat(users): add CSV export (#12)'),
      commit(2, `Revert "feat(users): add CSV export (#12)" (#13)\n\nThis reverts commit ${sha(1)}.`),
      commit(3, 'fix: typo (#14)'),
    ]);
    expect(bySha.commits.map((c) => c.subject)).toEqual(['typo']);
    expect(releaseLevel(bySha.commits)).toBe('patch');
    expect([...bySha.reverted]).toEqual([[sha(2), sha(1)]]);
    // By header when the body names no commit (a squashed revert PR), and with `revert:`.
    const byHeader = changesOf([commit(1, 'feat: add export (#12)'), commit(2, 'revert: feat: add export (#15)'), commit(3, 'fix: x (#16)')]);
    expect(byHeader.commits.map((c) => c.subject)).toEqual(['x']);
    expect(releaseLevel(byHeader.commits)).toBe('patch');
  });

  it('a revert of a change released before stays, under Reverts, as a patch', () => {
    const changes = changesOf([commit(1, `Revert "feat: old thing"\n\nThis reverts commit ${sha(99)}.`), commit(2, 'chore: tidy')]);
    expect(changes.commits[0]).toMatchObject({ kind: 'revert', subject: 'feat: old thing' });
    expect(releaseLevel(changes.commits)).toBe('patch');
  });

  it('pairs a revert with the commit its body names, never by subject: a revert of a fix released earlier leaves a new fix of that subject', () => {
    // sha(99) is "fix: handle nulls (#10)", released before this range; #20 is a new fix with the same subject.
    const changes = changesOf([
      commit(1, 'fix: handle nulls (#20)'),
      commit(2, `Revert "fix: handle nulls (#10)" (#21)\n\nThis reverts commit ${sha(99)}.`),
    ]);
    expect(changes.commits.map((c) => `${c.kind}/${c.subject}/#${c.pullRequest}`)).toEqual(['fix/handle nulls/#20', 'revert/fix: handle nulls/#21']);
    expect(changes.reverted.size).toBe(0);
    // Even with the header written exactly as the new fix's: the SHA decides.
    const same = changesOf([commit(1, 'fix: handle nulls'), commit(2, `Revert "fix: handle nulls"\n\nThis reverts commit deadbee.`)]);
    expect(same.commits.map((c) => c.kind)).toEqual(['fix', 'revert']);
  });

  it('a revert of a revert re-applies the original (semantic-release), a third revert undoes it again', () => {
    const twice = changesOf([
      commit(1, 'feat(users): add CSV export (#12)'),
      commit(2, `Revert "feat(users): add CSV export (#12)" (#13)\n\nThis reverts commit ${sha(1)}.`),
      commit(3, `Revert "Revert "feat(users): add CSV export (#12)" (#13)" (#14)\n\nThis reverts commit ${sha(2)}.`),
    ]);
    expect(twice.commits.map((c) => `${c.kind}/${c.subject}`)).toEqual(['feature/add CSV export']);
    expect(releaseLevel(twice.commits)).toBe('minor');
    expect([...twice.reverted]).toEqual([[sha(3), sha(2)]]);
    const thrice = changesOf([
      ...[1, 2, 3].map((n) => commit(n, [
        'feat(users): add CSV export (#12)',
        `Revert "feat(users): add CSV export (#12)" (#13)\n\nThis reverts commit ${sha(1)}.`,
        `Revert "Revert "feat(users): add CSV export (#12)" (#13)" (#14)\n\nThis reverts commit ${sha(2)}.`,
      ][n - 1])),
      commit(4, `Revert "Revert "Revert "feat(users): add CSV export (#12)" (#13)" (#14)" (#15)\n\nThis reverts commit ${sha(3)}.`),
      commit(5, 'fix: typo (#16)'),
    ]);
    expect(thrice.commits.map((c) => c.subject)).toEqual(['typo']);
    expect(releaseLevel(thrice.commits)).toBe('patch');
  });

  it("GitHub's Revert of a PR merged with a merge commit cancels what that merge brought", () => {
    const changes = changesOf([
      commit(1, 'chore: base'),
      commit(2, 'feat(users): add CSV export'),
      commit(3, 'fix(users): quote commas'),
      commit(4, 'Merge pull request #12 from connect2/feature-csv\n\nfeat(users): add CSV export', { parents: [sha(1), sha(3)] }),
      commit(5, `Revert "Merge pull request #12 from connect2/feature-csv"\n\nThis reverts commit ${sha(4)}, reversing\nchanges made to ${sha(1)}.`, { parents: [sha(4)] }),
      commit(6, 'fix: typo (#16)'),
    ]);
    expect(changes.commits.map((c) => c.subject)).toEqual(['base', 'typo']);
    expect([...changes.reverted]).toEqual([[sha(5), sha(4)]]);
  });

  it('lists once a change that arrives twice in one range: -x cherry-pick, the same squash PR, a plain cherry-pick', () => {
    const changes = changesOf([
      commit(1, 'fix(auth): reject expired tokens (#50)', { login: 'erin' }),
      commit(2, 'feat: search (#12)'),
      commit(3, `fix(auth): reject expired tokens (#50)\n\n(cherry picked from commit ${sha(1)})`, { login: 'erin' }),
      commit(4, 'fix: resolve critical bug', { login: 'frank' }),
      commit(5, 'fix: resolve critical bug', { login: 'frank' }),
      commit(6, 'fix: resolve critical bug', { login: 'grace' }),
      commit(7, `fix: handle nulls\n\n(cherry picked from commit ${sha(8)})`),
      commit(8, 'fix: handle nulls (#60)'),
    ]);
    expect(changes.commits.map((c) => `${c.subject}/${c.login}`)).toEqual(['reject expired tokens/erin', 'search/alice', 'resolve critical bug/frank', 'resolve critical bug/grace', 'handle nulls/alice']);
    // The -x copy comes first here (its original is later in the range): still one line, the original's.
    expect(changes.commits.at(-1)?.pullRequest).toBe(60);
    expect([...changes.duplicates]).toEqual([[sha(3), sha(1)], [sha(5), sha(4)], [sha(7), sha(8)]]);
  });

  it('a BREAKING CHANGE footer under a free-form subject is breaking (semantic-release)', () => {
    expect(parse('Rework the token format (#31)\n\nBREAKING CHANGE: tokens issued before are rejected')).toMatchObject({ kind: 'breaking', subject: 'Rework the token format', breakingNotes: ['tokens issued before are rejected'] });
  });

  it('body-changes: ignore (default) leaves squash body lines out; split lists each conventional line', () => {
    const squash = commit(1, 'Sprint 12 batch (#40)\n\n* feat(users): add CSV export\n\n* fix: handle empty body\n\n* wip\n\nCo-authored-by: Bob <bob@example.com>');
    expect(releaseLevel(changesOf([squash]).commits)).toBe('none');
    const split = changesOf([squash], { bodyChanges: 'split' }).commits;
    expect(split.map((c) => [c.kind, c.scope, c.subject, c.pullRequest])).toEqual([
      ['other', undefined, 'Sprint 12 batch', 40],
      ['feature', 'users', 'add CSV export', 40],
      ['fix', undefined, 'handle empty body', 40],
    ]);
    expect(releaseLevel(split)).toBe('minor');
    // A body line repeating the title is not a second change.
    expect(changesOf([commit(1, 'feat: export (#41)\n\n* feat: export\n* chore: lint')], { bodyChanges: 'split' }).commits.map((c) => c.subject)).toEqual(['export', 'lint']);
  });
});

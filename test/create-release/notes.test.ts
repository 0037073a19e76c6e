/** Release notes: groups, links, authors, compare link, size limit. */
import { describe, expect, it } from 'vitest';
import { parseCommit, renderNotes, RELEASE_BODY_LIMIT } from '../../packages/release';

const sha = (n: number) => n.toString(16).padStart(40, 'a');
const commit = (n: number, message: string, login?: string, name?: string) => parseCommit({ sha: sha(n), message, login, name });
const context = { serverUrl: 'https://github.com', repository: 'connect2/connect2-api', tag: 'v1.3.0', previousTag: 'v1.2.3' };

describe('renderNotes', () => {
  const notes = renderNotes(
    [
      commit(1, 'chore: bump deps (#10)', 'dependabot'),
      commit(2, 'fix(api): handle empty body (#11)', 'bob'),
      commit(3, 'feat(users): add export (#12)', 'alice'),
      commit(4, 'perf: cache lookups', undefined, 'Dana Dev'),
      commit(5, 'feat!: drop /v1 routes (#13)\n\nBREAKING CHANGE: clients must call /v2', 'erin'),
    ],
    context,
  );

  it('groups in order: breaking, features, fixes, performance, other', () => {
    const headings = [...notes.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['⚠️ Breaking changes', 'Features', 'Fixes', 'Performance', 'Other']);
  });

  it('links PRs, falls back to the commit, names authors', () => {
    expect(notes).toContain('- **users:** add export ([#12](https://github.com/connect2/connect2-api/pull/12)) by @alice');
    expect(notes).toContain('- **api:** handle empty body ([#11](https://github.com/connect2/connect2-api/pull/11)) by @bob');
    expect(notes).toContain(`- cache lookups ([${sha(4).slice(0, 7)}](https://github.com/connect2/connect2-api/commit/${sha(4)})) by Dana Dev`);
    expect(notes).toContain('- drop /v1 routes ([#13](https://github.com/connect2/connect2-api/pull/13)) by @erin\n  clients must call /v2');
  });

  it('ends with the compare link to the previous release', () => {
    expect(notes.trim().split('\n').at(-1)).toBe('**Full changelog**: https://github.com/connect2/connect2-api/compare/v1.2.3...v1.3.0');
  });

  it('a first release links the history instead', () => {
    const first = renderNotes([commit(1, 'feat: init')], { ...context, previousTag: undefined, tag: 'v1.0.0' });
    expect(first).toContain('**First release.** History: https://github.com/connect2/connect2-api/commits/v1.0.0');
  });

  it('fits GitHub’s release body limit, cutting the least important group first', () => {
    const many = [
      ...Array.from({ length: 3000 }, (_, i) => commit(i + 10, `chore: housekeeping step number ${i} with a long enough subject line (#${i + 100})`, 'bot')),
      ...Array.from({ length: 5 }, (_, i) => commit(i + 5000, `feat: feature ${i} (#${i + 9000})`, 'alice')),
    ];
    const body = renderNotes(many, context);
    expect(body.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    for (let i = 0; i < 5; i++) expect(body).toContain(`feature ${i}`);
    expect(body).toMatch(/- … and \d+ more \(cut to fit GitHub's release size limit\)/);
    expect(body).toContain('**Full changelog**');
  });
});

describe('notes make commit text inert', () => {
  const render = (message: string) => renderNotes([commit(1, message, 'alice')], context);

  it('mentions of people and teams become code spans; the author credit stays', () => {
    const notes = render('fix: thanks @octocat and @acme/security-team for the report (#9)');
    expect(notes).toContain('- thanks `@octocat` and `@acme/security-team` for the report ([#9](https://github.com/connect2/connect2-api/pull/9)) by @alice');
    // Nothing outside code spans pings anyone but the author.
    expect(notes.replace(/`[^`]*`/g, '').match(/@[\w-]+/g)).toEqual(['@alice']);
  });

  it('leaves e-mail addresses and existing code spans alone', () => {
    expect(render('fix: mail ops@example.com about `@decorator` use')).toContain('- mail ops@example.com about `@decorator` use');
  });

  it('escapes raw HTML', () => {
    const notes = render('fix: strip <img src=x onerror=alert(1)> from names');
    expect(notes).toContain('strip &lt;img src=x onerror=alert(1)&gt; from names');
    expect(notes).not.toMatch(/<img/);
  });

  it('drops javascript:, vbscript: and data: link targets, keeping the text', () => {
    const notes = render('fix: see [the docs](javascript:alert(document.cookie)) and [x](  JaVaScRiPt:void) and ![i](data:text/html,hi) or [ok](https://example.com)');
    expect(notes).toContain('see the docs and x and i or [ok](https://example.com)');
    expect(notes).not.toMatch(/javascript:|data:/i);
  });

  it('scopes and breaking notes are made inert too', () => {
    const notes = render('feat(@acme/ui)!: new theme\n\nBREAKING CHANGE: ask @design-team <b>first</b>');
    expect(notes).toContain('**`@acme/ui`:** new theme');
    expect(notes).toContain('ask `@design-team` &lt;b&gt;first&lt;/b&gt;');
  });
});

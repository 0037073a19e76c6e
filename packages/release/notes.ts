/**
 * Release notes: the changes grouped by kind (breaking changes first, "Other" last), each line with
 * its pull request (or commit) link and author, and a compare link to the previous release.
 * GitHub refuses a release body over 125,000 characters, so the notes are fitted to a budget,
 * dropping lines from the least important group first and saying how many were left out.
 */
import type { CommitKind, ParsedCommit } from './conventional';
import { deployedImageLine } from './deployed-image';

export const RELEASE_BODY_LIMIT = 125_000;

const SECTIONS: readonly { kind: CommitKind; title: string }[] = [
  { kind: 'breaking', title: '⚠️ Breaking changes' },
  { kind: 'feature', title: 'Features' },
  { kind: 'fix', title: 'Fixes' },
  { kind: 'performance', title: 'Performance' },
  { kind: 'revert', title: 'Reverts' },
  { kind: 'other', title: 'Other' },
];

export interface NotesContext {
  /** `https://github.com` (GITHUB_SERVER_URL). */
  serverUrl: string;
  /** `owner/repo`. */
  repository: string;
  tag: string;
  previousTag?: string;
  /** False when the history was cut (first release of a long history). */
  complete?: boolean;
  limit?: number;
  /** The image the deploy shipped (`name@sha256:...`), named at the top of the notes. */
  image?: string;
}

export function renderNotes(commits: readonly ParsedCommit[], context: NotesContext): string {
  const base = `${context.serverUrl.replace(/\/$/, '')}/${context.repository}`;
  const footer: string[] = [];
  if (context.previousTag) footer.push(`**Full changelog**: ${base}/compare/${context.previousTag}...${context.tag}`);
  else footer.push(`**First release.** History: ${base}/commits/${context.tag}`);
  if (context.complete === false) footer.push(`_Only the latest ${commits.length} commits of the history are listed._`);
  const footerText = footer.join('\n\n');

  const limit = context.limit ?? RELEASE_BODY_LIMIT;
  // Room for the footer and, per section, its heading and one "… and N more" line.
  const header = context.image ? [deployedImageLine(context.image)] : [];
  let budget = limit - footerText.length - 2 - SECTIONS.length * 100 - header.join('').length - 2;
  const parts: string[] = [];
  for (const { kind, title } of SECTIONS) {
    const entries = commits.filter((commit) => commit.kind === kind);
    if (entries.length === 0) continue;
    const heading = `### ${title}`;
    const lines: string[] = [];
    for (const entry of entries) {
      const line = renderLine(entry, base);
      if (budget - line.length - 1 < 0) break;
      budget -= line.length + 1;
      lines.push(line);
    }
    if (lines.length < entries.length) lines.push(`- … and ${entries.length - lines.length} more (cut to fit GitHub's release size limit)`);
    parts.push(`${heading}\n\n${lines.join('\n')}`);
  }
  if (parts.length === 0) parts.push('No changes.');
  return `${[...header, ...parts].join('\n\n')}\n\n${footerText}\n`;
}

function renderLine(commit: ParsedCommit, base: string): string {
  const scope = commit.scope ? `**${safeText(commit.scope)}:** ` : '';
  const link =
    commit.pullRequest !== undefined ? `[#${commit.pullRequest}](${base}/pull/${commit.pullRequest})` : `[${commit.sha.slice(0, 7)}](${base}/commit/${commit.sha})`;
  const author = commit.login ? ` by @${commit.login}` : commit.authorName ? ` by ${safeText(commit.authorName)}` : '';
  let line = `- ${scope}${safeText(oneLine(commit.subject))} (${link})${author}`;
  if (commit.kind === 'breaking') {
    // The footer's explanation is what a reader of a breaking change needs; a `!` header has none beyond the subject.
    for (const note of commit.breakingNotes) if (note && note !== commit.subject) line += `\n  ${safeText(oneLine(note))}`;
  }
  return line;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** `@user` and `@org/team` as GitHub recognises them: not inside a word (an e-mail address is not a mention). */
const MENTION = /(^|[^\w`@/])@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9][\w.-]*)?)/g;
/** A Markdown link or image whose target runs script or embeds data. */
const UNSAFE_LINK = /(!?)\[([^\]]*)\]\(\s*<?\s*(?:javascript|vbscript|data):(?:[^()]|\([^()]*\))*\)/gi;

/**
 * Commit text made inert for a release body: GitHub notifies every `@user` and `@org/team` named in a
 * release, and renders the HTML it allows, so a subject such as `fix: thanks @octocat` would ping
 * people and `<img src=x onerror=...>` would be markup. Mentions go into code spans (GitHub never
 * reads a mention inside code; an HTML entity for the `@` does not stop it), `<` and `>` become
 * entities, and links to `javascript:`, `vbscript:` or `data:` keep their text and lose their target.
 * Code spans already in the text are left as they are.
 */
export function safeText(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : inert(part)))
    .join('');
}

function inert(text: string): string {
  return text
    .replace(UNSAFE_LINK, (_match, _bang: string, label: string) => label)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MENTION, (_match, before: string, name: string) => `${before}\`@${name}\``);
}

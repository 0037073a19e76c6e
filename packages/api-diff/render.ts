/**
 * The sticky PR comment and the job summary of api-diff: breaking changes first, each with its
 * operation and what changed, then the other changes folded. Text from the documents (paths, property
 * names, descriptions) is escaped: no HTML from a spec is rendered and no `@name` in it mentions anyone.
 */
import { table } from '../action-kit';
import { summarizeChanges, type ApiChange } from './compare';

/** Rows shown per section; the rest are counted (a comment must stay under GitHub's limit). */
const MAX_ROWS = 200;

/** Escapes spec text for Markdown: no raw HTML, no @-mentions, no stray code fences. */
export function safeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=[A-Za-z0-9-])/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

function rows(changes: ApiChange[]): string {
  const shown = changes.slice(0, MAX_ROWS);
  const body = table(['Operation', 'Change'], shown.map((c) => [safeText(`${c.method ? `${c.method} ` : ''}${c.path}`), safeText(c.message)]));
  return changes.length > MAX_ROWS ? `${body}\n\n…and ${changes.length - MAX_ROWS} more (the full list is in the \`changes\` output).` : body;
}

export interface RenderOptions {
  name: string;
  failOnBreaking: boolean;
  /** The pull request label that allowed the break, when one did. */
  allowedByLabel?: string;
  /** The label that would allow an intended break ('' or undefined: none does). */
  breakingLabel?: string;
  /** A link to the run, for the comment. */
  runUrl?: string;
}

function breakingAdvice(options: RenderOptions): string {
  if (options.allowedByLabel) return `These changes break clients of the current API; the pull request carries the label \`${safeText(options.allowedByLabel)}\`, so the break is intended and allowed: the release that ships it is a major version.`;
  if (!options.failOnBreaking) return 'These changes break clients of the current API; the break is allowed here (`fail-on-breaking: false`), so the release must say it (a major version).';
  const how = options.breakingLabel ? `label the pull request \`${safeText(options.breakingLabel)}\` (the release is then a major version)` : 'say so the way your repository allows and release it as a major version';
  return `These changes break clients of the current API. Keep the old behaviour (add instead of remove, make new inputs optional), or, if the break is intended, ${how}.`;
}

export function renderReport(changes: ApiChange[], options: RenderOptions): string {
  const breaking = changes.filter((c) => c.breaking);
  const other = changes.filter((c) => !c.breaking);
  const icon = breaking.length ? (options.failOnBreaking ? '❌' : '⚠️') : '✅';
  const parts = [`## ${icon} API compatibility (${safeText(options.name)}): ${summarizeChanges(changes)}`];
  if (breaking.length) {
    parts.push(breakingAdvice(options));
    parts.push(`### Breaking changes\n\n${rows(breaking)}`);
  } else {
    parts.push('No change breaks clients of the current API.');
  }
  if (other.length) parts.push(`<details><summary>${other.length} other change${other.length === 1 ? '' : 's'}</summary>\n\n${rows(other)}\n\n</details>`);
  if (options.runUrl) parts.push(`[The run](${options.runUrl})`);
  return parts.join('\n\n') + '\n';
}

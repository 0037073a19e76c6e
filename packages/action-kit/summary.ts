/**
 * Job summary helpers: Markdown building blocks and a writer that keeps the summary under the
 * runner's 1 MiB per-step cap.
 */
import * as core from '@actions/core';

/** GitHub refuses a step summary over 1 MiB. */
export const SUMMARY_LIMIT = 1024 * 1024;

/** Escapes text for a Markdown table cell. */
function cell(value: unknown): string {
  return String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

export function table(headers: string[], rows: unknown[][]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  return [head, rule, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

/** A collapsible section. */
export function details(summaryLine: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summaryLine}</summary>\n\n${body}\n\n</details>`;
}

/** A fenced code block whose fence cannot be closed by the content. */
export function codeBlock(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Cuts `markdown` to `limit` characters, saying so. */
function truncate(markdown: string, limit: number, note = 'cut to fit GitHub’s size limit'): string {
  if (markdown.length <= limit) return markdown;
  const tail = `\n\n… (${note})\n`;
  return markdown.slice(0, Math.max(0, limit - tail.length)) + tail;
}

/** Appends Markdown to the job summary (no-op outside a runner), within the size cap. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  // The cap is in bytes; a character can take up to 4 bytes in UTF-8.
  const fitted = Buffer.byteLength(markdown) > SUMMARY_LIMIT ? truncate(markdown, Math.floor(SUMMARY_LIMIT / 4)) : markdown;
  await core.summary.addRaw(fitted, true).write();
}

/** Small Markdown/HTML helpers for comments: nothing a value contains can break out of its place. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline code in HTML context (`<summary>`, lists), safe for any address. */
export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** A fenced block whose fence the content cannot close. */
export function fence(text: string, language = ''): string {
  let longest = 2;
  for (const match of text.matchAll(/`{3,}/g)) longest = Math.max(longest, match[0].length);
  const marks = '`'.repeat(longest + 1);
  return `${marks}${language}\n${text}\n${marks}`;
}

export function collapsible(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** 20000 -> "20,000", locale-independent. */
export function number(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${number(count)} ${count === 1 ? singular : pluralForm}`;
}

/** Keeps the first `max` lines, saying how many were left out. */
export function firstLines(text: string, max: number): { text: string; cut: number } {
  let index = -1;
  for (let i = 0; i < max; i++) {
    index = text.indexOf('\n', index + 1);
    if (index === -1) return { text, cut: 0 };
  }
  const total = text.split('\n').length;
  return { text: `${text.slice(0, index)}\n… (${plural(total - max, 'more line')})`, cut: total - max };
}

/** `commit <code>abc1234def56</code>`, linked when a URL is known. */
export function commitLink(sha: string, url?: string): string {
  const short = `<code>${escapeHtml(sha.slice(0, 12))}</code>`;
  return url ? `commit <a href="${escapeHtml(url)}">${short}</a>` : `commit ${short}`;
}

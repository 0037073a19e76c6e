/**
 * Markdown lists of files that fit a character budget: GitHub refuses comments over 65,536
 * characters and a 3,500-file PR would blow it, so lists are cut and say how many were left out.
 */
import type { ClassifiedPath } from './classify';

/** Inline code that survives backticks in a path. */
export function code(text: string): string {
  if (!text.includes('`')) return `\`${text}\``;
  return `\`\` ${text} \`\``;
}

function fileLine(file: ClassifiedPath): string {
  const rename = file.renamedTo ? ` (renamed to ${code(file.renamedTo)})` : '';
  return `- ${code(file.path)}${rename}`;
}

/** The list as bullet lines within `budget` characters, ending with "… and N more" when cut. */
export function fitList(files: readonly ClassifiedPath[], budget: number, more: (count: number) => string): string {
  const all = files.map(fileLine);
  if (all.reduce((sum, line) => sum + line.length + 1, 0) <= budget) return all.join('\n');
  const lines: string[] = [];
  let used = 0;
  for (let i = 0; i < files.length; i++) {
    const line = all[i];
    // The list does not fit: keep room for the "and N more" line.
    const reserve = more(files.length - i).length + 1;
    if (used + line.length + 1 + reserve > budget) {
      lines.push(more(files.length - i));
      return lines.join('\n');
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join('\n');
}

/** Splits `total` characters between two lists: the shorter keeps all it needs, up to half. */
export function shareBudget(needA: number, needB: number, total: number): [number, number] {
  if (needA + needB <= total) return [needA, needB];
  const half = Math.floor(total / 2);
  if (needA <= half) return [needA, total - needA];
  if (needB <= half) return [total - needB, needB];
  return [half, total - half];
}

/** Characters the full list would take. */
export function listLength(files: readonly ClassifiedPath[]): number {
  return files.reduce((sum, file) => sum + fileLine(file).length + 1, 0);
}

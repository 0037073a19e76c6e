/**
 * The sticky PR comment: for a mixed PR it explains the runbook's rule, lists the files of each
 * kind and suggests the split (infrastructure first); once the PR is fixed the same comment says so.
 */
import { COMMENT_LIMIT, stickyMarker } from '../github';
import type { Classification } from './classify';
import { code, fitList, listLength, shareBudget } from './file-list';

/** The identity of classify-pr's sticky comment (one per PR). */
export const COMMENT_IDENTITY = 'classify-pr';

export interface CommentContext {
  head?: string;
  base?: string;
  headSha?: string;
  runUrl?: string;
  infrastructureGlobs: readonly string[];
}

/** Room kept for the marker and GitHub's own accounting. */
const MARGIN = 512;

function footer(context: CommentContext): string {
  const at = context.headSha ? ` at ${code(context.headSha.slice(0, 7))}` : '';
  const run = context.runUrl ? ` · [workflow run](${context.runUrl})` : '';
  return `<sub>Checked by classify-pr${at}${run}. This comment is updated in place on every push.</sub>`;
}

export function mixedComment(result: Classification, context: CommentContext): string {
  const infra = result.infrastructure;
  const app = result.application;
  const base = context.base ? code(context.base) : 'the same base branch';
  const head = context.head ? ` ${code(context.head)}` : '';
  const globs = context.infrastructureGlobs.map(code).join(', ');
  const infraHeading = `#### Infrastructure (${infra.length} ${infra.length === 1 ? 'file' : 'files'})`;
  const appHeading = `#### Application (${app.length} ${app.length === 1 ? 'file' : 'files'})`;
  const before = [
    stickyMarker(COMMENT_IDENTITY),
    '### ❌ This PR mixes infrastructure and application changes',
    '',
    'The deployment runbook\'s first rule: **never mix infrastructure changes and application code in the same PR**, so each can be reviewed, deployed and rolled back on its own, and infrastructure can deploy before the code that needs it.',
    '',
  ].join('\n');
  const split = [
    '#### How to split it',
    `1. Open an **infrastructure PR first**: a branch such as ${code('infra/<topic>')} from ${base} with only the ${infra.length} infrastructure ${infra.length === 1 ? 'file' : 'files'} above. Merge it (and let it apply) before the code that depends on it.`,
    `2. In this PR${head}, restore those files to ${base}'s version so it keeps only the ${app.length} application ${app.length === 1 ? 'file' : 'files'}; rebase it once the infrastructure PR is merged.`,
    '',
    `<details><summary>What counts as infrastructure</summary>\n\nFiles matching ${globs} (the ${code('infrastructure-paths')} input). Everything else is application.\n\n</details>`,
    '',
    footer(context),
  ].join('\n');
  const fixed = before.length + split.length + infraHeading.length + appHeading.length + 16;
  const [infraBudget, appBudget] = shareBudget(listLength(infra), listLength(app), COMMENT_LIMIT - MARGIN - fixed);
  const more = (kind: string) => (count: number) => `- … and ${count} more ${kind} ${count === 1 ? 'file' : 'files'} (see the job summary and the step's outputs)`;
  return [
    before,
    infraHeading,
    fitList(infra, infraBudget, more('infrastructure')),
    '',
    appHeading,
    fitList(app, appBudget, more('application')),
    '',
    split,
  ].join('\n');
}

/** The same comment once the PR no longer mixes: says what it is now. */
export function resolvedComment(result: Classification, context: CommentContext): string {
  const count = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;
  const now =
    result.type === 'infrastructure'
      ? `It now changes only infrastructure (${count(result.infrastructure.length)}).`
      : result.type === 'application'
        ? `It now changes only application code (${count(result.application.length)}).`
        : 'It no longer changes any classified file.';
  return [
    stickyMarker(COMMENT_IDENTITY),
    '### ✅ Resolved: this PR no longer mixes infrastructure and application changes',
    '',
    `${now} Thanks for splitting it.`,
    '',
    footer(context),
  ].join('\n');
}

/**
 * create-release glue: inputs (all validated before the first call), the release engine, outputs
 * and the job summary.
 */
import { actionsLogger, details, readInputs, setOutputs, table, writeSummary, type ActionContext } from '../../packages/action-kit';
import { createGitHubClient } from '../../packages/github';
import { createRelease as runRelease, type ReleaseResult } from '../../packages/release';
import { readReleaseInputs } from './inputs';
import { Output } from './names';

const log = actionsLogger();

export async function createRelease(_context: ActionContext): Promise<void> {
  const { token, options } = readReleaseInputs(readInputs());
  const client = createGitHubClient(token);
  const result = await runRelease({ client, log }, options);
  setOutputs({
    [Output.Version]: result.version ?? '',
    [Output.Tag]: result.tag ?? '',
    [Output.PreviousTag]: result.previous?.name ?? '',
    [Output.PreviousVersion]: result.previous?.version ?? '',
    [Output.Bump]: result.bump,
    [Output.ReleaseId]: result.releaseId ?? '',
    [Output.ReleaseUrl]: result.releaseUrl ?? '',
    [Output.Created]: result.created,
    [Output.Notes]: result.notes,
  });
  await writeSummary(summarise(result, options.dryRun, options.image));
}

const HEADLINE: Record<ReleaseResult['outcome'], (r: ReleaseResult) => string> = {
  created: (r) => `Released ${r.tag}`,
  'published-draft': (r) => `Released ${r.tag} (its draft published with the computed notes)`,
  existing: (r) => `${r.tag} already released this commit: nothing created`,
  concurrent: (r) => `${r.tag} was released by a concurrent run`,
  'nothing-to-release': () => 'Nothing to release',
  included: (r) => `Nothing to release: this commit is already part of ${r.includedIn?.name ?? 'a later release'}`,
  'dry-run': (r) => `Dry run: would release ${r.tag}`,
};

function summarise(result: ReleaseResult, dryRun: boolean, image: string | undefined): string {
  const server = (process.env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  const repo = process.env.GITHUB_REPOSITORY ?? '';
  const commit = `[${result.targetSha.slice(0, 7)}](${server}/${repo}/commit/${result.targetSha})`;
  const rows: unknown[][] = [
    ['Version', result.version ? `**${result.version}**` : '—'],
    ['Previous version', result.previous ? `${result.previous.version} (${result.previous.name})` : '—'],
    ['Bump', `${result.bump}: ${result.reason}`],
    ['Target', commit],
    ...(image ? [['Deployed image', `\`${image}\``]] : []),
    ['Commits', `${result.changes.length} (+${result.merges} merge commits looked through${result.leftOut ? `; ${result.leftOut} cherry-picked copies of released changes left out` : ''}${result.duplicates ? `; ${result.duplicates} repeated in the range, listed once` : ''}${result.reverted ? `; ${result.reverted} reverted in the range, left out with their reverts` : ''})`],
  ];
  if (result.prefixHint) rows.push(['⚠️ Tag prefix', result.prefixHint]);
  if (result.releaseUrl) rows.push(['Release', `[${result.tag}](${result.releaseUrl})`]);
  if (result.majorTag) rows.push(['Major tag', result.majorTag.reason]);
  const parts = [`## create-release: ${HEADLINE[result.outcome](result)}`, table(['', ''], rows)];
  if (result.notes) parts.push(dryRun ? details('Release notes (not published: dry run)', result.notes, true) : `### Release notes\n\n${result.notes}`);
  return `${parts.join('\n\n')}\n`;
}

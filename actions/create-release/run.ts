/**
 * create-release glue: inputs (all validated before the first call), the release engine, outputs
 * and the job summary.
 */
import { InputError, details, info, readInputs, setOutputs, table, warning, writeSummary, type ActionContext } from '../../packages/action-kit';
import { createGitHubClient, currentRepository } from '../../packages/github';
import { createRelease as runRelease, deployedImageProblem, parseVersion, tagPrefixProblem, targetProblem, type ReleaseResult } from '../../packages/release';

export async function createRelease(_context: ActionContext): Promise<void> {
  const inputs = readInputs();
  const token = inputs.required('github-token');
  const tagPrefix = inputs.optional('tag-prefix') ?? '';
  const prefixProblem = tagPrefixProblem(tagPrefix);
  if (prefixProblem) throw new InputError('tag-prefix', `'${tagPrefix}' ${prefixProblem}`, `use a git-ref-safe prefix such as 'v' or 'release/'`);
  const initialRaw = inputs.optional('initial-version') ?? '1.0.0';
  const initialVersion = parseVersion(initialRaw);
  if (!initialVersion) throw new InputError('initial-version', `is '${initialRaw}', not a semver version`, `use MAJOR.MINOR.PATCH without the prefix, e.g. '1.0.0' or '0.1.0'`);
  const target = inputs.optional('target') ?? process.env.GITHUB_SHA ?? '';
  if (target === '') throw new InputError('target', 'is empty and GITHUB_SHA is not set', 'set it to the commit SHA or ref to release');
  const badTarget = targetProblem(target);
  if (badTarget) throw new InputError('target', `'${target}' ${badTarget}`, 'use a commit SHA, branch or tag name');
  const defaultBump = inputs.enumeration('default-bump', ['patch', 'none'] as const, 'patch');
  const draft = inputs.boolean('draft', false);
  const prerelease = inputs.boolean('prerelease', false);
  const dryRun = inputs.boolean('dry-run', false);
  const updateMajorTag = inputs.boolean('update-major-tag', false);
  const bodyChanges = inputs.enumeration('body-changes', ['ignore', 'split'] as const, 'ignore');
  const image = inputs.optional('image');
  const badImage = image === undefined ? undefined : deployedImageProblem(image);
  if (badImage) throw new InputError('image', `'${image}' ${badImage}`, 'use the image deployed, name@sha256:<64 hex digits> (or name:tag), e.g. 123456789012.dkr.ecr.us-west-2.amazonaws.com/connect2-api@sha256:<digest>');
  const repository = currentRepository();

  const client = createGitHubClient(token);
  const result = await runRelease(
    {
      repository,
      serverUrl: process.env.GITHUB_SERVER_URL ?? 'https://github.com',
      tagPrefix,
      initialVersion,
      target,
      defaultBump,
      draft,
      prerelease,
      dryRun,
      updateMajorTag,
      bodyChanges,
      image,
      workspace: process.env.GITHUB_WORKSPACE,
    },
    { client, log: info, warn: warning },
  );

  setOutputs({
    version: result.version ?? '',
    tag: result.tag ?? '',
    'previous-tag': result.previous?.name ?? '',
    'previous-version': result.previous?.version ?? '',
    bump: result.bump,
    'release-id': result.releaseId ?? '',
    'release-url': result.releaseUrl ?? '',
    created: result.created,
    notes: result.notes,
  });
  await writeSummary(summarise(result, dryRun, image));
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

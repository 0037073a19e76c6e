/**
 * create-release glue: inputs (all validated before the first call), the release engine, outputs
 * and the job summary.
 */
import { InputError, actionsLogger, details, readInputs, setOutputs, table, writeSummary, type ActionContext, type Inputs } from '../../packages/action-kit';
import { createGitHubClient, currentRepository } from '../../packages/github';
import { createRelease as runRelease, deployedImageProblem, parseVersion, tagPrefixProblem, targetProblem, type ReleaseOptions, type ReleaseResult } from '../../packages/release';
import { Input, Output } from './names';

export async function createRelease(_context: ActionContext): Promise<void> {
  const { token, options } = readReleaseInputs(readInputs());
  const client = createGitHubClient(token);
  const result = await runRelease({ client, log: actionsLogger() }, options);
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

/** Every input, checked before the first call: a bad one fails with one line naming it. */
function readReleaseInputs(inputs: Inputs): { token: string; options: ReleaseOptions } {
  const token = inputs.required(Input.GitHubToken);
  const tagPrefix = inputs.optional(Input.TagPrefix) ?? '';
  const prefixProblem = tagPrefixProblem(tagPrefix);
  if (prefixProblem) throw new InputError(Input.TagPrefix, `'${tagPrefix}' ${prefixProblem}`, `use a git-ref-safe prefix such as 'v' or 'release/'`);
  const initialRaw = inputs.optional(Input.InitialVersion) ?? '1.0.0';
  const initialVersion = parseVersion(initialRaw);
  if (!initialVersion) throw new InputError(Input.InitialVersion, `is '${initialRaw}', not a semver version`, `use MAJOR.MINOR.PATCH without the prefix, e.g. '1.0.0' or '0.1.0'`);
  const target = inputs.optional(Input.Target) ?? process.env.GITHUB_SHA ?? '';
  if (target === '') throw new InputError(Input.Target, 'is empty and GITHUB_SHA is not set', 'set it to the commit SHA or ref to release');
  const badTarget = targetProblem(target);
  if (badTarget) throw new InputError(Input.Target, `'${target}' ${badTarget}`, 'use a commit SHA, branch or tag name');
  const defaultBump = inputs.enumeration(Input.DefaultBump, ['patch', 'none'] as const, 'patch');
  const draft = inputs.boolean(Input.Draft, false);
  const prerelease = inputs.boolean(Input.Prerelease, false);
  const dryRun = inputs.boolean(Input.DryRun, false);
  const updateMajorTag = inputs.boolean(Input.UpdateMajorTag, false);
  const bodyChanges = inputs.enumeration(Input.BodyChanges, ['ignore', 'split'] as const, 'ignore');
  const image = inputs.optional(Input.Image);
  const badImage = image === undefined ? undefined : deployedImageProblem(image);
  if (badImage) throw new InputError(Input.Image, `'${image}' ${badImage}`, 'use the image deployed, name@sha256:<64 hex digits> (or name:tag), e.g. 123456789012.dkr.ecr.us-west-2.amazonaws.com/connect2-api@sha256:<digest>');
  const breakingLabel = inputs.optional(Input.BreakingLabel) ?? '';
  if (breakingLabel.length > 50 || /[\r\n,]/.test(breakingLabel)) throw new InputError(Input.BreakingLabel, `is '${breakingLabel.slice(0, 60)}', not one GitHub label name`, "use one label name of up to 50 characters, e.g. 'breaking-change', or '' to read no labels");
  const options: ReleaseOptions = {
    repository: currentRepository(),
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
    breakingLabel,
    workspace: process.env.GITHUB_WORKSPACE,
  };
  return { token, options };
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

/** create-release's inputs, all checked before the first call to GitHub. */
import { InputError, type Inputs } from '../../packages/action-kit';
import { currentRepository } from '../../packages/github';
import { deployedImageProblem, parseVersion, tagPrefixProblem, targetProblem, type ReleaseOptions } from '../../packages/release';
import { Input } from './names';

/** Every input, checked before the first call: a bad one fails with one line naming it. */
export function readReleaseInputs(inputs: Inputs): { token: string; options: ReleaseOptions } {
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

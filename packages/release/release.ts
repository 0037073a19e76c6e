/**
 * The release of one target commit, from start to end: resolve the target, find its release tags
 * and its previous release, read the commits in between, decide the version, write the notes, and
 * (unless dry-run) publish the tag and release and move the major tag.
 *
 * Rerunning is always safe: a target that already carries a release tag gets nothing new; a write
 * that a concurrent run made first is read back; when a concurrent run released another commit
 * under the version computed here, the plan is made again from the tags as they are now.
 */
import { ActionError } from '../action-kit';
import { resolveCommit, findRelease, type GitHubClient, type Release, type RepositoryRef } from '../github';
import { findAlreadyReleased } from './already-released';
import { changesOf } from './commits';
import { inStep } from './errors';
import { releaseLevel, type BodyChanges, type ParsedCommit } from './conventional';
import { apiHistory, type History } from './history';
import { localHistory } from './local-git';
import { updateMajorTag, type MajorTagResult } from './major-tag';
import { renderNotes } from './notes';
import { findPreviousRelease } from './previous-release';
import { publishRelease } from './publish';
import { otherPrefixBase } from './prefix-hint';
import { readTags, tagsOn, type ReleaseTag, type TagIndex } from './tags';
import { decideVersion, greaterThan, isPrerelease, type Bump } from './version';

/** Commits listed for a first release (no previous tag): the whole history can be very long. */
export const FIRST_RELEASE_COMMIT_LIMIT = 1000;

export interface ReleaseOptions {
  repository: RepositoryRef;
  /** GITHUB_SERVER_URL, for links in the notes. */
  serverUrl: string;
  tagPrefix: string;
  initialVersion: string;
  /** Commit SHA or ref to release. */
  target: string;
  defaultBump: 'patch' | 'none';
  draft: boolean;
  prerelease: boolean;
  dryRun: boolean;
  updateMajorTag: boolean;
  /** The checkout (GITHUB_WORKSPACE): its git history is used when it holds the target's. */
  workspace?: string;
  /** Conventional lines in commit bodies: ignored (default) or split into changes of their own. */
  bodyChanges?: BodyChanges;
  /** The image the deploy shipped (`name@sha256:...` or `name:tag`), named in the notes. */
  image?: string;
}

export interface ReleaseDependencies {
  client: GitHubClient;
  log?: (line: string) => void;
  warn?: (line: string) => void;
}

export type ReleaseOutcome = 'created' | 'published-draft' | 'existing' | 'concurrent' | 'nothing-to-release' | 'included' | 'dry-run';

export interface ReleaseResult {
  outcome: ReleaseOutcome;
  targetSha: string;
  /** The version released (or that would be, or that exists); undefined when nothing is released. */
  version?: string;
  tag?: string;
  previous?: ReleaseTag;
  /** The bump applied: major/minor/patch, 'initial' for a first release, 'none' for no release. */
  bump: Bump | 'initial' | 'none';
  /** Why this bump, in words. */
  reason: string;
  releaseId?: number;
  releaseUrl?: string;
  created: boolean;
  notes: string;
  changes: ParsedCommit[];
  merges: number;
  /** Cherry-picked copies of changes released before, left out of the notes and the bump. */
  leftOut?: number;
  /** Copies of a change of the same range, listed once. */
  duplicates?: number;
  /** Changes cancelled by a revert in the same range (each pair counts once). */
  reverted?: number;
  /** Set when no tag has the prefix but semver tags with another prefix would give a previous release. */
  prefixHint?: string;
  historySource?: History['kind'];
  majorTag?: MajorTagResult;
  /** For 'included': the later release that already contains the target. */
  includedIn?: ReleaseTag;
}

const MAX_PLANS = 3;

export async function createRelease(options: ReleaseOptions, deps: ReleaseDependencies): Promise<ReleaseResult> {
  const { client } = deps;
  const log = deps.log ?? (() => undefined);
  const { repository } = options;

  const targetSha = await inStep(`Resolving target '${options.target}'`, 'read', () => resolveCommit(client, repository, options.target));
  if (!targetSha) {
    throw new ActionError(`Target '${options.target}' is not a commit of ${repository.owner}/${repository.repo}: give a commit SHA, branch or tag that exists there.`);
  }
  log(`Target: ${options.target === targetSha ? targetSha : `${options.target} = ${targetSha}`}`);

  for (let plan = 1; ; plan++) {
    const tags = await inStep(`Listing tags with prefix '${options.tagPrefix}'`, 'read', () => readTags(client, repository, options.tagPrefix));
    log(`Release tags with prefix '${options.tagPrefix}': ${tags.releases.length}`);
    const result = await planAndPublish(options, deps, targetSha, tags);
    if (result !== 'replan') return result;
    if (plan >= MAX_PLANS) {
      throw new ActionError(`Releases of other commits kept taking the computed tag (${MAX_PLANS} attempts): run again when the other release pipelines are done.`);
    }
    log('Another run released a different commit under the same version meanwhile: planning again from the current tags.');
  }
}

async function planAndPublish(options: ReleaseOptions, deps: ReleaseDependencies, targetSha: string, tags: TagIndex): Promise<ReleaseResult | 'replan'> {
  const { client } = deps;
  const log = deps.log ?? (() => undefined);
  const warn = deps.warn ?? log;
  const { repository } = options;
  const history = (options.workspace ? await localHistory(options.workspace, targetSha) : undefined) ?? apiHistory(client, repository, log);
  log(`History from ${history.kind === 'git' ? 'the local checkout' : 'the GitHub API'}`);

  const previous = await inStep('Finding the previous release', 'read', () => findPreviousRelease(tags.releases, targetSha, history));
  log(`Previous release: ${previous ? `${previous.name} (${previous.sha.slice(0, 7)})` : 'none'}`);

  // Already released: the highest release tag on the target is the release of this commit.
  const existingTag = tagsOn(tags, targetSha)[0];
  let existingDraft: Release | undefined;
  if (existingTag) {
    const release = await inStep(`Reading the release of ${existingTag.name}`, 'read', () => findRelease(client, repository, existingTag.name));
    if (release?.draft && !options.draft) {
      existingDraft = release;
      // A draft is not a release anyone can see: publish it with the notes computed below.
      log(`${existingTag.name} is on the target but its release ${release.url} is a draft: publishing it with the computed notes.`);
    } else if (release) {
      log(`${existingTag.name} is already on ${targetSha.slice(0, 7)} with release ${release.url}: nothing to create.`);
      const majorTag = await maybeMajorTag(options, deps, existingTag.version, targetSha, tags, history);
      return {
        outcome: 'existing',
        targetSha,
        version: existingTag.version,
        tag: existingTag.name,
        previous,
        bump: 'none',
        reason: `${existingTag.name} already released this commit`,
        releaseId: release.id,
        releaseUrl: release.url,
        created: false,
        notes: release.body,
        changes: [],
        merges: 0,
        historySource: history.kind,
        majorTag,
      };
    } else {
      // The tag without its release: an earlier run stopped between the two writes. Finish its job.
      log(`${existingTag.name} is on the target but has no release (an earlier run was interrupted): creating the release.`);
    }
  }

  // A later release that already contains the target (a slow or rerun pipeline of an older push):
  // its changes are released, and a new, lower version on top of an older commit would only confuse.
  if (!existingTag) {
    const including = await inStep('Checking later releases', 'read', () => findIncludingRelease(tags, previous, targetSha, history));
    if (including) {
      log(`${targetSha.slice(0, 7)} is already part of ${including.name} (${including.sha.slice(0, 7)}): nothing to release.`);
      return {
        outcome: 'included',
        targetSha,
        previous,
        bump: 'none',
        reason: `already released as part of ${including.name}`,
        created: false,
        notes: '',
        changes: [],
        merges: 0,
        historySource: history.kind,
        includedIn: including,
      };
    }
  }

  const range = await inStep(`Reading the commits since ${previous?.name ?? 'the start'}`, 'read', () => history.range(previous?.sha, targetSha, FIRST_RELEASE_COMMIT_LIMIT));
  const { commits: all, merges, duplicates, reverted } = changesOf(range.commits, { bodyChanges: options.bodyChanges });
  log(`Commits since ${previous?.name ?? 'the start'}: ${range.commits.length} (${merges} merge commits looked through): ${countKinds(all)}`);
  const subjectOf = new Map(range.commits.map((commit) => [commit.sha, commit.message.split('\n', 1)[0]]));
  for (const [copy, original] of duplicates) log(`Listed once: ${subjectOf.get(copy)} (${copy.slice(0, 7)} repeats ${original.slice(0, 7)}, a cherry-pick or backport in the same range)`);
  for (const [revert, original] of reverted) log(`Cancelled out: ${subjectOf.get(revert) ?? revert.slice(0, 7)} reverts ${subjectOf.get(original) ?? original.slice(0, 7)} (${original.slice(0, 7)}), both in this range`);
  const prefixHint = previous || existingTag ? undefined : await inStep('Looking for release tags with another prefix', 'read', () => otherPrefixBase(client, repository, options.tagPrefix, targetSha, history));
  if (prefixHint) warn(`${prefixHint.message} Releasing from initial-version ${options.initialVersion} as if there were no earlier release.`);
  const copies = previous
    ? await inStep('Looking for changes released before', 'read', () =>
        findAlreadyReleased(client, repository, { changes: all, rangeShas: new Set(range.commits.map((c) => c.sha)), previous, releases: tags.releases, history }),
      )
    : new Map<string, string>();
  const changes = all.filter((change) => !copies.has(change.sha));
  for (const change of all) {
    const where = copies.get(change.sha);
    if (where) log(`Left out, already released in ${where}: ${change.subject}${change.pullRequest ? ` (#${change.pullRequest})` : ''} (${change.sha.slice(0, 7)}, a cherry-picked copy)`);
  }
  const level = releaseLevel(changes);

  // What the range held, reported whether or not a release is made.
  const rangeFacts = { changes, merges, leftOut: copies.size, duplicates: duplicates.size, reverted: reverted.size, prefixHint: prefixHint?.message, historySource: history.kind };
  const decision = decideVersion({ level, previous, existing: existingTag, initialVersion: options.initialVersion, defaultBump: options.defaultBump, tagPrefix: options.tagPrefix });
  if (!decision.release) {
    log(`Nothing to release: ${decision.reason}.`);
    return {
      outcome: 'nothing-to-release',
      targetSha,
      previous,
      bump: 'none',
      reason: decision.reason,
      created: false,
      notes: '',
      ...rangeFacts,
    };
  }
  const { version, bump, reason } = decision;
  const tag = `${options.tagPrefix}${version}`;
  log(`Version: ${version} (${bump}: ${reason})`);

  const taken = tags.releases.find((release) => release.name === tag && release.sha !== targetSha)?.sha ?? otherTag(tags, tag, targetSha);
  if (taken) {
    throw new ActionError(
      `Tag '${tag}' already exists on ${taken.slice(0, 7)}, which is not in the history of ${targetSha.slice(0, 7)}: the version computed from ${previous?.name ?? 'initial-version'} collides with a release made on another branch. Merge that branch into the target first, or release this commit by hand.`,
    );
  }

  const notes = renderNotes(changes, {
    serverUrl: options.serverUrl,
    repository: `${repository.owner}/${repository.repo}`,
    tag,
    previousTag: previous?.name,
    complete: range.complete,
    image: options.image,
  });
  const base = {
    targetSha,
    version,
    tag,
    previous,
    bump,
    reason,
    notes,
    ...rangeFacts,
  } as const;

  if (options.dryRun) {
    const majorTag = await maybeMajorTag(options, deps, version, targetSha, tags, history);
    log('Dry run: nothing was written.');
    return { ...base, outcome: 'dry-run', created: false, majorTag };
  }

  const published = await inStep(`Creating tag and release ${tag}`, 'write', () => publishRelease(client, repository, {
    tag,
    targetSha,
    name: tag,
    body: notes,
    draft: options.draft,
    prerelease: options.prerelease,
    existingDraft,
    // Drafts and pre-releases cannot be latest; a lower version than an existing release must not be.
    makeLatest: !options.draft && !options.prerelease && !isPrerelease(version) && !tags.releases.some((release) => greaterThan(release.version, version)),
  }));
  if (published.outcome === 'tag-taken') {
    warn(`Tag ${tag} was created on ${published.existingSha.slice(0, 7)} by another run while this one planned.`);
    return 'replan';
  }
  const { release, created } = published;
  log(
    published.publishedDraft
      ? `Published the draft release of ${tag} with the computed notes: ${release.url}`
      : created
        ? `Created release ${tag}: ${release.url}`
        : `Release ${tag} was created by a concurrent run: ${release.url}`,
  );
  const majorTag = await maybeMajorTag(options, deps, version, targetSha, tags, history);
  return {
    ...base,
    outcome: published.publishedDraft ? 'published-draft' : created ? 'created' : 'concurrent',
    releaseId: release.id,
    releaseUrl: release.url,
    created,
    // A concurrent run's notes are the release's; ours were computed from the same commits.
    notes: created ? notes : release.body,
    majorTag,
  };
}

/** A release newer than the previous one whose commit has the target in its history, if any. */
async function findIncludingRelease(tags: TagIndex, previous: ReleaseTag | undefined, targetSha: string, history: History): Promise<ReleaseTag | undefined> {
  // Oldest first: the first release that shipped the target is the one to name.
  const newer = tags.releases.filter((tag) => tag.sha !== targetSha && (!previous || greaterThan(tag.version, previous.version))).reverse();
  const verdicts = new Map<string, boolean>();
  for (const tag of newer) {
    let contains = verdicts.get(tag.sha);
    if (contains === undefined) {
      contains = await history.isAncestor(targetSha, tag.sha);
      verdicts.set(tag.sha, contains);
    }
    if (contains) return tag;
  }
  return undefined;
}

/** The commit of a non-release-parsed tag with this exact name (e.g. created by hand, annotated). */
function otherTag(tags: TagIndex, name: string, targetSha: string): string | undefined {
  const ref = tags.all.get(name);
  if (!ref || ref.objectType !== 'commit') return undefined;
  return ref.objectSha === targetSha ? undefined : ref.objectSha;
}

async function maybeMajorTag(options: ReleaseOptions, deps: ReleaseDependencies, version: string, targetSha: string, tags: TagIndex, history: History): Promise<MajorTagResult | undefined> {
  if (!options.updateMajorTag) return undefined;
  const skipReason = options.draft ? 'the release is a draft' : options.prerelease ? 'the release is marked pre-release' : undefined;
  const major = `${options.tagPrefix}${version.split('.')[0]}`;
  const result = await inStep(`Updating the major tag ${major}`, 'write', () => updateMajorTag(deps.client, options.repository, {
    prefix: options.tagPrefix,
    version,
    targetSha,
    tags,
    history,
    write: !options.dryRun,
    skipReason,
  }));
  const line = `Major tag: ${result.reason}`;
  if (result.action === 'kept-newer' || result.action === 'kept-unknown') (deps.warn ?? deps.log)?.(line);
  else deps.log?.(line);
  return result;
}

function countKinds(changes: readonly ParsedCommit[]): string {
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
  return ['breaking', 'feature', 'fix', 'performance', 'other'].map((kind) => `${counts.get(kind) ?? 0} ${kind}`).join(', ');
}

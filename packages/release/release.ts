/**
 * The release of one target commit, from start to end: resolve the target, find its release tags
 * and its previous release, read the commits in between, decide the version, write the notes, and
 * (unless dry-run) publish the tag and release and move the major tag.
 *
 * Rerunning is always safe: a target that already carries a release tag gets nothing new; a write
 * that a concurrent run made first is read back; when a concurrent run released another commit
 * under the version computed here, the plan is made again from the tags as they are now.
 */
import { ActionError, type Logger } from '../action-kit';
import { resolveCommit, findRelease, type GitHubClient, type Release, type RepositoryRef } from '../github';
import { findAlreadyReleased } from './already-released';
import { markLabelledBreaking } from './breaking-labels';
import { changesOf } from './commits';
import { inStep } from './errors';
import { releaseLevel, type BodyChanges, type ParsedCommit } from './conventional';
import { apiHistory, type History } from './history';
import { localHistory } from './local-git';
import { updateMajorTag, type MajorTagResult } from './major-tag';
import { renderNotes } from './notes';
import { findSameContent } from './same-content';
import { findPreviousRelease } from './previous-release';
import { publishRelease } from './publish';
import { otherPrefixBase } from './prefix-hint';
import { readTags, tagsOn, type ReleaseTag, type TagIndex } from './tags';
import { decideVersion, greaterThan, isPrerelease, type Bump } from './version';

/** Commits listed for a first release (no previous tag): the whole history can be very long. */
const FIRST_RELEASE_COMMIT_LIMIT = 1000;

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
  /** A PR label that makes the PR's changes breaking (an intended API break); '' or undefined: labels are not read. */
  breakingLabel?: string;
}

/** The engine's context: the GitHub client and where progress lines and warnings go. */
export interface ReleaseContext {
  client: GitHubClient;
  log: Logger;
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

export async function createRelease(ctx: ReleaseContext, options: ReleaseOptions): Promise<ReleaseResult> {
  const { client, log } = ctx;
  const { repository } = options;

  const targetSha = await inStep(`Resolving target '${options.target}'`, 'read', () => resolveCommit(client, repository, options.target));
  if (!targetSha) {
    throw new ActionError(`Target '${options.target}' is not a commit of ${repository.owner}/${repository.repo}: give a commit SHA, branch or tag that exists there.`);
  }
  log.info(`Target: ${options.target === targetSha ? targetSha : `${options.target} = ${targetSha}`}`);

  for (let attempt = 1; ; attempt++) {
    const tags = await inStep(`Listing tags with prefix '${options.tagPrefix}'`, 'read', () => readTags(client, repository, options.tagPrefix));
    log.info(`Release tags with prefix '${options.tagPrefix}': ${tags.releases.length}`);
    const result = await planAndPublish(ctx, options, targetSha, tags);
    if (result !== 'replan') return result;
    if (attempt >= MAX_PLANS) {
      throw new ActionError(`Releases of other commits kept taking the computed tag (${MAX_PLANS} attempts): run again when the other release pipelines are done.`);
    }
    log.info('Another run released a different commit under the same version meanwhile: planning again from the current tags.');
  }
}

/** What one plan knows once the history and the previous release are read. */
interface Plan {
  ctx: ReleaseContext;
  options: ReleaseOptions;
  targetSha: string;
  tags: TagIndex;
  history: History;
  previous?: ReleaseTag;
}

/** What the range since the previous release holds, reported whether or not a release is made. */
type RangeFacts = Pick<ReleaseResult, 'changes' | 'merges' | 'leftOut' | 'duplicates' | 'reverted' | 'prefixHint'> & { complete: boolean };

/** The fields that differ between outcomes; the rest comes from the plan. */
type ResultFields = Omit<ReleaseResult, 'targetSha' | 'previous' | 'historySource' | 'changes' | 'merges' | 'created' | 'notes'> &
  Partial<Pick<ReleaseResult, 'changes' | 'merges' | 'created' | 'notes'>>;

/** Every result is built here: the plan's facts, then the outcome's. */
function result(plan: Plan, fields: ResultFields): ReleaseResult {
  return { targetSha: plan.targetSha, previous: plan.previous, historySource: plan.history.kind, changes: [], merges: 0, created: false, notes: '', ...fields };
}

/** The steps of one plan; 'replan' when another run took the computed tag for another commit. */
async function planAndPublish(ctx: ReleaseContext, options: ReleaseOptions, targetSha: string, tags: TagIndex): Promise<ReleaseResult | 'replan'> {
  const plan = await startPlan(ctx, options, targetSha, tags);
  const existing = await existingRelease(plan);
  if (existing.done) return existing.done;
  if (!existing.tag) {
    const included = await includedRelease(plan);
    if (included) return included;
  }
  const facts = await readRange(plan, existing.tag);
  const decision = decideVersion({ level: releaseLevel(facts.changes), previous: plan.previous, existing: existing.tag, initialVersion: options.initialVersion, defaultBump: options.defaultBump, tagPrefix: options.tagPrefix });
  const { complete, ...rangeFacts } = facts;
  if (!decision.release) {
    ctx.log.info(`Nothing to release: ${decision.reason}.`);
    return result(plan, { outcome: 'nothing-to-release', bump: 'none', reason: decision.reason, ...rangeFacts });
  }
  const { version, bump, reason } = decision;
  const tag = `${options.tagPrefix}${version}`;
  ctx.log.info(`Version: ${version} (${bump}: ${reason})`);
  checkTagFree(plan, tag);
  const notes = renderNotes(rangeFacts.changes, { serverUrl: options.serverUrl, repository: `${options.repository.owner}/${options.repository.repo}`, tag, previousTag: plan.previous?.name, complete, image: options.image });
  const planned = { version, tag, bump, reason, notes, ...rangeFacts } as const;
  if (options.dryRun) {
    const majorTag = await maybeMajorTag(plan, version);
    ctx.log.info('Dry run: nothing was written.');
    return result(plan, { ...planned, outcome: 'dry-run', majorTag });
  }
  return publish(plan, planned, existing.draft);
}

/** The history to read (the checkout's when it holds the target) and the previous release in it. */
async function startPlan(ctx: ReleaseContext, options: ReleaseOptions, targetSha: string, tags: TagIndex): Promise<Plan> {
  const { client, log } = ctx;
  const history = (options.workspace ? await localHistory(options.workspace, targetSha) : undefined) ?? apiHistory(client, options.repository, log);
  log.info(`History from ${history.kind === 'git' ? 'the local checkout' : 'the GitHub API'}`);
  const previous = await inStep('Finding the previous release', 'read', () => findPreviousRelease(tags.releases, targetSha, history));
  log.info(`Previous release: ${previous ? `${previous.name} (${previous.sha.slice(0, 7)})` : 'none'}`);
  return { ctx, options, targetSha, tags, history, previous };
}

/**
 * Already released: the highest release tag on the target is the release of this commit. `done`
 * when it has its release; a draft is published below with the computed notes; a tag without its
 * release (an earlier run stopped between the two writes) gets its release.
 */
async function existingRelease(plan: Plan): Promise<{ done?: ReleaseResult; tag?: ReleaseTag; draft?: Release }> {
  const { ctx, options, targetSha } = plan;
  const tag = tagsOn(plan.tags, targetSha)[0];
  if (!tag) return {};
  const release = await inStep(`Reading the release of ${tag.name}`, 'read', () => findRelease(ctx.client, options.repository, tag.name));
  if (release?.draft && !options.draft) {
    // A draft is not a release anyone can see: publish it with the notes computed below.
    ctx.log.info(`${tag.name} is on the target but its release ${release.url} is a draft: publishing it with the computed notes.`);
    return { tag, draft: release };
  }
  if (!release) {
    ctx.log.info(`${tag.name} is on the target but has no release (an earlier run was interrupted): creating the release.`);
    return { tag };
  }
  ctx.log.info(`${tag.name} is already on ${targetSha.slice(0, 7)} with release ${release.url}: nothing to create.`);
  const majorTag = await maybeMajorTag(plan, tag.version);
  const done = result(plan, {
    outcome: 'existing',
    version: tag.version,
    tag: tag.name,
    bump: 'none',
    reason: `${tag.name} already released this commit`,
    releaseId: release.id,
    releaseUrl: release.url,
    notes: release.body,
    majorTag,
  });
  return { done, tag };
}

/**
 * A later release that already contains the target (a slow or rerun pipeline of an older push):
 * its changes are released, and a new, lower version on top of an older commit would only confuse.
 */
async function includedRelease(plan: Plan): Promise<ReleaseResult | undefined> {
  const { targetSha } = plan;
  const including = await inStep('Checking later releases', 'read', () => findIncludingRelease(plan.tags, plan.previous, targetSha, plan.history));
  if (!including) return undefined;
  plan.ctx.log.info(`${targetSha.slice(0, 7)} is already part of ${including.name} (${including.sha.slice(0, 7)}): nothing to release.`);
  return result(plan, { outcome: 'included', bump: 'none', reason: `already released as part of ${including.name}`, includedIn: including });
}

/** The changes since the previous release: repeats, reverts and copies of released changes left out. */
async function readRange(plan: Plan, existingTag: ReleaseTag | undefined): Promise<RangeFacts> {
  const { ctx, options, targetSha, previous, history } = plan;
  const { log } = ctx;
  const range = await inStep(`Reading the commits since ${previous?.name ?? 'the start'}`, 'read', () => history.range(previous?.sha, targetSha, FIRST_RELEASE_COMMIT_LIMIT));
  const { commits: listed, merges, duplicates, reverted } = changesOf(range.commits, { bodyChanges: options.bodyChanges });
  const sameEdit = await inStep('Comparing changes listed under two pull requests', 'read', () => findSameContent(listed, (sha) => history.edits(sha)));
  const all = listed.filter((change) => !sameEdit.has(change.sha));
  log.info(`Commits since ${previous?.name ?? 'the start'}: ${range.commits.length} (${merges} merge commits looked through): ${countKinds(all)}`);
  const subjectOf = new Map(range.commits.map((commit) => [commit.sha, commit.message.split('\n', 1)[0]]));
  for (const [copy, original] of duplicates) log.info(`Listed once: ${subjectOf.get(copy)} (${copy.slice(0, 7)} repeats ${original.slice(0, 7)}, a cherry-pick or backport in the same range)`);
  for (const [copy, original] of sameEdit) log.info(`Listed once: ${subjectOf.get(copy)} (${copy.slice(0, 7)} makes the same edit as ${subjectOf.get(original)}, ${original.slice(0, 7)})`);
  for (const [revert, original] of reverted) log.info(`Cancelled out: ${subjectOf.get(revert) ?? revert.slice(0, 7)} reverts ${subjectOf.get(original) ?? original.slice(0, 7)} (${original.slice(0, 7)}), both in this range`);
  const prefixHint = previous || existingTag ? undefined : await inStep('Looking for release tags with another prefix', 'read', () => otherPrefixBase(ctx.client, options.repository, options.tagPrefix, targetSha, history));
  if (prefixHint) log.warning(`${prefixHint.message} Releasing from initial-version ${options.initialVersion} as if there were no earlier release.`);
  const copies = await releasedCopies(plan, all, range.commits);
  for (const change of all) {
    const where = copies.get(change.sha);
    if (where) log.info(`Left out, already released in ${where}: ${change.subject}${change.pullRequest ? ` (#${change.pullRequest})` : ''} (${change.sha.slice(0, 7)}, a cherry-picked copy)`);
  }
  const changes = await labelledBreaking(plan, all.filter((change) => !copies.has(change.sha)));
  return { changes, merges, leftOut: copies.size, duplicates: duplicates.size + sameEdit.size, reverted: reverted.size, prefixHint: prefixHint?.message, complete: range.complete };
}

/** The changes of PRs labelled as an intended break (breaking-label) count as breaking. */
async function labelledBreaking(plan: Plan, changes: ParsedCommit[]): Promise<ParsedCommit[]> {
  const { ctx, options } = plan;
  const label = options.breakingLabel ?? '';
  if (label === '') return changes;
  const step = `Reading which pull requests carry the label '${label}' (the job needs pull-requests: read; breaking-label: '' skips this)`;
  const marked = await inStep(step, 'read', () => markLabelledBreaking(ctx.client, options.repository, changes, label));
  if (marked.labelled.length > 0) ctx.log.info(`Breaking by label '${label}': ${marked.labelled.map((n) => `#${n}`).join(', ')}`);
  return marked.changes;
}

/** Changes whose copies were released before (cherry-picks onto a release line): sha -> that release. */
async function releasedCopies(plan: Plan, changes: ParsedCommit[], commits: readonly { sha: string }[]): Promise<Map<string, string>> {
  const { previous } = plan;
  if (!previous) return new Map();
  const query = { changes, rangeShas: new Set(commits.map((c) => c.sha)), previous, releases: plan.tags.releases, history: plan.history };
  return inStep('Looking for changes released before', 'read', () => findAlreadyReleased(plan.ctx.client, plan.options.repository, query));
}

/** A tag of this name on another commit: the version collides with a release made on another branch. */
function checkTagFree(plan: Plan, tag: string): void {
  const { targetSha, tags, previous } = plan;
  const taken = tags.releases.find((release) => release.name === tag && release.sha !== targetSha)?.sha ?? otherTag(tags, tag, targetSha);
  if (!taken) return;
  throw new ActionError(
    `Tag '${tag}' already exists on ${taken.slice(0, 7)}, which is not in the history of ${targetSha.slice(0, 7)}: the version computed from ${previous?.name ?? 'initial-version'} collides with a release made on another branch. Merge that branch into the target first, or release this commit by hand.`,
  );
}

type Planned = Pick<ReleaseResult, 'changes' | 'merges' | 'leftOut' | 'duplicates' | 'reverted' | 'prefixHint' | 'bump'> & { version: string; tag: string; reason: string; notes: string };

/** The tag and release written (or a concurrent run's read back, or a draft published); then the major tag. */
async function publish(plan: Plan, planned: Planned, existingDraft: Release | undefined): Promise<ReleaseResult | 'replan'> {
  const { ctx, options, targetSha, tags } = plan;
  const { tag, version, notes } = planned;
  const published = await inStep(`Creating tag and release ${tag}`, 'write', () => publishRelease(ctx.client, options.repository, {
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
    ctx.log.warning(`Tag ${tag} was created on ${published.existingSha.slice(0, 7)} by another run while this one planned.`);
    return 'replan';
  }
  const { release, created } = published;
  const outcome = published.publishedDraft ? 'published-draft' : created ? 'created' : 'concurrent';
  ctx.log.info(PUBLISHED[outcome](tag, release.url));
  const majorTag = await maybeMajorTag(plan, version);
  // A concurrent run's notes are the release's; ours were computed from the same commits.
  return result(plan, { ...planned, outcome, releaseId: release.id, releaseUrl: release.url, created, notes: created ? notes : release.body, majorTag });
}

const PUBLISHED: Record<'published-draft' | 'created' | 'concurrent', (tag: string, url: string) => string> = {
  'published-draft': (tag, url) => `Published the draft release of ${tag} with the computed notes: ${url}`,
  created: (tag, url) => `Created release ${tag}: ${url}`,
  concurrent: (tag, url) => `Release ${tag} was created by a concurrent run: ${url}`,
};

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

async function maybeMajorTag(plan: Plan, version: string): Promise<MajorTagResult | undefined> {
  const { ctx, options, targetSha, tags, history } = plan;
  if (!options.updateMajorTag) return undefined;
  const skipReason = options.draft ? 'the release is a draft' : options.prerelease ? 'the release is marked pre-release' : undefined;
  const major = `${options.tagPrefix}${version.split('.')[0]}`;
  const result = await inStep(`Updating the major tag ${major}`, 'write', () => updateMajorTag(ctx.client, options.repository, {
    prefix: options.tagPrefix,
    version,
    targetSha,
    tags,
    history,
    write: !options.dryRun,
    skipReason,
  }));
  const line = `Major tag: ${result.reason}`;
  if (result.action === 'kept-newer' || result.action === 'kept-unknown') ctx.log.warning(line);
  else ctx.log.info(line);
  return result;
}

function countKinds(changes: readonly ParsedCommit[]): string {
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
  return ['breaking', 'feature', 'fix', 'performance', 'other'].map((kind) => `${counts.get(kind) ?? 0} ${kind}`).join(', ');
}

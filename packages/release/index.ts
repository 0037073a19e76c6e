/** The release engine: versions from conventional commits, notes, idempotent tag and release. */
export { createRelease } from './release';
export type { ReleaseOptions, ReleaseResult } from './release';
export { parseCommit, releaseLevel } from './conventional';
export { changesOf } from './commits';
export { renderNotes, RELEASE_BODY_LIMIT } from './notes';
export { nextVersion, effectiveBump, parseVersion, versionOfTag, maxBump, decideVersion } from './version';
export { tagPrefixProblem, targetProblem } from './ref-name';
export { deployedImageProblem } from './deployed-image';
export type { SourceCommit } from './history';
export { loginFromEmail } from './local-git';

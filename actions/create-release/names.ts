// Names of create-release's inputs and outputs, declared once (action.yml is the contract).
export const Input = {
  GitHubToken: 'github-token',
  TagPrefix: 'tag-prefix',
  InitialVersion: 'initial-version',
  Target: 'target',
  DefaultBump: 'default-bump',
  Draft: 'draft',
  Prerelease: 'prerelease',
  DryRun: 'dry-run',
  UpdateMajorTag: 'update-major-tag',
  BodyChanges: 'body-changes',
  Image: 'image',
  BreakingLabel: 'breaking-label',
} as const;

export const Output = {
  Version: 'version',
  Tag: 'tag',
  PreviousTag: 'previous-tag',
  PreviousVersion: 'previous-version',
  Bump: 'bump',
  ReleaseId: 'release-id',
  ReleaseUrl: 'release-url',
  Created: 'created',
  Notes: 'notes',
} as const;

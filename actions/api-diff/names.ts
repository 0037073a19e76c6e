// Names of api-diff's inputs and outputs, declared once (action.yml is the contract).
export const Input = {
  BaseSpec: 'base-spec',
  HeadSpec: 'head-spec',
  FailOnBreaking: 'fail-on-breaking',
  BreakingLabel: 'breaking-label',
  Comment: 'comment',
  Name: 'name',
  GitHubToken: 'github-token',
} as const;

export const Output = {
  Breaking: 'breaking',
  AllowedByLabel: 'allowed-by-label',
  Changes: 'changes',
  Summary: 'summary',
  CommentUrl: 'comment-url',
} as const;

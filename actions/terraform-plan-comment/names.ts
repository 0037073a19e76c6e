// Names of terraform-plan-comment's inputs, outputs and input values, declared once (action.yml is the contract).
export const Input = {
  PlanJson: 'plan-json',
  PlanFile: 'plan-file',
  WorkingDirectory: 'working-directory',
  TerraformCommand: 'terraform-command',
  PlanText: 'plan-text',
  PlanOutcome: 'plan-outcome',
  PlanLog: 'plan-log',
  Name: 'name',
  Mode: 'mode',
  FailOnDestroy: 'fail-on-destroy',
  ExpectedDigest: 'expected-digest',
  PrNumber: 'pr-number',
  GitHubToken: 'github-token',
} as const;

export const Output = {
  HasChanges: 'has-changes',
  Add: 'add',
  Change: 'change',
  Destroy: 'destroy',
  Replace: 'replace',
  Import: 'import',
  Move: 'move',
  Deferred: 'deferred',
  Summary: 'summary',
  Digest: 'digest',
  CommentId: 'comment-id',
  CommentUrl: 'comment-url',
} as const;

/** The values `plan-outcome` takes (the plan step's `outcome`). */
export const OUTCOMES = ['success', 'failure', 'cancelled', 'skipped'] as const;
/** The values `mode` takes. */
export const MODES = ['update', 'recreate', 'off'] as const;

// Names of classify-pr's inputs and outputs, declared once (action.yml is the contract).
export const Input = {
  GitHubToken: 'github-token',
  InfrastructurePaths: 'infrastructure-paths',
  IgnorePaths: 'ignore-paths',
  FailOnMixed: 'fail-on-mixed',
  PromotionBranches: 'promotion-branches',
  Labels: 'labels',
  InfrastructureLabel: 'infrastructure-label',
  ApplicationLabel: 'application-label',
  MixedLabel: 'mixed-label',
  Comment: 'comment',
  BranchFlow: 'branch-flow',
  Base: 'base',
  Head: 'head',
  RequireHealthySource: 'require-healthy-source',
  SourceEnvironments: 'source-environments',
  DeploymentTask: 'deployment-task',
  DeployIgnorePaths: 'deploy-ignore-paths',
  TerraformPaths: 'terraform-paths',
  TerraformDeploymentTask: 'terraform-deployment-task',
} as const;

export const Output = {
  Type: 'type',
  InfrastructureFiles: 'infrastructure-files',
  ApplicationFiles: 'application-files',
  FilesCount: 'files-count',
  Flow: 'flow',
  SourceHealth: 'source-health',
} as const;

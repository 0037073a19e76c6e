// The seven actions of the bundle, declared once: build, checks and tests all read this list.
export const ACTIONS = [
  'classify-pr',
  'terraform-plan-comment',
  'ecs-deploy',
  'wait-stable',
  'run-migration',
  'create-release',
  'api-diff',
];

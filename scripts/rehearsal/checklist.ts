/**
 * The runbook's checklist (docs: DEPLOYMENT.md, "Before Merging to Main" and "After Deploying to
 * Production", 14 items) as report.md's "Runbook checklist" table: how each item is automated and which
 * stage of the rehearsal shows it. An item counts as shown when every stage it names was played and all
 * of that stage's expectations held; items people keep (a review, database performance) say so.
 */
export interface ChecklistItem {
  item: string;
  how: string;
  /** Stages that show it; empty for an item that stays with people. */
  stages: number[];
  human?: boolean;
}

const RUNBOOK_CHECKLIST: ChecklistItem[] = [
  { item: 'Feature tested in Dev environment', how: 'deploy on merge to development (deploy-on-merge.yml); a promotion PR requires a healthy Dev deploy (classify-pr source-health)', stages: [3] },
  { item: 'Feature tested in Staging environment', how: 'deploy on merge to staging; the staging -> main promotion is refused while Staging failed', stages: [4, 5] },
  { item: 'All CI checks passing', how: 'pr-checks.yml (classify, lint, type-check, tests) as required checks; a base changed to main is re-checked', stages: [1, 8] },
  { item: 'Code review approved', how: 'people: branch protection asks for the review; the prod environment asks its reviewers before deploying', stages: [4], human: true },
  { item: 'No mixed infrastructure/code changes', how: 'classify-pr fails a mixed PR with a sticky comment', stages: [1] },
  { item: 'Database migrations tested (if applicable)', how: 'run-migration runs `alembic upgrade head` in each environment before the rollout; a failing one stops the pipeline', stages: [3, 6] },
  { item: 'Rollback plan identified', how: 'ecs-deploy rolls back on failure; rollback.yml by dispatch to a release tag or `previous`, with a schema downgrade behind approval', stages: [9] },
  { item: 'No breaking API changes (or version bump)', how: 'pr-checks\' required "API compatibility" check: api-diff compares the app\'s OpenAPI documents of base and head and blocks a breaking PR; the `breaking-change` label lets an intended break through and create-release then releases a major version', stages: [12] },
  { item: 'Deployment completed successfully', how: 'ecs-deploy watches its own deployment to COMPLETED; the circuit breaker rollback fails it', stages: [3, 5] },
  { item: 'Health check endpoint passing', how: 'wait-stable polls HEALTH_URL after the rollout; a failure rolls back', stages: [9] },
  { item: 'No errors in CloudWatch logs', how: 'wait-stable watches LOG_ERROR_PATTERN with FilterLogEvents from the rollout start through the bake; a match rolls back', stages: [12] },
  { item: 'Key API endpoints verified', how: 'wait-stable checks VERIFY_URLS after the rollout and after BAKE_SECONDS; a failure rolls back', stages: [12] },
  { item: 'Database queries performing well', how: 'people: database performance is watched by a person (no automated query check)', stages: [], human: true },
  { item: 'Team notified of deployment', how: 'deploy, rollback and release post to NOTIFY_WEBHOOK_URL (Slack-compatible); nothing when unset', stages: [9] },
];

/** `shown` for an item whose stages all ran and held; `broken`, `not played`, or who keeps it. */
function checklistStatus(item: ChecklistItem, stageHeld: (stage: number) => boolean | undefined): string {
  if (item.stages.length === 0) return item.human ? 'people' : 'not automated';
  const results = item.stages.map(stageHeld);
  if (results.some((r) => r === undefined)) return 'not played';
  return results.every(Boolean) ? `shown${item.human ? ' (the approval; the review stays with people)' : ''}` : 'broken';
}

export function renderChecklist(stageHeld: (stage: number) => boolean | undefined): string[] {
  const rows = RUNBOOK_CHECKLIST.map((item) => {
    const status = checklistStatus(item, stageHeld);
    return `| ${status.startsWith('shown') ? '✓' : status === 'people' ? '👤' : '✗'} | ${item.item} | ${item.how.replace(/\|/g, '\\|')} | ${item.stages.map((s) => `Stage ${s}`).join(', ') || '—'} | ${status} |`;
  });
  const shown = RUNBOOK_CHECKLIST.filter((item) => !item.human && checklistStatus(item, stageHeld) === 'shown').length;
  return [
    '## Runbook checklist',
    '',
    `${shown} of ${RUNBOOK_CHECKLIST.length} items automated and shown by a stage; ${RUNBOOK_CHECKLIST.filter((i) => i.human).length} stay with people.`,
    '',
    '| | Item | How | Shown by | Status |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ];
}

/**
 * The connect2 commands: each is one action's own glue (actions/<name>/run.ts), so the CLI runs the
 * same input validation, engines and messages as the workflow step. Only the flag names' spelling
 * (`--cluster` for input `cluster`) and a few terminal defaults are the CLI's.
 */
import type { ActionContext } from '../action-kit';
import { prepareRelease } from './local-clone';
import { deployLeftRunning, migrateLeftRunning, type LeftRunning } from './left-running';
import { deploy, post as deployPost } from '../../actions/ecs-deploy/run';
import { runMigration, stopUnfinishedMigration } from '../../actions/run-migration/run';
import { waitStable } from '../../actions/wait-stable/run';
import { commentPlan } from '../../actions/terraform-plan-comment/run';
import { createRelease } from '../../actions/create-release/run';
import { serviceStatus, StatusOutput } from '../../actions/wait-stable/status';
import { prepareRollback, rollbackService, ROLLBACK_FLAGS } from './rollback';

export interface Command {
  name: string;
  /** The action whose action.yml declares the flags. */
  action: string;
  summary: string;
  usage: string;
  main(context: ActionContext): Promise<void>;
  /** What the runner's `post:` step does; run after main with main's saved state. */
  post?(context: ActionContext): Promise<void>;
  /** Inputs that take several values: `--services a b` or repeated flags, joined by newlines. */
  lists?: string[];
  /** CLI defaults that differ from action.yml's (a terminal has no pull request, no GITHUB_SHA). */
  defaults?: Record<string, string>;
  /** Inputs a terminal has no use for (not offered as flags). */
  hidden?: string[];
  /** Flags of the CLI only (not inputs). */
  extraFlags?: Record<string, string>;
  /** The only inputs offered as flags (the others keep their defaults). */
  only?: string[];
  /** Flags with a value that are the command's own, not the action's inputs; set as INPUT_<NAME> too. */
  valueFlags?: Record<string, { description: string; default: string }>;
  /** Inputs the command sets from a flag of another name (rollback's --to is ecs-deploy's task-definition): named so in messages. */
  inputFlags?: Record<string, string>;
  /** An output printed as it is (a report), instead of `name: value` lines. */
  rawOutput?: string;
  /** AWS commands resolve the region from the standard chain before main. */
  aws: boolean;
  /** Which outputs to print on success (all when absent). */
  printOutputs?: string[];
  /** What a signal makes it do before exiting (e.g. `rolling back`). */
  cleanup?: string;
  /** What is left running when a second signal ends the clean-up, from the action's saved state. */
  leftRunning?: LeftRunning;
  /** Fills in, from the local clone and the environment, what the runner would have set; may throw UsageError. */
  prepare?(given: Record<string, string>): void;
}

export const COMMANDS: Command[] = [
  {
    name: 'deploy',
    action: 'ecs-deploy',
    summary: 'Register a task definition revision with the image (tag resolved to its digest), roll it out, watch that deployment, roll back on failure or Ctrl-C.',
    usage: 'connect2 deploy --cluster C --service S --container NAME --image REPO:TAG [--register-only] [--no-wait]',
    main: deploy,
    post: deployPost,
    // A token on the command line ends up in shell history: GITHUB_TOKEN / GH_TOKEN only (for --task-definition v1.2.3).
    hidden: ['github-token'],
    cleanup: 'rolling back',
    leftRunning: deployLeftRunning,
    aws: true,
  },
  {
    name: 'migrate',
    action: 'run-migration',
    summary: "Run a one-off task from the service's task definition (e.g. the migration), stream its logs, fail on a non-zero exit; Ctrl-C stops the task.",
    usage: 'connect2 migrate --cluster C --service S --container NAME [--command "python manage.py migrate"]',
    main: runMigration,
    post: stopUnfinishedMigration,
    cleanup: 'stopping the task',
    leftRunning: migrateLeftRunning,
    lists: ['subnets', 'security-groups'],
    aws: true,
  },
  {
    name: 'wait',
    action: 'wait-stable',
    summary: 'Wait until every service has one completed deployment with all tasks running (a rolled-back service is a failure), then optionally poll a health URL.',
    usage: 'connect2 wait --cluster C --services S1 S2 [--health-url https://...]',
    main: waitStable,
    lists: ['services'],
    aws: true,
  },
  {
    name: 'status',
    action: 'wait-stable',
    summary:
      'Read-only: per service the running revision and images, the deployments with their rollout state, the deployment history (succeeded, rolled back by ECS), what `previous` is, the newest events, running and recently stopped tasks.',
    usage: 'connect2 status --cluster C --services S1 [S2...]',
    main: serviceStatus,
    only: ['cluster', 'services', 'max-attempts'],
    lists: ['services'],
    rawOutput: StatusOutput.Report,
    printOutputs: [],
    aws: true,
  },
  {
    name: 'rollback',
    action: 'ecs-deploy',
    summary:
      'rollback.yml by hand: --to previous (the revision that last served successfully before the one running now), a release tag (what its deploy ran here, from GitHub) or a task definition; an optional --downgrade-to <alembic revision> runs first with the revision running now; then the deploy, watched.',
    usage: 'connect2 rollback --cluster C --service S --container NAME [--to previous|vX.Y.Z|FAMILY:REVISION|ARN] [--downgrade-to ALEMBIC_REVISION]',
    main: rollbackService,
    post: deployPost,
    cleanup: 'stopping the downgrade task, or rolling the rollback back',
    leftRunning: (state) => deployLeftRunning(state) ?? migrateLeftRunning(state),
    only: ['cluster', 'service', 'container', 'timeout-minutes', 'poll-interval-seconds', 'max-attempts'],
    valueFlags: ROLLBACK_FLAGS,
    prepare: prepareRollback,
    inputFlags: { 'task-definition': 'to' },
    printOutputs: ['status', 'task-definition-arn', 'previous-task-definition-arn', 'image', 'deployment-id', 'duration-seconds'],
    aws: true,
  },
  {
    name: 'plan',
    action: 'terraform-plan-comment',
    summary: 'Show a Terraform/OpenTofu plan redacted, with its counts and digest (the pull request comment as Markdown with --markdown).',
    usage: 'connect2 plan --plan-json plan.json | --plan-file tfplan [--working-directory infra] [--markdown]',
    main: commentPlan,
    defaults: { mode: 'off' },
    // A token on the command line ends up in shell history: GITHUB_TOKEN / GH_TOKEN only.
    hidden: ['github-token'],
    extraFlags: { markdown: 'Print the Markdown the pull request comment and job summary show, instead of the outputs.' },
    printOutputs: ['summary', 'digest', 'has-changes', 'add', 'change', 'destroy', 'replace'],
    aws: false,
  },
  {
    name: 'release',
    action: 'create-release',
    summary:
      'Compute the next version and release notes from the conventional commits since the last release: commits from the local clone, tags and releases read from GitHub (GITHUB_TOKEN or GH_TOKEN). A dry run unless --no-dry-run.',
    usage: 'connect2 release --dry-run [--tag-prefix v] [--target SHA|BRANCH|TAG]   (default target: the clone\'s HEAD)',
    main: createRelease,
    defaults: { 'dry-run': 'true' },
    hidden: ['github-token'],
    prepare: prepareRelease,
    printOutputs: ['version', 'tag', 'previous-tag', 'bump', 'release-url', 'created', 'notes'],
    aws: false,
  },
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}

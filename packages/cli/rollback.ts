/**
 * `connect2 rollback`: rollback.yml by hand, with the same actions' code. The schema is downgraded
 * first when asked (run-migration with `alembic downgrade <revision>`, on the revision running now:
 * the newer code holds the downgrade scripts), then ecs-deploy puts the target revision back as it
 * is (nothing registered), watched and rolled back itself if it fails. No migration runs forward.
 * What `--to previous` and `--to v1.2.3` mean is ecs-deploy's own `task-definition`: the revision that
 * last served before the running one (ECS deployment history), or the revision the release's commit ran
 * on this service (the repository's GitHub deployments, read with GITHUB_TOKEN or GH_TOKEN).
 */
import { writeFileSync } from 'node:fs';
import type { ActionContext } from '../action-kit';
import { deploy } from '../../actions/ecs-deploy/run';
import { runMigration } from '../../actions/run-migration/run';
import { UsageError } from './errors';
import { repositoryFromClone } from './local-clone';

export const ROLLBACK_FLAGS = {
  to: {
    description:
      "What to roll back to: previous (the revision that last served successfully before the one running now, from the service's deployment history), a release tag (v1.2.3: the revision its deploy ran on this service, from the repository's GitHub deployments; needs GITHUB_TOKEN or GH_TOKEN, and the repository from the clone's origin or GITHUB_REPOSITORY), a task definition (family:revision or its ARN).",
    default: 'previous',
  },
  'downgrade-to': {
    description: 'Alembic revision to downgrade the database to first (alembic downgrade <revision>, e.g. ae1027a6acf or -1), run as a one-off task of the revision running now. Empty: the schema stays.',
    default: '',
  },
};

const RELEASE_TAG = /^v\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;
const ALEMBIC_REVISION = /^[A-Za-z0-9_+-]{1,64}$/;

/**
 * A release tag is resolved through GitHub: the repository (the clone's origin, or GITHUB_REPOSITORY) and a
 * token are needed before anything runs.
 */
export function prepareRollback(given: Record<string, string>): void {
  const to = (given.to ?? '').trim();
  if (!RELEASE_TAG.test(to)) return;
  repositoryFromClone();
  if (!process.env.GITHUB_TOKEN && !process.env.GH_TOKEN) {
    throw new UsageError(`--to ${to} is a release tag, resolved through the repository's GitHub deployments: set GITHUB_TOKEN (e.g. GITHUB_TOKEN=$(gh auth token)), or give the task definition or previous.`);
  }
}

/** Flags checked before anything runs: a malformed revision is said, not guessed. */
function checkFlags(downgradeTo: string): void {
  if (downgradeTo && !ALEMBIC_REVISION.test(downgradeTo)) {
    throw new UsageError(`--downgrade-to '${downgradeTo}' is not an Alembic revision: give a revision id (ae1027a6acf), a relative step (-1) or base.`);
  }
}

export async function rollbackService(context: ActionContext): Promise<void> {
  const to = (process.env.INPUT_TO ?? '').trim() || 'previous';
  const downgradeTo = (process.env['INPUT_DOWNGRADE-TO'] ?? '').trim();
  checkFlags(downgradeTo);
  if (downgradeTo) {
    process.env.INPUT_COMMAND = `alembic downgrade ${downgradeTo}`;
    process.env['INPUT_STARTED-BY'] = 'connect2-rollback';
    await runMigration(context);
    // The deploy's state starts afresh: the downgrade's `finished` must not hide a rollout left running.
    if (process.env.GITHUB_STATE) writeFileSync(process.env.GITHUB_STATE, '');
    if (context.signal.aborted) throw context.signal.reason;
  }
  process.env['INPUT_TASK-DEFINITION'] = to;
  process.env.INPUT_IMAGE = '';
  process.env['INPUT_ROLLBACK-ON-FAILURE'] = 'true';
  process.env.INPUT_WAIT = 'true';
  await deploy(context);
}

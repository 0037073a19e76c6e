/**
 * `connect2 rollback`: rollback.yml by hand, with the same actions' code. The schema is downgraded
 * first when asked (run-migration with `alembic downgrade <revision>`, on the revision running now:
 * the newer code holds the downgrade scripts), then ecs-deploy puts the target revision back as it
 * is (nothing registered), watched and rolled back itself if it fails. No migration runs forward.
 * What `--to previous` means is ecs-deploy's own `task-definition: previous`.
 */
import { writeFileSync } from 'node:fs';
import type { ActionContext } from '../action-kit';
import { deploy } from '../../actions/ecs-deploy/run';
import { runMigration } from '../../actions/run-migration/run';
import { UsageError } from './errors';

export const ROLLBACK_FLAGS = {
  to: {
    description:
      "What to roll back to: previous (the revision that last served successfully before the one running now, from the service's deployment history), a task definition (family:revision or its ARN).",
    default: 'previous',
  },
  'downgrade-to': {
    description: 'Alembic revision to downgrade the database to first (alembic downgrade <revision>, e.g. ae1027a6acf or -1), run as a one-off task of the revision running now. Empty: the schema stays.',
    default: '',
  },
};

const RELEASE_TAG = /^v\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;
const ALEMBIC_REVISION = /^[A-Za-z0-9_+-]{1,64}$/;

/** Flags checked before anything runs: a release tag and a malformed revision are said, not guessed. */
function checkFlags(to: string, downgradeTo: string): void {
  if (RELEASE_TAG.test(to)) {
    throw new UsageError(
      `--to ${to} is a release tag: which revision an environment ran for a release is recorded in its GitHub deployments, which the rollback workflow reads; by hand, give the task definition (connect2 status lists the revisions the service ran) or previous.`,
    );
  }
  if (downgradeTo && !ALEMBIC_REVISION.test(downgradeTo)) {
    throw new UsageError(`--downgrade-to '${downgradeTo}' is not an Alembic revision: give a revision id (ae1027a6acf), a relative step (-1) or base.`);
  }
}

export async function rollbackService(context: ActionContext): Promise<void> {
  const to = (process.env.INPUT_TO ?? '').trim() || 'previous';
  const downgradeTo = (process.env['INPUT_DOWNGRADE-TO'] ?? '').trim();
  checkFlags(to, downgradeTo);
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

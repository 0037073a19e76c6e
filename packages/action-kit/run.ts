/**
 * The one place where an action's outcome becomes the runner's: errors turn into a single
 * `core.setFailed` line, cancellation (SIGINT/SIGTERM from the runner) becomes an AbortSignal the
 * engines watch, and a `post:` step is told apart from the main step through GITHUB_STATE.
 */
import * as core from '@actions/core';
import { ActionError, CancelledError, errorMessage } from './errors';

export interface ActionContext {
  /** Aborts with a CancelledError when the runner cancels the job. */
  signal: AbortSignal;
}

export interface ActionDefinition {
  main(context: ActionContext): Promise<void>;
  /** Runs in the `post:` step (declared in action.yml), e.g. to roll back or stop what main left. */
  post?(context: ActionContext): Promise<void>;
}

const POST_STATE = 'isPost';

/** Runs main or post, maps failures to setFailed. Resolves when done; never throws. */
export async function runAction(definition: ActionDefinition): Promise<void> {
  const isPost = core.getState(POST_STATE) === 'true';
  if (!isPost) core.saveState(POST_STATE, 'true');

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    core.warning(`Received ${signal}: the job is being cancelled, cleaning up.`);
    controller.abort(new CancelledError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    if (isPost) await definition.post?.({ signal: controller.signal });
    else await definition.main({ signal: controller.signal });
  } catch (error) {
    fail(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Reports an error as one annotation: the message, then its details. */
function fail(error: unknown): void {
  if (error instanceof ActionError) {
    core.setFailed([error.message, ...error.details].join('\n'));
    return;
  }
  const named = error instanceof Error && error.name && error.name !== 'Error' ? `${error.name}: ` : '';
  core.setFailed(`${named}${errorMessage(error)}`);
  if (error instanceof Error && error.stack) core.debug(error.stack);
}

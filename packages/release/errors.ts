/**
 * GitHub failures in words a release manager can act on: which step failed, the status and
 * GitHub's message, and the usual cause (a token without `contents: write`, a bad token).
 */
import { ActionError, errorMessage } from '../action-kit';
import { httpStatus } from '../github';

const HINTS: Record<number, { read: string; write: string }> = {
  401: { read: 'github-token is not a valid token', write: 'github-token is not a valid token' },
  403: {
    read: 'the token cannot read this repository, or a rate limit was not waited out',
    write: "the token lacks 'contents: write': give the job `permissions: contents: write`",
  },
  404: { read: 'the repository does not exist or the token cannot see it', write: 'the repository does not exist or the token cannot see it' },
};

/** Runs `action`; a GitHub HTTP error becomes an ActionError naming `step`. Other errors pass through. */
export async function inStep<T>(step: string, kind: 'read' | 'write', action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined || error instanceof ActionError) throw error;
    const message = errorMessage(error).replace(/ - https:\/\/docs\.github\.com\S*$/, '');
    const hint = HINTS[status]?.[kind];
    throw new ActionError(`${step} failed: GitHub answered ${status} ${message}${hint ? ` (${hint})` : ''}.`, { cause: error });
  }
}

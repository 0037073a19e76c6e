/**
 * A pull request labelled as an intended break (the templates' `breaking-change`, the label that lets
 * api-diff's "API compatibility" check pass) makes its changes breaking, whatever their conventional
 * type: the API its clients read changed, so the release is a major one. The commit message cannot be
 * trusted to say so (a squash title like `feat(api): drop the users' name` has no `!` and no footer).
 *
 * Cost: one read of the label itself first; a repository without it has no labelled PR, and nothing
 * more is read. Otherwise one read of the labels of each pull request the range names.
 */
import { httpStatus, type GitHubClient, type RepositoryRef } from '../github';
import type { ParsedCommit } from './conventional';

/** The changes, those whose PR carries `label` marked breaking; `labelled` lists those PRs. */
export async function markLabelledBreaking(client: GitHubClient, repository: RepositoryRef, changes: readonly ParsedCommit[], label: string): Promise<{ changes: ParsedCommit[]; labelled: number[] }> {
  const pulls = [...new Set(changes.map((change) => change.pullRequest).filter((n): n is number => n !== undefined))];
  if (label === '' || pulls.length === 0 || !(await labelExists(client, repository, label))) return { changes: [...changes], labelled: [] };
  const labelled: number[] = [];
  for (const pull of pulls) if (await carries(client, repository, pull, label)) labelled.push(pull);
  const marked = changes.map((change) => (change.pullRequest !== undefined && labelled.includes(change.pullRequest) ? asBreaking(change, label) : change));
  return { changes: marked, labelled };
}

function asBreaking(change: ParsedCommit, label: string): ParsedCommit {
  if (change.kind === 'breaking') return change;
  return { ...change, kind: 'breaking', breakingNotes: change.breakingNotes.length > 0 ? change.breakingNotes : [`Pull request #${change.pullRequest} is labelled \`${label}\`: an intended break of the API.`] };
}

async function labelExists(client: GitHubClient, repository: RepositoryRef, name: string): Promise<boolean> {
  try {
    await client.rest.issues.getLabel({ ...repository, name });
    return true;
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw error;
  }
}

/** A `(#123)` that names no pull request of this repository (imported history) carries nothing. */
async function carries(client: GitHubClient, repository: RepositoryRef, pull: number, label: string): Promise<boolean> {
  try {
    const labels = await client.paginate(client.rest.issues.listLabelsOnIssue, { ...repository, issue_number: pull, per_page: 100 });
    return labels.some((l) => l.name.toLowerCase() === label.toLowerCase());
  } catch (error) {
    if (httpStatus(error) === 404 || httpStatus(error) === 410) return false;
    throw error;
  }
}

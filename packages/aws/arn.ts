/** ARNs as people read them: the resource part after the last `/`. */

/**
 * The last path part of an ARN or a name, e.g. `family:12` of a task definition ARN, the task id of a
 * task ARN, the cluster name of a cluster ARN; a plain name comes back as it is.
 */
export function arnResource(arnOrName: string): string {
  return arnOrName.slice(arnOrName.lastIndexOf('/') + 1);
}

/** `arnResource`, with `(none)` for a missing value: for summaries and progress lines. */
export function shortArn(arn: string | undefined): string {
  return arn ? arnResource(arn) : '(none)';
}

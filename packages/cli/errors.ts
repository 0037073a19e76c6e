/** A mistake on the command line (flag, environment): exit 2, nothing was changed. */
export class UsageError extends Error {
  override name = 'UsageError';
}

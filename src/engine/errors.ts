/**
 * The one base class of every error that is the user's doing (a bad flag, config, data file,
 * checkpoint or run directory) rather than a bug. Callers branch on it: the CLI prints a
 * `UserError`'s message as one paragraph and exits 1; anything else is a bug (stack, exit 2).
 * Subclasses (`ConfigError`, `DataError`, `CheckpointError`, ...) say which layer found the problem.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/**
 * Errors that the CLI maps to exit codes. Library code throws these; it never
 * calls process.exit.
 */

/** Bad input or usage: the CLI prints the message and exits with code 2. */
export class InputError extends Error {
  /** JSON path (e.g. `users[2].position`) or `file:line` naming the offending input. */
  readonly where: string | undefined;
  constructor(message: string, where?: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'InputError';
    this.where = where;
  }
}

/** A run that could not complete (solver failure, failed self-check): exit code 1. */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}

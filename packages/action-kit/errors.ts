/**
 * Error types the actions throw. Each carries a message a person can act on; `runAction`
 * turns any of them into one `::error::` line via core.setFailed.
 */

/** Base class: an expected failure whose message is already written for the user. */
export class ActionError extends Error {
  /** Extra lines (e.g. stopped-task reasons, last log lines) shown after the message. */
  readonly details: string[];

  constructor(message: string, options: { details?: string[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? [];
  }
}

/** A bad input: names the input, what was wrong and what would be right. */
export class InputError extends ActionError {
  readonly input: string;

  constructor(input: string, problem: string, expected: string) {
    super(`Input '${input}' ${problem}; ${expected}.`);
    this.input = input;
  }
}

/** The job was cancelled (SIGINT/SIGTERM) while the action worked. */
export class CancelledError extends ActionError {
  constructor(signal: string) {
    super(`Cancelled by ${signal}.`);
  }
}

/** One line from any thrown value, without stack noise. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

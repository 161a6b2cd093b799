/**
 * Errors of the command-line shell itself. Library failures arrive as
 * {@link SeSecretsError}s; these cover what only the CLI can get wrong: the command
 * line, features this build does not have, and refusals (SE guest, overwrites).
 *
 * @module
 */

/** A mistake on the command line. Printed with a hint to `--help`; exit code 1. */
export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
  /** The command words that lead to the command the mistake belongs to (for the hint). */
  readonly command: readonly string[];
  constructor(message: string, command: readonly string[] = []) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** Stable codes of {@link CliError}. */
export type CliErrorCode =
  /** Refused to run on an IBM Secure Execution guest without `--force`. */
  | 'ERR_SE_GUEST'
  /** A value given on the command line or in a file is not acceptable. */
  | 'ERR_VALUE'
  /** A pvsecret subcommand that only works on an SE guest. */
  | 'ERR_GUEST_ONLY_COMMAND';

/** A failure the CLI reports in one line; exit code 1. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'CliError';
  }
}

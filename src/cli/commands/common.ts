/**
 * What the subcommands of this branch share: the I/O they are given, option parsing
 * with node:util `parseArgs`, and pvsecret-style error reporting (`error: <message>` on
 * stderr; the causes with `-v`; usage errors end with a hint to `--help`).
 *
 * @module
 */
import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { SeSecretsError } from '../../errors.js';

/** A stream a command writes to. */
export interface Out {
  write(chunk: string | Uint8Array): unknown;
  /** True on a terminal (progress bars are drawn only there). */
  readonly isTTY?: boolean;
}

/** What a command runs with. */
export interface CliIo {
  readonly stdout: Out;
  readonly stderr: Out;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
}

/** A command-line usage error (unknown option, missing argument, conflict). */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed option values: strings for `type: 'string'`, booleans otherwise (single use only). */
export type OptionValues<T> = { [K in keyof T]?: T[K] extends { type: 'string' } ? string : boolean };

/** Options every command of this branch takes. */
export const COMMON_OPTIONS = {
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/**
 * Parses `args` strictly; throws {@link UsageError} with node's message for unknown
 * options, missing values and the like.
 */
export function parseOptions<O extends Options>(args: string[], options: O): { values: OptionValues<O & typeof COMMON_OPTIONS>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: values as OptionValues<O & typeof COMMON_OPTIONS>, positionals };
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(lowerFirst((e as Error).message));
    throw e;
  }
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]?.toLowerCase() + s.slice(1) : s;
}

/** Resolves a user-given path against the command's working directory. */
export function resolvePath(io: CliIo, p: string): string {
  return resolve(io.cwd, p);
}

/**
 * Prints an error the pvsecret way and returns the exit code (1, or `code`).
 * Typed errors print their message; with `verbose` the cause chain follows. Anything
 * else is a bug and prints its stack.
 */
export function reportError(io: CliIo, e: unknown, o: { verbose?: boolean; usage: string; code?: number }): number {
  if (e instanceof UsageError) {
    io.stderr.write(`se-secrets: error: ${e.message}\n\nUsage: ${o.usage}\n\nFor more information, try '--help'.\n`);
  } else if (e instanceof SeSecretsError) {
    io.stderr.write(`se-secrets: error: ${e.message}\n`);
    if (o.verbose) {
      let cause = e.cause;
      const causes: string[] = [];
      while (cause instanceof Error && causes.length < 8) {
        causes.push(cause.message);
        cause = cause.cause;
      }
      if (causes.length > 0) io.stderr.write(`\nCaused by:\n${causes.map((c) => `    ${c}`).join('\n')}\n`);
    }
  } else {
    io.stderr.write(`se-secrets: error: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  return o.code ?? 1;
}

/** Writes warnings (one per line) unless quiet. */
export function warnAll(io: CliIo, warnings: readonly string[], quiet: boolean | undefined): void {
  if (quiet) return;
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
}

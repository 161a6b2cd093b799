/**
 * The `se-secrets` command: a drop-in for `pvsecret create` and `pvsecret verify`,
 * plus `inspect`, `extract-header`, `verify-hkd`, `plan`, `decrypt`, `diff` and
 * `create --batch`.
 *
 * A thin shell: one parser (args.ts, over the command tree in spec.ts), one error
 * reporter ({@link report}) and one exit-code rule for every command: 0 on success, 1 on
 * every failure (usage errors included), as pvsecret. A command may name its own code
 * for failures (`errorExitCode` in its spec: `diff` uses diff(1)'s 2) and may return
 * its own code from its runner (`diff` returns 1 for a real difference).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { CommandSpec } from './args.js';
import { type ParseResult, parseArgs } from './args.js';
import { CliError, UsageError } from './errors.js';
import { renderHelp } from './help.js';
import { escapeControl, Level, Logger, PROGRAM, processStreams, type Streams, terminalSafe } from './log.js';
import { ROOT } from './spec.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One line for the error; with -v its causes; a stack trace only for a bug, and only with -v. */
async function report(e: unknown, log: Logger): Promise<void> {
  if (e instanceof UsageError) {
    log.error(e.message);
    log.streams.err(`For more information, try '${[PROGRAM, ...e.command].join(' ')} --help'.`);
    return;
  }
  // The library is loaded only when a command runs (help and usage errors stay fast).
  const { isSeSecretsError } = await import('./lib.js');
  if (e instanceof CliError || isSeSecretsError(e)) {
    log.error(e.message);
    if (log.verbose) {
      for (let c = (e as Error).cause; c !== undefined; c = c instanceof Error ? c.cause : undefined) {
        log.streams.err(`  caused by: ${message(c)}`);
      }
    }
    return;
  }
  log.error(`internal error: ${message(e)}${log.verbose ? '' : ' (run with -v for details)'}`);
  if (log.verbose && e instanceof Error && e.stack) log.streams.err(e.stack);
}

/** Runs the command; resolves to what its runner returns: a number is its exit code, anything else means 0. */
async function dispatch(parsed: Extract<ParseResult, { kind: 'run' }>, log: Logger): Promise<unknown> {
  const command = parsed.path[1];
  if (!command) throw new UsageError('a command is required');
  const leaf = parsed.path[parsed.path.length - 1] as typeof command;
  if (leaf.spec.passthrough) {
    // `add`, `list`, … are pvsecret's; `attest perform` is pvattest's.
    const tool = leaf === command ? 'pvsecret' : 'pvattest';
    throw new CliError(
      'ERR_GUEST_ONLY_COMMAND',
      `'${leaf.typed}' works only inside an IBM Secure Execution guest (it talks to the Ultravisor): run '${tool} ${leaf.spec.name}' there`,
    );
  }
  // Commands are loaded on demand: help, version and usage errors never load the library.
  switch (command.spec.name) {
    case 'create':
      if (command.values.has('batch')) return (await import('./commands/create-batch.js')).runCreateBatch(parsed.path, log);
      return (await import('./commands/create.js')).runCreate(parsed.path, log);
    case 'plan':
      return (await import('./commands/plan.js')).runPlan(parsed.path, log);
    case 'decrypt':
      return (await import('./commands/decrypt.js')).runDecrypt(parsed.path, log);
    case 'diff':
      return (await import('./commands/diff.js')).runDiff(parsed.path, log);
    case 'verify':
      return (await import('./commands/verify.js')).runVerify(parsed.path, log);
    case 'inspect':
      return (await import('./commands/inspect.js')).runInspect(parsed.path, log);
    case 'extract-header':
      return (await import('./commands/extract-header.js')).runExtractHeader(parsed.path, log);
    case 'verify-hkd':
      return (await import('./commands/verify-hkd.js')).runVerifyHkd(parsed.path, log);
    case 'attest':
      return (await import('./commands/attest.js')).runAttest(parsed.path, log);
    case 'completion':
      return (await import('./commands/completion.js')).runCompletion(parsed.path, log);
    case 'version':
      return log.streams.out(`${PROGRAM} version ${version()}\n`);
    default:
      throw new UsageError(`unrecognized subcommand '${command.typed}'`);
  }
}

/** The exit code of a failure of the command named by `words` (its spec's, else 1). */
function failureCode(words: readonly string[]): number {
  let spec: CommandSpec | undefined = ROOT;
  for (const w of words) spec = spec?.subcommands?.find((s) => s.name === w || s.aliases?.includes(w));
  return spec?.errorExitCode ?? 1;
}

/** Runs the CLI on `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], given: Streams = processStreams): Promise<number> {
  // Every line and text chunk leaves through the one escaping layer (src/cli/log.ts).
  const streams = terminalSafe(given);
  let log = new Logger(Level.Warn, streams);
  let words: readonly string[] = [];
  try {
    const parsed = parseArgs(ROOT, argv);
    const v = (parsed.globals.get('verbose') as number | undefined) ?? 0;
    const q = (parsed.globals.get('quiet') as number | undefined) ?? 0;
    log = new Logger(Level.Warn + v - q, streams);
    if (parsed.globals.get('deprecatedV')) streams.err("warning: the flag '-V' is deprecated; use '-v' or '--verbose'");
    if (parsed.kind === 'help') {
      const text = renderHelp(parsed.path);
      if (parsed.toStderr) {
        streams.err(text.trimEnd());
        return failureCode(parsed.path.slice(1).map((c) => c.name));
      }
      await streams.out(text);
      return 0;
    }
    if (parsed.kind === 'version') {
      await streams.out(`${PROGRAM} version ${version()}\n`);
      return 0;
    }
    words = parsed.path.slice(1).map((c) => c.spec.name);
    const code = await dispatch(parsed, log);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    await report(e, log);
    return failureCode(e instanceof UsageError ? e.command : words);
  }
}

/**
 * Runs the CLI as this process (dist/cli/main.js calls it): `process.argv`, and its
 * exit code as the process's.
 */
export function runAsProcess(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${PROGRAM}: error: internal error: ${escapeControl(message(e))}\n`);
      process.exitCode = 1;
    },
  );
}

/** Serves as a worker thread of `create --batch` (dist/cli/batch-worker.js calls it). */
export function serveBatchWorker(): Promise<unknown> {
  return import('../node/batch-worker.js');
}

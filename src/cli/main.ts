/**
 * The `se-secrets` command: a drop-in for `pvsecret create` and `pvsecret verify`,
 * plus `inspect`, `extract-header`, `verify-hkd`, `plan`, `decrypt`, `diff` and
 * `create --batch`.
 *
 * A thin shell: it parses the command line, reads files, calls the library, writes
 * files atomically and prints one line per error. Exit code 0 on success, 1 on every
 * failure (usage errors included), as pvsecret.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { type ParseResult, parseArgs } from './args.js';
import { CliError, UsageError } from './errors.js';
import { renderHelp } from './help.js';
import { Level, Logger, PROGRAM, type Streams, processStreams } from './log.js';
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

async function dispatch(parsed: Extract<ParseResult, { kind: 'run' }>, log: Logger): Promise<void> {
  const command = parsed.path[1];
  if (!command) throw new UsageError('a command is required');
  if (command.spec.passthrough) {
    const name = command.spec.name;
    throw new CliError(
      'ERR_GUEST_ONLY_COMMAND',
      `'${command.typed}' works only inside an IBM Secure Execution guest (it talks to the Ultravisor): run 'pvsecret ${name}' there`,
    );
  }
  // Commands are loaded on demand: help, version and usage errors never load the library.
  switch (command.spec.name) {
    case 'create':
      return (await import('./commands/create.js')).runCreate(parsed.path, log);
    case 'verify':
      return (await import('./commands/verify.js')).runVerify(parsed.path, log);
    case 'inspect':
      return (await import('./commands/inspect.js')).runInspect(parsed.path, log);
    case 'extract-header':
      return (await import('./commands/extract-header.js')).runExtractHeader(parsed.path, log);
    case 'verify-hkd':
      return (await import('./commands/verify-hkd.js')).runVerifyHkd(parsed.path, log);
    case 'completion':
      return (await import('./commands/completion.js')).runCompletion(parsed.path, log);
    case 'version':
      await log.streams.out(`${PROGRAM} version ${version()}\n`);
      return;
    default:
      throw new UsageError(`unrecognized subcommand '${command.typed}'`);
  }
}

/**
 * The commands with their own option parsing (`src/cli/commands/<name>.ts`, `run()`):
 * `plan`, `decrypt`, `diff`, and `create --batch`. Global -v/-q before the command
 * word are handed on to them.
 */
async function external(argv: readonly string[], streams: Streams): Promise<number | undefined> {
  const at = argv.findIndex((a) => !a.startsWith('-'));
  const word = argv[at];
  if (at < 0 || word === undefined || !argv.slice(0, at).every((a) => /^-(v+|q+|-verbose|-quiet)$/.test(a))) return undefined;
  const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  const direct = streams === processStreams;
  const io = {
    stdout: direct ? process.stdout : { write: (c: string | Uint8Array) => streams.out(c) },
    stderr: direct ? process.stderr : { write: (c: string | Uint8Array) => streams.err(String(c).replace(/\n$/, '')) },
    cwd: process.cwd(),
  };
  switch (word) {
    case 'plan':
      return (await import('./commands/plan.js')).run(rest, io);
    case 'decrypt':
      return (await import('./commands/decrypt.js')).run(rest, io);
    case 'diff':
      return (await import('./commands/diff.js')).run(rest, io);
    case 'create':
      if (rest.some((a) => a === '--batch' || a.startsWith('--batch='))) return (await import('./commands/create-batch.js')).run(rest, io);
      return undefined;
    default:
      return undefined;
  }
}

/** Runs the CLI on `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], streams: Streams = processStreams): Promise<number> {
  const ext = await external(argv, streams);
  if (ext !== undefined) return ext;
  let log = new Logger(Level.Warn, streams);
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
        return 1;
      }
      await streams.out(text);
      return 0;
    }
    if (parsed.kind === 'version') {
      await streams.out(`${PROGRAM} version ${version()}\n`);
      return 0;
    }
    await dispatch(parsed, log);
    return 0;
  } catch (e) {
    await report(e, log);
    return 1;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url.endsWith('/cli/main.js');
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${PROGRAM}: error: internal error: ${message(e)}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * Messages on stderr, filtered by verbosity the way pvsecret does it: the level is
 * "warn" plus one per `-v` minus one per `-q`. Errors are always printed.
 *
 * | level | shown |
 * | --- | --- |
 * | 0 (`-qq`) | errors only |
 * | 1 (`-q`) | errors only |
 * | 2 (default) | warnings and success lines |
 * | 3 (`-v`) | + progress (`info`) and error causes |
 * | 4 (`-vv`) | + `DEBUG:` lines |
 *
 * @module
 */

export const PROGRAM = 'se-secrets';

export const Level = { Off: 0, Error: 1, Warn: 2, Info: 3, Debug: 4, Trace: 5 } as const;

/** Where the CLI writes; replaced in tests of the in-process parts. */
export interface Streams {
  out: (chunk: string | Uint8Array) => Promise<void>;
  err: (line: string) => void;
  /** stderr itself when it is a terminal, for progress bars; absent otherwise. */
  tty?: { write(chunk: string): unknown };
}

function write(stream: NodeJS.WriteStream, chunk: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (e) => (e ? reject(e) : resolve()));
  });
}

/**
 * The process's own streams. Node creates `process.stdout` and `process.stderr` on first
 * access (about half a millisecond each), so they are touched only when something is
 * written or the progress bar asks for the terminal: a `create -q` run creates neither.
 */
export const processStreams: Streams = {
  out: (chunk) => write(process.stdout, chunk),
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
  get tty() {
    return process.stderr.isTTY ? process.stderr : undefined;
  },
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we escape
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text with every control character but newline and tab shown as a `\x1b`-style
 * escape (C0, DEL and C1: ESC, BEL, CR, backspace, CSI …). Text from certificates,
 * CRLs, file names and files is data: it must not drive the terminal (OpenSSL prints
 * the same bytes as `\1B`).
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const SAFE = Symbol('terminal-safe');

/**
 * The one output layer: `streams` with every text line and text chunk passed through
 * {@link escapeControl}. Bytes on stdout (`-o -`) pass unchanged; `tty` is the progress
 * bar's own channel. Wrapping twice is a no-op.
 */
export function terminalSafe(streams: Streams): Streams {
  if ((streams as { [SAFE]?: true })[SAFE]) return streams;
  return {
    out: (chunk) => streams.out(typeof chunk === 'string' ? escapeControl(chunk) : chunk),
    err: (line) => streams.err(escapeControl(line)),
    // read when asked for, not now (see processStreams)
    get tty() {
      return streams.tty;
    },
    [SAFE]: true,
  } as Streams;
}

export class Logger {
  readonly level: number;
  readonly streams: Streams;
  constructor(level: number, streams: Streams = processStreams) {
    this.level = Math.max(Level.Off, Math.min(Level.Trace, level));
    this.streams = terminalSafe(streams);
  }
  get verbose(): boolean {
    return this.level > Level.Warn;
  }
  /** Warnings, printed with a `warning:` prefix. */
  warn(msg: string): void {
    if (this.level >= Level.Warn) this.streams.err(`warning: ${msg}`);
  }
  /** Success lines, printed bare at the warn level (as pvsecret does). */
  success(msg: string): void {
    if (this.level >= Level.Warn) this.streams.err(msg);
  }
  info(msg: string): void {
    if (this.level >= Level.Info) this.streams.err(msg);
  }
  debug(msg: string): void {
    if (this.level >= Level.Debug) this.streams.err(`DEBUG: ${msg}`);
  }
  /** An error line; always printed. */
  error(msg: string): void {
    this.streams.err(`${PROGRAM}: error: ${msg}`);
  }
}

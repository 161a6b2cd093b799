/**
 * Atomic outputs (Node only): the one way se-secrets writes files — `create`, `plan`,
 * `create --batch`, `extract-header`, `verify` and {@link writeFilesAtomic}.
 *
 * Every file is first staged as a temporary file in the target's directory (created
 * exclusively with its final mode, so the umask applies and a secret is never readable
 * by others even for a moment; written; synced). Only when every output has been staged
 * are they renamed into place, in order. A failure before that point removes the
 * temporary files and leaves every target as it was: no partial request, no stale YAML,
 * no plan half replaced.
 *
 * - `-` means stdout; stdout items are written at commit time, in their turn.
 * - A target that is a symbolic link is replaced where the link points.
 * - A target that exists but is not a regular file (`/dev/null`, a FIFO) is written
 *   in place at commit time, since renaming over it would replace the device.
 * - Two outputs that lead to the same file are refused (`ERR_OUTPUT_CLASH`).
 *
 * Errors name the output and the file: `cannot write association secret 's.bin': no
 * such file or directory`.
 *
 * @module
 */
import { unlinkSync } from 'node:fs';
import { lstat, mkdir, open, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FileError } from '../errors.js';
import { fsReason } from './input.js';

/** Mode of new files: what the umask allows (as pvsecret). */
export const MODE_DEFAULT = 0o666;
/** Mode of files holding a secret: owner only (the umask can only remove more). */
export const MODE_SECRET = 0o600;

type Item =
  | { kind: 'stdout'; data: Uint8Array | string; label: string }
  | { kind: 'file'; path: string; target: string; temp?: string; data: Uint8Array | string; label: string };

/** Temporary files alive in this process, removed if the process exits early. */
const pending = new Set<string>();
let exitHookInstalled = false;
let signalHookInstalled = false;

function removePending(): void {
  for (const p of pending) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
}

function installExitHook(signals: boolean): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removePending);
  }
  if (signals && !signalHookInstalled) {
    signalHookInstalled = true;
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));
    }
  }
}

let counter = 0;
function tempName(target: string): string {
  counter++;
  return join(dirname(target), `.${basename(target)}.${process.pid}-${Date.now().toString(36)}-${counter}.tmp`);
}

/** `association secret 's.bin'`, or `'s.bin'` without a label. */
function named(label: string, path: string): string {
  return label ? `${label} '${path}'` : `'${path}'`;
}

function writeError(label: string, path: string, cause: unknown): FileError {
  return new FileError('ERR_FILE', `cannot write ${named(label, path)}: ${fsReason(cause)}`, { cause });
}

/** Where a path really leads, and whether it is a regular file (or absent). */
async function resolveTarget(path: string, label: string): Promise<{ target: string; regular: boolean }> {
  try {
    const l = await lstat(path);
    const target = l.isSymbolicLink() ? await realpath(path) : path;
    const st = l.isSymbolicLink() ? await stat(target) : l;
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return { target, regular: st.isFile() };
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { target: path, regular: true };
    throw writeError(label, path, cause);
  }
}

/** Options of {@link Outputs}. */
export interface OutputsOptions {
  /**
   * Also remove staged files when the process gets SIGINT, SIGTERM or SIGHUP (it then
   * exits with 130 or 143). For a command-line program; a library leaves its host's
   * signals alone (staged files are still removed on a normal exit).
   */
  readonly exitOnSignal?: boolean;
}

/**
 * The outputs of one command, staged then committed together.
 *
 * @example
 * ```ts
 * const outputs = new Outputs();
 * try {
 *   await outputs.file('req.bin', request, 'add-secret request');
 *   await outputs.file('secret.bin', value, 'association secret', MODE_SECRET);
 *   await outputs.commit(async (chunk) => void process.stdout.write(chunk));
 * } catch (e) {
 *   await outputs.abort();
 *   throw e;
 * }
 * ```
 */
export class Outputs {
  private readonly items: Item[] = [];
  private readonly exitOnSignal: boolean;

  constructor(options: OutputsOptions = {}) {
    this.exitOnSignal = options.exitOnSignal === true;
  }

  /**
   * Stages `data` for `path` (`-` = stdout), created with `mode` minus the umask.
   *
   * @throws FileError `ERR_FILE` naming `label` and `path`; `ERR_OUTPUT_CLASH` when an
   *   output already staged leads to the same file
   */
  async file(path: string, data: Uint8Array | string, label: string, mode = MODE_DEFAULT): Promise<void> {
    if (path === '-') {
      this.items.push({ kind: 'stdout', data, label });
      return;
    }
    const { target, regular } = await resolveTarget(path, label);
    const clash = this.items.find((i) => i.kind === 'file' && resolve(i.target) === resolve(target));
    if (clash) {
      throw new FileError(
        'ERR_OUTPUT_CLASH',
        `${label || 'an output'} and ${clash.label || 'another output'} would both be written to '${path}'; choose different files`,
      );
    }
    if (!regular) {
      this.items.push({ kind: 'file', path, target, data, label });
      return;
    }
    installExitHook(this.exitOnSignal);
    const temp = tempName(target);
    let fh: Awaited<ReturnType<typeof open>> | undefined;
    try {
      fh = await open(temp, 'wx', mode);
      pending.add(temp);
      await fh.writeFile(data);
      await fh.sync();
    } catch (cause) {
      await fh?.close().catch(() => undefined);
      fh = undefined;
      if (pending.delete(temp)) await unlink(temp).catch(() => undefined);
      throw writeError(label, path, cause);
    } finally {
      await fh?.close();
    }
    this.items.push({ kind: 'file', path, target, temp, data, label });
  }

  /** Stages `path` with `text` appended (the file is created if missing; its mode is kept). */
  async append(path: string, text: string, label: string): Promise<void> {
    let old: Uint8Array = new Uint8Array(0);
    let mode: number | undefined;
    try {
      old = new Uint8Array(await readFile(path));
      mode = (await stat(path)).mode & 0o7777;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw writeError(label, path, cause);
    }
    const added = new TextEncoder().encode(text);
    const data = new Uint8Array(old.length + added.length);
    data.set(old);
    data.set(added, old.length);
    await this.file(path, data, label);
    const last = this.items[this.items.length - 1];
    if (mode !== undefined && last?.kind === 'file' && last.temp) {
      // The replacement keeps the mode of the file it replaces.
      const fh = await open(last.temp, 'r');
      try {
        await fh.chmod(mode);
      } finally {
        await fh.close();
      }
    }
  }

  /**
   * Moves every staged file into place and writes the stdout items, in order.
   *
   * @throws FileError `ERR_FILE`
   */
  async commit(out: (chunk: Uint8Array | string) => Promise<void>): Promise<void> {
    for (let i = 0; i < this.items.length; i++) {
      const item = this.items[i] as Item;
      try {
        if (item.kind === 'stdout') await out(item.data);
        else if (item.temp) {
          await rename(item.temp, item.target);
          pending.delete(item.temp);
        } else await writeFile(item.target, item.data);
      } catch (cause) {
        this.items.splice(0, i + 1);
        await this.abort();
        if (item.kind === 'stdout') throw new FileError('ERR_FILE', `cannot write ${item.label} to stdout: ${fsReason(cause)}`, { cause });
        throw writeError(item.label, item.path, cause);
      }
    }
    this.items.length = 0;
  }

  /** Removes every staged temporary file; targets stay as they were. */
  async abort(): Promise<void> {
    for (const item of this.items) {
      if (item.kind === 'file' && item.temp) {
        await unlink(item.temp).catch(() => undefined);
        pending.delete(item.temp);
      }
    }
    this.items.length = 0;
  }
}

/** One file to write. */
export interface OutputFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Unix mode before the umask (default {@link MODE_DEFAULT}; {@link MODE_SECRET} for secrets). */
  readonly mode?: number;
  /** What the file is, for messages (`add-secret request`). */
  readonly label?: string;
}

/**
 * Writes several files all-or-nothing (as far as a file system allows): every file is
 * staged first; only when all succeeded are they renamed into place.
 *
 * @example
 * ```ts
 * await writeFilesAtomic([{ path: 'out/req.bin', bytes }, { path: 'out/secret.bin', bytes: s, mode: MODE_SECRET }]);
 * ```
 * @throws FileError `ERR_FILE`, `ERR_OUTPUT_CLASH`
 */
export async function writeFilesAtomic(files: readonly OutputFile[], options: OutputsOptions = {}): Promise<void> {
  const outputs = new Outputs(options);
  try {
    // `-` is a file named `-` here: this function never writes to stdout.
    for (const f of files) await outputs.file(f.path === '-' ? './-' : f.path, f.bytes, f.label ?? '', f.mode);
    await outputs.commit(async () => undefined);
  } catch (e) {
    await outputs.abort();
    throw e;
  }
}

/**
 * Creates a directory (and its parents) if missing; a new one gets `mode` minus the
 * umask.
 *
 * @throws FileError `ERR_FILE`
 */
export async function ensureDirectory(path: string, mode = 0o777): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode });
  } catch (cause) {
    throw new FileError('ERR_FILE', `cannot create directory '${path}': ${fsReason(cause)}`, { cause });
  }
}

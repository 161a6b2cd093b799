/**
 * Reading and writing files for the Node CLI and helpers (Node only).
 *
 * Outputs are written atomically: each file goes to a temporary file in the same
 * directory (created exclusively, with its final mode from the start, so a secret is
 * never readable by others even for a moment), is flushed, and is then renamed over the
 * target. A group of files is renamed only after all of them were written, so a failure
 * leaves no partial output behind.
 *
 * @module
 */
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileError } from '../errors.js';

/** Mode of secret files (owner read/write only). */
export const SECRET_FILE_MODE = 0o600;
/** Default mode of other outputs (before the umask). */
export const DEFAULT_FILE_MODE = 0o644;

function fileError(path: string, action: string, cause: unknown): FileError {
  return new FileError('ERR_FILE', `${path}: cannot ${action} (${(cause as NodeJS.ErrnoException)?.code ?? 'error'})`, { cause });
}

/**
 * Reads a whole file.
 *
 * @throws FileError `ERR_FILE` naming the path and the system error code
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (cause) {
    throw fileError(path, 'read', cause);
  }
}

/** One file to write. */
export interface OutputFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Unix mode (default 0o644; use {@link SECRET_FILE_MODE} for secrets). */
  readonly mode?: number;
}

let counter = 0;

function tempPathFor(path: string): string {
  counter++;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.${counter}.tmp`);
}

async function writeTemp(file: OutputFile): Promise<string> {
  const mode = file.mode ?? DEFAULT_FILE_MODE;
  const tmp = tempPathFor(file.path);
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(tmp, 'wx', mode);
    await fh.writeFile(file.bytes);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await chmod(tmp, mode); // the umask may have removed bits we asked for
    return tmp;
  } catch (cause) {
    await fh?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw fileError(file.path, 'write', cause);
  }
}

/**
 * Writes several files all-or-nothing (as far as a file system allows): every file is
 * written to a temporary file first; only when all succeeded are they renamed into
 * place.
 *
 * @example
 * ```ts
 * await writeFilesAtomic([{ path: 'out/req.bin', bytes }, { path: 'out/secret.bin', bytes: s, mode: SECRET_FILE_MODE }]);
 * ```
 * @throws FileError `ERR_FILE`
 */
export async function writeFilesAtomic(files: readonly OutputFile[]): Promise<void> {
  const temps: string[] = [];
  try {
    for (const f of files) temps.push(await writeTemp(f));
  } catch (e) {
    await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
    throw e;
  }
  for (const [i, f] of files.entries()) {
    try {
      await rename(temps[i] as string, f.path);
    } catch (cause) {
      await Promise.all(temps.slice(i).map((t) => unlink(t).catch(() => undefined)));
      throw fileError(f.path, 'write', cause);
    }
  }
}

/** Writes one file atomically. @throws FileError `ERR_FILE` */
export function writeFileAtomic(path: string, bytes: Uint8Array, options: { mode?: number } = {}): Promise<void> {
  return writeFilesAtomic([{ path, bytes, ...(options.mode === undefined ? {} : { mode: options.mode }) }]);
}

/** Creates a directory (and its parents) if missing. @throws FileError `ERR_FILE` */
export async function ensureDirectory(path: string, mode = 0o755): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode });
  } catch (cause) {
    throw fileError(path, 'create directory', cause);
  }
}

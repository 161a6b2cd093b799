/**
 * Reading the files named on the command line, with errors that name the file, what
 * it was for, and the reason in one line.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { FileError } from '../errors.js';
import { CliError } from './errors.js';

/** Inputs larger than this are refused before reading (nothing se-secrets reads is near it). */
export const MAX_INPUT_SIZE = 16 * 1024 * 1024;

/** A short, stable reason for a failed file operation. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

function readError(label: string, path: string, cause: unknown): FileError {
  return new FileError('ERR_FILE', `cannot read ${label} '${path}': ${fsReason(cause)}`, { cause });
}

/**
 * The size of an input file that must exist and not be a directory.
 *
 * @throws FileError `ERR_FILE`: `cannot read <label> '<path>': <reason>`
 */
export async function inputSize(path: string, label: string): Promise<number> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return st.size;
  } catch (cause) {
    throw readError(label, path, cause);
  }
}

/**
 * Reads a whole input file. `-` is a file named `-` here, as in pvsecret (only
 * `verify` reads stdin, through {@link readInputOrStdin}).
 *
 * @throws FileError `ERR_FILE`; CliError `ERR_VALUE` when the file is too large
 */
export async function readInput(path: string, label: string, maxSize = MAX_INPUT_SIZE): Promise<Uint8Array> {
  const size = await inputSize(path, label);
  if (size > maxSize) throw new CliError('ERR_VALUE', `${label} '${path}' is too large (${size} bytes; at most ${maxSize})`);
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    throw readError(label, path, cause);
  }
}

/**
 * Reads a file that must hold exactly `size` bytes (secrets, keys, CCKs).
 *
 * @throws FileError `ERR_FILE`; CliError `ERR_VALUE` on a wrong size
 */
export async function readExact(path: string, label: string, size: number): Promise<Uint8Array> {
  const bytes = await readInput(path, label);
  if (bytes.length !== size) {
    bytes.fill(0);
    throw new CliError('ERR_VALUE', `${label} '${path}' must be exactly ${size} bytes (got ${bytes.length})`);
  }
  return bytes;
}

/** Reads a file, or stdin for `-`. */
export async function readInputOrStdin(path: string, label: string): Promise<Uint8Array> {
  if (path !== '-') return readInput(path, label);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of process.stdin) {
      total += (chunk as Buffer).length;
      if (total > MAX_INPUT_SIZE) throw new CliError('ERR_VALUE', `${label} on stdin is too large (more than ${MAX_INPUT_SIZE} bytes)`);
      chunks.push(chunk as Buffer);
    }
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    throw readError(label, '-', cause);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

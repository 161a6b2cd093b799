/**
 * Reading the files named on the command line, with errors that name the file, what
 * it was for, and the reason in one line. Every read goes through the one bounded
 * reader of `src/node/input.ts` (devices refused, pipes read, a cap per kind of input).
 *
 * @module
 */
import { fsReason, INPUT_CAPS, inputFileSize, readInputFile, readInputHead, readInputStream } from '../node/input.js';
import { CliError } from './errors.js';

export { fsReason, INPUT_CAPS, readInputHead };

/**
 * The size of an input file that must exist and be a regular file or a pipe (an SE
 * image, read in parts).
 *
 * @throws FileError `ERR_FILE`: `cannot read <label> '<path>': <reason>`
 */
export function inputSize(path: string, label: string): Promise<number> {
  return inputFileSize(path, { label });
}

/**
 * Reads a whole input file, at most `maxSize` bytes. `-` is a file named `-` here, as
 * in pvsecret (only `verify` reads stdin, through {@link readInputOrStdin}).
 *
 * @throws FileError `ERR_FILE`; `ERR_INPUT_TOO_LARGE` beyond the cap
 */
export function readInput(path: string, label: string, maxSize: number = INPUT_CAPS.file): Promise<Uint8Array> {
  return readInputFile(path, { label, maxSize });
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
export function readInputOrStdin(path: string, label: string): Promise<Uint8Array> {
  if (path !== '-') return readInput(path, label);
  return readInputStream(process.stdin, `${label} on stdin`);
}

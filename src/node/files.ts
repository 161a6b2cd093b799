/**
 * Reading and writing files (Node only): the public names of the one bounded input
 * reader (`./input.ts`) and the one atomic output writer (`./output.ts`).
 *
 * @module
 */
import { type OutputsOptions, writeFilesAtomic } from './output.js';

export { type ReadInputOptions, readInputFile as readFileBytes } from './input.js';
export { ensureDirectory, MODE_DEFAULT as DEFAULT_FILE_MODE, MODE_SECRET as SECRET_FILE_MODE, type OutputFile, writeFilesAtomic } from './output.js';

/**
 * Writes one file atomically.
 *
 * @example
 * ```ts
 * await writeFileAtomic('req.bin', request);
 * ```
 * @throws FileError `ERR_FILE`
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, options: { mode?: number; label?: string } & OutputsOptions = {}): Promise<void> {
  const { mode, label, ...rest } = options;
  return writeFilesAtomic([{ path, bytes, ...(mode === undefined ? {} : { mode }), ...(label === undefined ? {} : { label }) }], rest);
}

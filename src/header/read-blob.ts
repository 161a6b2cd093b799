/**
 * Reading an SE header from a `Blob` (in a browser, a `File` the user dropped) one
 * slice at a time: only the image metadata, the probed page starts and the header
 * itself are read, never the whole image — SE images are often gigabytes.
 *
 * @module
 */
import { FileError, SeSecretsError } from '../errors.js';
import { type LocateOptions, locateSeHeader, type ReadAt } from './locate.js';
import type { SeHeader } from './se-header.js';

/** Counts what a blob reader read (for tests and progress displays). */
export interface BlobReadStats {
  bytesRead: number;
  reads: number;
}

/**
 * A {@link ReadAt} over a `Blob`: each read is `blob.slice(offset, offset + length)`.
 *
 * @example
 * ```ts
 * const hdr = await locateSeHeader(blobReadAt(file));
 * ```
 */
export function blobReadAt(blob: Blob, stats?: BlobReadStats): ReadAt {
  return async (offset, length) => {
    if (offset >= blob.size) return new Uint8Array(0);
    const bytes = new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer());
    if (stats) {
      stats.bytesRead += bytes.length;
      stats.reads++;
    }
    return bytes;
  };
}

/**
 * Reads the SE header of an SE image or extracted header held in a `Blob` or `File`,
 * slice by slice (see {@link blobReadAt}).
 *
 * @example
 * ```ts
 * input.addEventListener('change', async () => {
 *   const hdr = await readSeHeaderFromBlob(input.files[0]);
 *   console.log(hdr.hostKeyHashes.length);
 * });
 * ```
 * @throws HeaderError `ERR_HEADER_NOT_FOUND`, `ERR_HEADER_TRUNCATED`, `ERR_HEADER_VERSION`,
 *   `ERR_HEADER_SIZE`; FileError `ERR_FILE` when the blob cannot be read
 */
export async function readSeHeaderFromBlob(blob: Blob, options: LocateOptions & { stats?: BlobReadStats } = {}): Promise<SeHeader> {
  const name = typeof (blob as { name?: unknown }).name === 'string' ? (blob as File).name : 'blob';
  try {
    return await locateSeHeader(blobReadAt(blob, options.stats), options);
  } catch (cause) {
    if (cause instanceof SeSecretsError) {
      cause.message = `${name}: ${cause.message}`;
      throw cause;
    }
    const what = cause instanceof Error ? cause.name : 'error';
    throw new FileError('ERR_FILE', `${name}: cannot read (${what})`, { cause });
  }
}

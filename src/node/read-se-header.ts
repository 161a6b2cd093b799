/**
 * Reading an SE header from a file without loading the file (Node only).
 *
 * @module
 */
import { open } from 'node:fs/promises';
import { FileError, SeSecretsError } from '../errors.js';
import { type LocateOptions, locateSeHeader } from '../header/locate.js';
import type { SeHeader } from '../header/se-header.js';
import { fsReason, inputFileSize } from './input.js';

/** Counts what a {@link readSeHeader} call read, for tests and benchmarks. */
export interface ReadStats {
  bytesRead: number;
  reads: number;
  /** The largest single read asked for (the largest buffer allocated), in bytes. */
  largestRead?: number;
}

/**
 * Reads the SE header of an SE image or extracted header on disk. Reads only the
 * image metadata, the probed page starts and the header: never the whole file. The
 * reads and the memory they take do not depend on the file's size: at most 24 reads
 * (metadata, 0x15 page probes, the header's head, the header), none larger than the
 * 1 MiB header limit. Directories and devices are refused before opening.
 *
 * @example
 * ```ts
 * const hdr = await readSeHeader('/var/lib/libvirt/images/guest.img');
 * ```
 * @throws FileError `ERR_FILE`; HeaderError `ERR_HEADER_*`
 */
export async function readSeHeader(path: string, options: LocateOptions & { stats?: ReadStats } = {}): Promise<SeHeader> {
  await inputFileSize(path, { label: 'SE header' });
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (cause) {
    throw new FileError('ERR_FILE', `cannot read SE header '${path}': ${fsReason(cause)}`, { cause });
  }
  try {
    return await locateSeHeader(async (offset, length) => {
      const buf = new Uint8Array(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      if (options.stats) {
        options.stats.bytesRead += bytesRead;
        options.stats.reads++;
        options.stats.largestRead = Math.max(options.stats.largestRead ?? 0, length);
      }
      return buf.subarray(0, bytesRead);
    }, options);
  } catch (cause) {
    if (cause instanceof SeSecretsError) {
      cause.message = `${path}: ${cause.message}`;
      throw cause;
    }
    throw new FileError('ERR_FILE', `cannot read SE header '${path}': ${fsReason(cause)}`, { cause });
  } finally {
    await fh.close();
  }
}

/**
 * Finding the SE header inside a Secure Execution boot image.
 *
 * An image may carry 28 bytes of metadata at offset 0xc000:
 *
 * ```text
 *  0xc000 ┌────────────────────────────┐
 *         │ magic "SeImgLnx"        8  │
 *  0xc008 │ header offset     u64      │
 *  0xc010 │ version (1)       u32      │
 *  0xc014 │ IPIB offset       u64      │
 *  0xc01c └────────────────────────────┘
 * ```
 *
 * With metadata, the header must start exactly at its header offset (an unknown
 * metadata version only warns, as in the reference). Without, the first 0x15 pages
 * (4096 bytes each) are probed for "IBMSecEx" at their start. An extracted header is
 * found at page 0. Source: s390-tools `rust/pv/src/brcb.rs` (`seek_se_hdr_start`).
 *
 * The search is written against a small random-access reader so that the Node module
 * can run it on a file without loading the file, and the core on bytes in memory.
 *
 * @module
 */
import { HeaderError } from '../errors.js';
import { ByteReader, equalBytes } from '../internal/bytes.js';
import { type SeHeader, SE_HEADER_HEAD_SIZE, SE_HEADER_MAGIC, decodeSeHeader, seHeaderSizeFromHead } from './se-header.js';

/** ASCII "SeImgLnx": the SE image metadata magic. */
export const SE_IMAGE_METADATA_MAGIC = new Uint8Array([0x53, 0x65, 0x49, 0x6d, 0x67, 0x4c, 0x6e, 0x78]);
/** Where image metadata sits in an SE image. */
export const SE_IMAGE_METADATA_OFFSET = 0xc000;
export const SE_IMAGE_METADATA_SIZE = 28;
export const SE_IMAGE_METADATA_VERSION_1 = 1;
/** Page size used by the header scan. */
export const PAGE_SIZE = 4096;
/** How many pages are probed when there is no metadata. */
export const SE_HEADER_SCAN_PAGES = 0x15;

/** Reads up to `length` bytes at `offset`; returns fewer at the end of the source. */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array> | Uint8Array;

/** Options for the header search. */
export interface LocateOptions {
  /** Called with a message where the reference warns (unknown metadata version). */
  onWarning?: (message: string) => void;
}

type Read = [offset: number, length: number];

/**
 * The search as a sequence of reads, so one piece of logic serves a synchronous
 * reader (bytes in memory) and an asynchronous one (a file). Yields each read it
 * needs and finally returns the header offset, or undefined when there is none.
 */
function* headerSearch(options: LocateOptions): Generator<Read, number | undefined, Uint8Array> {
  const meta = yield [SE_IMAGE_METADATA_OFFSET, SE_IMAGE_METADATA_SIZE];
  if (meta.length >= 8 && equalBytes(meta.subarray(0, 8), SE_IMAGE_METADATA_MAGIC)) {
    if (meta.length < SE_IMAGE_METADATA_SIZE) {
      throw new HeaderError('ERR_HEADER_TRUNCATED', `se image: metadata at 0xc000 is truncated (expected ${SE_IMAGE_METADATA_SIZE} bytes, got ${meta.length})`);
    }
    const r = new ByteReader(meta, 'se image metadata', 'ERR_HEADER_TRUNCATED', 8);
    const hdrOffset = r.u64('header offset');
    const version = r.u32('version');
    if (version !== SE_IMAGE_METADATA_VERSION_1) {
      options.onWarning?.(`se image: unknown image metadata version ${version}; using its header offset anyway`);
    }
    if (hdrOffset > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    const off = Number(hdrOffset);
    const magic = yield [off, 8];
    return magic.length === 8 && equalBytes(magic, SE_HEADER_MAGIC) ? off : undefined;
  }
  for (let page = 0; page < SE_HEADER_SCAN_PAGES; page++) {
    const off = page * PAGE_SIZE;
    const magic = yield [off, 8];
    if (magic.length < 8) return undefined;
    if (equalBytes(magic, SE_HEADER_MAGIC)) return off;
  }
  return undefined;
}

function notFound(): HeaderError {
  return new HeaderError(
    'ERR_HEADER_NOT_FOUND',
    'se header: no SE header found (no image metadata at 0xc000 and no "IBMSecEx" at the start of the first 0x15 pages)',
  );
}

function truncatedHead(got: number): HeaderError {
  return new HeaderError('ERR_HEADER_TRUNCATED', `se header: truncated (expected at least ${SE_HEADER_HEAD_SIZE} bytes, got ${got})`);
}

/**
 * Finds and decodes the SE header of an image or extracted header through `readAt`,
 * reading only the metadata, the probed page starts and the header itself.
 *
 * @throws HeaderError `ERR_HEADER_NOT_FOUND`, `ERR_HEADER_TRUNCATED`, `ERR_HEADER_VERSION`, `ERR_HEADER_SIZE`
 */
export async function locateSeHeader(readAt: ReadAt, options: LocateOptions = {}): Promise<SeHeader> {
  const search = headerSearch(options);
  let step = search.next();
  while (!step.done) step = search.next(await readAt(...step.value));
  const off = step.value;
  if (off === undefined) throw notFound();
  const head = await readAt(off, SE_HEADER_HEAD_SIZE);
  if (head.length >= 8 && head.length < SE_HEADER_HEAD_SIZE) throw truncatedHead(head.length);
  const size = seHeaderSizeFromHead(head);
  return { ...decodeSeHeader(await readAt(off, size)), offset: off };
}

/**
 * Parses an extracted SE header or a whole SE image held in memory.
 *
 * @example
 * ```ts
 * const hdr = parseSeHeader(imageBytes);
 * console.log(hdr.hostKeyHashes.length, hdr.tag);
 * ```
 * @throws HeaderError `ERR_HEADER_NOT_FOUND`, `ERR_HEADER_TRUNCATED`, `ERR_HEADER_VERSION`, `ERR_HEADER_SIZE`
 */
export function parseSeHeader(bytes: Uint8Array, options: LocateOptions = {}): SeHeader {
  const readAt = bytesReader(bytes);
  const search = headerSearch(options);
  let step = search.next();
  while (!step.done) step = search.next(readAt(...step.value));
  const off = step.value;
  if (off === undefined) throw notFound();
  return decodeSeHeader(bytes, off);
}

/** A synchronous {@link ReadAt} over bytes in memory. */
export function bytesReader(bytes: Uint8Array): (offset: number, length: number) => Uint8Array {
  return (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(bytes.length, offset + length));
}

/**
 * The Secure Execution header ("SE header", the reference's boot request control block).
 *
 * ```text
 *  0x000 ┌──────────────────────────────┐
 *        │ magic "IBMSecEx"          8  │
 *  0x008 │ version (0x100)     u32      │
 *  0x00c │ size (whole header) u32      │
 *  0x010 │ IV                       12  │
 *  0x01c │ reserved1c          u32      │
 *  0x020 │ nks (key slots)     u64      │
 *  0x028 │ sea (encrypted size) u64     │
 *  0x030 │ nep                 u64      │
 *  0x038 │ pcf (plaintext flags) u64    │
 *  0x040 │ customer public key     160  │  X ‖ Y, each left-padded to 80
 *  0x0e0 │ pld                      64  │
 *  0x120 │ ald                      64  │
 *  0x160 │ tld                      64  │
 *  0x1a0 ├──────────────────────────────┤
 *        │ key slots            80·nks  │  host-key hash(32) ‖ wrapped key(32) ‖ tag(16)
 *        ├──────────────────────────────┤
 *        │ encrypted part          sea  │
 *        ├──────────────────────────────┤
 *        │ tag                      16  │
 *        └──────────────────────────────┘  size = 0x1a0 + 80·nks + sea + 16
 * ```
 *
 * Source: s390-tools `rust/pv/src/brcb.rs` (`BootHdrHead`, `BootHdrTags`).
 *
 * @module
 */
import { HeaderError } from '../errors.js';
import { ByteReader, copyBytes, equalBytes } from '../internal/bytes.js';

/** ASCII "IBMSecEx": the SE header magic. */
export const SE_HEADER_MAGIC = new Uint8Array([0x49, 0x42, 0x4d, 0x53, 0x65, 0x63, 0x45, 0x78]);
/** The only SE header version there is (the reference's `SeHdrVersion::One`). */
export const SE_HEADER_VERSION_1 = 0x100;
/** Size of the fixed head of the header, up to and including tld. */
export const SE_HEADER_HEAD_SIZE = 0x1a0;
/** Size of one key slot in an SE header (same layout as in a request). */
export const SE_HEADER_KEY_SLOT_SIZE = 80;
/** Size of a digest (pld, ald, tld). */
export const SE_HEADER_DIGEST_SIZE = 64;
/** Size of the header's AES-GCM tag. */
export const SE_HEADER_TAG_SIZE = 16;
/** Largest header we accept: the reference's image layout reserves well under this. */
export const SE_HEADER_MAX_SIZE = 0x100000;

/** The four values of an SE header that bind a request to an image. */
export interface SeHeaderTags {
  readonly pld: Uint8Array;
  readonly ald: Uint8Array;
  readonly tld: Uint8Array;
  readonly tag: Uint8Array;
}

/** A decoded SE header: every field that is not encrypted. */
export interface SeHeader extends SeHeaderTags {
  readonly version: number;
  /** Size of the whole header in bytes. */
  readonly size: number;
  readonly iv: Uint8Array;
  readonly nks: number;
  readonly sea: number;
  readonly nep: bigint;
  /** Plaintext control flags. */
  readonly pcf: bigint;
  /** The header's own customer public key, 160 bytes (X ‖ Y padded to 80 each). */
  readonly customerPublicKey: Uint8Array;
  /** The first 32 bytes of each key slot: SHA-256 of the host keys the image was built for. */
  readonly hostKeyHashes: readonly Uint8Array[];
  /** Offset of the header inside the bytes it was found in (0 for an extracted header). */
  readonly offset: number;
  /** The exact header bytes (`size` bytes). */
  readonly raw: Uint8Array;
}

/** True when `bytes` at `offset` starts with the SE header magic. */
export function hasSeHeaderMagic(bytes: Uint8Array, offset = 0): boolean {
  return offset + 8 <= bytes.length && equalBytes(bytes.subarray(offset, offset + 8), SE_HEADER_MAGIC);
}

/**
 * Reads the head of a header (0x1a0 bytes) and returns the total size it declares,
 * after checking magic, version and the size/nks/sea consistency.
 *
 * @throws HeaderError `ERR_HEADER_NOT_FOUND`, `ERR_HEADER_TRUNCATED`, `ERR_HEADER_VERSION`, `ERR_HEADER_SIZE`
 */
export function seHeaderSizeFromHead(head: Uint8Array): number {
  if (head.length < 8 || !hasSeHeaderMagic(head)) {
    throw new HeaderError('ERR_HEADER_NOT_FOUND', 'se header: magic "IBMSecEx" not found');
  }
  const r = new ByteReader(head, 'se header', 'ERR_HEADER_TRUNCATED', 8);
  const version = r.u32('version');
  if (version !== SE_HEADER_VERSION_1) {
    throw new HeaderError('ERR_HEADER_VERSION', `se header: unsupported version 0x${version.toString(16)} (expected 0x100)`);
  }
  const size = r.u32('size');
  r.skip(16, 'iv and reserved1c');
  const nks = r.u64('nks');
  const sea = r.u64('sea');
  r.skip(SE_HEADER_HEAD_SIZE - 0x30, 'head');
  const expected = BigInt(SE_HEADER_HEAD_SIZE) + nks * BigInt(SE_HEADER_KEY_SLOT_SIZE) + sea + BigInt(SE_HEADER_TAG_SIZE);
  if (BigInt(size) !== expected || size > SE_HEADER_MAX_SIZE) {
    throw new HeaderError(
      'ERR_HEADER_SIZE',
      `se header: size field does not match nks and sea (expected 0x1a0 + 80·${nks} + ${sea} + 16 = ${expected}, got ${size})`,
    );
  }
  return size;
}

/**
 * Decodes an SE header that starts at `offset` of `bytes`.
 *
 * @throws HeaderError `ERR_HEADER_NOT_FOUND`, `ERR_HEADER_TRUNCATED`, `ERR_HEADER_VERSION`, `ERR_HEADER_SIZE`
 */
export function decodeSeHeader(bytes: Uint8Array, offset = 0): SeHeader {
  const avail = bytes.subarray(offset);
  if (avail.length >= 8 && hasSeHeaderMagic(avail) && avail.length < SE_HEADER_HEAD_SIZE) {
    throw new HeaderError('ERR_HEADER_TRUNCATED', `se header: truncated (expected at least ${SE_HEADER_HEAD_SIZE} bytes, got ${avail.length})`);
  }
  const size = seHeaderSizeFromHead(avail.subarray(0, Math.min(avail.length, SE_HEADER_HEAD_SIZE)));
  if (avail.length < size) {
    throw new HeaderError('ERR_HEADER_TRUNCATED', `se header: truncated (expected ${size} bytes, got ${avail.length})`);
  }
  const raw = copyBytes(avail, 0, size);
  const r = new ByteReader(raw, 'se header', 'ERR_HEADER_TRUNCATED', 8);
  const version = r.u32('version');
  r.u32('size');
  const iv = r.bytesOf(12, 'iv');
  r.skip(4, 'reserved1c'); // not checked: the reference ignores it too
  const nks = Number(r.u64('nks'));
  const sea = Number(r.u64('sea'));
  const nep = r.u64('nep');
  const pcf = r.u64('pcf');
  const customerPublicKey = r.bytesOf(160, 'customer public key');
  const pld = r.bytesOf(SE_HEADER_DIGEST_SIZE, 'pld');
  const ald = r.bytesOf(SE_HEADER_DIGEST_SIZE, 'ald');
  const tld = r.bytesOf(SE_HEADER_DIGEST_SIZE, 'tld');
  const hostKeyHashes: Uint8Array[] = [];
  for (let i = 0; i < nks; i++) {
    hostKeyHashes.push(r.bytesOf(32, `key slot ${i} hash`));
    r.skip(SE_HEADER_KEY_SLOT_SIZE - 32, `key slot ${i}`);
  }
  r.skip(sea, 'encrypted part');
  const tag = r.bytesOf(SE_HEADER_TAG_SIZE, 'tag');
  return { version, size, iv, nks, sea, nep, pcf, customerPublicKey, pld, ald, tld, tag, hostKeyHashes, offset, raw };
}

/**
 * A minimal, strict DER reader (ITU-T X.690 §8, §10) for the pieces of certificates and
 * CRLs whose exact bytes matter: names, serial numbers, key identifiers, algorithm
 * identifiers and extension values. pkijs parses the overall structure; this reader
 * walks the raw bytes so nothing is re-encoded before it is compared or verified.
 *
 * Only definite lengths and single-byte tags are accepted (X.509 needs no more).
 *
 * @module
 */

/** Tag classes (X.690 §8.1.2.2). */
export const CLASS_UNIVERSAL = 0;
export const CLASS_CONTEXT = 2;

/** Universal tag numbers used here (X.680 §8.4). */
export const TAG_BOOLEAN = 0x01;
export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_ENUMERATED = 0x0a;
export const TAG_SEQUENCE = 0x10;
export const TAG_SET = 0x11;

/** A thrown reader failure; callers turn it into their own typed error. */
export class DerError extends Error {}

/** One TLV element, with views into the input (no copies). */
export interface Tlv {
  /** Tag class: 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly cls: number;
  readonly constructed: boolean;
  /** Tag number (low-tag form only). */
  readonly tag: number;
  /** The whole element: identifier, length and contents. */
  readonly raw: Uint8Array;
  /** The contents octets. */
  readonly content: Uint8Array;
}

/** Reads the element that starts at `offset`. @throws DerError */
export function readTlv(bytes: Uint8Array, offset = 0): Tlv {
  if (offset + 2 > bytes.length) throw new DerError('der: element header is truncated');
  const id = bytes[offset] as number;
  if ((id & 0x1f) === 0x1f) throw new DerError('der: high tag numbers are not supported');
  let len = bytes[offset + 1] as number;
  let pos = offset + 2;
  if (len === 0x80) throw new DerError('der: indefinite length is not DER');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4 || pos + n > bytes.length) throw new DerError('der: length field is truncated or too large');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (bytes[pos + i] as number);
    if (len < 0x80 || (n > 1 && bytes[pos] === 0)) throw new DerError('der: length is not minimally encoded');
    pos += n;
  }
  if (pos + len > bytes.length) throw new DerError(`der: element is truncated (expected ${len} content bytes, got ${bytes.length - pos})`);
  return {
    cls: id >> 6,
    constructed: (id & 0x20) !== 0,
    tag: id & 0x1f,
    raw: bytes.subarray(offset, pos + len),
    content: bytes.subarray(pos, pos + len),
  };
}

/** Reads exactly one element spanning all of `bytes`. @throws DerError */
export function readSingle(bytes: Uint8Array): Tlv {
  const t = readTlv(bytes, 0);
  if (t.raw.length !== bytes.length) throw new DerError(`der: ${bytes.length - t.raw.length} trailing bytes after the element`);
  return t;
}

/** The elements inside a constructed element. @throws DerError */
export function children(t: Tlv): Tlv[] {
  if (!t.constructed) throw new DerError('der: expected a constructed element');
  const out: Tlv[] = [];
  let off = 0;
  while (off < t.content.length) {
    const c = readTlv(t.content, off);
    out.push(c);
    off += c.raw.length;
  }
  return out;
}

/** True when `t` is the universal element with tag number `tag`. */
export function isUniversal(t: Tlv | undefined, tag: number): t is Tlv {
  return t !== undefined && t.cls === CLASS_UNIVERSAL && t.tag === tag;
}

/** True when `t` is the context-specific element `[tag]`. */
export function isContext(t: Tlv | undefined, tag: number): t is Tlv {
  return t !== undefined && t.cls === CLASS_CONTEXT && t.tag === tag;
}

/** Asserts a universal tag. @throws DerError */
export function expectUniversal(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!isUniversal(t, tag)) throw new DerError(`der: ${what} has the wrong type`);
  return t;
}

/** Dotted form of an OBJECT IDENTIFIER's contents (X.690 §8.19). @throws DerError */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('der: empty object identifier');
  const arcs: bigint[] = [];
  let v = 0n;
  for (let i = 0; i < content.length; i++) {
    const b = content[i] as number;
    if (v === 0n && b === 0x80) throw new DerError('der: object identifier arc is not minimally encoded');
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0n;
    } else if (i === content.length - 1) {
      throw new DerError('der: object identifier is truncated');
    }
  }
  const first = arcs[0] as bigint;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** The OID of an OBJECT IDENTIFIER element. @throws DerError */
export function readOid(t: Tlv | undefined, what: string): string {
  return decodeOid(expectUniversal(t, TAG_OID, what).content);
}

/** The value of an INTEGER's contents (two's complement) as a bigint. */
export function integerValue(content: Uint8Array): bigint {
  if (content.length === 0) return 0n;
  let v = 0n;
  for (const b of content) v = (v << 8n) | BigInt(b);
  if ((content[0] as number) & 0x80) v -= 1n << BigInt(content.length * 8);
  return v;
}

/** The contents of a BIT STRING with no unused bits (keys, signatures). @throws DerError */
export function bitStringBytes(t: Tlv): Uint8Array {
  if (t.content.length === 0 || t.content[0] !== 0) throw new DerError('der: bit string has unused bits');
  return t.content.subarray(1);
}

/** Whether bit `n` (0 = first, most significant) of a BIT STRING element is set. */
export function bitIsSet(t: Tlv, n: number): boolean {
  const byte = t.content[1 + (n >> 3)];
  return byte !== undefined && (byte & (0x80 >> (n & 7))) !== 0;
}

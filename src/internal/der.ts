/**
 * The one DER layer of se-secrets: certificates, CRLs, extensions, names, public and
 * private keys and signatures are all read through it. asn1js decodes the encoding
 * (`asn1js.fromBER`, ITU-T X.690 §8); this module adds what asn1js does not do:
 *
 * - **Views, never copies.** Every element's `raw` (identifier, length and contents)
 *   and `content` are views into the caller's bytes (`copyInput: false`), so the exact
 *   signed bytes (`tbsCertificate`, `tbsCertList`), names, key identifiers and SPKIs
 *   are compared and verified without being re-encoded, and no extra copy of a private
 *   key is left behind.
 * - **The DER length rules (X.690 §10.1)**, checked on every element a caller reaches:
 *   definite lengths, in the shortest form, and single-byte tags (X.509 needs no more).
 *   asn1js reads BER: it accepts indefinite and non-minimal lengths, only noting them
 *   as warnings. Certificates, CRLs and signatures are held to DER, as the verifier
 *   always has (`test/verify-names.test.ts`), so every value it compares by its bytes
 *   (names, distribution point names, key identifiers) has one spelling; OpenSSL
 *   itself also reads BER lengths there. `{ ber: true }` ({@link BER}) skips the
 *   length rules for private keys and RSA public keys, which OpenSSL's `d2i` reads in
 *   BER and which were always read that way here.
 * - **Containment (X.690 §8.1.1)**: asn1js does not keep an element inside the one
 *   holding it. A child whose length runs past its parent's end is read from the bytes
 *   after the parent, and the parent's next sibling is read from where that child
 *   ended, so its tree can differ from the one the lengths describe (a field that is
 *   malformed in DER can come out well-formed). `children` checks that the children
 *   tile their parent's contents exactly, and every read checks that the outer element
 *   took exactly its length; since an overrun anywhere shifts every element after it,
 *   one in a field nobody visits is caught where a visited element is misplaced.
 * - **OBJECT IDENTIFIER decoding (X.690 §8.19)** from the contents octets: asn1js
 *   decodes `55 80 0e` (a padded arc, which DER forbids) as `2.5.14`, the same OID as
 *   `55 0e`, decodes an empty OID as `""`, and renders arcs above 2^53 as hex.
 * - **INTEGER values of implicitly tagged fields** (`[2] authorityCertSerialNumber`),
 *   which asn1js leaves as untyped primitives.
 *
 * `test/der.test.ts` shows each of these asn1js behaviours next to ours.
 *
 * asn1js decodes the whole element up front (nested OCTET and BIT STRING contents are
 * left alone: `parseEmbedded: false`), so a malformed element anywhere inside — also
 * in a field verification never reads, such as an odd-length BMPString in a name —
 * fails the parse. OpenSSL's `d2i_X509` refuses most of these too; it keeps name
 * values of non-string types and algorithm parameters undecoded, so garbage inside
 * those is read by OpenSSL and refused here. Its node and size limits are raised to
 * the input's length (an element takes at least two bytes), its depth limit (100) is
 * kept. Decoding costs about 0.5 ms for a 1 KB certificate (several times what a
 * hand-written walker takes); a verification reads a handful of certificates and CRLs.
 *
 * Every failure is a {@link DerError}; callers turn it into their own typed error.
 *
 * @module
 */
import * as asn1js from 'asn1js';
import { copyBytes } from './bytes.js';

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
export const TAG_UTC_TIME = 0x17;
export const TAG_GENERALIZED_TIME = 0x18;

/** asn1js numbers tag classes from 1 (universal) to 4 (private). */
const ASN1JS_CLASS_OFFSET = 1;
/** Two end-of-contents octets close an indefinite length (X.690 §8.1.5). */
const EOC_SIZE = 2;

/** A thrown reader failure; callers turn it into their own typed error. */
export class DerError extends Error {}

const OVERRUN = 'der: an element runs past the end of the element holding it';

/** How strictly to read. */
export interface DerOptions {
  /** Accept BER length forms (indefinite, non-minimal). Default: DER only. */
  readonly ber?: boolean;
  /**
   * Accept BER length forms on the outer element only; what it holds stays DER. This
   * is how a certificate or CRL is framed in a file: OpenSSL's `d2i` reads the outer
   * length in BER and pvsecret accepts, for example, a non-minimal one.
   */
  readonly berOuterLength?: boolean;
}

/** BER length forms allowed: how OpenSSL's `d2i` reads private keys. */
export const BER: DerOptions = { ber: true };

/** One element, with views into the input (no copies). */
export class Tlv {
  /** Tag class: 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly cls: number;
  readonly constructed: boolean;
  /** Tag number (low-tag form only). */
  readonly tag: number;
  /** The whole element: identifier, length and contents. */
  readonly raw: Uint8Array;
  /** The contents octets. */
  readonly content: Uint8Array;
  /** The asn1js element (its children, decoded times). */
  readonly node: asn1js.BaseBlock;
  /** Read with BER length forms allowed (children inherit it). */
  readonly ber: boolean;

  /** `src` is the array `node` was decoded from. @throws DerError */
  constructor(src: Uint8Array, node: asn1js.BaseBlock, ber: boolean, berLength = ber) {
    const { idBlock, lenBlock } = node;
    if (idBlock.blockLength !== 1) throw new DerError('der: high tag numbers are not supported');
    if (!berLength) checkDerLength(lenBlock);
    const view = node.valueBeforeDecodeView;
    const start = view.byteOffset - src.byteOffset;
    const header = idBlock.blockLength + lenBlock.blockLength;
    const end = lenBlock.isIndefiniteForm ? start + node.blockLength : start + header + lenBlock.length;
    // asn1js decoded `src` in place (copyInput: false), so its views share src's buffer.
    if (view.buffer !== src.buffer || start < 0) throw new DerError('der: element lies outside its input');
    if (end > src.length) throw new DerError(OVERRUN);
    this.cls = idBlock.tagClass - ASN1JS_CLASS_OFFSET;
    this.constructed = idBlock.isConstructed;
    this.tag = idBlock.tagNumber;
    this.raw = src.subarray(start, end);
    this.content = src.subarray(start + header, lenBlock.isIndefiniteForm ? end - EOC_SIZE : end);
    this.node = node;
    this.ber = ber;
  }
}

/** Definite length in the fewest octets (X.690 §10.1, §8.1.3.5 note 2). */
function checkDerLength(len: asn1js.BaseBlock['lenBlock']): void {
  if (len.isIndefiniteForm) throw new DerError('der: indefinite length is not DER');
  if (!len.longFormUsed) return;
  let minimal = 0;
  for (let n = len.length; n > 0; n = Math.floor(n / 256)) minimal++;
  if (len.length < 0x80 || len.blockLength - 1 !== minimal) throw new DerError('der: length is not minimally encoded');
}

function decode(bytes: Uint8Array, options: DerOptions): { tlv: Tlv; offset: number } {
  const limit = Math.max(bytes.length, 1);
  let asn: ReturnType<typeof asn1js.fromBER>;
  try {
    asn = asn1js.fromBER(bytes, { copyInput: false, parseEmbedded: false, maxNodes: limit, maxContentLength: limit });
  } catch (cause) {
    throw new DerError(`der: malformed encoding (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  const { offset, result } = asn;
  if (offset === -1 || result.error) {
    throw new DerError(`der: malformed encoding (${result.error || 'unreadable'})`);
  }
  const tlv = new Tlv(bytes, result, options.ber === true, options.ber === true || options.berOuterLength === true);
  // asn1js continues after what an element's contents really took (see `children`).
  if (offset !== tlv.raw.length) throw new DerError(`der: element contents do not match its length (expected ${tlv.raw.length} bytes, got ${offset})`);
  return { tlv, offset };
}

/** Reads the element at the start of `bytes`; bytes after it are ignored. @throws DerError */
export function readTlv(bytes: Uint8Array, options: DerOptions = {}): Tlv {
  return decode(bytes, options).tlv;
}

/** Reads exactly one element spanning all of `bytes`. @throws DerError */
export function readSingle(bytes: Uint8Array, options: DerOptions = {}): Tlv {
  const { tlv, offset } = decode(bytes, options);
  if (offset !== bytes.length) throw new DerError(`der: ${bytes.length - offset} trailing bytes after the element`);
  return tlv;
}

/** The elements inside a constructed element. @throws DerError */
export function children(t: Tlv): Tlv[] {
  const value = (t.node.valueBlock as { value?: unknown }).value;
  if (!t.constructed || !Array.isArray(value)) throw new DerError('der: expected a constructed element');
  // asn1js does not keep an element inside its parent: a child whose length runs past
  // the parent's end is read from the bytes that follow, and the parent's next sibling
  // is then read from where that child ended. So the children must tile the contents.
  const out: Tlv[] = [];
  let pos = t.content.byteOffset;
  for (const c of value as asn1js.BaseBlock[]) {
    const child = new Tlv(t.raw, c, t.ber);
    if (child.raw.byteOffset !== pos) throw new DerError(OVERRUN);
    pos += child.raw.length;
    out.push(child);
  }
  if (pos !== t.content.byteOffset + t.content.length) throw new DerError(OVERRUN);
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

/**
 * The magnitude of a non-negative INTEGER element, leading zero bytes removed (at
 * least one byte), as a copy the caller may zeroise. @throws DerError
 */
export function unsignedInteger(t: Tlv | undefined, what: string): Uint8Array {
  const v = expectUniversal(t, TAG_INTEGER, what).content;
  if (t?.constructed || v.length === 0 || ((v[0] as number) & 0x80) !== 0) throw new DerError(`der: ${what} is not a non-negative integer`);
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return copyBytes(v, i);
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

/** Runs a reader, turning a {@link DerError} into `undefined` (for "this format, else the next"). */
export function orUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof DerError) return undefined;
    throw e;
  }
}

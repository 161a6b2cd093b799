/**
 * The one byte cursor: every big-endian read and write of se-secrets goes through
 * {@link ByteReader} and {@link ByteWriter}. A short read throws a typed error that
 * names the structure and field being read.
 *
 * @module
 */
import { FormatError, type ErrorCode } from '../errors.js';

/** Reads big-endian fields from a byte array; throws on a short read. */
export class ByteReader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private pos: number;
  /** The structure name used in error messages, e.g. `"request"`. */
  readonly area: string;
  private readonly truncatedCode: ErrorCode;

  constructor(bytes: Uint8Array, area: string, truncatedCode: ErrorCode = 'ERR_TRUNCATED', offset = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = offset;
    this.area = area;
    this.truncatedCode = truncatedCode;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number, field: string): void {
    if (this.pos + n > this.bytes.length) {
      throw new FormatError(
        this.truncatedCode,
        `${this.area}: truncated while reading ${field} at offset 0x${this.pos.toString(16)} (expected ${n} bytes, got ${Math.max(0, this.bytes.length - this.pos)})`,
      );
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.pos++);
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  u64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return v;
  }

  /** A copy of the next `n` bytes (never a view of the caller's bytes). */
  bytesOf(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = copyBytes(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Skips `n` reserved bytes and checks that they are all zero. */
  reserved(n: number, field: string, code: ErrorCode): void {
    this.need(n, field);
    const start = this.pos;
    for (let i = 0; i < n; i++) {
      if (this.bytes[start + i] !== 0) {
        throw new FormatError(code, `${this.area}: reserved field ${field} at offset 0x${(start + i).toString(16)} is not zero`);
      }
    }
    this.pos += n;
  }

  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }
}

/** Writes big-endian fields into a fixed-size buffer. */
export class ByteWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private pos = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  get offset(): number {
    return this.pos;
  }

  u8(v: number): this {
    this.view.setUint8(this.pos, v);
    this.pos += 1;
    return this;
  }

  u16(v: number): this {
    this.view.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    this.view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  u64(v: bigint): this {
    this.view.setBigUint64(this.pos, v);
    this.pos += 8;
    return this;
  }

  /** Writes `b`; when `size` is given, `b` must have exactly that length. */
  put(b: Uint8Array, size = b.length): this {
    if (b.length !== size) throw new RangeError(`ByteWriter: field has ${b.length} bytes, expected ${size}`);
    this.bytes.set(b, this.pos);
    this.pos += size;
    return this;
  }

  zeros(n: number): this {
    this.pos += n; // the buffer starts zero-filled
    return this;
  }

  /** The written bytes; asserts the structure was filled exactly. */
  finish(): Uint8Array {
    if (this.pos !== this.bytes.length) {
      throw new RangeError(`ByteWriter: wrote ${this.pos} bytes of ${this.bytes.length}`);
    }
    return this.bytes;
  }
}

/**
 * A fresh copy of `b` (or of `b[start..end)`) in its own `ArrayBuffer`: never a view of
 * the caller's memory, whatever kind of array `b` is. The library copies with this
 * before it keeps or zeroes bytes a caller gave: `Buffer.prototype.slice` returns a
 * view, so `b.slice()` is not a copy when `b` is a Node Buffer.
 */
export function copyBytes(b: Uint8Array, start = 0, end = b.length): Uint8Array {
  const out = new Uint8Array(Math.max(0, end - start));
  out.set(b.subarray(start, end));
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}

export function isAllZero(a: Uint8Array): boolean {
  let d = 0;
  for (const x of a) d |= x;
  return d === 0;
}

/** Overwrites `buffers` with zeros (best effort: JavaScript may hold other copies). */
export function zeroize(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Parses hex (optionally `0x`-prefixed, no separators); returns undefined when malformed. */
export function fromHex(s: string): Uint8Array | undefined {
  const h = s.startsWith('0x') || s.startsWith('0X') ? s.slice(2) : s;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) return undefined;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Base64 with padding (RFC 4648 §4). */
export function base64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

/** Base64url without padding (RFC 7515 §2), for JWK import. */
export function base64Url(b: Uint8Array): string {
  return base64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Left-pads `b` with zeros to `size` bytes; throws when it is longer. */
export function leftPad(b: Uint8Array, size: number): Uint8Array {
  if (b.length > size) throw new RangeError(`leftPad: ${b.length} bytes do not fit in ${size}`);
  const out = new Uint8Array(size);
  out.set(b, size - b.length);
  return out;
}

/** Strips leading zero bytes down to `size` bytes; undefined when the value is larger. */
export function stripLeadingZeros(b: Uint8Array, size: number): Uint8Array | undefined {
  if (b.length <= size) return leftPad(b, size);
  for (let i = 0; i < b.length - size; i++) if (b[i] !== 0) return undefined;
  return copyBytes(b, b.length - size);
}

export const ASCII = {
  encode: (s: string): Uint8Array => new TextEncoder().encode(s),
};

/**
 * pvattest's exchange format, version 0x0100: labelled blobs passed between the
 * trusted workstation (`pvattest create`, `verify`, `check`) and the guest (`perform`).
 *
 * ```text
 *  0x00 ┌──────────────────────────────────────┐
 *       │ magic "pvattest"                  8  │
 *  0x08 │ version (0x0100)            u32      │
 *  0x0c │ size: header + data         u32      │
 *  0x10 │ reserved10                  u64      │
 *  0x18 │ request          size u32, offset u32│
 *  0x20 │ measurement      size u32, offset u32│
 *  0x28 │ additional data  size u32, offset u32│
 *  0x30 │ user data        size u32, offset u32│
 *  0x38 │ CUID             size u32, offset u32│
 *  0x40 ├──────────────────────────────────────┤
 *       │ the entries' data, in that order     │
 *       └──────────────────────────────────────┘
 * ```
 *
 * An entry of size 0 is absent; size > 0 at offset 0 only announces a size (a request
 * file says how large the measurement and additional data will be); otherwise the data
 * is at that offset. pvattest reads by offset; it writes the data in entry order right
 * after the header, and {@link encodeAttestationExchange} does the same.
 * Source: s390-tools `rust/pvattest/src/exchange.rs`; limits from
 * `rust/pv_core/src/uvdevice/ffi.rs` (`UVIO_ATT_*`).
 *
 * @module
 */
import { AttestationError, InputError } from '../errors.js';
import { ByteReader, ByteWriter } from '../internal/bytes.js';

/** ASCII "pvattest". */
export const EXCHANGE_MAGIC = new Uint8Array([0x70, 0x76, 0x61, 0x74, 0x74, 0x65, 0x73, 0x74]);
export const EXCHANGE_VERSION_1 = 0x0100;
export const EXCHANGE_HEADER_SIZE = 0x40;
/** Largest accepted entries (the uvdevice's limits) and the CUID size. */
export const EXCHANGE_LIMITS = { request: 0x100000, measurement: 0x8000, additionalData: 0x8000, userData: 0x100, cuid: 0x10 } as const;

/** An entry: the data, only its announced size (a number), or absent (`undefined`). */
export type ExchangeEntry = Uint8Array | number | undefined;

/** The five entries of an exchange file, in their order on the wire. */
export interface AttestationExchange {
  /** The attestation request (always data in a valid file). */
  readonly request: ExchangeEntry;
  /** The Ultravisor's measurement (a response), or its expected size (a request). */
  readonly measurement?: ExchangeEntry;
  readonly additionalData?: ExchangeEntry;
  /** Up to 256 bytes the guest passed to `pvattest perform --user-data`. */
  readonly userData?: ExchangeEntry;
  /** The guest's configuration unique ID, 16 bytes (a response). */
  readonly cuid?: ExchangeEntry;
}

const ENTRIES = ['request', 'measurement', 'additionalData', 'userData', 'cuid'] as const;
const LABEL: Record<(typeof ENTRIES)[number], string> = {
  request: 'attestation request',
  measurement: 'measurement',
  additionalData: 'additional data',
  userData: 'user data',
  cuid: 'CUID',
};

function fail(msg: string): never {
  throw new AttestationError('ERR_ATTESTATION_EXCHANGE', `exchange file: ${msg}`);
}

/** True when `bytes` starts with the exchange magic "pvattest". */
export function isAttestationExchange(bytes: Uint8Array): boolean {
  return bytes.length >= EXCHANGE_MAGIC.length && EXCHANGE_MAGIC.every((b, i) => bytes[i] === b);
}

/** True when the exchange carries a response: measurement and CUID data. */
export function isExchangeResponse(x: AttestationExchange): boolean {
  return x.measurement instanceof Uint8Array && x.cuid instanceof Uint8Array;
}

function checkEntry(name: (typeof ENTRIES)[number], size: number): void {
  const max = EXCHANGE_LIMITS[name];
  if (size > max) fail(`${LABEL[name]} is ${size} bytes (at most ${max})`);
  if (name === 'cuid' && size !== 0 && size !== EXCHANGE_LIMITS.cuid) fail(`CUID is ${size} bytes (expected 16)`);
}

/**
 * Reads an exchange file by pvattest's rules — the magic, version 0x0100, entries within
 * the file and within the Ultravisor's limits, a request present — and two of our own:
 * the size field equals the input's length (pvattest accepts trailing bytes) and the
 * reserved field is zero. The request itself is not decoded (see `parseAttestationRequest`).
 *
 * @example
 * ```ts
 * const x = parseAttestationExchange(await readFile('attresp.bin'));
 * if (x.cuid instanceof Uint8Array) console.log(toHex(x.cuid));
 * ```
 * @throws AttestationError `ERR_ATTESTATION_EXCHANGE`
 */
export function parseAttestationExchange(bytes: Uint8Array): AttestationExchange {
  if (!(bytes instanceof Uint8Array)) fail('input is not a byte array');
  if (!isAttestationExchange(bytes)) fail('does not start with the magic "pvattest"');
  if (bytes.length < EXCHANGE_HEADER_SIZE) fail(`${bytes.length} bytes is too short for the ${EXCHANGE_HEADER_SIZE}-byte header`);
  const r = new ByteReader(bytes, 'exchange file', 'ERR_ATTESTATION_EXCHANGE', EXCHANGE_MAGIC.length);
  const version = r.u32('version');
  if (version !== EXCHANGE_VERSION_1) fail(`unsupported version 0x${version.toString(16)} (expected 0x100)`);
  const size = r.u32('size');
  // pvattest only needs size <= length and ignores the reserved field; we also refuse
  // trailing bytes and a non-zero reserved field, so no byte can change unnoticed.
  if (bytes.length !== size) fail(`size field says ${size} bytes, input has ${bytes.length}`);
  r.reserved(8, 'reserved10', 'ERR_ATTESTATION_EXCHANGE');
  const out: Record<string, ExchangeEntry> = {};
  for (const name of ENTRIES) {
    const n = r.u32(`${LABEL[name]} size`);
    const offset = r.u32(`${LABEL[name]} offset`);
    checkEntry(name, n);
    if (n === 0) {
      out[name] = undefined;
    } else if (offset === 0) {
      out[name] = n;
    } else {
      if (offset + n > bytes.length) fail(`${LABEL[name]} at 0x${offset.toString(16)} (${n} bytes) runs past the end of the ${bytes.length}-byte input`);
      out[name] = bytes.slice(offset, offset + n);
    }
  }
  if (!(out.request instanceof Uint8Array)) fail('contains no attestation request');
  if (out.cuid !== undefined && !(out.cuid instanceof Uint8Array)) fail('CUID has a size but no data');
  return out as unknown as AttestationExchange;
}

function entrySize(e: ExchangeEntry): number {
  return e === undefined ? 0 : typeof e === 'number' ? e : e.length;
}

/**
 * Writes an exchange file as pvattest writes one: the header, then each entry's data
 * in entry order. `encodeAttestationExchange(parseAttestationExchange(f))` returns `f`
 * for every file laid out that way (all that pvattest writes).
 *
 * @throws InputError `ERR_INVALID_OPTION` for a missing request, an entry too large or
 *   not data / size / undefined
 */
export function encodeAttestationExchange(parts: AttestationExchange): Uint8Array {
  if (typeof parts !== 'object' || parts === null) throw new InputError('ERR_INVALID_OPTION', 'exchange: expected { request, measurement, additionalData, userData, cuid }');
  let total = EXCHANGE_HEADER_SIZE;
  for (const name of ENTRIES) {
    const e = parts[name];
    if (e !== undefined && !(e instanceof Uint8Array) && !(typeof e === 'number' && Number.isInteger(e) && e >= 0)) {
      throw new InputError('ERR_INVALID_OPTION', `exchange.${name}: expected bytes, a size or undefined`);
    }
    const n = entrySize(e);
    if (n > EXCHANGE_LIMITS[name] || (name === 'cuid' && n !== 0 && n !== EXCHANGE_LIMITS.cuid)) {
      throw new InputError('ERR_INVALID_OPTION', `exchange.${name}: ${n} bytes (at most ${EXCHANGE_LIMITS[name]}${name === 'cuid' ? ', exactly 16' : ''})`);
    }
    if (e instanceof Uint8Array) total += e.length;
  }
  if (!(parts.request instanceof Uint8Array) || parts.request.length === 0) throw new InputError('ERR_INVALID_OPTION', 'exchange.request: the attestation request bytes are required');
  const w = new ByteWriter(total);
  w.put(EXCHANGE_MAGIC).u32(EXCHANGE_VERSION_1).u32(total).zeros(8);
  let offset = EXCHANGE_HEADER_SIZE;
  for (const name of ENTRIES) {
    const e = parts[name];
    const n = entrySize(e);
    w.u32(n).u32(e instanceof Uint8Array && n > 0 ? offset : 0);
    if (e instanceof Uint8Array) offset += n;
  }
  for (const name of ENTRIES) {
    const e = parts[name];
    if (e instanceof Uint8Array) w.put(e);
  }
  return w.finish();
}

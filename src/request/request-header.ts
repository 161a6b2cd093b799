/**
 * The request header every Ultravisor request starts with (the reference's `RequestHdr`):
 * add-secret requests and attestation requests share it, and differ in the magic only.
 *
 * ```text
 *  0x000 ┌──────────────────────────────────────┐
 *        │ magic                             8  │  "asrcbM" ‖ user-data type u16 (add-secret),
 *        │                                      │  eight zero bytes (attestation)
 *  0x008 │ version                     u32      │
 *  0x00c │ rql: request length         u32      │
 *  0x010 │ IV                               12  │
 *  0x01c │ reserved1c                       11  │
 *  0x027 │ nks: number of key slots     u8      │
 *  0x028 │ reserved28                  u32      │
 *  0x02c │ sea: encrypted area size    u32      │
 *  0x030 └──────────────────────────────────────┘
 * ```
 *
 * Source: s390-tools `rust/pv/src/req/request.rs` (`RequestHdr`).
 *
 * @module
 */
import { GCM_IV_SIZE } from '../crypto/backend.js';
import type { ByteWriter } from '../internal/bytes.js';

/** Size of the request header (`RequestHdr`). */
export const REQUEST_HEADER_SIZE = 0x30;
/** Size of the magic field that opens every request. */
export const REQUEST_MAGIC_FIELD_SIZE = 8;

/** The fields of a request header. */
export interface RequestHeaderFields {
  /** The 8-byte magic field. */
  readonly magic: Uint8Array;
  readonly version: number;
  /** rql: the whole request's length. */
  readonly rql: number;
  readonly iv: Uint8Array;
  /** nks: the number of key slots (1..255). */
  readonly nks: number;
  /** sea: the size of the encrypted area. */
  readonly sea: number;
}

/** The header fields a request parser reports, for either request kind. */
export interface RequestHeaderInfo {
  readonly version: number;
  /** rql: the request's total length. */
  readonly length: number;
  readonly iv: Uint8Array;
  readonly nks: number;
  readonly sea: number;
}

/**
 * Writes the request header at the writer's position (the start of a request); the
 * reserved fields stay zero. The one writer of these fields for every request kind.
 */
export function writeRequestHeader(w: ByteWriter, h: RequestHeaderFields): ByteWriter {
  return w
    .put(h.magic, REQUEST_MAGIC_FIELD_SIZE)
    .u32(h.version)
    .u32(h.rql)
    .put(h.iv, GCM_IV_SIZE)
    .zeros(11)
    .u8(h.nks)
    .zeros(4)
    .u32(h.sea);
}

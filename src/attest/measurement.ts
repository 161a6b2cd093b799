/**
 * The attestation measurement: HMAC-SHA-512, keyed with the request's measurement key,
 * over what the Ultravisor vouches for.
 *
 * ```text
 *  0x000 ┌──────────────────────────────────────┐
 *        │ pld ‖ ald ‖ tld ‖ tag  64·3 + 16     │  from the guest's SE header
 *  0x0d0 │ CUID                             16  │
 *  0x0e0 │ user-data length            u16      │
 *  0x0e2 │ reserved (zero)             u16      │
 *  0x0e4 │ additional-data length      u32      │
 *  0x0e8 ├──────────────────────────────────────┤
 *        │ user data                     0–256  │
 *        │ nonce                       0 or 16  │
 *        │ additional data                  0+  │
 *        └──────────────────────────────────────┘
 * ```
 *
 * Source: s390-tools `rust/pv/src/uvattest/attest.rs` (`AttestationItems`).
 *
 * @module
 */
import { hmacSha512 } from '../crypto/hash.js';
import { InputError } from '../errors.js';
import type { SeHeaderTags } from '../header/se-header.js';
import { ByteWriter, zeroize } from '../internal/bytes.js';
import { seHeaderTags } from '../request/create.js';
import { MEASUREMENT_KEY_SIZE, NONCE_SIZE } from './arcb.js';
import { EXCHANGE_LIMITS } from './exchange.js';

/** Options of {@link attestationMeasurement}. */
export interface AttestationMeasurementOptions {
  /** The guest's SE header or SE image bytes, or just its tags. */
  readonly seHeader: Uint8Array | SeHeaderTags;
  /** The configuration unique ID the Ultravisor reported, 16 bytes. */
  readonly cuid: Uint8Array;
  /** At most 256 bytes. */
  readonly userData?: Uint8Array;
  /** 16 bytes (always present in requests made by pvattest or se-secrets). */
  readonly nonce?: Uint8Array;
  readonly additionalData?: Uint8Array;
  /** The 64-byte measurement key from the request. */
  readonly measurementKey: Uint8Array;
}

function bytes(v: unknown, name: string, size?: number, max?: number): Uint8Array {
  if (!(v instanceof Uint8Array) || (size !== undefined && v.length !== size) || (max !== undefined && v.length > max)) {
    const want = size !== undefined ? `${size} bytes` : `at most ${max} bytes`;
    throw new InputError('ERR_INVALID_OPTION', `${name} must be ${want} (got ${v instanceof Uint8Array ? `${v.length} bytes` : typeof v})`);
  }
  return v;
}

/** The 64-byte HMAC-SHA-512 measurement. @throws InputError `ERR_INVALID_OPTION`; HeaderError `ERR_HEADER_*` */
export function attestationMeasurement(options: AttestationMeasurementOptions): Uint8Array {
  if (typeof options !== 'object' || options === null) throw new InputError('ERR_INVALID_OPTION', 'options: expected an object');
  const tags = seHeaderTags(options.seHeader);
  const cuid = bytes(options.cuid, 'options.cuid', EXCHANGE_LIMITS.cuid);
  const key = bytes(options.measurementKey, 'options.measurementKey', MEASUREMENT_KEY_SIZE);
  const user = options.userData === undefined ? new Uint8Array(0) : bytes(options.userData, 'options.userData', undefined, EXCHANGE_LIMITS.userData);
  const nonce = options.nonce === undefined ? new Uint8Array(0) : bytes(options.nonce, 'options.nonce', NONCE_SIZE);
  const add = options.additionalData === undefined ? new Uint8Array(0) : bytes(options.additionalData, 'options.additionalData', undefined, EXCHANGE_LIMITS.additionalData);
  const w = new ByteWriter(0xe8 + user.length + nonce.length + add.length);
  w.put(tags.pld, 64).put(tags.ald, 64).put(tags.tld, 64).put(tags.tag, 16).put(cuid);
  w.u16(user.length).zeros(2).u32(add.length).put(user).put(nonce).put(add);
  const items = w.finish();
  try {
    return hmacSha512(key, items);
  } finally {
    zeroize(items); // it holds the nonce
  }
}

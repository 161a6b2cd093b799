/**
 * Secret types and the secret header.
 *
 * ```text
 *  meta (null), 16 bytes:              named secrets, 48 bytes:
 *  0x00 ┌ reserved00    u16 ┐          0x00 ┌ reserved00    u16 ┐
 *  0x02 │ secret type   u16 │          0x02 │ secret type   u16 │
 *  0x04 │ secret length u32 │ (= 0)    0x04 │ secret length u32 │
 *  0x08 │ reserved08      8 │          0x08 │ reserved08      8 │
 *  0x10 └───────────────────┘          0x10 │ secret id      32 │  (update-CCK: reserved10, zero)
 *                                      0x30 └───────────────────┘
 * ```
 *
 * The header is authenticated, not encrypted. Source: s390-tools
 * `rust/pv/src/uvsecret/guest_secret.rs` (`ListableSecretHdr`) and
 * `rust/pv_core/src/uvdevice/secret_list.rs` (type codes).
 *
 * @module
 */
import { RequestError } from '../errors.js';
import { type ByteReader, ByteWriter } from '../internal/bytes.js';
import { SECRET_ID_SIZE } from './secret-id.js';

/** Secret type codes (the reference's `ListableSecretType`). */
export const SecretType = {
  Null: 0x01,
  Association: 0x02,
  PlainText: 0x03,
  Aes128: 0x04,
  Aes192: 0x05,
  Aes256: 0x06,
  AesXts128: 0x07,
  AesXts256: 0x08,
  HmacSha256: 0x09,
  HmacSha512: 0x0a,
  EcSecp256r1: 0x11,
  EcSecp384r1: 0x12,
  EcSecp521r1: 0x13,
  Ed25519: 0x14,
  Ed448: 0x15,
  UpdateCck: 0x16,
} as const;
export type SecretTypeCode = (typeof SecretType)[keyof typeof SecretType];

/** Each known secret type: the name pvsecret prints, and the stable name of `inspect --json`. */
const NAMES: Record<number, readonly [display: string, json: string]> = {
  0x01: ['Meta', 'meta'],
  0x02: ['Association', 'association'],
  0x03: ['PLAINTEXT', 'plaintext'],
  0x04: ['AES-128-KEY', 'aes-128'],
  0x05: ['AES-192-KEY', 'aes-192'],
  0x06: ['AES-256-KEY', 'aes-256'],
  0x07: ['AES-XTS-128-KEY', 'aes-xts-128'],
  0x08: ['AES-XTS-256-KEY', 'aes-xts-256'],
  0x09: ['HMAC-SHA-256-KEY', 'hmac-sha-256'],
  0x0a: ['HMAC-SHA-512-KEY', 'hmac-sha-512'],
  0x11: ['EC-SECP256R1-PRIVATE-KEY', 'ec-secp256r1'],
  0x12: ['EC-SECP384R1-PRIVATE-KEY', 'ec-secp384r1'],
  0x13: ['EC-SECP521R1-PRIVATE-KEY', 'ec-secp521r1'],
  0x14: ['EC-ED25519-PRIVATE-KEY', 'ed25519'],
  0x15: ['EC-ED448-PRIVATE-KEY', 'ed448'],
  0x16: ['Update CCK', 'update-cck'],
};

const hexType = (type: number) => `0x${type.toString(16).padStart(2, '0')}`;

/** A readable name for a secret type code. */
export function secretTypeName(type: number): string {
  return NAMES[type]?.[0] ?? `unknown type ${hexType(type)}`;
}

/** The stable lower-case name of a secret type in `--json` output (`unknown` if not known). */
export function secretTypeJsonName(type: number): string {
  return NAMES[type]?.[1] ?? 'unknown';
}

/** The one way a secret type is shown to a person: `0x02 (Association)`. */
export function secretTypeLabel(type: number): string {
  return `${hexType(type)} (${secretTypeName(type)})`;
}

/** Size of the secret header of a meta secret. */
export const META_SECRET_HEADER_SIZE = 16;
/** Size of the secret header of every other secret (it carries the id). */
export const NAMED_SECRET_HEADER_SIZE = 48;

export function secretHeaderSize(type: number): number {
  return type === SecretType.Null ? META_SECRET_HEADER_SIZE : NAMED_SECRET_HEADER_SIZE;
}

/** The authenticated description of a secret. */
export interface SecretHeader {
  readonly type: number;
  /** Length of the (encoded) secret value in the encrypted area. */
  readonly length: number;
  /** 32 bytes; absent for meta and update-CCK (whose header holds 32 zero bytes there). */
  readonly id?: Uint8Array;
}

export function encodeSecretHeader(h: SecretHeader): Uint8Array {
  const size = secretHeaderSize(h.type);
  const w = new ByteWriter(size).zeros(2).u16(h.type).u32(h.length).zeros(8);
  if (size === NAMED_SECRET_HEADER_SIZE) w.put(h.id ?? new Uint8Array(SECRET_ID_SIZE), SECRET_ID_SIZE);
  return w.finish();
}

/** Decodes a secret header; the type decides its size. */
export function decodeSecretHeader(r: ByteReader): SecretHeader {
  r.reserved(2, 'secret header reserved00', 'ERR_REQUEST_RESERVED');
  const type = r.u16('secret type');
  if (!(type in NAMES)) {
    throw new RequestError('ERR_REQUEST_SECRET_TYPE', `request: unknown secret type 0x${type.toString(16)}`);
  }
  const length = r.u32('secret length');
  r.reserved(8, 'secret header reserved08', 'ERR_REQUEST_RESERVED');
  if (type === SecretType.Null) return { type, length };
  if (type === SecretType.UpdateCck) {
    // A CCK update has no id: the last 32 bytes of its header are reserved (`UpdateCckHdr`).
    r.reserved(SECRET_ID_SIZE, 'secret header reserved10', 'ERR_REQUEST_RESERVED');
    return { type, length };
  }
  return { type, length, id: r.bytesOf(SECRET_ID_SIZE, 'secret id') };
}

/**
 * Key slots: one per host key, each carrying the request's protection key wrapped for
 * that host.
 *
 * ```text
 *  0x00 ┌──────────────────────────────────┐
 *       │ host-key hash               32   │  SHA-256(X ‖ Y), each padded to 80
 *  0x20 │ wrapped protection key      32   │  AES-256-GCM, IV = 12 zero bytes, no AAD
 *  0x40 │ GCM tag                     16   │
 *  0x50 └──────────────────────────────────┘
 * ```
 *
 * The wrapping key is SHA-256(Z ‖ 00 00 00 01) (SP 800-56A one-step KDF), Z being the
 * 66-byte ECDH x coordinate between the customer key and the host key.
 * Source: s390-tools `rust/pv/src/req/keyslot.rs` and `req/encrypt.rs`.
 *
 * @module
 */
import type { CryptoBackend, SealingBackend } from '../crypto/backend.js';
import { kdfSha256OneStep } from '../crypto/hash.js';
import { type ByteReader, ByteWriter, zeroize } from '../internal/bytes.js';

export const KEY_SLOT_SIZE = 80;
const HASH_SIZE = 32;
const WRAPPED_SIZE = 32;
const TAG_SIZE = 16;
/** The key-slot wrapping IV: 12 zero bytes (each wrapping key is used once). */
const WRAP_IV = new Uint8Array(12);
const NO_AAD = new Uint8Array(0);

export interface KeySlot {
  readonly hostKeyHash: Uint8Array;
  readonly wrappedKey: Uint8Array;
  readonly tag: Uint8Array;
}

export function encodeKeySlot(slot: KeySlot): Uint8Array {
  return new ByteWriter(KEY_SLOT_SIZE).put(slot.hostKeyHash, HASH_SIZE).put(slot.wrappedKey, WRAPPED_SIZE).put(slot.tag, TAG_SIZE).finish();
}

export function decodeKeySlot(r: ByteReader, index = 0): KeySlot {
  return {
    hostKeyHash: r.bytesOf(HASH_SIZE, `key slot ${index} hash`),
    wrappedKey: r.bytesOf(WRAPPED_SIZE, `key slot ${index} wrapped key`),
    tag: r.bytesOf(TAG_SIZE, `key slot ${index} tag`),
  };
}

/**
 * Wraps `protectionKey` for one host: ECDH(privateKey, peerPublicKey) → KDF → AES-GCM.
 * `peerPublicKey` and `hostKeyHash` belong to the host.
 */
export async function wrapKeySlot(
  crypto: CryptoBackend,
  privateKey: Uint8Array,
  peerPublicKey: Uint8Array,
  hostKeyHash: Uint8Array,
  protectionKey: Uint8Array,
): Promise<Uint8Array> {
  const z = await crypto.ecdhP521(privateKey, peerPublicKey);
  try {
    return await sealKeySlot(crypto, z, hostKeyHash, protectionKey);
  } finally {
    z.fill(0);
  }
}

/**
 * Wraps `protectionKey` for one host given the ECDH shared secret `z` with it: KDF →
 * AES-GCM. Leaves `z` to the caller; zeroes the derived key.
 */
export async function sealKeySlot(crypto: SealingBackend, z: Uint8Array, hostKeyHash: Uint8Array, protectionKey: Uint8Array): Promise<Uint8Array> {
  const kek = kdfSha256OneStep(z);
  try {
    const ct = await crypto.aesGcmEncrypt(kek, WRAP_IV, protectionKey, NO_AAD);
    return encodeKeySlot({ hostKeyHash, wrappedKey: ct.subarray(0, WRAPPED_SIZE), tag: ct.subarray(WRAPPED_SIZE) });
  } finally {
    kek.fill(0);
  }
}

/**
 * Unwraps the protection key of a key slot. ECDH is symmetric, so either side's private
 * key works with the other side's public key: the host private key with the request's
 * customer public key, or the customer private key with the host public key.
 *
 * @throws CryptoError `ERR_CRYPTO` when the slot does not open with this key
 */
export async function unwrapKeySlot(crypto: CryptoBackend, privateKey: Uint8Array, peerPublicKey: Uint8Array, slot: KeySlot): Promise<Uint8Array> {
  const z = await crypto.ecdhP521(privateKey, peerPublicKey);
  const kek = kdfSha256OneStep(z);
  try {
    const data = new Uint8Array(WRAPPED_SIZE + TAG_SIZE);
    data.set(slot.wrappedKey, 0);
    data.set(slot.tag, WRAPPED_SIZE);
    return await crypto.aesGcmDecrypt(kek, WRAP_IV, data, NO_AAD);
  } finally {
    zeroize(z, kek);
  }
}

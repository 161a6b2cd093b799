/**
 * Hashes and key derivation (synchronous; @noble/hashes runs everywhere).
 *
 * @module
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { concatBytes } from '../internal/bytes.js';

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

export function sha512(data: Uint8Array): Uint8Array {
  return nobleSha512(data);
}

/** HMAC-SHA-512 (RFC 2104 / FIPS 198-1): 64 bytes. */
export function hmacSha512(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(nobleSha512, key, data);
}

/** HKDF-SHA-512 (RFC 5869: extract, then expand) to `length` bytes. */
export function hkdfSha512(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdf(nobleSha512, ikm, salt, info, length);
}

const COUNTER_1 = new Uint8Array([0, 0, 0, 1]);

/**
 * The one-step key derivation of SP 800-56A rev. 3 §5.8.2.1 with SHA-256, one round
 * (counter 1) and empty OtherInfo: `SHA-256(Z ‖ 00 00 00 01)`. The reference uses it
 * to turn the ECDH shared secret into the key that wraps the protection key.
 */
export function kdfSha256OneStep(z: Uint8Array): Uint8Array {
  const input = concatBytes(z, COUNTER_1);
  const out = nobleSha256(input);
  input.fill(0);
  return out;
}

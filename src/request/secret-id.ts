/**
 * Secret identifiers.
 *
 * @module
 */
import { sha256 } from '../crypto/hash.js';
import { InputError } from '../errors.js';

/** Size of a secret id. */
export const SECRET_ID_SIZE = 32;

/** Options of {@link secretId}. */
export interface SecretIdOptions {
  /**
   * Use the name itself as the id (pvsecret `--use-name`): its first min(length, 31)
   * UTF-8 bytes, zero-padded to 32, so byte 31 is always zero.
   */
  useName?: boolean;
}

/**
 * The 32-byte id of a named secret: SHA-256 of the UTF-8 name, or with `useName` the
 * name's bytes (source: s390-tools `rust/pv_core/src/uvdevice/secret.rs`, `SecretId`).
 *
 * @example
 * ```ts
 * toHex(secretId('myConfidentialSecret')) // '3751487690cca3e4…'
 * ```
 * @throws InputError `ERR_SECRET_NAME` when the name is empty
 */
export function secretId(name: string, options: SecretIdOptions = {}): Uint8Array {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InputError('ERR_SECRET_NAME', 'secret: name must be a non-empty string');
  }
  const utf8 = new TextEncoder().encode(name);
  if (!options.useName) return sha256(utf8);
  const id = new Uint8Array(SECRET_ID_SIZE);
  id.set(utf8.subarray(0, Math.min(utf8.length, SECRET_ID_SIZE - 1)));
  return id;
}

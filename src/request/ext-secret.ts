/**
 * The extension secret: 32 bytes encrypted after the secret value.
 *
 * @module
 */
import { hkdfSha512 } from '../crypto/hash.js';
import { InputError } from '../errors.js';
import { copyBytes } from '../internal/bytes.js';

export const EXTENSION_SECRET_SIZE = 32;
/** HKDF info for a derived extension secret (s390-tools `uvsecret/asrcb.rs`). */
const DERIVED_INFO = new TextEncoder().encode('IBM Z Ultravisor Add-Secret');

/** What the caller may give: the 32 bytes themselves, or a customer communication key. */
export type ExtensionSecretOption = { value: Uint8Array } | { cck: Uint8Array };

/**
 * The extension secret bytes: given, derived from a 32-byte CCK with HKDF-SHA-512
 * (RFC 5869; salt = the SE-header tag), or 32 zero bytes.
 *
 * @throws InputError `ERR_SECRET_SIZE` when the value or CCK is not 32 bytes
 */
export function extensionSecretBytes(option: ExtensionSecretOption | undefined, seHeaderTag: Uint8Array): Uint8Array {
  if (option === undefined) return new Uint8Array(EXTENSION_SECRET_SIZE);
  if ('value' in option) {
    check(option.value, 'extension secret');
    return copyBytes(option.value);
  }
  if ('cck' in option) {
    check(option.cck, 'customer communication key (CCK)');
    return hkdfSha512(option.cck, seHeaderTag, DERIVED_INFO, EXTENSION_SECRET_SIZE);
  }
  throw new InputError('ERR_INVALID_OPTION', 'options.extensionSecret: expected { value } or { cck }');
}

function check(b: unknown, what: string): void {
  if (!(b instanceof Uint8Array) || b.length !== EXTENSION_SECRET_SIZE) {
    const got = b instanceof Uint8Array ? `${b.length} bytes` : typeof b;
    throw new InputError('ERR_SECRET_SIZE', `${what} must be ${EXTENSION_SECRET_SIZE} bytes (got ${got})`);
  }
}

/**
 * Host keys that passed {@link verifyHostKeyDocuments}: marked in a module-private
 * registry, so `createAddSecretRequest` can accept them without verifying again, and
 * with a private copy of the key so a later change to the object's bytes has no effect.
 *
 * @module
 */
import type { HostKey } from './host-key.js';

/** A host key whose document was verified against the IBM Z signing key. */
export interface VerifiedHostKey extends HostKey {
  readonly subject: string;
  /** The host-key document's serial number, hex. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The host-key document certificate, DER. */
  readonly certificate: Uint8Array;
  /** Index of the input (in `hostKeyDocuments`) this certificate came from. */
  readonly documentIndex: number;
}

const registry = new WeakMap<object, { readonly publicKey: Uint8Array; readonly hash: Uint8Array }>();

/** Marks a freshly verified host key (verifier use only). */
export function markVerified(key: VerifiedHostKey): VerifiedHostKey {
  const frozen = Object.freeze(key);
  registry.set(frozen, { publicKey: key.publicKey.slice(), hash: key.hash.slice() });
  return frozen;
}

/**
 * True for objects returned by `verifyHostKeyDocuments` (not for look-alikes).
 *
 * @example
 * ```ts
 * const keys = await verifyHostKeyDocuments({ hostKeyDocuments, certificates, now });
 * isVerifiedHostKey(keys[0]); // true
 * ```
 */
export function isVerifiedHostKey(x: unknown): x is VerifiedHostKey {
  return typeof x === 'object' && x !== null && registry.has(x);
}

/** The key material recorded at verification time. */
export function verifiedKeyMaterial(x: VerifiedHostKey): HostKey {
  const m = registry.get(x);
  if (!m) throw new TypeError('not a verified host key');
  return { publicKey: m.publicKey.slice(), hash: m.hash.slice(), subject: x.subject };
}

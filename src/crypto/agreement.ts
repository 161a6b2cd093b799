/**
 * The customer side of a request's key agreement: one P-521 key, its public point, and
 * one ECDH shared secret per host key.
 *
 * Backends with a cheaper way to do this (node:crypto sets the key up once instead of
 * once per host: one scalar multiplication saved per host key, see docs/performance.md)
 * implement {@link SealingBackend.p521KeyAgreement}; the others get the per-peer path
 * here. Both give the same bytes.
 *
 * @module
 */
import { zeroize } from '../internal/bytes.js';
import { redactSecrets } from '../internal/redact.js';
import type { P521Agreement, SealingBackend } from './backend.js';
import type { HostPointCache } from './host-point-cache.js';
import { assertP521Point, normalizeP521PrivateKey } from './p521.js';

/**
 * Generates (when `privateKey` is undefined) or normalises a P-521 private key and
 * agrees it with every peer. The returned `privateKey` is always a fresh copy that the
 * caller zeroes, as are the `shared` secrets; a given `privateKey` is left untouched.
 * `tables` (held across a batch) counts each peer's uses and, once a peer has a table,
 * agrees through it.
 *
 * @throws CryptoError `ERR_INVALID_PRIVATE_KEY`, `ERR_INVALID_PUBLIC_KEY`
 */
export async function p521KeyAgreement(
  backend: SealingBackend,
  privateKey: Uint8Array | undefined,
  peers: readonly Uint8Array[],
  tables?: HostPointCache,
): Promise<P521Agreement> {
  if (backend.p521KeyAgreement) return backend.p521KeyAgreement(privateKey, peers, tables);
  let d = privateKey === undefined ? undefined : normalizeP521PrivateKey(privateKey);
  const shared: Uint8Array[] = [];
  try {
    // Check every peer before any key is generated.
    for (const p of peers) assertP521Point(p);
    let publicKey: Uint8Array;
    if (d === undefined) {
      const pair = await backend.generateP521();
      d = pair.privateKey;
      publicKey = pair.publicKey;
    } else {
      publicKey = await backend.p521PublicKey(d);
    }
    for (const p of peers) shared.push(tables?.ecdhX(d, p) ?? (await backend.ecdhP521(d, p)));
    return redactSecrets({ privateKey: d, publicKey, shared }, ['privateKey', 'shared']);
  } catch (e) {
    zeroize(d, ...shared);
    throw e;
  }
}

/**
 * P-521 encodings, normalised in one place.
 *
 * - Private scalars: 66 bytes inside the library; callers may give any left-padding
 *   (the reference's test key is 80 bytes) as long as the value fits.
 * - Public points: 133-byte uncompressed SEC 1 points inside the library; on the wire
 *   (request and SE header) X and Y are each left-padded to 80 bytes, 160 in all.
 * - ECDH: the 66-byte x coordinate (not noble's 67-byte encoded point, and not
 *   WebCrypto's 521-bit truncation: always ask for 528 bits).
 *
 * @module
 */
import { p521 } from '@noble/curves/nist.js';
import { CryptoError } from '../errors.js';
import { isAllZero, leftPad, stripLeadingZeros } from '../internal/bytes.js';
import { redactSecrets } from '../internal/redact.js';
import { type CryptoBackend, P521_POINT_SIZE, P521_SCALAR_SIZE, type P521Agreement } from './backend.js';
import type { HostPointCache } from './host-point-cache.js';
import { sha256 } from './hash.js';

/** Size of one coordinate on the wire (the reference's `ECC_PUB_KEY_COORD_SIZE`: 80). */
export const WIRE_COORD_SIZE = 80;
/** Size of a public key on the wire: X ‖ Y, 160 bytes. */
export const WIRE_PUBLIC_KEY_SIZE = 2 * WIRE_COORD_SIZE;

/** Normalises a raw private scalar of any left-padding to a fresh 66-byte copy and checks its range. */
export function normalizeP521PrivateKey(raw: Uint8Array): Uint8Array {
  const d = stripLeadingZeros(raw, P521_SCALAR_SIZE);
  if (!d || isAllZero(d) || !p521.utils.isValidSecretKey(d)) {
    d?.fill(0);
    throw new CryptoError('ERR_INVALID_PRIVATE_KEY', 'p521: private key is not a valid secp521r1 scalar');
  }
  return d;
}

/** Checks that `point` is a 133-byte uncompressed point on P-521. */
export function assertP521Point(point: Uint8Array, what = 'public key'): void {
  if (point.length !== P521_POINT_SIZE || point[0] !== 0x04) {
    throw new CryptoError('ERR_INVALID_PUBLIC_KEY', `p521: ${what} is not an uncompressed P-521 point (expected ${P521_POINT_SIZE} bytes, got ${point.length})`);
  }
  try {
    p521.Point.fromBytes(point).assertValidity();
  } catch (cause) {
    throw new CryptoError('ERR_INVALID_PUBLIC_KEY', `p521: ${what} is not on the curve`, { cause });
  }
}

/** 133-byte uncompressed point → 160-byte wire form (X ‖ Y, each left-padded to 80). */
export function pointToWire(point: Uint8Array): Uint8Array {
  assertP521Point(point);
  const out = new Uint8Array(WIRE_PUBLIC_KEY_SIZE);
  out.set(leftPad(point.subarray(1, 67), WIRE_COORD_SIZE), 0);
  out.set(leftPad(point.subarray(67, 133), WIRE_COORD_SIZE), WIRE_COORD_SIZE);
  return out;
}

/** 160-byte wire form → 133-byte uncompressed point (checked to be on the curve). */
export function wireToPoint(wire: Uint8Array): Uint8Array {
  if (wire.length !== WIRE_PUBLIC_KEY_SIZE) {
    throw new CryptoError('ERR_INVALID_PUBLIC_KEY', `p521: wire public key has ${wire.length} bytes (expected ${WIRE_PUBLIC_KEY_SIZE})`);
  }
  const x = stripLeadingZeros(wire.subarray(0, WIRE_COORD_SIZE), P521_SCALAR_SIZE);
  const y = stripLeadingZeros(wire.subarray(WIRE_COORD_SIZE), P521_SCALAR_SIZE);
  if (!x || !y) throw new CryptoError('ERR_INVALID_PUBLIC_KEY', 'p521: wire coordinate is larger than 66 bytes');
  const point = new Uint8Array(P521_POINT_SIZE);
  point[0] = 4;
  point.set(x, 1);
  point.set(y, 67);
  assertP521Point(point);
  return point;
}

/** The host-key hash of the wire format: SHA-256 of the 160-byte padded X ‖ Y. */
export function hostKeyHash(point: Uint8Array): Uint8Array {
  return sha256(pointToWire(point));
}

/** Noble's shared point (compressed, 67 bytes) → the 66-byte x coordinate. */
export function nobleEcdh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const shared = p521.getSharedSecret(privateKey, publicKey, true);
  const x = shared.slice(1);
  shared.fill(0);
  return x;
}

export function noblePublicKey(privateKey: Uint8Array): Uint8Array {
  return p521.getPublicKey(privateKey, false);
}

/**
 * A random private key: `p521.lengths.seed` (99) random bytes reduced mod n (FIPS 186-5
 * A.4.1 style). The seed comes from `crypto.getRandomValues` and is zeroed after use.
 *
 * @throws CryptoError `ERR_CRYPTO` when the runtime has no secure random source
 */
export function nobleRandomPrivateKey(): Uint8Array {
  const c = globalThis.crypto;
  if (!c?.getRandomValues) throw new CryptoError('ERR_CRYPTO', 'crypto: no secure random source (crypto.getRandomValues)');
  const seed = c.getRandomValues(new Uint8Array(p521.lengths.seed as number));
  try {
    return p521.utils.randomSecretKey(seed);
  } finally {
    seed.fill(0);
  }
}

/** A fresh key pair of a backend's own making (`d` 66 bytes, `q` its 133-byte point). */
export interface P521FreshKey {
  readonly d: Uint8Array;
  readonly q: Uint8Array;
}

/** What a backend does its own way on P-521; {@link p521KeyFunctions} builds the rest. */
export interface P521Primitives<K extends P521FreshKey> {
  /** The public point of a normalised 66-byte scalar. */
  publicPoint(d: Uint8Array): Uint8Array;
  /**
   * The 66-byte shared x of the normalised scalar `d` (point `q`) with each peer, all
   * checked on the curve; `fresh` is the key {@link freshKey} made, where it made one.
   */
  agree(d: Uint8Array, q: Uint8Array, peers: readonly Uint8Array[], tables?: HostPointCache, fresh?: K): Promise<Uint8Array[]> | Uint8Array[];
  /** A generated key of the backend's own, or undefined to use {@link nobleRandomPrivateKey}. */
  freshKey?(): K | undefined;
}

/**
 * The key functions of every backend, made from its P-521 primitives: each normalises
 * its own copy of a given private key and zeroes it; a generated key comes from the
 * backend's `freshKey` or else {@link nobleRandomPrivateKey}.
 */
export function p521KeyFunctions<K extends P521FreshKey>(
  p: P521Primitives<K>,
): Required<Pick<CryptoBackend, 'generateP521' | 'p521PublicKey' | 'ecdhP521' | 'p521KeyAgreement'>> {
  return {
    async generateP521() {
      const privateKey = nobleRandomPrivateKey();
      return redactSecrets({ privateKey, publicKey: p.publicPoint(privateKey) }, ['privateKey']);
    },
    async p521PublicKey(privateKey) {
      const d = normalizeP521PrivateKey(privateKey);
      try {
        return p.publicPoint(d);
      } finally {
        d.fill(0);
      }
    },
    async ecdhP521(privateKey, publicKey) {
      const d = normalizeP521PrivateKey(privateKey);
      try {
        assertP521Point(publicKey);
        return (await p.agree(d, p.publicPoint(d), [publicKey]))[0] as Uint8Array;
      } finally {
        d.fill(0);
      }
    },
    async p521KeyAgreement(privateKey, peers, tables): Promise<P521Agreement> {
      let d = privateKey === undefined ? undefined : normalizeP521PrivateKey(privateKey);
      try {
        for (const q of peers) assertP521Point(q);
        const fresh = d === undefined ? p.freshKey?.() : undefined;
        d = fresh?.d ?? d ?? nobleRandomPrivateKey();
        const publicKey = fresh?.q ?? p.publicPoint(d);
        const shared = await p.agree(d, publicKey, peers, tables, fresh);
        return redactSecrets({ privateKey: d, publicKey, shared }, ['privateKey', 'shared']);
      } catch (e) {
        d?.fill(0);
        throw e;
      }
    },
  };
}

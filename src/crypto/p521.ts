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
import { type ECDSA, ecdsa, weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../errors.js';
import { isAllZero, leftPad, stripLeadingZeros, toHex } from '../internal/bytes.js';
import { redactSecrets } from '../internal/redact.js';
import { type CryptoBackend, P521_POINT_SIZE, P521_SCALAR_SIZE, type P521Agreement } from './backend.js';
import type { HostPointCache } from './host-point-cache.js';
import { sha256 } from './hash.js';

/** Size of one coordinate on the wire (the reference's `ECC_PUB_KEY_COORD_SIZE`: 80). */
export const WIRE_COORD_SIZE = 80;
/** Size of a public key on the wire: X ‖ Y, 160 bytes. */
export const WIRE_PUBLIC_KEY_SIZE = 2 * WIRE_COORD_SIZE;

/**
 * secp521r1 (SEC 2 v2 §2.6.1; SP 800-186 §3.2.1.5): y² = x³ − 3x + b over GF(p),
 * p = 2^521 − 1, with a base point G of prime order n (cofactor 1). The one definition
 * in se-secrets: the point and scalar checks below use it, and so does noble's curve
 * ({@link nobleP521}).
 */
export const P521_CURVE = {
  p: (1n << 521n) - 1n,
  n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  h: 1n,
  a: (1n << 521n) - 4n,
  b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
  Gx: 0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
  Gy: 0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
} as const;

let noble: ECDSA | undefined;

/**
 * @noble/curves' P-521 (the same curve as its `nist.js` export, built from
 * {@link P521_CURVE}), made on first use: creating it costs a few milliseconds, and the
 * node backend, which leaves P-521 to OpenSSL, never needs it for a request.
 */
export function nobleP521(): ECDSA {
  noble ??= ecdsa(weierstrass(P521_CURVE), sha512);
  return noble;
}

/** Big-endian bytes (public data only: the string and bigint cannot be zeroed) as an unsigned bigint. */
function bigintOf(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${toHex(b)}`);
}

/** The group order n as 66 big-endian bytes, to range-check scalars without a bigint copy of them. */
const N_BYTES = /* @__PURE__ */ (() => {
  const hex = P521_CURVE.n.toString(16).padStart(2 * P521_SCALAR_SIZE, '0');
  return Uint8Array.from({ length: P521_SCALAR_SIZE }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
})();

/** True when the 66-byte big-endian `d` is below n (compared byte by byte; no copy of `d` is made). */
function belowOrder(d: Uint8Array): boolean {
  for (let i = 0; i < P521_SCALAR_SIZE; i++) {
    const a = d[i] as number;
    const b = N_BYTES[i] as number;
    if (a !== b) return a < b;
  }
  return false;
}

/** Normalises a raw private scalar of any left-padding to a fresh 66-byte copy and checks its range (1 ≤ d < n). */
export function normalizeP521PrivateKey(raw: Uint8Array): Uint8Array {
  const d = stripLeadingZeros(raw, P521_SCALAR_SIZE);
  if (!d || isAllZero(d) || !belowOrder(d)) {
    d?.fill(0);
    throw new CryptoError('ERR_INVALID_PRIVATE_KEY', 'p521: private key is not a valid secp521r1 scalar');
  }
  return d;
}

/**
 * True when the affine point (x, y) is on P-521: both coordinates in [0, p) and
 * y² = x³ − 3x + b (mod p). With cofactor 1 every such point is in the group of
 * order n; the point at infinity has no affine coordinates.
 */
export function isOnP521(x: bigint, y: bigint): boolean {
  const { p, a, b } = P521_CURVE;
  if (x < 0n || x >= p || y < 0n || y >= p) return false;
  return (y * y) % p === (((x * x) % p) * x + a * x + b) % p;
}

/** Checks that `point` is a 133-byte uncompressed point on P-521 (SEC 1 §3.2.2.1). */
export function assertP521Point(point: Uint8Array, what = 'public key'): void {
  if (point.length !== P521_POINT_SIZE || point[0] !== 0x04) {
    throw new CryptoError('ERR_INVALID_PUBLIC_KEY', `p521: ${what} is not an uncompressed P-521 point (expected ${P521_POINT_SIZE} bytes, got ${point.length})`);
  }
  if (!isOnP521(bigintOf(point.subarray(1, 67)), bigintOf(point.subarray(67)))) {
    throw new CryptoError('ERR_INVALID_PUBLIC_KEY', `p521: ${what} is not on the curve`);
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
  const shared = nobleP521().getSharedSecret(privateKey, publicKey, true);
  const x = shared.slice(1);
  shared.fill(0);
  return x;
}

export function noblePublicKey(privateKey: Uint8Array): Uint8Array {
  return nobleP521().getPublicKey(privateKey, false);
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
  const p521 = nobleP521();
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
      const fresh = p.freshKey?.();
      const privateKey = fresh?.d ?? nobleRandomPrivateKey();
      return redactSecrets({ privateKey, publicKey: fresh?.q ?? p.publicPoint(privateKey) }, ['privateKey']);
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

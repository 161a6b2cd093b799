/**
 * The Node backend: node:crypto (OpenSSL) where it is fastest, measured (see
 * docs/performance.md):
 *
 * - ECDH with a host key: OpenSSL's `diffieHellman` on key objects (EVP), about 40 %
 *   faster than `createECDH().computeSecret` on Node 20. Host keys that a batch uses
 *   again and again go through a precomputed noble table instead (the caller's
 *   ./host-point-cache.ts), about twice as fast again.
 * - Customer public points: OpenSSL for the first few keys of a process, then
 *   @noble/curves, whose multiplication by the base point is faster once its precomputed
 *   table exists — but building that table costs about 120 ms, which a one-request CLI
 *   process must not pay (measured: 131 ms for the first request, 8 ms after). Importing
 *   the key into OpenSSL with its public point then costs no second multiplication.
 *
 * Reached only through the package's `node` condition. No JWK export of generated key
 * objects (Node 20 can hang in that path after thousands of iterations).
 *
 * @module
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createECDH,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
  randomFillSync,
  sign,
  verify,
} from 'node:crypto';
import { CryptoError } from '../errors.js';
import { signingKeyJwk, verificationKeyJwk } from './keys.js';
import { concatBytes, leftPad, toHex, zeroize } from '../internal/bytes.js';
import { type CryptoBackend, GCM_TAG_SIZE, P521_POINT_SIZE, P521_SCALAR_SIZE } from './backend.js';
import type { HostPointCache } from './host-point-cache.js';
import { noblePublicKey, p521KeyFunctions } from './p521.js';
import { checkAes } from './portable.js';

function randomBytes(n: number): Uint8Array {
  return randomFillSync(new Uint8Array(n));
}

/**
 * DER prefix of a P-521 SubjectPublicKeyInfo (RFC 5480 §2): SEQUENCE { SEQUENCE {
 * id-ecPublicKey, secp521r1 }, BIT STRING { 00 ‖ 133-byte point } }.
 */
const SPKI_P521_PREFIX = new Uint8Array([
  0x30, 0x81, 0x9b, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23, 0x03, 0x81, 0x86, 0x00,
]);
/** DER of a SEC 1 ECPrivateKey (RFC 5915 §3) up to the 66-byte scalar: SEQUENCE { INTEGER 1, OCTET STRING (66) … */
const SEC1_P521_HEAD = new Uint8Array([0x30, 0x81, 0xdc, 0x02, 0x01, 0x01, 0x04, 0x42]);
/** … [0] secp521r1, [1] BIT STRING { 00 ‖ 133-byte point } }. */
const SEC1_P521_MIDDLE = new Uint8Array([0xa0, 0x07, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23, 0xa1, 0x81, 0x89, 0x03, 0x81, 0x86, 0x00]);

/** An OpenSSL key object of the 66-byte scalar `d` with its public point (not recomputed). */
function privateKeyObject(d: Uint8Array, publicKey: Uint8Array): KeyObject {
  const der = concatBytes(SEC1_P521_HEAD, d, SEC1_P521_MIDDLE, publicKey);
  try {
    return createPrivateKey({ key: Buffer.from(der.buffer, der.byteOffset, der.length), format: 'der', type: 'sec1' });
  } catch (cause) {
    throw new CryptoError('ERR_INVALID_PRIVATE_KEY', 'p521: private key is not a valid secp521r1 scalar', { cause });
  } finally {
    der.fill(0);
  }
}

/** OpenSSL key objects of recent peers (host keys repeat: one request has up to 35, a batch reuses them). */
const peerKeys = new Map<string, KeyObject>();
const PEER_KEYS_KEPT = 64;

/** The OpenSSL public-key object of a peer point (imported once while it stays in use). */
function peerKey(publicKey: Uint8Array): KeyObject {
  const id = toHex(publicKey);
  let key = peerKeys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.from(concatBytes(SPKI_P521_PREFIX, publicKey)), format: 'der', type: 'spki' });
    if (peerKeys.size >= PEER_KEYS_KEPT) peerKeys.delete(peerKeys.keys().next().value as string);
    peerKeys.set(id, key);
  }
  return key;
}

/** The 66-byte x coordinate of the shared point; `publicKey` was checked by the caller. */
function deriveX(privateKey: KeyObject, publicKey: Uint8Array): Uint8Array {
  let z: Buffer;
  try {
    z = diffieHellman({ privateKey, publicKey: peerKey(publicKey) });
  } catch (cause) {
    throw new CryptoError('ERR_INVALID_PUBLIC_KEY', 'p521: public key is not on the curve', { cause });
  }
  const out = leftPad(z, P521_SCALAR_SIZE);
  z.fill(0);
  return out;
}

/** A generated key: its 66-byte scalar, its public point and the OpenSSL key object. */
interface GeneratedKey {
  readonly d: Uint8Array;
  readonly q: Uint8Array;
  readonly key: KeyObject;
}

/**
 * A fresh key from OpenSSL (one base-point multiplication, no import), its scalar and
 * point read back from the SEC 1 encoding; undefined where that encoding is not the one
 * expected (the caller then generates the key itself).
 */
function opensslKey(): GeneratedKey | undefined {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
  const der = privateKey.export({ format: 'der', type: 'sec1' });
  try {
    const head = SEC1_P521_HEAD.length;
    const middle = head + P521_SCALAR_SIZE;
    const ok =
      der.length === middle + SEC1_P521_MIDDLE.length + P521_POINT_SIZE &&
      SEC1_P521_HEAD.every((b, i) => der[i] === b) &&
      SEC1_P521_MIDDLE.every((b, i) => der[middle + i] === b);
    if (!ok) return undefined;
    return { d: new Uint8Array(der.subarray(head, middle)), q: new Uint8Array(der.subarray(middle + SEC1_P521_MIDDLE.length)), key: privateKey };
  } finally {
    der.fill(0);
  }
}

/**
 * ECDH of the normalised key `d` (public point `q`) with each peer: through a host-key
 * table where the peer has one in `tables`, else OpenSSL (the key imported once, on
 * first need, unless `key` is its OpenSSL key object already).
 */
function agree(d: Uint8Array, q: Uint8Array, peers: readonly Uint8Array[], tables?: HostPointCache, key?: KeyObject): Uint8Array[] {
  const shared: Uint8Array[] = [];
  try {
    for (const p of peers) {
      const fast = tables?.ecdhX(d, p);
      if (fast) {
        shared.push(fast);
        continue;
      }
      key ??= privateKeyObject(d, q);
      shared.push(deriveX(key, p));
    }
    return shared;
  } catch (e) {
    zeroize(...shared);
    throw e;
  }
}

/** Base-point multiplications done with OpenSSL before noble's table pays for itself. */
const OPENSSL_BASE_MULTIPLICATIONS = 8;
let baseMultiplications = 0;

/** The public point of the 66-byte scalar `d` (same bytes on either path). */
function publicPoint(d: Uint8Array): Uint8Array {
  if (++baseMultiplications > OPENSSL_BASE_MULTIPLICATIONS) return noblePublicKey(d);
  const ecdh = createECDH('secp521r1');
  try {
    ecdh.setPrivateKey(d);
  } catch (cause) {
    throw new CryptoError('ERR_INVALID_PRIVATE_KEY', 'p521: private key is not a valid secp521r1 scalar', { cause });
  }
  return new Uint8Array(ecdh.getPublicKey());
}

/** A generated key from OpenSSL while its base-point multiplication is the faster one. */
function freshKey(): GeneratedKey | undefined {
  if (baseMultiplications >= OPENSSL_BASE_MULTIPLICATIONS) return undefined;
  const generated = opensslKey();
  if (generated) baseMultiplications++;
  return generated;
}

export const nodeBackend: CryptoBackend = {
  name: 'node',
  randomBytes,
  ...p521KeyFunctions({ publicPoint, agree: (d, q, peers, tables, fresh) => agree(d, q, peers, tables, fresh?.key), freshKey }),
  async aesGcmEncrypt(key, iv, plaintext, aad) {
    checkAes(key, iv);
    const c = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_SIZE });
    c.setAAD(aad);
    const a = c.update(plaintext);
    const b = c.final();
    const tag = c.getAuthTag();
    const out = new Uint8Array(a.length + b.length + tag.length);
    out.set(a, 0);
    out.set(b, a.length);
    out.set(tag, a.length + b.length);
    a.fill(0);
    return out;
  },
  async aesGcmDecrypt(key, iv, data, aad) {
    checkAes(key, iv);
    if (data.length < GCM_TAG_SIZE) throw new CryptoError('ERR_CRYPTO', `aes-gcm: ciphertext has ${data.length} bytes (expected at least ${GCM_TAG_SIZE})`);
    const d = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_SIZE });
    d.setAAD(aad);
    d.setAuthTag(data.subarray(data.length - GCM_TAG_SIZE));
    const a = d.update(data.subarray(0, data.length - GCM_TAG_SIZE));
    try {
      const b = d.final();
      const out = new Uint8Array(a.length + b.length);
      out.set(a, 0);
      out.set(b, a.length);
      a.fill(0);
      return out;
    } catch (cause) {
      a.fill(0);
      throw new CryptoError('ERR_CRYPTO', 'aes-gcm: authentication failed (wrong key or modified data)', { cause });
    }
  },
  async signSha512(key, message) {
    const k = createPrivateKey({ key: signingKeyJwk(key) as import('node:crypto').JsonWebKey, format: 'jwk' });
    // OpenSSL's defaults, as the reference leaves them: ECDSA in DER; PSS with MGF1 on the
    // signature digest and the maximum salt length (OpenSSL 3.0's default for signing).
    const options =
      key.type === 'ec-p521'
        ? { key: k, dsaEncoding: 'der' as const }
        : { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN };
    return new Uint8Array(sign('sha512', message, options));
  },
  async verifySha512(key, message, signature) {
    const k = createPublicKey({ key: verificationKeyJwk(key) as import('node:crypto').JsonWebKey, format: 'jwk' });
    const options =
      key.type === 'ec-p521'
        ? { key: k, dsaEncoding: 'der' as const }
        : { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO };
    try {
      return verify('sha512', message, options, signature);
    } catch {
      return false;
    }
  },
};

/**
 * The Node backend: node:crypto (OpenSSL). Measured faster than WebCrypto and noble for
 * P-521 (see docs/performance.md), except for host keys reused across a batch, which go
 * through noble with a precomputed table (./host-point-cache.ts). Reached only through
 * the package's `node` condition.
 *
 * It uses `createECDH`, never JWK export of generated key objects (Node 20 can hang in
 * that path after thousands of iterations).
 *
 * @module
 */
import { createCipheriv, createDecipheriv, createECDH, randomFillSync } from 'node:crypto';
import { CryptoError } from '../errors.js';
import { leftPad, zeroize } from '../internal/bytes.js';
import { redactSecrets } from '../internal/redact.js';
import { type CryptoBackend, GCM_TAG_SIZE, type P521Agreement, P521_SCALAR_SIZE } from './backend.js';
import { precomputedEcdhX } from './host-point-cache.js';
import { assertP521Point, normalizeP521PrivateKey } from './p521.js';
import { checkAes } from './portable.js';

const CURVE = 'secp521r1';

function randomBytes(n: number): Uint8Array {
  return randomFillSync(new Uint8Array(n));
}

type Ecdh = ReturnType<typeof createECDH>;

/**
 * An ECDH object holding a fresh key (when `d` is undefined) or the normalised key `d`,
 * and the 66-byte copy of its key that the caller zeroes.
 */
function ecdhWithKey(d: Uint8Array | undefined): { ecdh: Ecdh; d: Uint8Array } {
  const ecdh = createECDH(CURVE);
  if (d === undefined) {
    ecdh.generateKeys();
    const raw = ecdh.getPrivateKey();
    // OpenSSL drops leading zero bytes of the scalar: pad back to 66.
    const padded = leftPad(raw, P521_SCALAR_SIZE);
    raw.fill(0);
    return { ecdh, d: padded };
  }
  try {
    ecdh.setPrivateKey(d);
  } catch (cause) {
    throw new CryptoError('ERR_INVALID_PRIVATE_KEY', 'p521: private key is not a valid secp521r1 scalar', { cause });
  }
  return { ecdh, d };
}

/** The 66-byte x coordinate of the shared point; `publicKey` was checked by the caller. */
function computeX(ecdh: Ecdh, publicKey: Uint8Array): Uint8Array {
  let z: Buffer;
  try {
    z = ecdh.computeSecret(publicKey);
  } catch (cause) {
    throw new CryptoError('ERR_INVALID_PUBLIC_KEY', 'p521: public key is not on the curve', { cause });
  }
  const out = leftPad(z, P521_SCALAR_SIZE);
  z.fill(0);
  return out;
}

export const nodeBackend: CryptoBackend = {
  name: 'node',
  randomBytes,
  async generateP521() {
    const { ecdh, d } = ecdhWithKey(undefined);
    return redactSecrets({ privateKey: d, publicKey: new Uint8Array(ecdh.getPublicKey()) }, ['privateKey']);
  },
  async p521PublicKey(privateKey) {
    const d = normalizeP521PrivateKey(privateKey);
    try {
      return new Uint8Array(ecdhWithKey(d).ecdh.getPublicKey());
    } finally {
      d.fill(0);
    }
  },
  async ecdhP521(privateKey, publicKey) {
    const d = normalizeP521PrivateKey(privateKey);
    try {
      assertP521Point(publicKey);
      return precomputedEcdhX(d, publicKey) ?? computeX(ecdhWithKey(d).ecdh, publicKey);
    } finally {
      d.fill(0);
    }
  },
  // One ECDH object for all peers: saves setting the key up (a scalar multiplication) per
  // host. Host keys used often in this process go through their precomputed table instead.
  async p521KeyAgreement(privateKey, peers): Promise<P521Agreement> {
    let d = privateKey === undefined ? undefined : normalizeP521PrivateKey(privateKey);
    const shared: Uint8Array[] = [];
    try {
      for (const p of peers) assertP521Point(p);
      const set = ecdhWithKey(d);
      d = set.d;
      for (const p of peers) shared.push(precomputedEcdhX(d, p) ?? computeX(set.ecdh, p));
      return redactSecrets({ privateKey: d, publicKey: new Uint8Array(set.ecdh.getPublicKey()), shared }, ['privateKey', 'shared']);
    } catch (e) {
      zeroize(d, ...shared);
      throw e;
    }
  },
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
};

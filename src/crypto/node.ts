/**
 * The Node backend: node:crypto (OpenSSL). Measured faster than WebCrypto and noble for
 * P-521 (see docs/performance.md). Reached only through the package's `node` condition.
 *
 * It uses `createECDH`, never JWK export of generated key objects (Node 20 can hang in
 * that path after thousands of iterations).
 *
 * @module
 */
import { constants, createCipheriv, createDecipheriv, createECDH, createPrivateKey, createPublicKey, randomFillSync, sign, verify } from 'node:crypto';
import { CryptoError } from '../errors.js';
import { leftPad } from '../internal/bytes.js';
import { type CryptoBackend, GCM_TAG_SIZE, P521_SCALAR_SIZE } from './backend.js';
import { assertP521Point, normalizeP521PrivateKey } from './p521.js';
import { signingKeyJwk, verificationKeyJwk } from './keys.js';
import { checkAes } from './portable.js';

const CURVE = 'secp521r1';

function randomBytes(n: number): Uint8Array {
  return randomFillSync(new Uint8Array(n));
}

export const nodeBackend: CryptoBackend = {
  name: 'node',
  randomBytes,
  async generateP521() {
    const ecdh = createECDH(CURVE);
    const publicKey = new Uint8Array(ecdh.generateKeys());
    const raw = ecdh.getPrivateKey();
    // OpenSSL drops leading zero bytes of the scalar: pad back to 66.
    const privateKey = leftPad(raw, P521_SCALAR_SIZE);
    raw.fill(0);
    return { privateKey, publicKey };
  },
  async p521PublicKey(privateKey) {
    const ecdh = createECDH(CURVE);
    ecdh.setPrivateKey(normalizeP521PrivateKey(privateKey));
    return new Uint8Array(ecdh.getPublicKey());
  },
  async ecdhP521(privateKey, publicKey) {
    const d = normalizeP521PrivateKey(privateKey);
    assertP521Point(publicKey);
    const ecdh = createECDH(CURVE);
    ecdh.setPrivateKey(d);
    d.fill(0);
    const z = ecdh.computeSecret(publicKey);
    const out = leftPad(z, P521_SCALAR_SIZE);
    z.fill(0);
    return out;
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

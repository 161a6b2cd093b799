/**
 * The portable backend: WebCrypto for AES-GCM and (where the runtime has it) P-521 ECDH,
 * @noble/curves for the rest of P-521. Runs in browsers, Deno, Bun and Node.
 *
 * @module
 */
import { CryptoError } from '../errors.js';
import { signingKeyJwk } from './keys.js';
import { base64Url, equalBytes, zeroize } from '../internal/bytes.js';
import {
  checkAes,
  type CryptoBackend,
  P521_SCALAR_SIZE,
  type SealingBackend,
  type SigningKey,
  type VerificationKey,
} from './backend.js';
import type { HostPointCache } from './host-point-cache.js';
import { nobleEcdh, nobleP521, noblePublicKey, nobleRandomPrivateKey, p521KeyFunctions } from './p521.js';
import { ecdsaDerToRaw, ecdsaRawToDer, pssMaxSaltLength, rsaPssSha512Verify } from './signature.js';

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new CryptoError('ERR_CRYPTO', 'crypto: WebCrypto (crypto.subtle) is not available in this runtime');
  return s;
}

function buf(b: Uint8Array): Uint8Array<ArrayBuffer> {
  // WebCrypto wants an ArrayBuffer-backed view; copy only when it is not.
  return b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);
}

/** Zeroes what {@link buf} copied (never the caller's bytes). */
function dropCopy(copy: Uint8Array, original: Uint8Array): void {
  if (copy !== original) copy.fill(0);
}

export function webRandomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const c = globalThis.crypto;
  if (!c?.getRandomValues) throw new CryptoError('ERR_CRYPTO', 'crypto: no secure random source (crypto.getRandomValues)');
  for (let o = 0; o < n; o += 65536) c.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
}

export async function webAesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  checkAes(key, iv);
  const kb = buf(key);
  const pb = buf(plaintext);
  try {
    const k = await subtle().importKey('raw', kb, 'AES-GCM', false, ['encrypt']);
    const ct = await subtle().encrypt({ name: 'AES-GCM', iv: buf(iv), additionalData: buf(aad), tagLength: 128 }, k, pb);
    return new Uint8Array(ct);
  } finally {
    dropCopy(kb, key);
    dropCopy(pb, plaintext);
  }
}

export async function webAesGcmDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  checkAes(key, iv);
  const kb = buf(key);
  try {
    const k = await subtle().importKey('raw', kb, 'AES-GCM', false, ['decrypt']);
    const pt = await subtle().decrypt({ name: 'AES-GCM', iv: buf(iv), additionalData: buf(aad), tagLength: 128 }, k, buf(data));
    return new Uint8Array(pt);
  } catch (cause) {
    throw new CryptoError('ERR_CRYPTO', 'aes-gcm: authentication failed (wrong key or modified data)', { cause });
  } finally {
    dropCopy(kb, key);
  }
}

/**
 * P-521 ECDH in WebCrypto for several peers, importing the private key once. WebCrypto
 * imports an EC private key only as JWK or PKCS#8 with its public point, which noble
 * computes. The JWK's `d` is a string JavaScript cannot wipe (see docs/security.md).
 */
async function webAgree(privateKey: Uint8Array, publicKey: Uint8Array, peers: readonly Uint8Array[]): Promise<Uint8Array[]> {
  const jwk: JsonWebKey = {
    kty: 'EC',
    crv: 'P-521',
    d: base64Url(privateKey),
    x: base64Url(publicKey.subarray(1, 1 + P521_SCALAR_SIZE)),
    y: base64Url(publicKey.subarray(1 + P521_SCALAR_SIZE)),
    ext: false,
  };
  const s = subtle();
  const priv = await s.importKey('jwk', jwk, { name: 'ECDH', namedCurve: 'P-521' }, false, ['deriveBits']);
  jwk.d = '';
  const out: Uint8Array[] = [];
  try {
    for (const q of peers) {
      const peer = await s.importKey('raw', buf(q), { name: 'ECDH', namedCurve: 'P-521' }, false, []);
      // 528 bits = 66 bytes: asking for 521 would silently clear the low 7 bits.
      out.push(new Uint8Array(await s.deriveBits({ name: 'ECDH', public: peer }, priv, 528)));
    }
    return out;
  } catch (e) {
    zeroize(...out);
    throw e;
  }
}

async function webEcdh(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  return (await webAgree(privateKey, noblePublicKey(privateKey), [publicKey]))[0] as Uint8Array;
}

function nobleAgree(privateKey: Uint8Array, _publicKey: Uint8Array, peers: readonly Uint8Array[], tables?: HostPointCache): Uint8Array[] {
  return peers.map((q) => tables?.ecdhX(privateKey, q) ?? nobleEcdh(privateKey, q));
}

/**
 * SHA-512 signatures with WebCrypto: RSA-PSS with the maximum salt length (OpenSSL 3.0's
 * default, which the reference inherits); ECDSA P-521 converted to DER. Where the runtime
 * has no P-521 ECDSA, @noble/curves signs instead (hedged: random input mixed into k).
 */
export async function webSignSha512(key: SigningKey, message: Uint8Array): Promise<Uint8Array> {
  const s = subtle();
  const jwk = signingKeyJwk(key);
  try {
    if (key.type === 'rsa') {
      const k = await s.importKey('jwk', jwk, { name: 'RSA-PSS', hash: 'SHA-512' }, false, ['sign']);
      return new Uint8Array(await s.sign({ name: 'RSA-PSS', saltLength: pssMaxSaltLength(key.modulusBits) }, k, buf(message)));
    }
    let k: CryptoKey;
    try {
      k = await s.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-521' }, false, ['sign']);
    } catch {
      return nobleP521().sign(message, key.privateKey, { prehash: true, format: 'der', lowS: false, extraEntropy: true });
    }
    return ecdsaRawToDer(new Uint8Array(await s.sign({ name: 'ECDSA', hash: 'SHA-512' }, k, buf(message))));
  } catch (cause) {
    throw new CryptoError('ERR_CRYPTO', `sign: ${key.type} signature failed`, { cause });
  } finally {
    jwk.d = '';
  }
}

/** Verification without WebCrypto: @noble/curves for ECDSA, BigInt RSA-PSS with automatic salt length. */
export async function portableVerifySha512(key: VerificationKey, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (key.type === 'rsa') return rsaPssSha512Verify(key.n, key.e, message, signature);
  // OpenSSL accepts only the DER encoding itself (it re-encodes and compares); so do we.
  const raw = ecdsaDerToRaw(signature);
  if (!raw || !equalBytes(ecdsaRawToDer(raw), signature)) return false;
  try {
    return nobleP521().verify(raw, message, key.publicKey, { prehash: true, format: 'compact', lowS: false });
  } catch {
    return false;
  }
}

let webEcdhWorks: Promise<boolean> | undefined;

/** Whether this runtime's WebCrypto does P-521 ECDH (probed once). */
function probeWebEcdh(): Promise<boolean> {
  webEcdhWorks ??= (async () => {
    try {
      const a = nobleRandomPrivateKey();
      const b = nobleRandomPrivateKey();
      const z = await webEcdh(a, noblePublicKey(b));
      const expected = nobleEcdh(b, noblePublicKey(a));
      const ok = z.length === P521_SCALAR_SIZE && equalBytes(z, expected);
      zeroize(a, b, z, expected);
      return ok;
    } catch {
      return false;
    }
  })();
  return webEcdhWorks;
}

/**
 * Shared secrets of one (normalised) private key with its public point and each peer;
 * `tables` where the caller holds host-point tables (noble uses them; WebCrypto does not).
 */
type Agree = (privateKey: Uint8Array, publicKey: Uint8Array, peers: readonly Uint8Array[], tables?: HostPointCache) => Promise<Uint8Array[]> | Uint8Array[];

function makeSealingBackend(name: string, agree: Agree): SealingBackend {
  return {
    name,
    randomBytes: webRandomBytes,
    ...p521KeyFunctions({ publicPoint: noblePublicKey, agree }),
    aesGcmEncrypt: webAesGcmEncrypt,
    signSha512: webSignSha512,
  };
}

function makeBackend(sealing: SealingBackend): CryptoBackend {
  return { ...sealing, aesGcmDecrypt: webAesGcmDecrypt, verifySha512: portableVerifySha512 };
}

/** P-521 entirely in @noble/curves; AES-GCM in WebCrypto. */
export const nobleBackend: CryptoBackend = /* @__PURE__ */ makeBackend(/* @__PURE__ */ makeSealingBackend('noble', nobleAgree));

/** P-521 ECDH in WebCrypto (throws where the runtime lacks P-521). */
export const webCryptoBackend: CryptoBackend = /* @__PURE__ */ makeBackend(/* @__PURE__ */ makeSealingBackend('webcrypto', webAgree));

/**
 * The sealing half of {@link portableBackend}: the request builder's default, so that a
 * bundle of `createAddSecretRequest` holds no code to decrypt or to verify signatures.
 */
export const portableSealingBackend: SealingBackend = /* @__PURE__ */ makeSealingBackend('portable', async (d, q, peers, tables) =>
  (await probeWebEcdh()) ? webAgree(d, q, peers) : nobleAgree(d, q, peers, tables),
);

/**
 * The default portable backend: WebCrypto ECDH where the runtime supports P-521,
 * @noble/curves otherwise. Identical bytes either way.
 */
export const portableBackend: CryptoBackend = /* @__PURE__ */ makeBackend(portableSealingBackend);
